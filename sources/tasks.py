"""Celery tasks: thin. They take ids (JSON), and the services do the work.

``run_fetch_job`` runs on the ``io`` queue (threads pool): one message per job, so a slow
provider holds only its own jobs. Messages are acknowledged late; the job row's lease and
the periodic sweep, not the broker, guarantee that every job reaches a final state.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from sources import services


@shared_task(
    name="sources.tasks.run_fetch_job",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # Enforced by prefork workers; on the threads pool the HTTP timeouts and the job lease
    # bound a job instead.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def run_fetch_job(job_id: int) -> str | None:
    return services.fetch_job_run(job_id=int(job_id))


@shared_task(
    name="sources.tasks.sweep_fetch_jobs",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
)
def sweep_fetch_jobs() -> dict:
    return services.fetch_jobs_sweep()
