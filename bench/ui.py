"""Server time of the reviewer UI's heaviest pages, in a throwaway test database.

    WORKBENCH_VAR_DIR=/tmp/ui-bench .venv/bin/python bench/ui.py [--runs 30]

Builds TEST data (an article with 80 claims, one claim with 50 candidate sources of ~5 kB
snapshots each, jobs, earlier fact-checks, a verdict and its history), then renders the claim
page, the article page and the queue through Django's test client (full middleware stack,
no network) and prints, for each, the wall-clock time (min, median, 95th percentile), the
median CPU time of the process (SQLite runs in-process, so this is the server's own work and
stays meaningful on a busy machine), the query count and the page size."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build():
    from claims import services
    from sources.models import FetchJob
    from tests.factories import (
        ArticleFactory,
        ClaimFactory,
        EvidenceFactory,
        FactCheckFactory,
        FetchJobFactory,
        SourceFactory,
        UserFactory,
    )

    reviewer = UserFactory(username="bench-reviewer", role="reviewer")
    sentences = [
        f"TEST sentence {n}: the test ministry bought {n * 10} widgets." for n in range(80)
    ]
    text = " ".join(sentences)
    article = ArticleFactory(text=text, title="TEST bench article")
    claims, cursor = [], 0
    for sentence in sentences:
        start = text.index(sentence, cursor)
        claims.append(ClaimFactory(article=article, start=start, end=start + len(sentence)))
        cursor = start + len(sentence)
    claim = claims[0]
    body = "TEST snapshot paragraph about the ministry and its widgets. " * 90
    evidence = [
        EvidenceFactory(
            claim=claim,
            source=SourceFactory(text=body, title=f"TEST source {n}", language="en"),
            passage_start=0,
            passage_end=600,
            passage="",
            score=1 - n / 100,
        )
        for n in range(50)
    ]
    for n in range(8):
        FetchJobFactory(claim=claim, status=FetchJob.Status.FAILED, last_error=f"TEST {n}")
        FactCheckFactory().matches.create(claim=claim, score=0.5, provider="bench")
    services.claim_update_wording(claim=claim, user=reviewer, wording="TEST bench wording")
    services.verdict_save_draft(
        claim=claim, user=reviewer, label="supported", summary="TEST", evidence=evidence[:5]
    )
    return reviewer, article, claim


def measure(client, url, runs):
    client.get(url)  # warm templates and caches
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return (
        times[0],
        statistics.median(times),
        p95,
        statistics.median(cpu),
        len(queries),
        len(response.content),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        reviewer, article, claim = build()
        client = Client(HTTP_HOST="localhost")
        client.force_login(reviewer)
        pages = {
            "claim page (50 sources)": f"/claims/{claim.pk}/",
            "article page (80 claims)": f"/articles/{article.pk}/",
            "claim queue (50 per page)": "/claims/",
            "dashboard": "/",
        }
        print(f"database: {connection.vendor}; {args.runs} runs each (server time, in-process)")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"{'page':28} {'min ms':>8} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8}"
            f" {'queries':>8} {'kB':>6}"
        )
        for name, url in pages.items():
            best, median, p95, cpu, queries, size = measure(client, url, args.runs)
            print(
                f"{name:28} {best:8.1f} {median:10.1f} {p95:8.1f} {cpu:8.1f}"
                f" {queries:8d} {size / 1024:6.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
