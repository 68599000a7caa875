"""The worker's side of publishing: tasks take ids and are safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from didban.core.periodic import periodic


@task()
def drain_channel(channel_id: int) -> int:
    """Send what is due on one channel, in publish order."""
    from didban.publishing.actions import drain

    return drain(channel_id)


@task()
def follow_up(delivery_id: int) -> str:
    """Edit or delete a sent delivery after the item was corrected or retracted."""
    from didban.publishing.actions import apply_followup

    return apply_followup(delivery_id)


@periodic(every=timedelta(seconds=15))
@task()
def dispatch_deliveries() -> dict:
    """Mark dead workers' sends unknown, then send what is due (retries, rate-limited)."""
    from didban.publishing.actions import drain, due_channel_ids, reap_expired_leases

    reaped = reap_expired_leases()
    sent = sum(drain(channel_id) for channel_id in due_channel_ids())
    return {"reaped": reaped, "sent": sent}
