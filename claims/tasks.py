"""Background work of the claims app. Thin: ids in, a service does the work."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import services
from claims.errors import IngestError
from claims.models import Article

logger = logging.getLogger(__name__)
MAX_FETCH_RETRIES = 3


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_FETCH_RETRIES)
def process_article(self, article_id: int) -> None:
    """Fetch a submitted URL, store its text and extract claims (routed to the cpu queue).

    A fetch error that may pass (timeout, HTTP 5xx/429) is retried with a growing delay;
    after the last attempt the article is marked failed with the reason."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("process_article: article %s no longer exists", article_id)
        return
    retries = self.request.retries or 0
    try:
        services.article_process_submission(
            article=article, retry_transient=retries < MAX_FETCH_RETRIES
        )
    except IngestError as exc:
        raise self.retry(exc=exc, countdown=30 * (retries + 1)) from None


@shared_task(acks_late=True, ignore_result=True)
def sweep_pending_articles() -> int:
    """Periodic (beat): re-send the processing of articles left pending by a lost message."""
    return services.articles_pending_sweep()
