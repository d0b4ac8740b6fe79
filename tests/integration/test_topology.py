"""The production topology (TEST DATA): separate io and cpu workers, a second io worker
added mid-run, one beat, all sharing the database and Redis.

An article submitted by URL (a local test server) is fetched and split into claims by the
cpu worker; source gathering for its claims runs on the io workers only.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from claims.models import Article
from sources.models import Evidence, FetchJob
from tests.factories import UserFactory
from tests.integration import workers
from tests.integration.test_gathering import PROVIDERS
from tests.sources.fakesite import FakeSite

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("role_groups"),
]

ARTICLE_PARAGRAPHS = [
    "TEST DATA. This article exists only for the topology test of the workbench.",
    "The test ministry of Testland bought 400 test widgets for 12 million test coins in 2022.",
    "The harbour of Testville handled 9 million test containers last year, a record.",
    "Unemployment in Testland fell to 4.2 percent in March, the test statistics office said.",
    "The Testland test railway carried 31 million passengers in 2023, up from 25 million.",
    "Readers of this test page enjoyed the story and the weather was pleasant.",
]

RUN_FETCH = re.compile(r"Task sources\.tasks\.run_fetch_job\[[^\]]+\] succeeded")
PROCESS_ARTICLE = re.compile(r"Task claims\.tasks\.process_article\[[^\]]+\] succeeded")


def log_text(path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def test_io_and_cpu_workers_split_the_work_and_a_worker_added_mid_run_takes_its_share(
    redis_url, tmp_path
):
    UserFactory(username="topology-reviewer", role="reviewer")
    logs = {name: tmp_path / f"{name}.log" for name in ("cpu", "io1", "io2", "beat")}
    processes = []
    with FakeSite(latency=0.05, slow={"-": 1.2}) as site:
        site.pages["topology-article"] = "\n".join(ARTICLE_PARAGRAPHS)
        env = workers.base_env(
            redis_url,
            SOURCES_PROVIDERS=PROVIDERS,
            TEST_PROVIDER_BASE_URL=site.base_url,
            SOURCES_HTTP_TIMEOUT="10",
            SOURCES_GATHER_MIN_SCORE="0",
            SOURCES_JOB_LEASE_SECONDS="30",
            SOURCES_SWEEP_SECONDS="2",
        )
        try:
            processes.append(
                workers.start_worker(env, logs["cpu"], name="cpu", queues="cpu", pool="solo")
            )
            processes.append(
                workers.start_worker(env, logs["io1"], name="io1", queues="io", concurrency=1)
            )
            processes.append(workers.start_beat(env, logs["beat"]))
            script = (
                "from claims.services import article_submit;"
                "from django.contrib.auth import get_user_model; User = get_user_model();"
                "user = User.objects.get(username='topology-reviewer');"
                f"print(article_submit(user=user, url='{site.base_url}/page/topology-article').pk)"
            )
            submitted = workers.manage(env, "shell", "-c", script)
            assert submitted.returncode == 0, submitted.stderr
            article = Article.objects.get(pk=int(submitted.stdout.strip().splitlines()[-1]))
            workers.wait_for(
                lambda: FetchJob.objects.filter(status=FetchJob.Status.RUNNING).exists(),
                timeout=40,
                what="gathering to start\n" + log_text(logs["cpu"])[-3000:],
            )
            # A second io worker joins while the first is busy.
            processes.append(
                workers.start_worker(env, logs["io2"], name="io2", queues="io", concurrency=2)
            )

            def all_final():
                jobs = FetchJob.objects.all()
                return (
                    jobs.exists() and not jobs.exclude(status__in=FetchJob.FINAL_STATUSES).exists()
                )

            workers.wait_for(
                all_final, timeout=60, what="every job to finish\n" + log_text(logs["io1"])[-3000:]
            )
        finally:
            for process in processes:
                workers.stop(process)
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.status_error
    claims = list(article.claims.all())
    assert len(claims) >= 3
    # The article was processed once, on the cpu worker; gathering only on io workers.
    assert len(PROCESS_ARTICLE.findall(log_text(logs["cpu"]))) == 1
    assert not RUN_FETCH.findall(log_text(logs["cpu"]))
    assert not PROCESS_ARTICLE.findall(log_text(logs["io1"]) + log_text(logs["io2"]))
    first, second = (len(RUN_FETCH.findall(log_text(logs[n]))) for n in ("io1", "io2"))
    assert first > 0 and second > 0, (first, second)
    jobs = FetchJob.objects.all()
    assert not jobs.exclude(status=FetchJob.Status.SUCCEEDED).exists()
    assert max(jobs.values_list("attempts", flat=True)) == 1
    # Every job ran once (a duplicate message is a no-op that logs no success of its own
    # work), and no evidence is duplicated.
    assert first + second >= jobs.count()
    pairs = Counter(Evidence.objects.values_list("claim_id", "source_id"))
    assert pairs and max(pairs.values()) == 1
    for claim in claims:
        assert jobs.filter(claim=claim, kind=FetchJob.Kind.SEARCH).count() == 3
