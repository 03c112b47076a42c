"""Lambda Workbench's Python runtime, imported and run by bootstrap.py beside it (the program an environment runs).

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

# http.client, logging, traceback and decimal are imported only when needed: http.client alone (with the email package
# it pulls in) costs ~20 ms of every cold start, which a real Lambda runtime does not pay.


def _await_function():
    """Started early, before the CLI knew the function (src/core/runtime/earlyStart.ts): block on fd 3 until it says
    which function this is, then become the process a spawn with its variables and folder would have made. The CLI
    only adopts a process when nothing Python reads at its start differs, except what is applied here: PYTHONPATH
    (placed where Python puts it, after the script's folder), PYTHONDONTWRITEBYTECODE, and TZ."""
    if not os.environ.get("LWB_EARLY_START"):
        return
    chunks = []
    try:
        # When it began to wait, on the wall clock: the CLI leaves the wait out of Init Duration.
        os.write(3, ("%.3f\n" % (time.time() * 1000)).encode("ascii"))
        while True:
            chunk = os.read(3, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(3)
    except OSError:
        os._exit(0)  # the CLI is gone
    if not chunks:
        os._exit(0)  # it needed no runtime after all
    launch = json.loads(b"".join(chunks).decode("utf-8"))
    os.environ.clear()
    os.environ.update(launch["env"])
    os.chdir(launch["cwd"])
    extra = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[1:1] = [p for p in dict.fromkeys(extra) if p not in sys.path]
    sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    time.tzset()


_await_function()

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
    # Written to the process's own descriptors, after whatever the handler's streams hold: a handler may have closed
    # sys.stdout or replaced it (a StringIO), and the mark must still reach the runner.
    mark = (END_MARK + str(request_id) + "\n").encode("utf-8")
    for fd, streams in ((1, (sys.stdout, sys.__stdout__)), (2, (sys.stderr, sys.__stderr__))):
        for stream in streams:
            try:
                stream.flush()
            except Exception:  # closed, or not a stream at all
                pass
        try:
            os.write(fd, mark)
        except OSError:
            pass


def _error_body(message, error_type, stack, request_id=""):
    """The error document AWS's Python client posts and logs: these four keys, in this order (an init error has no
    request id: "")."""
    return {"errorMessage": message or "", "errorType": error_type or "", "requestId": request_id or "",
            "stackTrace": stack or []}


_peak = {"faults": -1, "kb": ""}


def _page_faults():
    try:
        import resource
    except ImportError:
        return -1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt + usage.ru_majflt


def _peak_memory():
    """Our own peak resident memory in KiB, so the host's REPORT is exact whatever its sampling saw (not an AWS
    header). On Linux VmHWM: ru_maxrss there keeps the forking parent's size across exec; the peak only grows when
    pages are faulted in, so /proc is read again only after new page faults (most warm calls have none). Elsewhere
    ru_maxrss (bytes on macOS); Windows has no resource module (the host samples)."""
    if sys.platform.startswith("linux"):
        faults = _page_faults()
        if faults >= 0 and faults == _peak["faults"]:
            return {"Lambda-Workbench-Max-Rss-Kb": _peak["kb"]}
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        _peak["faults"], _peak["kb"] = faults, line.split()[1]
                        return {"Lambda-Workbench-Max-Rss-Kb": _peak["kb"]}
        except OSError:
            pass
    try:
        import resource
    except ImportError:
        return {}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"Lambda-Workbench-Max-Rss-Kb": str(peak // 1024 if sys.platform == "darwin" else peak)}


def _post_error(path, error, then_next=False):
    body = _to_json(error).encode("utf-8", "replace")
    headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]}
    headers.update(_peak_memory())
    return _post_outcome(path, body, headers) if then_next else _request("POST", path, body, headers)


def _post_outcome(path, body, headers):
    """Posts an invocation's outcome and asks for the next event in the same request (our extension of the Runtime
    API, not AWS's): one round trip per warm call instead of two. Returns the next event's reply; when the service
    answers otherwise (it refused the outcome), asks with a plain GET /next."""
    headers["Lambda-Workbench-Then-Next"] = "1"
    reply = _request("POST", path, body, headers)
    return reply if reply[0] == 200 else _request("GET", BASE + "/invocation/next")


def _user_frames(tb):
    """A traceback as AWS's client sends it: `traceback.format_list` entries (each ends with a newline) built from
    plain (file, line, function, text) tuples, so no column carets, with the leading frames of this file dropped (all
    of them kept when every frame is ours, as AWS does with its own)."""
    import traceback
    frames = [(frame.filename, frame.lineno, frame.name, frame.line) for frame in traceback.extract_tb(tb)]
    first = next((index for index, frame in enumerate(frames) if frame[0] not in _OWN_FILES), 0)
    return traceback.format_list(frames[first:])


_OWN_FILES = {__file__, os.path.abspath(__file__), os.path.join(os.path.dirname(os.path.abspath(__file__)), "bootstrap.py")}


class _Fault(Exception):
    """An error the runtime itself reports (Runtime.*), with the stack trace AWS gives it (usually none)."""

    def __init__(self, error_type, message, stack=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack


# Exact types the standard encoder writes as simplejson does, and what simplejson takes as a value of its own (their
# subclasses too; bool is an int).
_SCALARS = frozenset((str, int, float, bool, type(None)))
_PRIMITIVES = (str, bytes, int, float)


class _Key(str):
    """A bytes key as text. Equal only to itself, so that it never merges with a str key of the same text in the
    copied dict: simplejson writes both."""
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other


def _plain(value):
    """value as the standard encoder must get it to write what simplejson (namedtuple_as_object) writes: whatever has
    an _asdict() method, a namedtuple above all, as the dict that returns (before the standard encoder takes a tuple
    as an array), and bytes keys as UTF-8 text. The same object when nothing in it changes, as for most results."""
    kind = type(value)
    if kind is dict:
        return _plain_dict(value)
    if kind is list or kind is tuple:
        return _plain_list(value)
    if kind in _SCALARS or isinstance(value, _PRIMITIVES):
        return value
    asdict = getattr(value, "_asdict", None)
    if callable(asdict):
        try:
            data = asdict()
        except TypeError:  # simplejson goes on as if there were no such method
            pass
        else:
            if not isinstance(data, dict):
                raise TypeError("_asdict() must return a dict, not %s" % (type(data).__name__,))
            return _plain_dict(data)
    if isinstance(value, dict):
        return _plain_dict(value)
    if isinstance(value, (list, tuple)):
        return _plain_list(value)
    return value  # Decimal, bytes and the rest: for the encoder's default()


def _plain_list(values):
    copy = None
    for index, item in enumerate(values):
        if type(item) not in _SCALARS:
            new = _plain(item)
            if new is not item:
                if copy is None:
                    copy = list(values)
                copy[index] = new
    return values if copy is None else copy


def _plain_dict(mapping):
    copy = None
    for index, (key, item) in enumerate(mapping.items()):
        new_key = _Key(key.decode("utf-8")) if isinstance(key, bytes) else key
        new = item if type(item) in _SCALARS else _plain(item)
        if copy is None and (new is not item or new_key is not key):
            copy = list(mapping.items())[:index]
        if copy is not None:
            copy.append((new_key, new))
    return mapping if copy is None else dict(copy)


class _Marshaller:
    """JSON as AWS's marshaller writes it (simplejson there): Decimal as a bare number with its own digits (NaN as
    NaN), bytes inside a result as UTF-8 text (bytes keys too), a namedtuple as an object, non-ASCII as \\u escapes
    before python3.12 and as UTF-8 from it on. The standard library cannot write a raw number, so a Decimal is written
    as a placeholder string and the quoted placeholder is replaced afterwards; only an encoding that met a Decimal pays
    for that pass."""

    def __init__(self):
        env = os.environ.get("AWS_EXECUTION_ENV", "")
        prefix = "AWS_Lambda_python3."
        minor = env[len(prefix):] if env.startswith(prefix) else ""
        utf8 = minor.isdigit() and int(minor) >= 12
        self._encoder = json.JSONEncoder(ensure_ascii=not utf8, allow_nan=True, default=self._default)
        self._mark = None
        self._marked = False

    def _default(self, value):
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(value, decimal.Decimal):
            if value.is_nan():
                return float("nan")
            if self._mark is None:
                self._mark = "lwb-number-" + os.urandom(16).hex() + "-"
            self._marked = True
            return self._mark + str(value) + self._mark
        if isinstance(value, bytes):
            return value.decode("utf-8")
        return json.JSONEncoder.default(self._encoder, value)

    def encode(self, value):
        self._marked = False
        try:
            plain = _plain(value)
        except RecursionError:  # nested past the limit, or a cycle: the encoder says which, as simplejson does
            plain = value
        text = self._encoder.encode(plain)
        if self._marked:
            text = text.replace('"' + self._mark, "").replace(self._mark + '"', "")
        return text


_marshaller = None


def _to_json(value):
    global _marshaller
    if _marshaller is None:
        _marshaller = _Marshaller()
    return _marshaller.encode(value)


def _marshal_response(result):
    """The response body and its content type: bytes go as they are, anything else as JSON."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    try:
        return _to_json(result).encode("utf-8"), "application/json"
    except Exception as error:
        raise _Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(error))


class LambdaContext:
    """The context object AWS's Python runtime passes: the same attributes, in the same order, and methods."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.tenant_id = headers.get("lambda-runtime-aws-tenant-id")
        client_context = _context_header(headers, "lambda-runtime-client-context", "Client Context")
        identity = _context_header(headers, "lambda-runtime-cognito-identity", "Cognito Identity")
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))

    def get_remaining_time_in_millis(self):
        return max(0, self._epoch_deadline_time_in_ms - int(time.time() * 1000))

    def log(self, msg):
        """As AWS's: through Lambda's log handler when the root logger still has it (one record, like a logging
        call), else written on sys.stdout as it is."""
        logging = sys.modules.get("logging")
        text = str(msg)
        if logging is None or _LogState.handler in logging.getLogger().handlers:
            _write_record(text)
        else:
            sys.stdout.write(text)

    def __repr__(self):
        return ("{}([aws_request_id={},log_group_name={},log_stream_name={},function_name={},memory_limit_in_mb={},"
                "function_version={},invoked_function_arn={},client_context={},identity={},tenant_id={}])").format(
            type(self).__name__, self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
            self.memory_limit_in_mb, self.function_version, self.invoked_function_arn, self.client_context,
            self.identity, self.tenant_id)


def _context_header(headers, name, title):
    value = headers.get(name)
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError as error:
        raise _Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse {} JSON: {}".format(title, error))


def _from_dict(cls, data):
    """An object of cls with each of its slots set from data (None when data has no such key), or None for None."""
    if data is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, data.get(field, None))
    return obj


def _slots_repr(obj):
    return "{}([{}])".format(type(obj).__name__, ",".join(
        "{}={}".format(field, getattr(obj, field)) for field in type(obj).__slots__))


class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")
    __repr__ = _slots_repr


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")
    __repr__ = _slots_repr


class ClientContext:
    __slots__ = ("custom", "env", "client")
    __repr__ = _slots_repr


class _LogState:
    request_id = None
    tenant_id = None
    handler = None  # Lambda's handler on the root logger, once logging is imported


def _write_record(text):
    """One log record on the current sys.stdout, as its own line(s)."""
    sys.stdout.write(text if not text or text.endswith("\n") else text + "\n")


_LOG_JSON = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"
# The record attributes that are not a user's `extra` fields (JSON format), and ours.
_RECORD_FIELDS = frozenset((
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName", "processName",
    "process", "aws_request_id", "tenant_id", "_frame_type"))
_UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r")


def _configure_logging(logging):
    """Lambda's log records on the root logger: `[LEVEL]\\t<timestamp>\\t<request id>\\t<message>` lines, or with
    AWS_LAMBDA_LOG_FORMAT=JSON one JSON object per record; AWS_LAMBDA_LOG_LEVEL sets the root level."""
    logging.Formatter.converter = time.gmtime  # as AWS's client sets it, for every formatter

    class RequestIdFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _LogState.request_id or ""
            record.tenant_id = _LogState.tenant_id
            return True

    class StdoutHandler(logging.Handler):
        """Writes each record as one or more lines on the current sys.stdout."""

        def emit(self, record):
            try:
                sys.stdout.write(self.format(record) + "\n")
            except RecursionError:
                raise
            except Exception:
                self.handleError(record)

    class JsonFormatter(logging.Formatter):
        encode = json.JSONEncoder(ensure_ascii=False).encode

        def format(self, record):
            level = min(50, max(0, record.levelno)) // 10 * 10
            record.levelno = level
            record.levelname = logging.getLevelName(level)
            info = record.exc_info if record.exc_info and record.exc_info[0] is not None else None
            doc = {"timestamp": self.formatTime(record, self.datefmt), "level": record.levelname,
                   "message": record.getMessage(), "logger": record.name}
            if info:
                import traceback
                doc["stackTrace"] = traceback.format_tb(info[2])
                doc["errorType"] = info[0].__name__
                doc["errorMessage"] = str(info[1])
            doc["requestId"] = getattr(record, "aws_request_id", None)
            if info:
                doc["location"] = "{}:{}:{}".format(record.pathname, record.funcName, record.lineno)
            if getattr(record, "tenant_id", None) is not None:
                doc["tenantId"] = record.tenant_id
            for key, value in record.__dict__.items():
                if key not in _RECORD_FIELDS and key not in doc:
                    doc[key] = value
            return self.encode({key: value for key, value in doc.items() if value is not None})

    handler = StdoutHandler()
    if _LOG_JSON:
        handler.setFormatter(JsonFormatter(datefmt="%Y-%m-%dT%H:%M:%SZ"))
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(RequestIdFilter())
    _LogState.handler = handler
    root = logging.getLogger()
    # AWS's reading of the level: TRACE is DEBUG, other names as logging knows them (WARN, FATAL too), else unset.
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    level = "" if level is None else "DEBUG" if level == "TRACE" else level.upper()
    if level and isinstance(logging.getLevelName(level), int):
        root.setLevel(level)
    root.addHandler(handler)


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


def _load_handler(spec):
    """The handler function as AWS's client finds it; a _Fault for the errors it reports as Runtime.*."""
    try:
        module_path, function_name = spec.rsplit(".", 1)
    except ValueError as error:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(spec, error))
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    if module_path.split(".")[0] in sys.builtin_module_names:
        raise _Fault("Runtime.BuiltInModuleConflict",
                     "Cannot use built-in module {} as a handler module".format(module_path))
    try:
        module = importlib.import_module(module_path.replace("/", "."))
    except ImportError as error:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(module_path, error))
    except SyntaxError as error:
        frame = '  File "{}" Line {}\n    {}'.format(error.filename, error.lineno, error.text)
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(module_path, error), [frame])
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(function_name, module_path))


def _indent(line):
    """Leading spaces as no-break spaces, as AWS's client writes traceback lines in its text error log."""
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def _log_error(error):
    """The error as AWS's client logs it: `[ERROR] Type: message` and the traceback, or one JSON object."""
    if _LOG_JSON:
        doc = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "log_level": "ERROR"}
        doc.update(error)
        text = _to_json(doc)
    else:
        head = "[ERROR]"
        if error["errorType"]:
            head += " " + error["errorType"]
        if error["errorMessage"]:
            head += (":" if error["errorType"] else "") + " " + error["errorMessage"]
        lines = [head, "Traceback (most recent call last):"]
        for entry in error["stackTrace"]:
            lines.extend([_indent(line) for line in entry.splitlines()] if entry else [""])
        text = "\n".join(lines)
    sys.stdout.write(text.rstrip("\n") + "\n")
    sys.stdout.flush()


def _fail_init(error):
    try:
        import logging  # configured on import (see _ConfigureLoggingOnImport): only an init that failed pays for it
        logging.warning(_UNHANDLED_WARNING)
    except Exception:  # a task root with its own logging.py: the error itself must still be reported
        pass
    _log_error(error)
    _flush_marks("init")
    _post_error(BASE + "/init/error", error)
    sys.exit(1)


def _runner_gone():
    """The Runtime API connection failed or closed: the runner is gone, and no event will come. End at once, and
    take along what the function started in our process group (the runner kills the group when we exit, but only
    while it lives); a normal exit would also wait for the function's non-daemon threads."""
    if hasattr(os, "killpg") and os.getpgrp() == os.getpid():  # the group is ours (the runner spawns us detached)
        import signal
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


def main():
    try:
        _run()
    except OSError:  # only a request to the Runtime API or a write to the runner's pipes: the function's own
        _runner_gone()  # errors are caught where it is called


def _run():
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _ConfigureLoggingOnImport())
    try:
        handler = _load_handler(os.environ.get("_HANDLER", ""))
    except _Fault as fault:
        _fail_init(_error_body(fault.message, fault.error_type, fault.stack))
    except Exception as error:  # init code of the module itself raised
        _fail_init(_error_body(str(error), type(error).__name__, _user_frames(sys.exc_info()[2])))

    # With what init used: a handler that exits in its first call posts no other figure for its REPORT.
    upcoming = _request("GET", BASE + "/invocation/next", headers=_peak_memory())
    while True:
        _, headers, body = upcoming
        request_id = headers.get("lambda-runtime-aws-request-id")
        _LogState.request_id = request_id
        _LogState.tenant_id = headers.get("lambda-runtime-aws-tenant-id")
        if headers.get("lambda-runtime-trace-id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        error = None
        try:
            context = LambdaContext(headers)
            try:
                event = json.loads(body) if body else None
            except ValueError as problem:
                raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(problem))
            result = handler(event, context)
            payload, content_type = _marshal_response(result)
        except _Fault as fault:
            error = _error_body(fault.message, fault.error_type, fault.stack, request_id)
        except Exception as problem:
            error = _error_body(str(problem), type(problem).__name__, _user_frames(sys.exc_info()[2]), request_id)
        if error is not None:
            _log_error(error)
            _flush_marks(request_id)
            upcoming = _post_error(BASE + "/invocation/{}/error".format(request_id), error, then_next=True)
            continue
        _flush_marks(request_id)
        headers = {"Content-Type": content_type}
        headers.update(_peak_memory())
        upcoming = _post_outcome(BASE + "/invocation/{}/response".format(request_id), payload, headers)

