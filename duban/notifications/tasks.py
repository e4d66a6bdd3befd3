from django_tasks import task

from duban.notifications import delivery


@task()
def deliver_task(delivery_ids: list[int]) -> None:
    """Send the deliveries a notification (or a digest, or a robot test) queued, right after commit.

    Anything not sent here (quiet hours, rate limit, a failure) is picked up by the periodic scan.
    """
    delivery.deliver(delivery_ids)
