"""API benchmark: the published feed and a ClaimReview document against a bare Django view.

Runs the product under gunicorn on PostgreSQL (a dedicated database, dropped and recreated)
with 10,000 published verdicts, drives it with wrk (installed with apt-get when missing; a
small asyncio+httpx generator otherwise) at 100 concurrent connections for a fixed time, and
prints requests per second and p50/p99 latency side by side with a bare view that returns a
constant JSON on the same server (bench/api_urls.py; not in the product).

    .venv/bin/python bench/api.py [--verdicts 10000] [--seconds 10] [--connections 100]
                                  [--workers 3] [--worker-class sync|gthread] [--threads 1]
                                  [--db wb_api_bench]

The bare view and the feed run on the same gunicorn with the same middleware. Default: 3 sync
workers for 2 cores (sync workers close the connection after each answer; gthread keeps it
alive). The feed's figures include its documented 1 s staleness (API_FEED_MAX_STALENESS): a
hot page is answered from the process's memory.

Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432) and Redis at
BENCH_REDIS_URL (default redis://127.0.0.1:6379/5; the cache: feed pages and throttles).
Prints figures; never part of pass/fail.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--worker-class", default="sync", choices=["sync", "gthread"], help="gunicorn's"
    )
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--db", default="wb_api_bench")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(args) -> dict:
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    env = {
        **os.environ,
        "DATABASE_URL": f"{pg}/{args.db}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One address drives all the load: throttling still runs, it just never trips.
        "API_THROTTLE_ANON": "1000000000/second",
        "API_THROTTLE_USER": "1000000000/second",
        "PUBLISHER_NAME": "BENCH publisher",
        "PUBLISHER_URL": "https://bench.example.invalid/",
        "LOG_LEVEL": "WARNING",
        "WORKBENCH_VAR_DIR": "/tmp/wb-api-bench-var",
    }
    return env


def recreate_database(args, env):
    import psycopg

    pg = env["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')


def load_data(args, env):
    """Migrate and bulk-create N published verdicts (BENCH data, invented, .invalid URLs)."""
    code = f"""
import hashlib, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from django.utils import timezone
from datetime import timedelta
from claims.models import Article, Claim, Verdict
from sources.models import Evidence, Source

N = {args.verdicts}
PER = 5
author = get_user_model().objects.create(username="bench-author")
now = timezone.now()
sentence = "BENCH claim number {{}} about {{}} test widgets. "
articles = []
for a in range((N + PER - 1) // PER):
    text = "".join(sentence.format(a * PER + i, i) for i in range(PER))
    articles.append(Article(title=f"BENCH article {{a}}", text=text,
        language="en" if a % 3 else "ar", url=f"https://news.bench.invalid/{{a}}",
        publisher="BENCH News", published_at=now,
        content_hash=hashlib.sha256(text.encode()).hexdigest(), status="ready"))
Article.objects.bulk_create(articles, batch_size=2000)
claims = []
for article in Article.objects.order_by("id"):
    pos = 0
    for i in range(PER):
        end = article.text.index(". ", pos) + 1
        claims.append(Claim(article=article, start=pos, end=end, text=article.text[pos:end],
                            language=article.language, state="published", checkworthiness=0.7))
        pos = end + 1
claims = Claim.objects.bulk_create(claims[:N], batch_size=2000)
sources = Source.objects.bulk_create([Source(url=f"https://records.bench.invalid/{{i}}",
    title=f"BENCH source {{i}}", domain="records.bench.invalid", text="BENCH text.",
    fetch_status="fetched") for i in range(N)], batch_size=2000)
evidence = Evidence.objects.bulk_create([Evidence(claim=c, source=s, passage="BENCH passage.",
    passage_end=14, provider="bench", stance="refutes") for c, s in zip(claims, sources)],
    batch_size=2000)
labels = [v for v in Verdict.Label.values]
verdicts = Verdict.objects.bulk_create([Verdict(claim=c, author=author, status="published",
    label=labels[i % 4], summary=f"BENCH summary {{i}}.", rationale="BENCH rationale.",
    language=c.language, published_at=now - timedelta(seconds=N - i))
    for i, c in enumerate(claims)], batch_size=2000)
Through = Verdict.cited_evidence.through
Through.objects.bulk_create([Through(verdict_id=v.pk, evidence_id=e.pk)
    for v, e in zip(verdicts, evidence)], batch_size=5000)
from django.core.cache import cache
cache.clear()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(verdicts[len(verdicts) // 2].pk)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1])


IN_PROCESS = """
import statistics, time, django
django.setup()
from django.test import Client
client = Client()
paths = ["/bench/bare/", "/api/v1/claimreviews/", "/api/v1/verdicts/"]
for path in paths:
    for _ in range(100):
        client.get(path)
rounds = {path: [] for path in paths}
for _ in range(7):  # interleaved, so a burst of load from elsewhere hits every path alike
    for path in paths:
        start = time.perf_counter()
        for _ in range(300):
            assert client.get(path).status_code == 200
        rounds[path].append((time.perf_counter() - start) / 300 * 1000)
for path in paths:
    print(path, statistics.median(rounds[path]))
"""


def in_process(env) -> dict[str, float]:
    """Median ms per request through the whole Django stack (same settings and middleware),
    without HTTP or gunicorn: steadier than the load test on a shared machine."""
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS],
        env={**env, "ALLOWED_HOSTS": env["ALLOWED_HOSTS"] + ",testserver", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.strip().splitlines()}


def start_server(args, env, port):
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    cmd = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "workbench.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/bench/bare/", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def stop_server(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
    return shutil.which("wrk")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk, url, args, headers=()):
    cmd = [wrk, "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency"]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def run_httpx(url, args, headers=()):
    """Fallback load generator: N asyncio clients in a loop for a fixed time."""
    import asyncio

    import httpx

    latencies, errors = [], 0

    async def client(session, deadline):
        nonlocal errors
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            response = await session.get(url, headers=dict(h.split(": ", 1) for h in headers))
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status_code >= 400

    async def main():
        limits = httpx.Limits(max_connections=args.connections)
        async with httpx.AsyncClient(limits=limits, timeout=30) as session:
            deadline = time.perf_counter() + args.seconds
            await asyncio.gather(*(client(session, deadline) for _ in range(args.connections)))

    asyncio.run(main())
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return len(latencies) / args.seconds, pick(0.5), pick(0.99), errors


def main():
    args = parse_args()
    env = bench_env(args)
    print(f"== database {args.db}: recreating, loading {args.verdicts} published verdicts")
    recreate_database(args, env)
    started = time.perf_counter()
    verdict_id = load_data(args, env)
    print(f"   loaded in {time.perf_counter() - started:.1f}s")
    port = args.port or free_port()
    server = start_server(args, env, port)
    wrk = ensure_wrk()
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        first = httpx.get(f"{base}/api/v1/claimreviews/")
        etag = first.headers["ETag"]
        assert first.status_code == 200 and len(first.json()["results"]) == 20
        assert httpx.get(f"{base}/api/v1/verdicts/{verdict_id}/claimreview/").status_code == 200
        targets = [
            ("bare Django view (constant JSON)", "/bench/bare/", ()),
            ("feed first page (claimreviews/)", "/api/v1/claimreviews/", ()),
            ("feed first page (verdicts/)", "/api/v1/verdicts/", ()),
            (
                "feed page, If-None-Match -> 304",
                "/api/v1/claimreviews/",
                (f"If-None-Match: {etag}",),
            ),
            ("one ClaimReview document", f"/api/v1/verdicts/{verdict_id}/claimreview/", ()),
        ]
        tool = "wrk" if wrk else "asyncio+httpx"
        print(
            f"== {tool}, {args.connections} connections, {args.seconds}s each, gunicorn "
            f"{args.workers} {args.worker_class} workers x {args.threads} threads, "
            f"{os.cpu_count()} CPUs (load generator shares them)"
        )
        results = []
        for name, path, headers in targets:
            load = "/".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"   load average {load} before: {name}", flush=True)
            if wrk:
                results.append((name, *run_wrk(wrk, base + path, args, headers)))
            else:
                results.append((name, *run_httpx(base + path, args, headers)))
    finally:
        stop_server(server)
    bare_rps = results[0][1]
    print(f"{'endpoint':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'errors':>7}")
    for name, rps, p50, p99, errors in results:
        print(f"{name:40} {rps:9.0f} {p50:8.1f} {p99:8.1f} {rps / bare_rps:8.2f} {errors:7d}")
    load = "/".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"== in process (Django test client, no HTTP), 7 interleaved rounds; load {load}")
    costs = in_process(env)
    for path, ms in costs.items():
        print(f"   {path:30} {ms:6.3f} ms/request  {costs['/bench/bare/'] / ms:5.2f} x bare rate")
    feed = results[1]
    print(
        f"target: feed >= 0.5 x bare ({'met' if feed[1] >= 0.5 * bare_rps else 'NOT met'}), "
        f"feed p99 < 50 ms ({'met' if feed[3] < 50 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
