"""Background work of the claims app. Thin: ids in, a service does the work."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import services
from claims.models import Article

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def process_article(article_id: int) -> None:
    """Fetch a submitted URL, store its text and extract claims (routed to the cpu queue)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        logger.warning("process_article: article %s no longer exists", article_id)
        return
    services.article_process_submission(article=article)
