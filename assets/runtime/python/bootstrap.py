"""Lambda Workbench's Python runtime: the program an environment runs.

It speaks the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API as AWS's Python runtime does, imports the handler named by
$_HANDLER from $LAMBDA_TASK_ROOT, passes a context object with the same fields, and keeps the module imported between
invocations (warm reuse). Standard library only, so it runs with any Python 3.8+ the user has.
"""
import importlib
import json
import os
import socket
import sys
import time

# http.client, logging and traceback are imported only when needed: http.client alone (with the email package it
# pulls in) costs ~20 ms of every cold start, which a real Lambda runtime does not pay.

API_HOST, API_PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
BASE = "/2018-06-01/runtime"
# Written on stdout and stderr after each invocation's output so the runner emits END only after every line arrived.
END_MARK = "\0lwb-end "

_socket = None
_buffer = b""


def _connect():
    global _socket
    if _socket is None:
        _socket = socket.create_connection((API_HOST, int(API_PORT)))
        _socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _socket


def _read_until(marker):
    global _buffer
    while marker not in _buffer:
        chunk = _socket.recv(65536)
        if not chunk:
            raise ConnectionError("Runtime API connection closed")
        _buffer += chunk
    index = _buffer.index(marker)
    head, _buffer = _buffer[:index], _buffer[index + len(marker):]
    return head


def _read_exactly(size):
    global _buffer
    while len(_buffer) < size:
        chunk = _socket.recv(max(65536, size - len(_buffer)))
        if not chunk:
            raise ConnectionError("Runtime API connection closed")
        _buffer += chunk
    data, _buffer = _buffer[:size], _buffer[size:]
    return data


def _request(method, path, body=None, headers=None):
    """One HTTP/1.1 exchange on a keep-alive connection (a minimal client: the Runtime API needs no more)."""
    lines = ["{} {} HTTP/1.1".format(method, path), "Host: " + API_HOST + ":" + API_PORT]
    for key, value in (headers or {}).items():
        lines.append("{}: {}".format(key, value))
    if body is not None:
        lines.append("Content-Length: {}".format(len(body)))
    _connect().sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
    head = _read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
    status = int(head[0].split(" ")[1])
    response_headers = {}
    for line in head[1:]:
        key, _, value = line.partition(":")
        response_headers[key.strip().lower()] = value.strip()
    if "content-length" in response_headers:
        payload = _read_exactly(int(response_headers["content-length"]))
    elif "chunked" in response_headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size = int(_read_until(b"\r\n").split(b";")[0], 16)
            if size == 0:
                _read_until(b"\r\n")
                break
            parts.append(_read_exactly(size))
            _read_until(b"\r\n")
        payload = b"".join(parts)
    else:
        payload = b""
    return status, response_headers, payload


def _flush_marks(request_id):
    sys.stdout.write(END_MARK + str(request_id) + "\n")
    sys.stdout.flush()
    sys.stderr.write(END_MARK + str(request_id) + "\n")
    sys.stderr.flush()


def _error_body(error_type, message, stack):
    return {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": stack}


def _peak_memory():
    """Our own peak resident memory in KiB, so the host's REPORT is exact whatever its sampling saw (not an AWS
    header). On Linux VmHWM: ru_maxrss there keeps the forking parent's size across exec. Elsewhere ru_maxrss (bytes on
    macOS); Windows has no resource module (the host samples)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return {"Lambda-Workbench-Max-Rss-Kb": line.split()[1]}
        except OSError:
            pass
    try:
        import resource
    except ImportError:
        return {}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"Lambda-Workbench-Max-Rss-Kb": str(peak // 1024 if sys.platform == "darwin" else peak)}


def _post_error(path, error_type, message, stack):
    body = json.dumps(_error_body(error_type, message, stack)).encode("utf-8")
    headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type}
    headers.update(_peak_memory())
    _request("POST", path, body, headers)


def _format_stack(tb):
    import traceback
    return [line.rstrip("\n") for line in traceback.format_list(traceback.extract_tb(tb))]


class LambdaContext:
    """The context object AWS's Python runtime passes (same attribute and method names)."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        identity = headers.get("lambda-runtime-cognito-identity")
        client_context = headers.get("lambda-runtime-client-context")
        self.identity = CognitoIdentity(json.loads(identity)) if identity else CognitoIdentity({})
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def __repr__(self):
        return "LambdaContext([aws_request_id={}, function_name={}, memory_limit_in_mb={}])".format(
            self.aws_request_id, self.function_name, self.memory_limit_in_mb)


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, data):
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class _LogState:
    request_id = None


def _configure_logging(logging):
    """Lambda's Python log format, `[LEVEL]\\t<timestamp>\\t<request id>\\t<message>`, on the root logger."""

    class LambdaLogFormatter(logging.Formatter):
        def format(self, record):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + self.formatException(record.exc_info)
            return "[{}]\t{}\t{}\t{}".format(record.levelname, stamp, _LogState.request_id, message)

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(LambdaLogFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "WARNING").upper())


class _ConfigureLoggingOnImport:
    """Sets up Lambda's log format the moment the function imports `logging`, so functions that never log do not pay
    for importing it during their cold start."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec("logging")
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_configure(module):
            exec_module(module)
            _configure_logging(module)

        spec.loader.exec_module = exec_and_configure
        return spec


def _load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, function_name = spec.rpartition(".")
    if not module_path or not function_name:
        raise _InitError("Runtime.MalformedHandlerName", "Bad handler '{}': not enough values to unpack (expected 2, got 1)".format(spec), [])
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        raise _InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {} ({}, line {})".format(
            module_name, error.msg, os.path.basename(error.filename or ""), error.lineno),
            [" File \"{}\" Line {}\n    {}".format(error.filename, error.lineno, (error.text or "").strip())])
    except ImportError as error:
        raise _InitError("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(module_name, error),
                         _format_stack(sys.exc_info()[2]))
    handler = getattr(module, function_name, None)
    if handler is None:
        raise _InitError("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(function_name, module_name), [])
    return handler


class _InitError(Exception):
    def __init__(self, error_type, message, stack):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack


def _log_error(request_id, error_type, message, stack):
    # AWS's Python runtime prints the error as one JSON document on stdout: it lands in the function's log.
    line = "[ERROR] {}: {}\nTraceback (most recent call last):\n{}".format(error_type, message, "\n".join(stack))
    sys.stdout.write(line.rstrip("\n") + "\n")
    sys.stdout.flush()


def main():
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _ConfigureLoggingOnImport())
    try:
        handler = _load_handler()
    except _InitError as error:
        _log_error("init", error.error_type, error.message, error.stack)
        _flush_marks("init")
        _post_error(BASE + "/init/error", error.error_type, error.message, error.stack)
        sys.exit(1)
    except Exception as error:  # init code of the module itself raised
        stack = _format_stack(sys.exc_info()[2])
        _log_error("init", type(error).__name__, str(error), stack)
        _flush_marks("init")
        _post_error(BASE + "/init/error", type(error).__name__, str(error), stack)
        sys.exit(1)

    while True:
        _, headers, body = _request("GET", BASE + "/invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id")
        _LogState.request_id = request_id
        if headers.get("lambda-runtime-trace-id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
        except ValueError as error:
            _flush_marks(request_id)
            _post_error(BASE + "/invocation/{}/error".format(request_id), "Runtime.UnmarshalError",
                        "Unable to unmarshal input: {}".format(error), [])
            continue
        context = LambdaContext(headers)
        try:
            result = handler(event, context)
        except Exception as error:
            stack = _format_stack(sys.exc_info()[2])[1:]  # drop the bootstrap's own frame
            error_type = type(error).__name__
            _log_error(request_id, error_type, str(error), stack)
            _flush_marks(request_id)
            _post_error(BASE + "/invocation/{}/error".format(request_id), error_type, str(error), stack)
            continue
        try:
            payload = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as error:
            _flush_marks(request_id)
            _post_error(BASE + "/invocation/{}/error".format(request_id), "Runtime.MarshalError",
                        "Unable to marshal response: {}".format(error), [])
            continue
        _flush_marks(request_id)
        headers = {"Content-Type": "application/json"}
        headers.update(_peak_memory())
        _request("POST", BASE + "/invocation/{}/response".format(request_id), payload, headers)


if __name__ == "__main__":
    main()
