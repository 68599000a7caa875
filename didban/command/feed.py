"""The live feed: the audit log, filtered to what matters on the wall.

Every action of every app writes an `AuditEntry`; the verbs below are the ones the command
room shows, each with an icon, a label and a kind (a colour on the screen).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FeedVerb:
    label: object
    icon: str
    kind: str  # success, info, warning, danger


FEED_VERBS: dict[str, FeedVerb] = {
    "item.publish": FeedVerb(_("Item published"), "newspaper", "success"),
    "item.publish_scheduled": FeedVerb(_("Published on schedule"), "newspaper", "success"),
    "item.correct": FeedVerb(_("Correction published"), "pencil-square", "info"),
    "item.retract": FeedVerb(_("Retracted"), "x-octagon", "warning"),
    "delivery.sent": FeedVerb(_("Delivered to a channel"), "send-check", "success"),
    "delivery.failed": FeedVerb(_("Delivery failed"), "send-x", "danger"),
    "delivery.unknown": FeedVerb(_("Delivery outcome unknown"), "send-exclamation", "warning"),
    "pickup.create": FeedVerb(_("Picked up by an outlet"), "broadcast", "info"),
    "pickup.detect": FeedVerb(_("Picked up by an outlet"), "broadcast", "info"),
    "alert.create": FeedVerb(_("Monitoring alert"), "bell", "warning"),
    "placement.checkin": FeedVerb(_("Field check-in"), "geo-alt", "info"),
    "placement.install": FeedVerb(_("Site installed"), "signpost-2", "success"),
    "placement.verify": FeedVerb(_("Site verified"), "patch-check", "success"),
    "violation.report": FeedVerb(_("Violation reported"), "exclamation-triangle", "danger"),
    "violation.create": FeedVerb(_("Violation reported"), "exclamation-triangle", "danger"),
    "violation.refer": FeedVerb(_("Violation referred"), "arrow-left-right", "warning"),
    "violation.resolve": FeedVerb(_("Violation resolved"), "check2-circle", "success"),
    "directive.issue": FeedVerb(_("Directive issued"), "megaphone", "info"),
}

# A check-in's label depends on the state it moved the placement to.
CHECKIN_STATES = {
    "installed": FeedVerb(_("Site installed"), "signpost-2", "success"),
    "verified": FeedVerb(_("Site verified"), "patch-check", "success"),
    "damaged": FeedVerb(_("Display damaged"), "exclamation-octagon", "danger"),
    "removed": FeedVerb(_("Display removed"), "trash", "danger"),
}


def describe(entry) -> FeedVerb:
    meta = FEED_VERBS[entry.verb]
    if entry.verb == "placement.checkin" and isinstance(entry.after, dict):
        meta = CHECKIN_STATES.get(entry.after.get("state") or entry.after.get("to_state"), meta)
    return meta


def as_event(entry, *, language: str | None = None) -> dict:
    """The JSON shape the screen renders (SSE data and the polling endpoint)."""
    from django.utils import translation

    from didban.core.templatetags.didban import jtime
    from didban.lib.persian import to_persian_digits

    language = language or ("en" if (translation.get_language() or "fa").startswith("en") else "fa")
    meta = describe(entry)
    return {
        "seq": entry.seq,
        "verb": entry.verb,
        "label": str(meta.label),
        "icon": meta.icon,
        "kind": meta.kind,
        # Persian digits in fa (news codes, counts), as everywhere a person looks.
        "object": to_persian_digits(entry.object_repr) if language == "fa" else entry.object_repr,
        "org": entry.org.display_name(language) if entry.org else "",
        "actor": entry.actor_repr,
        "at": entry.created_at.isoformat(),
        "time": jtime(entry.created_at),
    }
