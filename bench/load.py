"""Benchmark: the production setup under a mixed load for a fixed time (TEST DATA).

Starts gunicorn, an io worker (threads) and a cpu worker (prefork) and beat against a
scratch PostgreSQL database (dropped and recreated) and Redis (a db index of yours); fake
search providers and article pages are served by a local HTTP server. A second process
(asyncio + httpx, a fixed number of concurrent clients) then sends for ``--duration`` s:

- page views by a signed-in reviewer (the claim queue, a claim page);
- API feed pulls, anonymous (half of them with If-None-Match: the ETag);
- article submissions (POST /api/v1/articles/ with a reviewer token): text, and a few URLs.

Prints throughput, p50/p99 latency and errors per kind, and whether every submitted article
was processed (status ready) before a bounded wait. Never part of the test suite.

    .venv/bin/python bench/load.py [--duration 60] [--clients 16] \\
        [--database-url postgres://postgres@127.0.0.1:5432/wb_faults_bench] \\
        [--redis-url redis://127.0.0.1:6379/11]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from accounts.models import ApiToken
from claims.services import article_ingest
from claims.models import Claim
User = get_user_model()
user = User.objects.create_user("bench-reviewer", password="bench-TEST-password-1")
from django.contrib.auth.models import Group
user.groups.add(Group.objects.get(name="Reviewer"))
key = ApiToken.issue(user=user, name="TEST load benchmark")[1]
for i in range(5):
    article_ingest(
        text=(f"TEST DATA seed article {i}. The test ministry of Seedland {i} bought "
              f"{400 + i} test widgets in 2022. The harbour of Seedville {i} handled "
              f"{9 + i} million test containers last year. Readers liked it."),
        title=f"TEST load seed {i}", language="en", user=user)
client = Client()
client.force_login(user)
from django.conf import settings
print(json.dumps({
    "token": key,
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    "claims": list(Claim.objects.values_list("pk", flat=True)[:20]),
}))
"""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the load generator (a second process) ----------------------------------------------


async def generate(config: dict) -> dict:
    import httpx

    base = config["base"]
    deadline = time.monotonic() + config["duration"]
    results: dict[str, list] = {}
    submitted: list[int] = []
    counter = {"n": 0}
    etag = {"value": None}
    rng = random.Random(7)

    def record(kind, started, ok, detail=""):
        results.setdefault(kind, []).append((time.perf_counter() - started, ok, detail))

    async def one(client: httpx.AsyncClient):
        choice = rng.random()
        started = time.perf_counter()
        try:
            if choice < 0.20:
                kind = "page: claim queue"
                response = await client.get(f"{base}/claims/", cookies=config["cookies"])
                ok = response.status_code == 200
            elif choice < 0.40:
                kind = "page: claim"
                claim = rng.choice(config["claims"])
                response = await client.get(f"{base}/claims/{claim}/", cookies=config["cookies"])
                ok = response.status_code == 200
            elif choice < 0.65:
                kind = "api: feed"
                response = await client.get(f"{base}/api/v1/claimreviews/")
                ok = response.status_code == 200
                etag["value"] = response.headers.get("etag") or etag["value"]
            elif choice < 0.90:
                kind = "api: feed (ETag)"
                headers = {"If-None-Match": etag["value"]} if etag["value"] else {}
                response = await client.get(f"{base}/api/v1/claimreviews/", headers=headers)
                ok = response.status_code in (200, 304)
                if response.status_code == 304:
                    kind = "api: feed (ETag, 304)"
            else:
                counter["n"] += 1
                n = counter["n"]
                headers = {"Authorization": f"Token {config['token']}"}
                if n % 10 == 0:
                    kind = "api: submit (URL)"
                    body = {"url": f"{config['site']}/page/load-{n}", "language": "en"}
                else:
                    kind = "api: submit (text)"
                    body = {
                        "title": f"TEST load article {n}",
                        "language": "en",
                        "text": (
                            f"TEST DATA load article {n}. The test ministry of Loadland {n} "
                            f"bought {n * 7} test widgets in 2022. Unemployment in Loadville "
                            f"{n} fell to {n % 9}.{n % 7} percent in March, the test office "
                            "said. Readers liked the story."
                        ),
                    }
                response = await client.post(f"{base}/api/v1/articles/", json=body, headers=headers)
                ok = response.status_code in (200, 201, 202)
                if ok:
                    submitted.append(response.json()["article"]["id"])
            record(kind, started, ok, "" if ok else f"{response.status_code} {response.text[:200]}")
        except httpx.HTTPError as exc:
            record("transport", started, False, f"{type(exc).__name__}: {exc}")

    async def client_loop():
        async with httpx.AsyncClient(timeout=30) as client:
            while time.monotonic() < deadline:
                await one(client)

    started = time.monotonic()
    await asyncio.gather(*(client_loop() for _ in range(config["clients"])))
    return {"elapsed": time.monotonic() - started, "results": results, "submitted": submitted}


# --- the orchestration ------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def article_statuses(url: str, ids: list[int]) -> dict[str, int]:
    import psycopg

    if not ids:
        return {}
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM claims_article WHERE id = ANY(%s) GROUP BY status",
            (ids,),
        ).fetchall()
    return dict(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/wb_faults_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.1, help="fake provider latency (s)")
    parser.add_argument("--wait", type=float, default=120, help="max wait for processing (s)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        config = json.loads(Path(args.generate).read_text())
        print(json.dumps(asyncio.run(generate(config))))
        return 0

    import logging

    from tests.sources.fakesite import FakeSite

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    recreate_database(args.database_url)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    processes: dict[str, subprocess.Popen] = {}
    logs = []
    with FakeSite(latency=args.latency) as site:
        for n in range(1, 10_000):
            if n % 10 == 0:
                site.pages[f"load-{n}"] = (
                    f"TEST DATA load page {n}. The test railway of Urlland {n} carried "
                    f"{n * 3} million test passengers in 2023.\nReaders liked the story."
                )
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SOURCES_ALLOW_PRIVATE_NETWORKS": "1",
            "SOURCES_PROVIDERS": ",".join(
                f"{p}=tests.sources.fakes.HttpFakeProvider" for p in ("alpha", "beta", "gamma")
            ),
            "TEST_PROVIDER_BASE_URL": site.base_url,
            "API_THROTTLE_ANON": "100000/minute",
            "API_THROTTLE_USER": "100000/minute",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "STATIC_ROOT": str(workdir / "static"),
        }
        python = sys.executable
        bindir = Path(python).parent
        run = lambda *a: subprocess.run(  # noqa: E731
            [python, "manage.py", *a], cwd=ROOT, env=env, capture_output=True, text=True
        )
        try:
            migrated = run("migrate", "--noinput")
            if migrated.returncode:
                print(migrated.stderr, file=sys.stderr)
                return 1
            collected = run("collectstatic", "--noinput")
            if collected.returncode:
                print(collected.stderr, file=sys.stderr)
                return 1
            setup = run("shell", "-c", SETUP)
            if setup.returncode:
                print(setup.stderr, file=sys.stderr)
                return 1
            data = json.loads(setup.stdout.strip().splitlines()[-1])
            commands = {
                "web": [
                    str(bindir / "gunicorn"), "workbench.wsgi", "--bind", f"127.0.0.1:{port}",
                    "--workers", str(args.web_workers), "--threads", str(args.web_threads),
                ],
                "io": [
                    python, "-m", "celery", "-A", "workbench", "worker", "-Q", "io",
                    "--pool", "threads", "--concurrency", "32", "-n", "io@%h",
                    "--without-gossip", "--without-mingle",
                ],
                "cpu": [
                    python, "-m", "celery", "-A", "workbench", "worker", "-Q", "cpu",
                    "--pool", "prefork", "--concurrency", "1", "-n", "cpu@%h",
                    "--without-gossip", "--without-mingle",
                ],
                "beat": [
                    python, "-m", "celery", "-A", "workbench", "beat",
                    "-s", str(workdir / "beat-schedule"),
                ],
            }  # fmt: skip
            for name, command in commands.items():
                log = open(workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed below
                logs.append(log)
                processes[name] = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            _wait_http(f"{base}/healthz", timeout=30)
            config = {
                "base": base,
                "site": site.base_url,
                "duration": args.duration,
                "clients": args.clients,
                "token": data["token"],
                "cookies": {data["session_cookie"]: data["session"]},
                "claims": data["claims"],
            }
            config_path = workdir / "load.json"
            config_path.write_text(json.dumps(config))
            print(
                f"Load: {args.clients} clients for {args.duration:g} s against gunicorn "
                f"({args.web_workers} workers x {args.web_threads} threads), an io worker "
                "(32 threads), a cpu worker (1 process), beat; PostgreSQL, Redis.",
                flush=True,
            )
            generator = subprocess.run(
                [python, __file__, "--generate", str(config_path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=args.duration + 120,
            )
            if generator.returncode:
                print(generator.stderr, file=sys.stderr)
                return 1
            outcome = json.loads(generator.stdout.strip().splitlines()[-1])
            report(outcome)
            submitted = outcome["submitted"]
            waited = time.monotonic()
            statuses = {}
            while time.monotonic() - waited < args.wait:
                statuses = article_statuses(args.database_url, submitted)
                if statuses.get("ready", 0) + statuses.get("failed", 0) == len(submitted):
                    break
                time.sleep(1)
            waited = time.monotonic() - waited
            ready = statuses.get("ready", 0)
            print(
                f"\nArticles submitted: {len(submitted)}; ready {ready}, other {statuses} "
                f"(after waiting {waited:.1f} s more)."
            )
            health = _get_json(f"{base}/healthz")
            print("healthz:", {k: v["ok"] for k, v in health["parts"].items()})
            errors = sum(1 for rows in outcome["results"].values() for r in rows if not r[1])
            return 0 if errors == 0 and ready == len(submitted) else 1
        finally:
            for process in processes.values():
                _stop(process)
            for log in logs:
                log.close()
            if args.keep:
                print(f"Logs kept in {workdir}; database {args.database_url} kept.")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
                drop_database(args.database_url)


def report(outcome: dict) -> None:
    elapsed = outcome["elapsed"]
    print(f"\n{'kind':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    total = 0
    for kind, rows in sorted(outcome["results"].items()):
        times = [r[0] * 1000 for r in rows]
        errors = [r[2] for r in rows if not r[1]]
        total += len(rows)
        print(
            f"{kind:<22}{len(rows):>9}{len(rows) / elapsed:>8.1f}"
            f"{statistics.median(times):>9.1f}{percentile(times, 0.99):>9.1f}{len(errors):>8}"
        )
        for detail in sorted(set(errors))[:3]:
            print(f"    e.g. {detail}")
    print(f"{'all':<22}{total:>9}{total / elapsed:>8.1f}   in {elapsed:.1f} s")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str) -> dict:
    import httpx

    return httpx.get(url, timeout=10).json()


def _wait_http(url: str, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code in (200, 503):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:g} s")


def _stop(process: subprocess.Popen) -> None:
    import signal

    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    sys.exit(main())
