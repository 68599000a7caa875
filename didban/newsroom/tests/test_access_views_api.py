"""Through the pages and the API: the outsider (Fardis editor) cannot see, edit or publish
Karaj items (404/403); a producer cannot publish through either; a viewer only reads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from didban.newsroom import actions
from didban.newsroom.models import Item


@pytest.fixture
def submitted(make_item, personas):
    item = make_item()
    return actions.do_submit_item(actor=personas.county_producer, item=item)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_outsider_pages_are_404(submitted, personas, client_for):
    client = client_for(personas.outsider)
    for url in (
        f"/newsroom/items/{submitted.pk}/",
        f"/newsroom/items/{submitted.pk}/edit/",
        f"/newsroom/items/{submitted.pk}/diff/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/newsroom/items/{submitted.pk}/publish/").status_code == 404
    assert client.post(f"/newsroom/items/{submitted.pk}/comment/", {"body": "x"}).status_code == 404
    assert submitted.title not in client.get("/newsroom/").content.decode()
    assert Item.objects.get(pk=submitted.pk).status == Item.Status.IN_REVIEW


def test_outsider_api_is_404(submitted, personas, world):
    client = api_for(personas.outsider)
    assert client.get(f"/api/v1/newsroom/items/{submitted.pk}/").status_code == 404
    assert client.post(f"/api/v1/newsroom/items/{submitted.pk}/publish/").status_code == 404
    assert client.get("/api/v1/newsroom/items/").json()["results"] == []
    response = client.post(
        "/api/v1/newsroom/items/create/", {"org": world.karaj_info.pk, "title": "x"}, format="json"
    )
    assert response.status_code == 404
    assert Item.objects.get(pk=submitted.pk).status == Item.Status.IN_REVIEW


def test_producer_cannot_publish_through_page_or_api(submitted, personas, client_for):
    assert (
        client_for(personas.county_producer)
        .post(f"/newsroom/items/{submitted.pk}/publish/")
        .status_code
        == 403
    )
    assert (
        api_for(personas.county_producer)
        .post(f"/api/v1/newsroom/items/{submitted.pk}/publish/")
        .status_code
        == 403
    )
    assert Item.objects.get(pk=submitted.pk).status == Item.Status.IN_REVIEW


def test_viewer_reads_but_cannot_edit(submitted, personas, client_for):
    client = client_for(personas.county_viewer)
    page = client.get(f"/newsroom/items/{submitted.pk}/")
    assert page.status_code == 200
    assert "/publish/" not in page.content.decode()
    assert client.get(f"/newsroom/items/{submitted.pk}/edit/").status_code == 403
    assert client.get("/newsroom/items/new/").status_code == 403


def test_editor_workflow_through_pages(submitted, personas, client_for):
    client = client_for(personas.county_editor)
    page = client.get(f"/newsroom/items/{submitted.pk}/").content.decode()
    assert "/approve/" in page and "/publish/" in page
    client.post(f"/newsroom/items/{submitted.pk}/approve/")
    client.post(f"/newsroom/items/{submitted.pk}/publish/")
    assert Item.objects.get(pk=submitted.pk).status == Item.Status.PUBLISHED


def test_api_create_submit_approve_publish_and_upload(personas, world):
    producer, editor = api_for(personas.county_producer), api_for(personas.county_editor)
    response = producer.post(
        "/api/v1/newsroom/items/create/",
        {
            "org": world.karaj_info.pk,
            "title": "اطلاعیه ستاد",
            "kind": "announcement",
            "body": "<p>متن</p>",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    assert response.json()["news_code"]
    upload = producer.post(
        "/api/v1/newsroom/assets/upload/",
        {"item": item_id, "file": SimpleUploadedFile("a.png", b"just text")},
        format="multipart",
    )
    assert upload.status_code == 400 and upload.json()["error"]["code"] == "invalid"
    assert producer.post(f"/api/v1/newsroom/items/{item_id}/submit/").status_code == 200
    assert editor.post(f"/api/v1/newsroom/items/{item_id}/approve/").status_code == 200
    published = editor.post(f"/api/v1/newsroom/items/{item_id}/publish/").json()
    assert published["status"] == "published" and published["public_url"].endswith("/")
    again = editor.post(f"/api/v1/newsroom/items/{item_id}/publish/")
    assert again.status_code == 400


def test_create_page_makes_a_draft(personas, client_for, world):
    client = client_for(personas.county_producer)
    assert client.get("/newsroom/items/new/").status_code == 200
    response = client.post(
        "/newsroom/items/new/",
        {"org": world.karaj_info.pk, "kind": "news", "title": "خبر تازه", "body": "<p>متن</p>"},
    )
    assert response.status_code == 302
    assert Item.objects.get(title="خبر تازه").status == Item.Status.DRAFT
    bad = client.post(
        "/newsroom/items/new/",
        {
            "org": world.karaj_info.pk,
            "kind": "news",
            "title": "",
            "body": "<p>متن نگه داشته شود</p>",
        },
    )
    assert bad.status_code == 200 and "متن نگه داشته شود" in bad.content.decode()


def test_planning_pages_render(personas, client_for):
    client = client_for(personas.county_editor)
    for url in (
        "/newsroom/calendar/",
        "/newsroom/calendar/?view=week",
        "/newsroom/calendar/?view=day",
        "/newsroom/calendar/?view=lanes",
        "/newsroom/occasions/",
        "/newsroom/events/",
        "/newsroom/templates/",
        "/newsroom/?since=bad",
    ):
        assert client.get(url).status_code == 200, url
