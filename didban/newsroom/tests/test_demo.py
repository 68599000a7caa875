"""The newsroom demo: hundreds of items of the 1402 election season, mostly published, with
occasions, events (a press conference and two 1500+ conferences) and shared templates."""

from didban.newsroom.models import Event, Item, Occasion, Template


def test_demo_loads(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from didban.core.demo import load_demo

    load_demo()
    items = Item.objects.all()
    assert items.count() >= 300
    published = items.filter(status__in=Item.PUBLIC_STATUSES).count()
    assert published > items.count() * 0.8
    assert items.filter(status=Item.Status.RETRACTED).count() == 1
    assert set(items.values_list("kind", flat=True)) == set(Item.Kind.values)
    assert {"دهه فجر", "ثبت‌نام داوطلبان", "تبلیغات انتخاباتی", "روز انتخابات"} <= set(
        Occasion.objects.values_list("name", flat=True)
    )
    assert Event.objects.filter(kind="conference", actual_attendance__gte=1500).count() == 2
    assert Event.objects.filter(title="اولین نشست خبری انتخاباتی").exists()
    assert Template.objects.filter(shared_with_province=True).exists()
    first = items.filter(status=Item.Status.PUBLISHED).order_by("published_at").first()
    assert first.news_code.startswith("1402") and first.published_at.year == 2023
