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
    queues: str = "io,cpu",
    pool: str = "threads",
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workbench",
        "worker",
        "-Q",
        queues,
        "--pool",
        pool,
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


def start_beat(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A separate ``celery beat`` process (the one scheduler of a production deployment)."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workbench",
        "beat",
        "--loglevel",
        "INFO",
        "-s",
        str(log_path.with_suffix(".schedule")),
    ]
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


class TcpProxy:
    """A TCP proxy (a thread) to ``upstream``, for cutting a process off a server for a while.

    ``cut()`` closes every open connection and makes new ones close at once (the client sees
    a dropped connection); ``restore()`` forwards again. Use as a context manager.
    """

    def __init__(self, upstream: tuple[str, int]):
        import threading

        self.upstream = upstream
        self.refusing = False
        self.accepted = 0
        self.refused = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._closed = True
        self._listener.close()
        self._close_all()
        self._thread.join(timeout=5)

    def cut(self) -> None:
        with self._lock:
            self.refusing = True
        self._close_all()

    def restore(self) -> None:
        with self._lock:
            self.refusing = False

    def _close_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept_loop(self) -> None:
        import threading

        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refusing = self.refusing
            if refusing:
                self.refused += 1
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            self.accepted += 1
            with self._lock:
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
