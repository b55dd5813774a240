"""The child side of ``harness.run_cli_subprocess``: runs the xltools CLI in a process of its own.

    python child.py run REQUEST    one run in this fresh interpreter (REQUEST: JSON, see below)
    python child.py serve          a zygote: imports xltools once, then reads one JSON request per line
                                   on stdin — {"op": "start", …} forks a child and answers its pid,
                                   {"op": "wait", "pid", "timeout", "memory_limit"} reaps it and answers
                                   its exit code, peak RSS (wait4) and whether it was killed.

A request names the argv, the working directory, the files for stdout, stderr, the result (the run's
own elapsed time, from the moment it may start) and "ready" (written once imports are done), and
optionally a "go" file to wait for — so that several children can start at the same moment.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.hostile import harness  # noqa: E402  (imports xltools.cli: the cost a zygote pays once)


def _run(request: dict[str, Any]) -> int:
    """Run the CLI once with this process's stdout and stderr going to the request's files."""
    os.chdir(request["cwd"])
    for fd, key, flags in ((1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY)):
        target = os.open(request[key], flags | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    Path(request["ready"]).write_text("ready")
    if request.get("go"):
        go, deadline = Path(request["go"]), time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.0005)
    start = time.perf_counter()
    code = harness.call(request["argv"])
    elapsed = time.perf_counter() - start
    sys.stdout.flush()
    sys.stderr.flush()
    result = Path(request["result"])
    result.with_suffix(".part").write_text(json.dumps({"code": code, "elapsed": elapsed}))
    os.replace(result.with_suffix(".part"), result)
    return code


def _serve() -> None:
    protocol = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "start":
            protocol.flush()
            pid = os.fork()
            if pid == 0:
                code = 70
                try:
                    os.setsid()
                    code = _run(request)
                finally:
                    os._exit(code & 0xFF)
            answer: dict[str, Any] = {"pid": pid}
        elif request["op"] == "wait":
            answer = harness.supervise(request["pid"], request["timeout"], request["memory_limit"])
        else:
            answer = {"error": f"unknown op {request['op']!r}"}
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        _serve()
    else:
        sys.exit(_run(json.loads(sys.argv[2])))
