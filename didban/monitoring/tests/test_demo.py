"""The demo scenario's monitoring part loads through the real pipeline."""

import pytest

from didban.monitoring.models import Article, Pickup, Source, Story, TopicHit

pytestmark = pytest.mark.django_db


def test_demo_has_sources_stories_hits_and_pickups(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    from didban.core.demo import load_demo

    load_demo()
    assert Source.objects.count() >= 24
    assert Article.objects.count() > 900
    assert Story.objects.filter(outlet_count__gte=3).exists()
    assert TopicHit.objects.filter(state="confirmed").exclude(tone="").exists()
    assert TopicHit.objects.filter(state="new").exists()
    assert Source.objects.filter(last_error_code="missing_file").count() == 1
    from didban.newsroom.models import Item

    if Item.objects.filter(status__in=Item.PUBLIC_STATUSES).exists():
        assert Pickup.objects.exists()
