"""schemathesis' command line (`st`), with one CPython 3.11 bug worked around.

On 3.11, `ast.parse` from two threads at once can fail with "SystemError: AST
constructor recursion depth mismatch" (python/cpython#106905, fixed in later
versions), and hypothesis parses lambda sources while schemathesis' workers (`-w 2`)
build their strategies. Parsing one source at a time costs nothing measurable.
"""

import ast
import sys
import threading

_lock = threading.Lock()
_parse = ast.parse


def _parse_one_at_a_time(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time

from schemathesis.cli import schemathesis  # noqa: E402

sys.exit(schemathesis())
