"""The home panel: deliveries that need a person (failed or unknown outcome)."""

from __future__ import annotations

from didban.core.access import has_any


def panels(request) -> list[dict]:
    if not has_any(request.user, "publishing.view"):
        return []
    from didban.publishing.models import Delivery
    from didban.publishing.queries import list_deliveries

    deliveries = list_deliveries(request.user)
    counts = {
        status: deliveries.filter(status=status).count()
        for status in (Delivery.Status.FAILED, Delivery.Status.UNKNOWN, Delivery.Status.QUEUED)
    }
    return [{"template": "publishing/home_panel.html", "context": {"counts": counts}}]
