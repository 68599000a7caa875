"""Search latency at 1,000,000 articles, through the app's search interface.

The corpus: Persian articles built from the monitoring corpus's sentence templates
(``didban.monitoring.corpus``: names, places, election topics, Persian/ASCII digits, Arabic
ي/ك, ZWNJ variants) interleaved with words drawn from a Zipf-distributed vocabulary of
100,000 generated Persian words, so that there are very common words (in most articles),
middling ones (a few per cent) and rare ones (tens of articles). Lengths vary (2–40
sentences, log-normal, ~200 tokens on average); ``published_at`` spreads over six months,
mostly in arrival order with some late arrivals (archives fetched weeks later).

The rows go with raw bulk SQL into the tables the app migrates (``manage.py migrate`` on a
database of its own): the article table, then the FTS5 table rebuilt once (SQLite) or the
migration's GIN expression index created once after COPY (PostgreSQL). The database is kept
between runs — ``var/bench/search-<n>.sqlite3`` or the PostgreSQL database
``didban_bench_search`` — and reused when its marker row says it is complete for this
version of the generator, so a repeated run measures only.

Measured: p50/p95 of ``search(list_articles(user), q, order=…)[:20]`` — the call the search
page and the API make — for rare / mid / common single words, 2–3 word AND and phrases, both
newest first and ranked; beside a baseline measured in the same run: the plain
``text_norm LIKE '%word%' ORDER BY published_at DESC LIMIT 20`` (what one writes without a
full-text index), which walks the date index and scans the text.

Environment: ``DIDBAN_BENCH_SEARCH_N`` (default 1,000,000) sets the size.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

N = int(os.environ.get("DIDBAN_BENCH_SEARCH_N", "1000000"))
VERSION = 1  # bump when the generator or the schema it fills changes
PG_DATABASE = "didban_bench_search"
ROOT = Path(__file__).resolve().parent.parent
VOCAB = 100_000
ZIPF_S = 1.0
CHUNK = 20_000
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=182)
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


# --- the corpus ---------------------------------------------------------------------------


def _vocabulary(rng: random.Random) -> list[str]:
    """Generated Persian-letter words; index = Zipf rank."""
    from didban.lib.persian import tokens

    words: list[str] = []
    seen: set[str] = set()
    while len(words) < VOCAB:
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8)))
        if word not in seen and tokens(word) == [word]:
            seen.add(word)
            words.append(word)
    return words


def _sentences(rng: random.Random, count: int = 6000) -> list[tuple[str, str]]:
    """(original, normalised tokens) of template sentences, normalised once."""
    from didban.lib.persian import tokens
    from didban.monitoring import corpus

    out = []
    for _ in range(count):
        text = corpus.sentence(rng)
        if rng.random() < 0.2:
            text = text.replace("ی", "ي").replace("ک", "ك")
        out.append((text, " ".join(tokens(text))))
    return out


def _generate(chunk_start: int, count: int, vocab, sentences, titles):
    """Rows for articles chunk_start … chunk_start+count-1 (deterministic per chunk)."""
    import numpy as np

    rng = np.random.default_rng(chunk_start + 17)
    ranks = np.arange(1, VOCAB + 1, dtype=np.float64)
    cdf = np.cumsum(1.0 / ranks**ZIPF_S)
    cdf /= cdf[-1]
    lengths = np.clip(rng.lognormal(mean=2.0, sigma=0.55, size=count).astype(int), 2, 40)
    filler = np.searchsorted(cdf, rng.random(int(lengths.sum()) * 8))
    picks = rng.integers(0, len(sentences), size=int(lengths.sum()))
    title_picks = rng.integers(0, len(titles), size=count)
    step = SPAN / N
    late = rng.random(count)
    jitter = rng.normal(0, 3600, size=count)
    back = rng.uniform(0, 30 * 86400, size=count)
    rows = []
    f = p = 0
    for i in range(count):
        n = chunk_start + i
        original, normal = [], []
        for _ in range(int(lengths[i])):
            s_orig, s_norm = sentences[picks[p]]
            p += 1
            words = " ".join(vocab[k] for k in filler[f : f + 8])
            f += 8
            original.append(f"{s_orig} {words}")
            normal.append(f"{s_norm} {words}")
        title, title_norm = titles[title_picks[i]]
        title = f"{title} {vocab[filler[f - 1]]}"
        title_norm = f"{title_norm} {vocab[filler[f - 1]]}"
        # Arrival order ≈ publication order; 3% are archives published up to 30 days earlier.
        published = END - SPAN + step * n + timedelta(seconds=float(jitter[i]))
        if late[i] < 0.03:
            published -= timedelta(seconds=float(back[i]))
        published = min(published, END)
        text = "\n\n".join(original)
        text_norm = " ".join(normal)
        rows.append((n, title, text, title_norm, text_norm, published))
    return rows


# --- the database ----------------------------------------------------------------------------


@contextmanager
def _database():
    """Point Django's default connection at the benchmark's own database for a while."""
    from django.db import connection

    settings = connection.settings_dict
    before = settings["NAME"]
    if connection.vendor == "sqlite":
        path = ROOT / "var" / "bench" / f"search-{N}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        name = str(path)
    else:
        name = PG_DATABASE
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                )
    _reconnect(settings, name)
    try:
        yield name
    finally:
        _reconnect(settings, before)


def _reconnect(settings: dict, name) -> None:
    """Close the connection (and a PostgreSQL connection pool, made for one database)."""
    from django.db import connection

    connection.close()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()
    settings["NAME"] = name


def _marker() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_search_marker (version integer, n integer, "
            "complete integer, info text)"
        )
        cursor.execute("SELECT version, n, complete, info FROM bench_search_marker")
        row = cursor.fetchone()
    if row and row[0] == VERSION and row[1] == N and row[2]:
        return json.loads(row[3])
    return None


def _reset() -> None:
    """Empty the benchmark database (a new generator version or an interrupted build)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def _build() -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from didban.lib.persian import tokens
    from didban.monitoring import corpus
    from didban.monitoring.models import Outlet, Source
    from didban.monitoring.search import POSTGRES_VECTOR_CREATE, SQLITE_CREATE
    from didban.testing import build_personas, build_world

    started = time.perf_counter()
    _reset()
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        world = build_world()
        personas = build_personas(world)
        sources = []
        for org, count in ((world.karaj_info, 40), (world.fardis_info, 8)):
            for k in range(count):
                kind = Outlet.Kind.values[k % len(Outlet.Kind.values)]
                outlet = Outlet.objects.create(org=org, name=f"رسانه {org.pk}-{k}", kind=kind)
                place = world.karaj_place if org == world.karaj_info else world.fardis_place
                source = Source.objects.create(
                    org=org, outlet=outlet, name=outlet.name, url=f"http://s{org.pk}-{k}.ir/",
                    place=place if k % 2 else None,
                )  # fmt: skip
                sources.append(source)
    rng = random.Random(2026)
    vocab = _vocabulary(rng)
    sentences = _sentences(rng)
    titles = []
    for _ in range(3000):
        title = corpus.article(rng, paragraphs=1)[0]
        titles.append((title, " ".join(tokens(title))))
    columns = (
        "id, org_id, source_id, outlet_id, url, url_key, guid, title, author, published_at, "
        "fetched_at, text, summary, language, title_norm, text_norm, content_hash, "
        "date_was_guessed"
    )
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for sql in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000"):
                cursor.execute(f"PRAGMA {sql}")
            for name in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS monitoring_article_fts_{name}")
        else:
            cursor.execute("DROP INDEX IF EXISTS monitoring_article_vector")
    for start in range(0, N, CHUNK):
        rows = _generate(start, min(CHUNK, N - start), vocab, sentences, titles)
        records = []
        for n, title, text, title_norm, text_norm, published in rows:
            source = sources[n % len(sources)]
            url = f"http://s{source.org_id}.ir/news/{n}"
            digest = hashlib.sha256(text_norm.encode()).hexdigest()
            fetched = published + timedelta(minutes=5)
            if vendor == "sqlite":
                published, fetched = published.isoformat(" "), fetched.isoformat(" ")
            records.append((
                n + 1, source.org_id, source.pk, source.outlet_id, url, url, "", title, "",
                published, fetched, text, "", "fa", title_norm, text_norm, digest, False,
            ))  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "sqlite":
                marks = ", ".join("?" * 18)
                insert = f"INSERT INTO monitoring_article ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, records)
            else:
                with cursor.cursor.copy(f"COPY monitoring_article ({columns}) FROM STDIN") as copy:
                    for record in records:
                        copy.write_row(record)
        if start % 200_000 == 0:
            print(f"   built {start + len(rows):,} articles", flush=True)
    index_started = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "INSERT INTO monitoring_article_fts(monitoring_article_fts) VALUES ('rebuild')"
            )
            for sql in SQLITE_CREATE:
                cursor.execute(sql)
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('monitoring_article', 'id'), %s)", [N + 1]
            )
            for sql in POSTGRES_VECTOR_CREATE:
                cursor.execute(sql)
            cursor.execute("VACUUM ANALYZE monitoring_article")
    info = {
        "user": personas.county_analyst.pk,
        "seconds": round(time.perf_counter() - started),
        "index_seconds": round(time.perf_counter() - index_started),
        "vocab": {"common": vocab[:3], "mid": vocab[150:156], "rare": vocab[40_000:40_006]},
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_search_marker (version integer, n integer, "
            "complete integer, info text)"
        )
        cursor.execute("DELETE FROM bench_search_marker")
        cursor.execute(
            "INSERT INTO bench_search_marker VALUES (%s, %s, 1, %s)",
            [VERSION, N, json.dumps(info, ensure_ascii=False)],
        )
    return info


# --- measuring ---------------------------------------------------------------------------------


def _queries(info: dict) -> dict[str, list[str]]:
    vocab = info["vocab"]
    return {
        "rare word": vocab["rare"],
        "mid word": [*vocab["mid"][:4], "طالقان", "آسارا"],
        "common word": [*vocab["common"], "انتخابات", "ستاد"],
        "2–3 word AND": [
            "مشارکت کرج",
            f"{vocab['mid'][0]} انتخابات",
            f"طالقان نظارت {vocab['common'][0]}",
            f"{vocab['rare'][0]} ستاد",
        ],
        "phrase": ['"ستاد انتخابات"', '"اعتماد عمومی"', '"شعب اخذ رای سیار"', '"آلودگی هوا"'],
    }


def _pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def _measure(user, info: dict, report, label: str) -> None:
    from didban.monitoring import queries
    from didban.monitoring.search import find_articles

    def timed(q: str, order: str, **extra) -> tuple[float, bool]:
        t = time.perf_counter()
        found = find_articles(user, {"q": q, "order": order, **extra})
        list(found.articles[:20])
        return time.perf_counter() - t, found.recent_since is not None

    def baseline(word: str) -> float:
        articles = queries.list_articles(user).filter(text_norm__contains=word)
        t = time.perf_counter()
        list(articles.order_by("-published_at", "-id")[:20])
        return time.perf_counter() - t

    # The baseline: three words of each frequency, newest first, LIKE over the normalised text.
    base = {}
    for kind in ("rare word", "mid word", "common word"):
        base[kind] = [baseline(w) for w in _queries(info)[kind][:3]]
    base_all = [v for values in base.values() for v in values]
    for order in ("newest", "relevance"):
        for kind, qs in _queries(info).items():
            times, windowed = [], 0
            for _round in range(3):
                for q in qs:
                    elapsed, recent = timed(q, order)
                    times.append(elapsed)
                    windowed += recent
            times = times[len(qs) :]  # the first round warms the cache
            reference = base.get(kind, base_all)
            name = f"search {label} {'newest-first' if order == 'newest' else 'ranked'} {kind}"
            if windowed:
                name += f" ({windowed // 3}/{len(qs)} in the recent window)"
            for p in (50, 95):
                report(f"{name} p{p}", round(_pct(times, p), 2), "ms",
                       baseline=round(_pct(reference, p), 2),
                       baseline_label="LIKE over text_norm, newest first")  # fmt: skip
    # What the recent window saves: ranked common words over all dates.
    times = [timed(q, "relevance", all_dates=True)[0] for q in _queries(info)["common word"][:3]]
    report(f"search {label} ranked common word, all dates (no window) p50",
           round(_pct(times, 50), 2), "ms", baseline=round(_pct(base["common word"], 50), 2),
           baseline_label="LIKE over text_norm, newest first")  # fmt: skip


def run(report):
    from django.db import connection

    from didban.accounts.models import User

    label = f"{'FTS5' if connection.vendor == 'sqlite' else 'PostgreSQL'} {N // 1000}k"
    with _database():
        info = _marker()
        if info is None:
            print(f"   building the {N:,}-article search database (kept for later runs)…")
            info = _build()
            print(f"   built in {info['seconds']} s (index {info['index_seconds']} s)")
        else:
            print(f"   reusing the search database built {info['built']} in {info['seconds']} s")
        user = User.objects.get(pk=info["user"])
        _measure(user, info, report, label)
        print(f"   load average: {Path('/proc/loadavg').read_text().strip()}")
