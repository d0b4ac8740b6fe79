"""How the admin's lists hold up with many rows: time and query count per changelist page.

    WORKBENCH_VAR_DIR=/tmp/bench-admin .venv/bin/python bench/admin_changelists.py [--rows N]

Builds a throw-away SQLite database in WORKBENCH_VAR_DIR (never point it at real data), fills
it with N test claims (each with evidence, a verdict and a job) and prints, for every
changelist, the median time of 5 requests and the number of queries. Not part of the tests.
"""

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
if os.environ.get("DATABASE_URL") or not os.environ.get("WORKBENCH_VAR_DIR"):
    sys.exit("Set WORKBENCH_VAR_DIR to a scratch directory and leave DATABASE_URL unset.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

PAGES = [
    "claims_article",
    "claims_claim",
    "claims_verdict",
    "sources_source",
    "sources_evidence",
    "sources_fetchjob",
    "accounts_apitoken",
    "auth_user",
]


def fill(rows: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims.models import Article, Claim, Verdict
    from sources.models import Evidence, FetchJob, Source

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if Claim.objects.count() >= rows:
        return admin
    reviewers = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"bench-reviewer-{i}")
        user.groups.add(Group.objects.get(name="Reviewer"))
        reviewers.append(user)
    text = "TEST DATA. The test ministry said it bought 400 test widgets in 2022. More text."
    articles = Article.objects.bulk_create(
        Article(
            title=f"TEST bench article {i}",
            text=f"{text} {i}",
            content_hash=hashlib.sha256(f"{text} {i}".encode()).hexdigest(),
            status="ready",
        )
        for i in range(rows)
    )
    claims = Claim.objects.bulk_create(
        Claim(article=a, start=11, end=69, text=a.text[11:69], assignee=reviewers[i % 20])
        for i, a in enumerate(articles)
    )
    sources = Source.objects.bulk_create(
        Source(url=f"https://bench.invalid/{i}", title=f"TEST source {i}", text="TEST")
        for i in range(rows)
    )
    Evidence.objects.bulk_create(
        Evidence(claim=c, source=s, provider="test", passage_end=4)
        for c, s in zip(claims, sources, strict=True)
    )
    Verdict.objects.bulk_create(
        Verdict(claim=c, author=reviewers[i % 20], label="refuted", summary="TEST")
        for i, c in enumerate(claims)
    )
    FetchJob.objects.bulk_create(
        FetchJob(key=f"bench:{c.pk}", kind="search", provider="test", claim=c, status="failed")
        for c in claims
    )
    return admin


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    admin = fill(args.rows)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    print(f"{args.rows} claims (with evidence, verdicts, jobs); SQLite; 5 requests per page")
    print(f"{'changelist':<22}{'median ms':>10}{'queries':>9}")
    for page in PAGES:
        url = reverse(f"admin:{page}_changelist")
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (page, response.status_code)
        print(f"{page:<22}{statistics.median(timings):>10.1f}{len(ctx.captured_queries):>9}")


if __name__ == "__main__":
    main()
