"""Shared helpers of the Python tests (run by scripts/test-python on the installed wheel).

- ``shared_data(relative)``: a file of the reference data in ``../shared/data`` (or
  ``$SPELAB_SHARED_DATA``); skips the test with a message when it is missing, fails under ``CI=true``
  (the rule of ``spelab_testkit::shared_data``), and logs the skip to ``$SPELAB_SKIP_LOG``;
- ``spelab_cli(*args)``: runs the ``spelab`` binary (``$SPELAB_BIN``) and returns stdout;
- ``time_limit(seconds)``: a context manager failing the test when its block runs longer.
"""

import contextlib
import os
import pathlib
import signal
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "crates" / "analysis" / "tests" / "data"  # holds impedance.py's tutorial spectrum (MIT)


def shared_data(relative: str) -> pathlib.Path:
    root = pathlib.Path(os.environ.get("SPELAB_SHARED_DATA") or REPO / ".." / "shared" / "data")
    path = root / relative
    if path.exists():
        return path
    message = f"shared test data '{relative}' not found (looked in {root})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true requires it")
    log = os.environ.get("SPELAB_SKIP_LOG")
    if log:
        test = os.environ.get("PYTEST_CURRENT_TEST", "python test").split(" ")[0]
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{test}\t{message}\n")
    pytest.skip(message)


def spelab_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    binary = os.environ.get("SPELAB_BIN") or str(
        pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "release" / "spelab")
    return subprocess.run([binary, *args], capture_output=True, text=True, check=check, cwd=REPO)


@contextlib.contextmanager
def time_limit(seconds: int):
    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
