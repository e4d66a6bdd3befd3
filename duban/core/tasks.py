from django_tasks import task

from duban.core import jobs


@task()
def run_job(job_id: int) -> None:
    jobs.run(job_id)
