"""The wall's feed shows numbers the way the viewer reads them: Persian digits in fa."""

import pytest
from django.db import transaction
from django.utils import translation

from didban.command.feed import as_event
from didban.core import audit

pytestmark = pytest.mark.django_db


def test_news_codes_in_the_feed_follow_the_language(world, personas):
    with transaction.atomic():
        entry = audit.record(
            actor=personas.county_editor,
            verb="item.publish",
            org=world.karaj_info,
            object_repr="140500001 خبر کرج",
        )
    with translation.override("fa"):
        assert as_event(entry)["object"] == "۱۴۰۵۰۰۰۰۱ خبر کرج"
    with translation.override("en"):
        assert as_event(entry)["object"] == "140500001 خبر کرج"
