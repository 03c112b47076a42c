"""A minimal Python handler: greets whoever the event names and counts warm invocations."""
import json

invocations = 0  # module state survives between invocations of a warm environment


def lambda_handler(event, context):
    global invocations
    invocations += 1
    name = event.get("name", "world")
    print(f"Hello, {name}! (invocation {invocations} of this environment)")
    return {
        "statusCode": 200,
        "body": json.dumps({"message": f"Hello, {name}!", "requestId": context.aws_request_id}),
    }
