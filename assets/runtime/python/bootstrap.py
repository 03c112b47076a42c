"""Lambda Workbench's Python runtime entry: the program an environment runs. It only loads the runtime
(_lambda_workbench_runtime.py beside it) and runs it. The runtime is imported rather than run as the main script so
that its compiled bytecode can be kept between processes (compiling it costs every cold start ~6 ms): in the private
cache folder the runner passes as the one argument, never beside this file or in the function's folders. The argument
is taken off sys.argv, which the handler then sees as Lambda's runtime has it."""
# What the runtime imports at its top, imported first so their own bytecode is looked up where it always is.
import importlib  # noqa: F401
import json  # noqa: F401
import os
import socket  # noqa: F401
import sys
import time  # noqa: F401


def _import_runtime():
    prefix = sys.argv.pop(1) if len(sys.argv) > 1 else None
    sys.pycache_prefix = prefix
    # Written only into that folder; without one, nothing is written (the package folder may be shared or read-only).
    sys.dont_write_bytecode = not prefix
    try:
        import _lambda_workbench_runtime
    finally:
        # From here on, the function's own modules: bytecode where Python keeps it, written as the function says.
        sys.pycache_prefix = None
        sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    return _lambda_workbench_runtime


if __name__ == "__main__":
    _import_runtime().main()
