"""The search page's filters as form fields (source, topic, place, outlet type, tone, story,
Jalali dates, order), the same filters in the export and the API, scope, form errors, and the
recent window of a very common query. The same tests run on SQLite and PostgreSQL."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from didban.monitoring import search as search_module
from didban.monitoring.actions import do_create_outlet, do_ingest_entries, do_save_topic
from didban.monitoring.extract import Entry
from didban.monitoring.models import Article, Outlet, Source, Story, Topic, TopicHit
from didban.monitoring.rules import parse_rule
from didban.places.models import Place

pytestmark = pytest.mark.django_db

URL = "monitoring:article_list"


@pytest.fixture
def corpus(world, personas, make_source):
    """Karaj: an agency source in Karaj (place), a channel source without a place; topics
    «مشارکت» and «شایعه»; one story of two articles. Fardis: one source and one topic."""
    analyst = personas.county_analyst
    agency = make_source("/agency", kind="local", name="منبع خبرگزاری")
    Source.objects.filter(pk=agency.pk).update(place=world.karaj_place)
    channel_outlet = do_create_outlet(
        actor=analyst, org=world.karaj_info, name="کانال محلی", kind="channel"
    )
    channel = make_source("/channel", kind="local", name="منبع کانال", outlet=channel_outlet)
    turnout = do_save_topic(actor=analyst, org=world.karaj_info, name="مشارکت", rule="مشارکت")
    rumour = do_save_topic(actor=analyst, org=world.karaj_info, name="شایعه", rule="شایعه")
    now = timezone.now()

    def entry(n, title, text, days_ago=1):
        return Entry(
            url=f"http://x.ir/{n}",
            title=title,
            text=f"{text} متن شماره {n} برای آزمون جست‌وجو در بایگانی خبرها.",
            published_at=now - timedelta(days=days_ago, hours=n),
        )

    do_ingest_entries(actor=None, source=agency, entries=[
        entry(1, "مشارکت در کرج", "مشارکت مردم کرج در انتخابات بالاست"),
        entry(2, "شایعه تعویق", "شایعه تعویق انتخابات تکذیب شد"),
        entry(3, "بازدید از شعب", "بازدید فرماندار از شعب انتخابات", days_ago=40),
    ])  # fmt: skip
    do_ingest_entries(actor=None, source=channel, entries=[
        entry(4, "مشارکت جوانان", "مشارکت جوانان در انتخابات"),
        entry(5, "آلودگی هوا", "آلودگی هوای کرج و انتخابات"),
    ])  # fmt: skip
    articles = {a.url.rsplit("/", 1)[1]: a for a in Article.objects.all()}
    TopicHit.objects.filter(article=articles["1"]).update(tone="positive")
    TopicHit.objects.filter(article=articles["4"]).update(tone="negative")
    story = Story.objects.create(
        org=world.karaj_info, title="شعب", first_seen_at=now, last_seen_at=now, article_count=2
    )
    Article.objects.filter(pk__in=[articles["3"].pk, articles["5"].pk]).update(story=story)
    # Fardis: the outsider's organisation.
    f_outlet = Outlet.objects.create(org=world.fardis_info, name="رسانه فردیس")
    f_source = Source.objects.create(
        org=world.fardis_info, outlet=f_outlet, name="منبع فردیس", url="/fardis", kind="local"
    )
    do_ingest_entries(actor=None, source=f_source, entries=[
        entry(6, "مشارکت در فردیس", "مشارکت مردم فردیس در انتخابات"),
    ])  # fmt: skip
    f_topic = Topic.objects.create(org=world.fardis_info, name="مشارکت فردیس", rule="مشارکت")
    return {
        "agency": agency, "channel": channel, "turnout": turnout, "rumour": rumour,
        "story": story, "articles": articles, "fardis_source": f_source, "fardis_topic": f_topic,
    }  # fmt: skip


def numbers(response) -> set[str]:
    """The article numbers (the «شماره n» of the fixture) listed on a search page."""
    rows = response.context["rows"]
    return {r["article"].url.rsplit("/", 1)[1] for r in rows}


def export_numbers(client, params) -> set[str]:
    response = client.get(reverse(URL), {**params, "export": "csv"})
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    next(reader)
    return {row[4].rsplit("/", 1)[1] for row in reader}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"1", "2", "3", "4", "5"}),
        ({"q": "انتخابات"}, {"1", "2", "3", "4", "5"}),
        ({"source": "@agency"}, {"1", "2", "3"}),
        ({"q": "مشارکت", "source": "@channel"}, {"4"}),
        ({"outlet_kind": "channel"}, {"4", "5"}),
        ({"outlet_kind": "news_agency", "q": "شایعه"}, {"2"}),
        ({"place": "@karaj"}, {"1", "2", "3"}),
        ({"place": "@alborz"}, {"1", "2", "3"}),
        ({"place": "@fardis"}, set()),
        ({"topic": "@turnout"}, {"1", "4"}),
        ({"topic": "@rumour"}, {"2"}),
        ({"tone": "positive"}, {"1"}),
        ({"topic": "@turnout", "tone": "negative"}, {"4"}),
        ({"story": "@story"}, {"3", "5"}),
        ({"since": "@recent"}, {"1", "2", "4", "5"}),
        ({"until": "@old"}, {"3"}),
        ({"q": "انتخابات", "order": "newest", "since": "@recent", "outlet_kind": "channel"},
         {"4", "5"}),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_page_and_the_export(
    client_for, personas, world, corpus, params, expected
):
    from didban.lib.jalali import format_jalali

    recent = format_jalali(timezone.now() - timedelta(days=10), "date", persian_digits=True)
    old = format_jalali(timezone.now() - timedelta(days=20), "date", persian_digits=False)
    values = {
        "@agency": corpus["agency"].pk, "@channel": corpus["channel"].pk,
        "@turnout": corpus["turnout"].pk, "@rumour": corpus["rumour"].pk,
        "@story": corpus["story"].pk, "@karaj": world.karaj_place.pk,
        "@alborz": world.alborz_place.pk, "@fardis": world.fardis_place.pk,
        "@recent": recent, "@old": old,
    }  # fmt: skip
    params = {k: values.get(v, v) for k, v in params.items()}
    analyst = client_for(personas.county_analyst)
    response = analyst.get(reverse(URL), params)
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert numbers(response) == expected
    assert export_numbers(analyst, params) == expected


def test_the_form_offers_only_the_users_sources_and_topics(client_for, personas, corpus):
    body = client_for(personas.county_analyst).get(reverse(URL)).content.decode()
    assert "منبع خبرگزاری" in body and "منبع کانال" in body
    assert f'<option value="{corpus["turnout"].pk}"' in body
    assert "منبع فردیس" not in body and "مشارکت فردیس" not in body
    outsider = client_for(personas.outsider).get(reverse(URL)).content.decode()
    assert "منبع فردیس" in outsider and "منبع خبرگزاری" not in outsider


@pytest.mark.parametrize("field", ["source", "topic", "story"])
def test_another_organisations_id_in_the_address_finds_nothing_without_error(
    client_for, personas, corpus, field
):
    theirs = {"source": corpus["fardis_source"].pk, "topic": corpus["fardis_topic"].pk,
              "story": corpus["story"].pk}  # fmt: skip
    # The Karaj analyst with Fardis's source/topic; the outsider with Karaj's story.
    user = personas.outsider if field == "story" else personas.county_analyst
    client = client_for(user)
    response = client.get(reverse(URL), {field: theirs[field], "q": "مشارکت OR انتخابات"})
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert numbers(response) == set()
    assert export_numbers(client, {field: theirs[field]}) == set()
    api = client.get("/api/v1/monitoring/articles/", {field: theirs[field]})
    assert api.status_code == 200 and api.json()["results"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "۱۴۰۲/۱۳/۴۰"}, "تاریخ"),
        ({"until": "فردا"}, "تاریخ"),
        ({"since": "۱۴۰۳/۰۲/۱۰", "until": "۱۴۰۳/۰۱/۱۰"}, "پایان"),
        ({"source": "abc"}, "عدد"),
    ],
)
def test_bad_input_gives_a_translated_form_error_not_a_500(
    client_for, personas, corpus, params, message
):
    analyst = client_for(personas.county_analyst)
    response = analyst.get(reverse(URL), {"q": "مشارکت", **params})
    assert response.status_code == 200
    errors = [str(e) for errs in response.context["form"].errors.values() for e in errs]
    assert errors and any(message in e for e in errors), errors
    assert numbers(response) == set()
    assert message in response.content.decode()
    export = analyst.get(reverse(URL), {"q": "مشارکت", "export": "xlsx", **params})
    assert export.status_code == 200
    api = analyst.get("/api/v1/monitoring/articles/", {"q": "مشارکت", **params})
    assert api.status_code == 400


def test_a_very_common_query_is_limited_to_recent_days_with_a_way_to_widen(
    client_for, personas, corpus, monkeypatch
):
    analyst = client_for(personas.county_analyst)
    # Nothing is very common in five articles: every date is searched.
    response = analyst.get(reverse(URL), {"q": "انتخابات"})
    assert response.context["recent_since"] is None and "3" in numbers(response)
    monkeypatch.setattr(search_module, "COMMON_MATCHES", 3)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # PostgreSQL judges by its statistics
            cursor.execute("ANALYZE monitoring_article")
    assert search_module.matches_many(parse_rule("انتخابات"))
    assert not search_module.matches_many(parse_rule("بازدید"))
    response = analyst.get(reverse(URL), {"q": "انتخابات"})
    assert numbers(response) == {"1", "2", "4", "5"}  # the 40-day-old «3» is outside
    assert response.context["recent_since"] is not None
    body = response.content.decode()
    assert 'data-testid="recent-window"' in body and "all_dates=on" in body
    # Newest first needs no window: its first page is the same either way.
    newest = analyst.get(reverse(URL), {"q": "انتخابات", "order": "newest"})
    assert numbers(newest) == {"1", "2", "3", "4", "5"} and newest.context["recent_since"] is None
    assert export_numbers(analyst, {"q": "انتخابات"}) == {"1", "2", "4", "5"}
    wide = analyst.get(reverse(URL), {"q": "انتخابات", "all_dates": "on"})
    assert numbers(wide) == {"1", "2", "3", "4", "5"} and wide.context["recent_since"] is None
    dated = analyst.get(reverse(URL), {"q": "انتخابات", "until": "۱۵۰۰/۰۱/۰۱"})
    assert "3" in numbers(dated) and dated.context["recent_since"] is None
    # A rarer word is not limited.
    rare = analyst.get(reverse(URL), {"q": "بازدید"})
    assert numbers(rare) == {"3"}
    api = analyst.get("/api/v1/monitoring/articles/", {"q": "انتخابات"})
    assert len(api.json()["results"]) == 4 and "X-Didban-Recent-Since" in api.headers


def test_the_story_filter_shows_the_story_and_a_way_to_drop_it(client_for, personas, corpus):
    response = client_for(personas.county_analyst).get(
        reverse(URL), {"story": corpus["story"].pk, "q": "انتخابات"}
    )
    body = response.content.decode()
    assert 'data-testid="story-filter"' in body
    assert reverse("monitoring:story_detail", args=[corpus["story"].pk]) in body


def test_the_api_takes_the_same_filters(client_for, personas, corpus):
    analyst = client_for(personas.county_analyst)
    url = "/api/v1/monitoring/articles/"
    got = analyst.get(url, {"q": "مشارکت", "outlet_kind": "channel"}).json()["results"]
    assert [a["url"].rsplit("/", 1)[1] for a in got] == ["4"]
    got = analyst.get(url, {"topic": corpus["turnout"].pk, "tone": "positive"}).json()
    assert [a["url"].rsplit("/", 1)[1] for a in got["results"]] == ["1"]
    place = Place.objects.get(code="3001")
    got = analyst.get(url, {"place": place.pk, "order": "newest"}).json()["results"]
    assert [a["url"].rsplit("/", 1)[1] for a in got] == ["1", "2", "3"]


def test_newest_first_is_the_same_whichever_plan_answers(personas, corpus, monkeypatch):
    """SQLite answers a query dense among recent articles by walking the date index; the
    order and the rows are those of the plain plan."""
    from didban.monitoring.search import find_articles

    analyst = personas.county_analyst
    data = {"q": "انتخابات", "order": "newest"}
    plain = [a.pk for a in find_articles(analyst, data).articles[:10]]
    monkeypatch.setattr(search_module, "DENSE_HITS", 2)
    walked = [a.pk for a in find_articles(analyst, data).articles[:10]]
    assert plain == walked and len(plain) == 5
    published = [a.published_at for a in find_articles(analyst, data).articles[:10]]
    assert published == sorted(published, reverse=True)


def test_the_count_stops_at_the_cap(client_for, personas, corpus, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    response = client_for(personas.county_analyst).get(reverse(URL), {"q": "انتخابات"})
    assert response.context["capped"]
    assert "بیش از" in response.content.decode() or "More than" in response.content.decode()


def spy_recent_ids(monkeypatch) -> list:
    """Record what each search's recent-window lookup returned (None: it fell through)."""
    calls = []
    original = search_module.Results._recent_ids

    def spy(self, index):
        calls.append(result := original(self, index))
        return result

    monkeypatch.setattr(search_module.Results, "_recent_ids", spy)
    return calls


@pytest.mark.parametrize("cut", [1, 2, 3, 10])
def test_newest_first_looking_among_recent_ids_first_gives_the_same_page(
    personas, corpus, monkeypatch, cut
):
    """The first pages are looked for among the newest ids first; the answer is kept only
    when no older id was published later, so the page is the same as the full sort's."""
    from didban.monitoring.search import find_articles

    Article.objects.filter(pk=corpus["articles"]["5"].pk).update(published_at=timezone.now())
    analyst = personas.county_analyst
    data = {"q": "انتخابات", "order": "newest"}
    full = [a.pk for a in find_articles(analyst, data).articles[:cut]]
    calls = spy_recent_ids(monkeypatch)
    monkeypatch.setattr(search_module, "RECENT_IDS", 2)
    recent = [a.pk for a in find_articles(analyst, data).articles[:cut]]
    assert recent == full and calls
    if cut == 1:  # «5» is the newest and among the last two ids: answered from them
        assert calls[-1] == [corpus["articles"]["5"].pk]


@pytest.mark.parametrize("cut", [1, 2, 3, 10])
def test_newest_first_looking_in_a_smaller_window_first_gives_the_same_page(
    personas, corpus, monkeypatch, cut
):
    """The smallest recent window is tried first, then the larger one, then the full sort:
    whichever answers, the page is the plain plan's."""
    from didban.monitoring.search import find_articles

    Article.objects.filter(pk=corpus["articles"]["5"].pk).update(published_at=timezone.now())
    analyst = personas.county_analyst
    data = {"q": "انتخابات", "order": "newest"}
    monkeypatch.setattr(search_module, "DENSE_HITS", 10**6)  # never walked
    full = [a.pk for a in find_articles(analyst, data).articles[:cut]]
    calls = spy_recent_ids(monkeypatch)
    monkeypatch.setattr(search_module, "SMALL_RECENT_IDS", 2)
    monkeypatch.setattr(search_module, "RECENT_IDS", 10**6)  # no larger window to fall to
    recent = [a.pk for a in find_articles(analyst, data).articles[:cut]]
    assert recent == full and calls
    if cut == 1 and connection.vendor == "sqlite":  # answered from the last two ids alone
        assert calls[-1] == [corpus["articles"]["5"].pk]
    else:  # too few matches among the last two ids (PostgreSQL: no small window): full sort
        assert calls[-1] is None
