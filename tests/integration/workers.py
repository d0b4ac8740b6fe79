"""Real Celery workers and Redis servers for the integration tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_env() -> dict[str, str]:
    """Environment that points a subprocess at the database this process uses (the test DB)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return {"DATABASE_URL": f"postgres://{auth}@{host}/{db['NAME']}"}
    name = Path(str(db["NAME"]))
    if "memory" in str(name):
        raise RuntimeError("The integration tests need a file database (see conftest.py).")
    # Embedded mode reads var_dir/workbench.sqlite3 with its WAL and locking options.
    if name.name != "workbench.sqlite3":
        link_dir = name.parent / f"{name.name}.var"
        link_dir.mkdir(exist_ok=True)
        link = link_dir / "workbench.sqlite3"
        if not link.exists():
            link.symlink_to(name)
        name = link
    return {"WORKBENCH_VAR_DIR": str(name.parent), "DATABASE_URL": ""}


def base_env(redis_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(database_env())
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
            "REDIS_URL": redis_url,
            "SECRET_KEY": env.get("SECRET_KEY") or "test-only-integration-key-0123456789abcdef",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SOURCES_ALLOW_PRIVATE_NETWORKS": "1",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
        }
    )
    env.update(extra)
    return env


def start_worker(
    env: dict[str, str],
    log_path: Path,
    *,
    name: str,
    concurrency: int = 8,
    beat: bool = False,
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workbench",
        "worker",
        "-Q",
        "io,cpu",
        "--pool",
        "threads",
        "--concurrency",
        str(concurrency),
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    ]
    if beat:
        command += ["-B", "-s", str(log_path.with_suffix(".beat-schedule"))]
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process by stop()
    process = subprocess.Popen(
        command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    process._log = log  # type: ignore[attr-defined]
    return process


def manage(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stop(process: subprocess.Popen | None, *, kill: bool = False, timeout: float = 10) -> None:
    """Stop a process we started (and its children): TERM then KILL, or KILL at once."""
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    log = getattr(process, "_log", None)
    if log is not None:
        log.close()


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    """A throw-away redis-server (no persistence) on ``port``."""
    binary = shutil.which("redis-server") or str(Path(sys.executable).parent / "redis-server")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: _port_open(port), timeout=10, what=f"redis-server on port {port}")
    return process


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
