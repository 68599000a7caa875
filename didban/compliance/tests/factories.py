"""Violation reports for tests, made through the actions."""

from __future__ import annotations

import uuid
from datetime import datetime

from didban.compliance import actions


def field_report(agent, election, *, text="پوستر روی دیوار مدرسه", place=None, candidate=None,
                 observed_at: datetime | None = None, latitude=None, longitude=None):  # fmt: skip
    violation, _created = actions.do_submit_field_violation(
        actor=agent, election=election, client_uuid=uuid.uuid4(), description=text,
        place=place, candidate=candidate, observed_at=observed_at, latitude=latitude,
        longitude=longitude,
    )  # fmt: skip
    return violation


def citizen_report(election, *, text="بنر نامزد روی تیر برق", name="", phone="", **extra):
    return actions.do_submit_citizen_violation(
        election=election, description=text, citizen_name=name, citizen_phone=phone, **extra
    )
