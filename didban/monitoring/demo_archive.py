"""Writes the demo's bundled archive: RSS files of realistic Persian news per outlet.

Run once to refresh ``demo_data/`` (``python -m didban.monitoring.demo_archive``); the demo
reads the files through local-file sources, never the network. Part of each agency's text
is republished by other outlets a little later, so the demo shows stories.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from didban.monitoring import corpus

DIR = Path(__file__).parent / "demo_data"

# (file, outlet, outlet kind, articles)
OUTLETS = [
    ("irna", "ایرنا", "news_agency", 55),
    ("isna", "ایسنا", "news_agency", 50),
    ("tasnim", "تسنیم", "news_agency", 45),
    ("fars", "فارس", "news_agency", 45),
    ("mehr", "مهر", "news_agency", 45),
    ("iribnews", "خبرگزاری صدا و سیما", "broadcaster", 40),
    ("alborz-tv", "صدا و سیمای مرکز البرز", "broadcaster", 25),
    ("ilna", "ایلنا", "news_agency", 25),
    ("borna", "برنا", "news_agency", 20),
    ("yjc", "باشگاه خبرنگاران جوان", "news_agency", 30),
    ("hamshahri", "همشهری", "newspaper", 20),
    ("alborz-daily", "روزنامه البرز امروز", "newspaper", 17),
    ("karaj-payam", "هفته‌نامه پیام کرج", "newspaper", 12),
    ("sobh-alborz", "روزنامه صبح البرز", "newspaper", 15),
    ("ostandari", "پایگاه استانداری البرز", "governorate_site", 15),
    ("farmandari-karaj", "پایگاه فرمانداری کرج", "governorate_site", 15),
    ("farmandari-fardis", "پایگاه فرمانداری فردیس", "governorate_site", 10),
    ("karaj-channel", "کانال خبری کرج (ایتا)", "channel", 20),
    ("alborz-channel", "کانال البرز نیوز (بله)", "channel", 20),
    ("entekhabat-channel", "کانال انتخابات البرز (تلگرام)", "channel", 15),
    ("alborznews", "البرز نیوز", "website", 20),
    ("karajnews", "کرج‌نیوز", "website", 17),
    ("fardanews", "فردای البرز", "website", 12),
    ("hashtgerdnews", "هشتگرد خبر", "website", 10),
]


def _rss(name: str, items: list[dict]) -> str:
    body = "".join(
        "<item>"
        f"<title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid>{escape(i['link'])}</guid><pubDate>{format_datetime(i['date'])}</pubDate>"
        f"<author>{escape(i.get('author', ''))}</author>"
        f"<description>{escape(i['text'])}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>https://example.ir/</link>{body}</channel></rss>\n"
    )


def generate(*, seed: int = 1402, now: datetime | None = None) -> dict[str, list[dict]]:
    rng = random.Random(seed)  # noqa: S311 - demo text, not secrets
    now = now or datetime(2024, 2, 27, 12, 0, tzinfo=UTC)
    feeds: dict[str, list[dict]] = {slug: [] for slug, *_ in OUTLETS}
    names = {slug: name for slug, name, *_ in OUTLETS}
    for slug, _name, _kind, count in OUTLETS:
        for n in range(count):
            title, text = corpus.article(rng, paragraphs=rng.randint(2, 4))
            when = now - timedelta(minutes=rng.randint(0, 14 * 24 * 60))
            feeds[slug].append({"title": title, "text": text, "date": when,
                                "link": f"https://{slug}.example.ir/news/{seed}{n:05d}",
                                "author": rng.choice(corpus.PEOPLE)})  # fmt: skip
            # About one in six is republished by two to five other outlets.
            if rng.random() < 1 / 6:
                for other in rng.sample([s for s in feeds if s != slug], rng.randint(2, 5)):
                    t, body, _whole = corpus.derive(rng, title, text, outlet=names[other])
                    feeds[other].append({
                        "title": t, "text": body,
                        "date": when + timedelta(minutes=rng.randint(5, 600)),
                        "link": f"https://{other}.example.ir/news/r{seed}{slug}{n:05d}",
                    })  # fmt: skip
    return feeds


def write(directory: Path = DIR) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    feeds = generate()
    names = {slug: name for slug, name, *_ in OUTLETS}
    total = 0
    for slug, items in feeds.items():
        items.sort(key=lambda i: i["date"], reverse=True)
        (directory / f"{slug}.xml").write_text(_rss(names[slug], items), encoding="utf-8")
        total += len(items)
    return total


if __name__ == "__main__":
    print(write(), "articles written to", DIR)
