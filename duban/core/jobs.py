"""Starting and running jobs. Handlers are named here, explicitly, by dotted path."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duban.audit.context import change_context
from duban.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

# kind → handler(job, progress) -> result dict. A handler raises JobFailed for a user-facing failure.
HANDLERS: dict[str, str] = {
    "org.import_people": "duban.org.imports.run_people_import",
    "assessment.import_scheme": "duban.assessment.imports.run_scheme_import",
    "projects.import_projects": "duban.projects.imports.run_project_import",
    "projects.import_plan": "duban.projects.imports.run_plan_import",
    "supervision.import_tasks": "duban.supervision.imports.run_task_import",
}


class JobFailed(Exception):
    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


Progress = Callable[[int, int, str], None]


def start_job(kind: str, user, title: str, params: dict | None = None, input_file=None) -> Job:
    """Create the job row and hand it to the worker once the surrounding transaction commits."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title, params=params or {}, created_by=user)
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=True)
    from duban.core.tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def _progress_reporter(job: Job) -> Progress:
    def report(done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(
            progress_done=done, progress_total=total, message=message[:500]
        )

    return report


def run(job_id: int) -> None:
    """Run one job; called by the task worker. A job is claimed once, so two workers never both run it."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    handler = import_string(HANDLERS[job.kind])
    try:
        with change_context(f"job:{job.kind}", user=job.created_by):
            result = handler(job, _progress_reporter(job))
    except JobFailed as failure:
        _finish(job, JobStatus.FAILED, failure.message, failure.details)
    except Exception:
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        _finish(
            job,
            JobStatus.FAILED,
            _("The job failed unexpectedly; the administrator can see the log."),
            {},
        )
    else:
        _finish(job, JobStatus.SUCCEEDED, (result or {}).get("message", _("Done.")), result or {})


def _finish(job: Job, status: str, message: str, result: dict) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, message=str(message)[:500], result=result, finished_at=timezone.now()
    )
