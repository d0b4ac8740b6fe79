"""Ingestion starts source gathering for the new check-worthy claims."""

from pathlib import Path

import pytest
from django.conf import settings

from claims.services import article_extract_claims, article_ingest
from sources.models import FetchJob

pytestmark = pytest.mark.django_db
SEED = Path(settings.BASE_DIR) / "seeds" / "000_50f76b988ce1c267.txt"


def test_ingesting_the_seed_queues_one_search_per_checkworthy_claim_and_provider(
    settings, django_capture_on_commit_callbacks
):
    settings.SOURCES_PROVIDERS = ["wikipedia", "gdelt", "library"]
    with django_capture_on_commit_callbacks() as callbacks:
        article = article_ingest(text=SEED.read_text(encoding="utf-8")).article
    worthy = article.claims.filter(checkworthiness__gte=settings.SOURCES_GATHER_MIN_SCORE)
    assert 0 < worthy.count() < article.claims.count()
    jobs = FetchJob.objects.filter(claim__article=article, kind=FetchJob.Kind.SEARCH)
    assert jobs.count() == worthy.count() * 3
    assert set(jobs.values_list("claim_id", flat=True)) == set(worthy.values_list("pk", flat=True))
    assert callbacks, "jobs are enqueued when the transaction commits"


def test_re_extraction_does_not_gather_again_for_claims_that_already_exist(settings):
    settings.SOURCES_PROVIDERS = ["library"]
    article = article_ingest(text=SEED.read_text(encoding="utf-8")).article
    before = FetchJob.objects.count()
    article_extract_claims(article=article)
    assert FetchJob.objects.count() == before


def test_gathering_on_ingest_can_be_turned_off(settings):
    settings.SOURCES_GATHER_ON_INGEST = False
    article_ingest(text=SEED.read_text(encoding="utf-8"))
    assert FetchJob.objects.count() == 0


def test_with_the_broker_down_ingestion_is_quick_and_the_jobs_wait_for_the_sweep(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    import time

    from workbench.broker import forget_failures

    settings.CELERY_BROKER_URL = f"redis+socket://{tmp_path}/no-redis-here.sock"
    settings.SOURCES_PROVIDERS = ["wikipedia", "gdelt", "library"]
    forget_failures()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        article = article_ingest(text=SEED.read_text(encoding="utf-8")).article
    assert time.monotonic() - started < 5
    jobs = FetchJob.objects.filter(claim__article=article)
    assert jobs.exists()
    assert not jobs.filter(enqueued_at__isnull=False).exists()
    assert set(jobs.values_list("status", flat=True)) == {FetchJob.Status.QUEUED}
    forget_failures()


def test_a_pending_article_whose_message_was_lost_is_sent_again(settings, tmp_path, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from claims import services
    from claims.models import Article

    sent = []
    monkeypatch.setattr(
        services,
        "article_enqueue_processing",
        lambda *, article_id: sent.append(article_id) or True,
    )
    old = Article.objects.create(text="", status=Article.Status.PENDING, url="https://x.invalid/")
    fresh = Article.objects.create(text="", status=Article.Status.PENDING, url="https://y.invalid/")
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    assert services.articles_pending_sweep() == 1
    assert sent == [old.pk]
    assert fresh.pk not in sent
