import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_item(personas, world):
    from didban.newsroom.actions import do_create_item

    def make(actor=None, org=None, **fields):
        fields.setdefault("title", "نشست خبری فرماندار کرج")
        fields.setdefault("body", "<p>متن خبر درباره انتخابات</p>")
        return do_create_item(
            actor=actor or personas.county_producer, org=org or world.karaj_info, **fields
        )

    return make


@pytest.fixture
def published_item(make_item, personas):
    from didban.newsroom.actions import do_publish_item, do_submit_item

    item = make_item()
    do_submit_item(actor=personas.county_producer, item=item)
    return do_publish_item(actor=personas.county_editor, item=item)
