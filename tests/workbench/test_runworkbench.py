"""runworkbench's supervisor: a crashed child is restarted with back-off, not the end."""

import sys
import time

import pytest
from django.core.management.base import CommandError

from workbench.management.commands.runworkbench import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def run_checks(supervisor, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        supervisor.check()
        time.sleep(0.05)


def test_a_child_that_crashes_once_is_restarted_and_the_others_keep_running(tmp_path):
    marker = tmp_path / "crashed-once"
    crash_once = [
        sys.executable,
        "-c",
        f"import pathlib, sys, time; m = pathlib.Path({str(marker)!r});"
        "(m.exists() or (m.touch(), sys.exit(3))) and time.sleep(60)",
    ]
    messages = []
    supervisor = Supervisor(
        {"worker": crash_once, "web": SLEEPER}, log=messages.append, backoff=0.1
    )
    supervisor.start()
    try:
        web = supervisor.processes["web"].pid
        run_checks(supervisor, 2.0)
        assert supervisor.processes["worker"].poll() is None  # running again
        assert supervisor.processes["web"].pid == web  # untouched
        assert len(supervisor.restarts["worker"]) == 1
        assert any("worker stopped unexpectedly (exit 3)" in m for m in messages)
    finally:
        supervisor.stop(timeout=5)
    assert all(p.poll() is not None for p in supervisor.processes.values())


def test_a_child_that_keeps_crashing_stops_the_workbench_with_a_clear_error():
    crash = [sys.executable, "-c", "import sys; sys.exit(2)"]
    supervisor = Supervisor(
        {"worker": crash, "web": SLEEPER}, log=lambda m: None, backoff=0.05, max_restarts=2
    )
    supervisor.start()
    try:
        with pytest.raises(CommandError, match="worker stopped unexpectedly .* 3 times"):
            run_checks(supervisor, 10.0)
        assert len(supervisor.restarts["worker"]) == 2
    finally:
        supervisor.stop(timeout=5)
    assert supervisor.processes["web"].poll() is not None
