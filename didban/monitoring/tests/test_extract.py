"""Extraction of an article page: the text kept, the page furniture gone, the Jalali date read."""

from datetime import UTC, datetime

from didban.monitoring.extract import extract_article, find_jalali_date, url_key
from didban.monitoring.fetch import decode
from didban.monitoring.tests.fakesite import cp1256_page, governorate_page, seed_article


def test_seed_page_keeps_the_article_and_strips_the_furniture():
    entry = extract_article(governorate_page(), "http://karaj.example.ir/fa/news/35665")
    _date, _title, _body = seed_article()
    assert "اتاق فرمان اطلاع رسانی ستاد انتخابات کرج فعال است" in entry.title
    assert "رصد و پالایش و گزارش می شود" in entry.text
    assert "دامنه اطلاع رسانی را نیز گسترش داده ایم" in entry.text
    for furniture in [
        "آمار بازدیدکنندگان",
        "بازدید امروز",
        "نظرسنجی",
        "نظر شما در مورد طراحی سایت",
        "اوقات شرعی",
        "اذان ظهر",
        "کد امنیتی",
        "پست الکترونیک",
        "ارسال نظر",
        "درباره ما",
        "کلیه حقوق مادی و معنوی",
        "خیابان طالقانی شمالی",
    ]:
        assert furniture not in entry.text, furniture


def test_seed_date_in_persian_digits_is_utc():
    """«سه شنبه ۸ اسفند ۱۴۰۲ ساعت ۰۰:۲۵» in Tehran is 2024-02-26 20:55 UTC."""
    entry = extract_article(governorate_page(), "http://karaj.example.ir/fa/news/35665")
    assert entry.published_at == datetime(2024, 2, 26, 20, 55, tzinfo=UTC)
    assert find_jalali_date("تاریخ ایجاد خبر : سه شنبه ۸ اسفند ۱۴۰۲  ساعت : ۰۰:۲۵") == datetime(
        2024, 2, 26, 20, 55, tzinfo=UTC
    )
    assert find_jalali_date("انتشار: ۱۴۰۲/۱۲/۰۸ - ۱۳:۰۵") == datetime(
        2024, 2, 27, 9, 35, tzinfo=UTC
    )
    assert find_jalali_date("هیچ تاریخی ندارد") is None


def test_windows_1256_page_is_decoded_even_when_declared_wrongly():
    body = cp1256_page()
    assert "اتاق فرمان" in decode(body, "windows-1256")
    assert "اتاق فرمان" in decode(body, "iso-8859-1")  # a lying header
    assert "اتاق فرمان" in decode(body, "")  # nothing declared: sniffed from <meta>
    no_meta = body.replace(b'charset="windows-1256"', b"")
    assert "اتاق فرمان" in decode(no_meta, "")  # nothing at all: the legacy encodings tried


def test_url_identity_ignores_tracking_and_www():
    assert url_key("https://www.irna.ir/news/123/?utm_source=x#top") == url_key(
        "http://irna.ir/news/123"
    )
    assert url_key("http://irna.ir/news/123?id=2") != url_key("http://irna.ir/news/123?id=3")
