"""Public pages: rules, the citizen's form (captcha, rate limit, anonymity), the status page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from didban.compliance.captcha import SESSION_KEY
from didban.compliance.models import Violation
from didban.compliance.urls import PUBLIC_URL_NAMES

from .conftest import jpeg

FORM = "/compliance/report-public/"


def solve(client) -> str:
    """Read the answer from the server-side session, as the server itself would."""
    return str(client.session[SESSION_KEY]["answer"])


def data(election, **extra):
    values = {"election": election.pk, "description": "بنر بزرگ نامزد روی نرده پارک",
              "rule_category": "", "address": "کرج، میدان آزادگان"}  # fmt: skip
    values.update(extra)
    return values


@pytest.mark.django_db
def test_public_pages_open_without_login(client, election):
    for url in ("/compliance/rules/", f"/compliance/rules/{election.slug}/", FORM,
                "/compliance/status/", "/compliance/captcha.png"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/compliance/rules/{election.slug}/").content.decode()
    assert "اموال عمومی" in page and "سکوت تبلیغاتی" in page
    assert client.get("/compliance/captcha.png")["Content-Type"] == "image/png"
    assert len(PUBLIC_URL_NAMES) == 7
    for name in PUBLIC_URL_NAMES:
        assert name.startswith("compliance:")


@pytest.mark.django_db
def test_unpublished_rules_are_not_found(client, election):
    election.is_public = False
    election.save()
    assert client.get(f"/compliance/rules/{election.slug}/").status_code == 404


@pytest.mark.django_db
def test_a_citizen_reports_anonymously_and_tracks_it(client, election, candidates):
    client.get(FORM)
    response = client.post(FORM, data(election, candidate=candidates[1].pk, captcha=solve(client),
                                      photos=jpeg()))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    v = Violation.objects.get()
    assert v.source == Violation.Source.CITIZEN and v.reporter is None
    assert v.citizen_name == "" and v.citizen_phone == ""
    assert v.photos.count() == 1
    done = client.get(response["Location"])
    assert v.tracking_code in done.content.decode()
    status = client.get(reverse("compliance:status_detail", args=[v.tracking_code]))
    assert status.status_code == 200
    assert "دریافت‌شده" in status.content.decode()
    # Persian digits work too.
    persian = v.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.get(f"/compliance/status/?code={persian}", follow=True).status_code == 200


@pytest.mark.django_db
def test_a_wrong_captcha_keeps_the_text_and_files_nothing(client, election):
    client.get(FORM)
    wrong = str(int(solve(client)) + 1)
    response = client.post(FORM, data(election, captcha=wrong))
    assert response.status_code == 200
    body = response.content.decode()
    assert "پاسخ پرسش امنیتی درست نیست" in body
    assert "بنر بزرگ نامزد" in body
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_a_captcha_answer_works_once(client, election):
    client.get(FORM)
    answer = solve(client)
    assert client.post(FORM, data(election, captcha=answer)).status_code == 302
    assert client.post(FORM, data(election, captcha=answer)).status_code == 200
    assert Violation.objects.count() == 1


@pytest.mark.django_db
def test_the_captcha_accepts_persian_digits(client, election):
    client.get(FORM)
    answer = solve(client).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.post(FORM, data(election, captcha=answer)).status_code == 302


@pytest.mark.django_db
def test_too_many_reports_get_a_clear_429_page(client, election, settings):
    settings.COMPLIANCE_PUBLIC_REPORTS_PER_WINDOW = 2
    for _ in range(2):
        client.get(FORM)
        assert client.post(FORM, data(election, captcha=solve(client))).status_code == 302
    client.get(FORM)
    response = client.post(FORM, data(election, captcha=solve(client)))
    assert response.status_code == 429
    assert "دقیقه دیگر" in response.content.decode()
    assert Violation.objects.count() == 2


@pytest.mark.django_db
def test_a_fake_photo_is_refused_with_a_translated_error(client, election):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.get(FORM)
    fake = SimpleUploadedFile("poster.jpg", b"hello", content_type="image/jpeg")
    response = client.post(FORM, data(election, captcha=solve(client), photos=fake))
    assert response.status_code == 200
    assert "poster.jpg" in response.content.decode()
    assert Violation.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_tracking_code_is_404(client, election):
    assert client.get("/compliance/status/12345/").status_code == 404
    assert client.get("/compliance/status/abc/").status_code == 404
