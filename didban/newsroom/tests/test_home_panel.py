"""The home page shows a producer's assignments and an editor what awaits review."""

from didban.newsroom.actions import do_submit_item


def test_home_panel(make_item, personas, client_for, client):
    item = make_item(title="گزارش ستاد", assignee=personas.county_producer)
    page = client_for(personas.county_producer).get("/").content.decode()
    assert "گزارش ستاد" in page
    do_submit_item(actor=personas.county_producer, item=item)
    client.logout()
    page = client_for(personas.county_editor).get("/").content.decode()
    assert "newsroom-panel" in page and "گزارش ستاد" in page
    client.logout()
    assert "گزارش ستاد" not in client_for(personas.outsider).get("/").content.decode()
