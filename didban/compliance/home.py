"""The home panel: open and overdue violation reports in the user's scope."""

from __future__ import annotations

from didban.compliance.queries import desk_counts
from didban.core.access import has_any


def panels(request) -> list[dict]:
    if not has_any(request.user, "compliance.view"):
        return []
    return [
        {"template": "compliance/home_panel.html", "context": {"counts": desk_counts(request.user)}}
    ]
