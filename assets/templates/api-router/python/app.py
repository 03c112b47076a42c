"""{{functionName}}: one function serving several routes of an HTTP API (payload 2.0).

One function or one per route?
  One function per route (GET /users -> its own function) gives each route
  its own scaling and concurrency limits, its own least-privilege IAM role,
  independent deploys and rollbacks, and a smaller package, so faster cold
  starts. One routing function (this template) shares code, configuration and
  warm environments between routes and means fewer resources to deploy and
  watch. Start with one router while the routes share data and permissions;
  split a route out when it needs different permissions, memory, timeouts or
  scaling, or when its deploys should not risk the others.
"""

import json
from typing import Any, Callable

HEADERS = {"Content-Type": "application/json"}

# Sample data kept in memory so the template runs anywhere; replace it with a real store.
USERS = [
    {"id": "1", "name": "Ada Lovelace"},
    {"id": "2", "name": "Alan Turing"},
]
MOVIES = [
    {"id": "1", "title": "Metropolis", "year": 1927, "genre": "science-fiction"},
    {"id": "2", "title": "Casablanca", "year": 1942, "genre": "drama"},
]
GENRES = ["drama", "science-fiction"]


def response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"statusCode": status, "headers": {**HEADERS, **(headers or {})}, "body": json.dumps(body)}


def list_users(event: dict[str, Any]) -> dict[str, Any]:
    return response(200, {"users": USERS})


def list_movies(event: dict[str, Any]) -> dict[str, Any]:
    return response(200, {"movies": MOVIES})


def list_genres(event: dict[str, Any]) -> dict[str, Any]:
    return response(200, {"genres": GENRES})


# path -> {method -> handler}. Keyed by path first so an unknown method on a known path is a 405, not a 404.
ROUTES: dict[str, dict[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "/users": {"GET": list_users},
    "/movies": {"GET": list_movies},
    "/genres": {"GET": list_genres},
}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("requestContext", {}).get("http", {}).get("method", "")
    # "/users/" and "/users" are the same route.
    path = (event.get("rawPath") or "/").rstrip("/") or "/"
    print(json.dumps({"message": "request", "method": method, "path": path, "requestId": context.aws_request_id}))

    methods = ROUTES.get(path)
    if methods is None:
        return response(404, {"error": f"No route for {path}"})
    route = methods.get(method)
    if route is None:
        # 405 must say which methods the path does accept.
        return response(405, {"error": f"{method} is not allowed on {path}"}, {"Allow": ", ".join(sorted(methods))})
    return route(event)
