"""Every save keeps a revision, and two revisions compare word by word."""

from didban.newsroom.actions import do_update_item
from didban.newsroom.text import word_diff


def test_each_save_is_a_revision(make_item, personas):
    item = make_item(body="<p>نشست خبری فردا برگزار می‌شود</p>")
    item = do_update_item(
        actor=personas.county_producer,
        item=item,
        version=item.version,
        body="<p>نشست خبری امروز برگزار می‌شود</p>",
    )
    item = do_update_item(
        actor=personas.county_producer, item=item, version=item.version, title="تیتر تازه"
    )
    revisions = list(item.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].body_text == "نشست خبری فردا برگزار می‌شود"
    assert revisions[2].title == "تیتر تازه"


def test_word_diff_marks_changed_words():
    parts = word_diff("نشست خبری فردا برگزار می‌شود", "نشست خبری امروز برگزار می‌شود")
    assert parts == [
        ("equal", "نشست خبری"),
        ("delete", "فردا"),
        ("insert", "امروز"),
        ("equal", "برگزار می‌شود"),
    ]


def test_diff_page_shows_both_versions(make_item, personas, client_for):
    item = make_item(body="<p>فردا</p>")
    do_update_item(
        actor=personas.county_producer, item=item, version=item.version, body="<p>امروز</p>"
    )
    response = client_for(personas.county_viewer).get(f"/newsroom/items/{item.pk}/diff/?a=1&b=2")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<del" in content and "فردا" in content and "<ins" in content and "امروز" in content
    assert (
        client_for(personas.outsider).get(f"/newsroom/items/{item.pk}/diff/?a=1&b=2").status_code
        == 404
    )
