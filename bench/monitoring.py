"""Media monitoring: ingestion throughput, pickup accuracy, extraction and search latency.

Figures (each beside a baseline measured in the same run):

1. **ingest on the production path**, articles/s: generated Persian articles with full text
   (fetching and extraction excluded) go through ``actions.do_ingest_entries`` — the same
   ``Ingestor`` as the worker's fetch — in batches of ``BATCH`` (one transaction each):
   normalise → MinHash/LSH story grouping (band keys in the worker's memory, band rows
   appended) → pickup matching against ``ITEMS`` published newsroom items → ``RULES`` topic
   rules (Topic rows) → bulk writes of articles (the FTS5 trigger on SQLite, the stored tsvector
   on PostgreSQL, fills the search index), bands, stories, pickups, hits and hourly counts.
   ``INGEST_ARTICLES`` articles (200,000) or as many as fit in ``INGEST_SECONDS`` of ingest
   time, stated in the figure's name. The database is whatever the settings give: a fresh
   SQLite file, or PostgreSQL when ``DATABASE_URL`` points to one.
   Baseline, on a sample of ``BASELINE_ARTICLES`` of the same generator (rates are comparable):
   hazm's ``Normalizer().normalize`` (run in the separate venv var/bench/hazm-venv, created on
   demand by ``hazm_python()``; hazm pins an old numpy and is no runtime dependency), then per
   article a datasketch ``MinHash()`` with default settings (128 permutations) of the 4-word
   shingles queried in and inserted into a ``MinHashLSH`` (default settings, threshold 0.5 as
   ours), containment against every published item, one compiled regex per rule, and one
   index insert per row (article row, its full-text row, its hit rows) committed per article.
2. the same without the database (normalise → stories → pickups → rules in memory), beside
   the baseline's same steps.
3. pickup precision and recall on a generated corpus with known truth.
4. extraction pages/s for ~20 KB governorate pages (trafilatura + Jalali date).
Search latency at 1,000,000 articles (SQLite and PostgreSQL) is bench/search.py.

Environment: DIDBAN_BENCH_INGEST_ARTICLES, DIDBAN_BENCH_INGEST_SECONDS,
DIDBAN_BENCH_BASELINE_ARTICLES override the sizes.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

INGEST_ARTICLES = int(os.environ.get("DIDBAN_BENCH_INGEST_ARTICLES", "200000"))
INGEST_SECONDS = float(os.environ.get("DIDBAN_BENCH_INGEST_SECONDS", "300"))
BASELINE_ARTICLES = int(os.environ.get("DIDBAN_BENCH_BASELINE_ARTICLES", "1000"))
N_CORE = 1000
BATCH = 500
RULES = 300
ITEMS = 100
OUTLETS = 20
N_SEARCH = 100_000
BASE = datetime(2024, 2, 20, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
HAZM_VENV = ROOT / "var" / "bench" / "hazm-venv"
# Words that a realistic topic list watches but that the generated news rarely contains.
QUIET = ["زلزله", "سیل", "حریق", "اعتصاب", "تجمع", "کنسرت", "واکسن", "بورس", "خشکسالی", "تصادف",
         "کرونا", "مهاجرت", "گرانی", "سرقت", "ماهواره", "اینترنت", "فیلترینگ", "زباله", "مترو",
         "پارک"]  # fmt: skip


# --- the generated corpus --------------------------------------------------------------------


class _Stream:
    """A reproducible stream of articles: two thirds original, one third republications by
    other outlets (trimmed, reordered, intro/outro, Arabic letters). Each source text is
    republished three times in a row, so stories have three or four articles; every fiftieth
    republication is of one of our ``ITEMS`` published items (a pickup)."""

    def __init__(self, n: int, seed: int = 5):
        from didban.monitoring import corpus

        self.corpus = corpus
        self.rng = random.Random(seed)
        size = ITEMS + max(10, min(n // 10, 20000))
        self.originals = [corpus.article(self.rng) for _ in range(size)]

    def article(self, i: int) -> tuple[str, str]:
        if i % 3 == 0:
            k = i // 3
            if k % 50 == 0:  # one of our published items
                title, text = self.originals[(k // 50) % ITEMS]
            else:
                title, text = self.originals[ITEMS + (k // 3) % (len(self.originals) - ITEMS)]
            return self.corpus.derive(self.rng, title, text, outlet=f"رسانه {i % OUTLETS}")[:2]
        return self.corpus.article(self.rng)

    def published_at(self, i: int) -> datetime:
        return BASE + timedelta(seconds=5 * i)  # 720 articles an hour


def _rules(n: int) -> list[str]:
    """Topic rules of the kinds analysts write: phrases with places and people, NEAR, prefix,
    NOT, and quiet topics; about 1.7 hits per generated article over 300 rules."""
    from didban.lib.persian import tokens
    from didban.monitoring import corpus

    rng = random.Random(3)
    out = []
    for i in range(n):
        topic = rng.choice(corpus.TOPICS)
        place = rng.choice(corpus.PLACES)
        person = rng.choice(corpus.PEOPLE)
        role = rng.choice(corpus.ROLES)
        q1, q2 = rng.sample(QUIET, 2)
        word = rng.choice([w for w in tokens(topic) if len(w) > 3] or tokens(topic))
        out.append([
            f'"{topic}" AND {place} AND {person}',
            f'{place} AND "{topic}" NOT {q1}',
            f'"{role}" NEAR/2 {place} AND {word[:4]}*',
            f'{person} NEAR/5 "{topic}"',
            f"({q1} OR {q2}*) AND {place}",
            f'{q1} OR "{q2} {place}"',
        ][i % 6])  # fmt: skip
    return out


# --- ours: the production path ------------------------------------------------------------------


def _setup(stream: _Stream, rules: list[str]):
    """An organisation with outlets and sources, topics and published newsroom items."""
    from django.contrib.auth import get_user_model

    from didban.accounts.models import Organization
    from didban.monitoring.models import Outlet, Source, Topic

    tag = time.time_ns()
    org = Organization.objects.create(name="bench", code=f"bench-{tag}", kind="county_hq")
    org.path = f"/{org.pk}/"
    org.save()
    sources = []
    for n in range(OUTLETS):
        outlet = Outlet.objects.create(org=org, name=f"رسانه {n}", kind="news_agency")
        sources.append(Source.objects.create(org=org, outlet=outlet, name=outlet.name,
                                             kind="local", url=f"/bench/{n}"))  # fmt: skip
    Topic.objects.bulk_create(
        [Topic(org=org, name=f"موضوع {n}", rule=rule) for n, rule in enumerate(rules)]
    )
    try:
        from didban.newsroom.models import Item
    except ImportError:  # pragma: no cover - the newsroom is not installed
        return org, sources
    author = get_user_model().objects.create_user(username=f"bench-{tag}", password=None)
    Item.objects.bulk_create([
        Item(org=org, author=author, news_code=f"B{n}", title=title, body_text=text,
             status="published", published_at=BASE - timedelta(hours=2))
        for n, (title, text) in enumerate(stream.originals[:ITEMS])
    ])  # fmt: skip
    return org, sources


def _ours_database(rules: list[str]) -> dict:
    """Ingest through ``do_ingest_entries`` until INGEST_ARTICLES or INGEST_SECONDS."""
    from didban.monitoring.actions import do_ingest_entries
    from didban.monitoring.extract import Entry
    from didban.monitoring.models import Pickup, Story, TopicHit

    stream = _Stream(INGEST_ARTICLES)
    org, sources = _setup(stream, rules)
    done, new, spent, cpu, batches = 0, 0, 0.0, 0.0, 0
    while done < INGEST_ARTICLES and spent < INGEST_SECONDS:
        count = min(BATCH, INGEST_ARTICLES - done)
        entries = []
        for i in range(done, done + count):
            title, text = stream.article(i)
            entries.append(Entry(url=f"https://bench.example.ir/news/{i}", title=title,
                                 text=text, published_at=stream.published_at(i)))  # fmt: skip
        source = sources[batches % len(sources)]
        start, cpu_start = time.perf_counter(), time.process_time()
        report = do_ingest_entries(actor=None, source=source, entries=entries)
        spent += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        done += count
        new += report.new  # an identical republication within one source is a duplicate
        batches += 1
        if batches % 40 == 0:  # does the rate hold as the tables grow?
            print(f"   {done:,} articles: {done / spent:.0f}/s so far ({done / cpu:.0f} per "
                  f"CPU-second), load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    return {
        "articles": done,
        "new": new,
        "rate": done / spent,
        "cpu_rate": done / cpu,
        "stories": Story.objects.filter(org=org).count(),
        "hits": TopicHit.objects.filter(org=org).count(),
        "pickups": Pickup.objects.filter(article__org=org).count(),
    }


# --- ours without the database ------------------------------------------------------------------


def _core_fast(articles, rules, items):
    """normalise → MinHash/LSH → pickups → rules in memory, with the pipeline's functions."""
    from didban.lib.persian import tokens
    from didban.monitoring import dedup
    from didban.monitoring.pipeline import PickupMatcher
    from didban.monitoring.rules import Document, RuleSet, parse_rule

    ruleset = RuleSet([(n, parse_rule(r)) for n, r in enumerate(rules)])
    matcher = PickupMatcher(items)
    bands: dict[int, list[int]] = {}
    sigs = []
    start = time.perf_counter()
    for n, (title, text) in enumerate(articles):
        title_words, text_words = tokens(title), tokens(text)
        words = title_words + text_words
        sh = dedup.shingles(text_words)
        sig = dedup.signature(sh)
        for key in dedup.band_keys(sig):
            for other in bands.get(key, ()):
                if dedup.similarity(sig, sigs[other]) >= 0.5:
                    break
            bands.setdefault(key, []).append(n)
        sigs.append(sig)
        matcher.match(sh)
        ruleset.matching(Document.from_tokens(words))
    return len(articles) / (time.perf_counter() - start)


# --- the baseline -------------------------------------------------------------------------------


def hazm_python() -> Path | None:
    """The python of a separate venv with hazm, created on demand (only ever by the bench).

    hazm pins an old numpy and pulls ~385 MB, so it never enters the app's environment.
    Returns None when it cannot be installed (the baseline then says it used our normaliser).
    """
    python = HAZM_VENV / "bin" / "python"
    check = [str(python), "-c", "from hazm import Normalizer"]

    def works() -> bool:
        return (
            python.exists() and subprocess.run(check, capture_output=True).returncode == 0  # noqa: S603 - ours
        )

    if works():
        return python
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(HAZM_VENV)], check=True,  # noqa: S603
                           capture_output=True, timeout=300)  # fmt: skip
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        installed = subprocess.run([*pip, "hazm"], capture_output=True, timeout=1200)  # noqa: S603
        if installed.returncode:
            # hazm's own pins may not resolve on this Python: take hazm alone and what
            # ``from hazm import Normalizer`` needs.
            subprocess.run([*pip, "--no-deps", "hazm"], capture_output=True, timeout=600)  # noqa: S603
            deps = [*pip, "nltk", "numpy", "flashtext"]
            subprocess.run(deps, capture_output=True, timeout=600)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    return python if works() else None


def _baseline_normalise(texts: list[str]) -> tuple[list[str], float, float, str]:
    """(normalised texts, seconds, CPU seconds, label) with hazm in its venv, else our normaliser."""
    python = hazm_python()
    if python is not None:
        run = subprocess.run(  # noqa: S603 - our own script in our venv
            [str(python), str(Path(__file__).with_name("_hazm_normalise.py"))],
            input=json.dumps(texts, ensure_ascii=False),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if run.returncode == 0:
            answer = json.loads(run.stdout)
            return answer["texts"], answer["seconds"], answer["cpu_seconds"], "hazm Normalizer"
    from didban.lib.persian import normalize

    start, cpu = time.perf_counter(), time.process_time()
    out = [normalize(t) for t in texts]
    return (out, time.perf_counter() - start, time.process_time() - cpu,
            "our normaliser (hazm could not be installed)")  # fmt: skip


def _assertion(node) -> str:
    """A rule as a regex assertion at the start of the text (one compiled regex per rule)."""
    from didban.monitoring.rules import And, Near, Not, Or, Phrase, Term

    def pattern(n) -> str:
        if isinstance(n, Term):
            return rf"(?<!\w){re.escape(n.word)}" + (r"\w*" if n.prefix else r"(?!\w)")
        if isinstance(n, Phrase):
            return r"(?<!\w)" + r"\W+".join(map(re.escape, n.words)) + r"(?!\w)"
        if isinstance(n, Near):
            a, b, gap = pattern(n.left), pattern(n.right), rf"(?:\W+\w+){{0,{n.distance}}}\W+"
            return f"(?:{a}{gap}{b}|{b}{gap}{a})"
        return "(?:" + "|".join(pattern(p) for p in n.parts) + ")"  # an Or of words

    if isinstance(node, And):
        return "".join(_assertion(p) for p in node.parts)
    if isinstance(node, Not):
        return f"(?!{_assertion(node.part)})"
    if isinstance(node, Or) and not all(isinstance(p, Term | Phrase) for p in node.parts):
        return "(?:" + "|".join(_assertion(p) for p in node.parts) + ")"
    return f"(?=.*?{pattern(node)})"


class _BaselineIndex:
    """A table of articles with its full-text index, one insert per row, a commit each."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("CREATE TABLE IF NOT EXISTS bench_base_article (id bigserial "
                               "PRIMARY KEY, url text, title text, text text, norm text, "
                               "published_at timestamptz, vector tsvector)")  # fmt: skip
                cursor.execute("CREATE INDEX IF NOT EXISTS bench_base_vector ON "
                               "bench_base_article USING GIN (vector)")  # fmt: skip
            else:
                cursor.execute("CREATE TABLE IF NOT EXISTS bench_base_article (id INTEGER "
                               "PRIMARY KEY, url TEXT, title TEXT, text TEXT, norm TEXT, "
                               "published_at TEXT, vector TEXT)")  # fmt: skip
                cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS bench_base_fts USING "
                               "fts5(norm, tokenize='unicode61 remove_diacritics 0')")  # fmt: skip
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_base_hit (article_id bigint, "
                           "rule integer)")  # fmt: skip

    def insert(self, url, title, text, norm, published_at, hits) -> None:
        from django.db import transaction

        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("INSERT INTO bench_base_article (url, title, text, norm, "
                               "published_at, vector) VALUES (%s, %s, %s, %s, %s, "
                               "to_tsvector('simple'::regconfig, %s)) RETURNING id",
                               [url, title, text, norm, published_at, norm])  # fmt: skip
                row_id = cursor.fetchone()[0]
            else:
                cursor.execute("INSERT INTO bench_base_article (url, title, text, norm, "
                               "published_at) VALUES (%s, %s, %s, %s, %s)",
                               [url, title, text, norm, published_at.isoformat()])  # fmt: skip
                row_id = cursor.lastrowid
                cursor.execute("INSERT INTO bench_base_fts (rowid, norm) VALUES (%s, %s)",
                               [row_id, norm])  # fmt: skip
            for rule in hits:
                cursor.execute("INSERT INTO bench_base_hit VALUES (%s, %s)", [row_id, rule])


def _baseline(stream: _Stream, rules: list[str], n: int) -> dict:
    """The straightforward pipeline on the first ``n`` articles of a stream."""
    from datasketch import MinHash, MinHashLSH

    from didban.monitoring.rules import parse_rule

    articles = [stream.article(i) for i in range(n)]
    normalised, normalise_seconds, normalise_cpu, label = _baseline_normalise(
        [f"{title}\n{text}" for title, text in articles]
    )
    items = _baseline_normalise([f"{t}\n{x}" for t, x in stream.originals[:ITEMS]])[0]
    regexes = [re.compile("^" + _assertion(parse_rule(r)), re.S) for r in rules]

    def shingles(words: list[str]) -> set[str]:
        return {" ".join(words[i : i + 4]) for i in range(max(1, len(words) - 3))}

    item_sets = [shingles(text.split()) for text in items]
    lsh = MinHashLSH(threshold=0.5)
    index = _BaselineIndex()
    hits_total = 0
    start, cpu = time.perf_counter(), time.process_time()
    steps = dict.fromkeys(("minhash", "pickups", "rules", "index"), 0.0)
    clock = time.perf_counter
    for i, ((title, text), norm) in enumerate(zip(articles, normalised, strict=True)):
        t0 = clock()
        found = shingles(norm.split())
        minhash = MinHash()
        for shingle in found:
            minhash.update(shingle.encode())
        lsh.query(minhash)  # the story candidates
        lsh.insert(str(i), minhash)
        t1 = clock()
        for item in item_sets:  # containment of each published item
            _ = len(item & found) / len(item)
        t2 = clock()
        hits = [n for n, rx in enumerate(regexes) if rx.match(norm)]
        hits_total += len(hits)
        t3 = clock()
        index.insert(f"https://bench.example.ir/base/{i}", title, text, norm,
                     stream.published_at(i), hits)  # fmt: skip
        t4 = clock()
        steps["minhash"] += t1 - t0
        steps["pickups"] += t2 - t1
        steps["rules"] += t3 - t2
        steps["index"] += t4 - t3
    rest, rest_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "rate": n / (normalise_seconds + rest),
        "cpu_rate": n / (normalise_cpu + rest_cpu),
        "label": label,
        "normalise_seconds": normalise_seconds,
        "rest_seconds": rest,
        "steps": steps,
        "hits": hits_total,
        "articles": articles,
        "normalised": normalised,
    }


def _baseline_core(articles, normalised, normalise_seconds, rules, items) -> float:
    """The baseline's steps without the index insert (beside ours without the database)."""
    from datasketch import MinHash, MinHashLSH

    from didban.monitoring.rules import parse_rule

    regexes = [re.compile("^" + _assertion(parse_rule(r)), re.S) for r in rules]
    item_sets = [{" ".join(w[i : i + 4]) for i in range(len(w) - 3)}
                 for w in (t.split() for *_x, t in items)]  # fmt: skip
    lsh = MinHashLSH(threshold=0.5)
    start = time.perf_counter()
    for i, norm in enumerate(normalised):
        words = norm.split()
        found = {" ".join(words[k : k + 4]) for k in range(max(1, len(words) - 3))}
        minhash = MinHash()
        for shingle in found:
            minhash.update(shingle.encode())
        lsh.query(minhash)
        lsh.insert(str(i), minhash)
        for item in item_sets:
            _ = len(item & found) / max(1, len(item))
        for rx in regexes:
            rx.match(norm)
    return len(articles) / (normalise_seconds + time.perf_counter() - start)


def _accuracy():
    """Pickup precision/recall with the containment matcher on derived and unrelated texts."""
    from didban.lib.persian import tokens
    from didban.monitoring import corpus, dedup
    from didban.monitoring.pipeline import PickupMatcher

    rng = random.Random(11)
    now = datetime(2024, 2, 20, tzinfo=UTC)
    items = [(i, 1, now, "\n\n".join(corpus.article(rng))) for i in range(200)]
    matcher = PickupMatcher(items)
    tp = fp = fn = 0
    for item_id, _org, _when, text in items:
        title, body = text.split("\n\n", 1)
        for _ in range(3):
            _t, derived, _whole = corpus.derive(rng, title, body, outlet="ایرنا")
            found = {m.item_id for m, _s in matcher.match(dedup.shingles(tokens(derived)))}
            tp += item_id in found
            fn += item_id not in found
            fp += len(found - {item_id})
    for _ in range(600):
        found = matcher.match(dedup.shingles(tokens(corpus.article(rng)[1])))
        fp += len(found)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def run(report):
    from django.db import connection

    from didban.lib.persian import tokens

    rules = _rules(RULES)
    vendor = {"sqlite": "SQLite + FTS5", "postgresql": "PostgreSQL + tsvector"}.get(
        connection.vendor, connection.vendor
    )
    # Baseline first (a small sample), then ours over the large corpus.
    sample = _Stream(BASELINE_ARTICLES)
    base = _baseline(sample, rules, BASELINE_ARTICLES)
    ours = _ours_database(rules)
    print(
        f"   load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}; per CPU-second of the "
        f"process: ours {ours['cpu_rate']:.0f} articles/s, baseline {base['cpu_rate']:.0f}"
    )
    print(f"   ours: {ours['articles']} articles ({ours['new']} new), {ours['stories']} stories, {ours['hits']} "
          f"topic hits ({ours['hits'] / ours['articles']:.2f}/article), {ours['pickups']} "
          f"pickups; baseline: {BASELINE_ARTICLES} articles, normalise "
          f"{base['normalise_seconds']:.1f} s + rest {base['rest_seconds']:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in base["steps"].items()) + "), "
          f"{base['hits'] / BASELINE_ARTICLES:.2f} hits/article", flush=True)  # fmt: skip
    report(f"monitoring ingest, production path, {vendor}, {ours['articles']:,} articles, "
           f"{RULES} rules, batches of {BATCH}", round(ours["rate"], 1), "articles/s",
           baseline=round(base["rate"], 1),
           baseline_label=f"{base['label']} + datasketch MinHash/LSH per article + regex per "
                          f"rule + one index insert per row, commit per article "
                          f"({BASELINE_ARTICLES:,} articles)")  # fmt: skip
    # The machine is shared: the rate per CPU-second of the process is what one dedicated core
    # would give (SQLite works inside the process; PostgreSQL's server time is not counted).
    report(f"monitoring ingest per CPU-second of the worker, {vendor}, {ours['articles']:,} "
           f"articles", round(ours["cpu_rate"], 1), "articles/s",
           baseline=round(base["cpu_rate"], 1),
           baseline_label="the same baseline per CPU-second")  # fmt: skip
    core_articles = base["articles"][:N_CORE]
    items = [(i, 1, BASE, f"{t}\n{x}") for i, (t, x) in enumerate(sample.originals[:ITEMS])]
    fast = _core_fast(core_articles, rules, items)
    share = len(core_articles) / len(base["articles"])
    slow = _baseline_core(core_articles, base["normalised"][:N_CORE],
                          base["normalise_seconds"] * share, rules,
                          [(i, 1, BASE, " ".join(tokens(t))) for i, _o, _p, t in items])  # fmt: skip
    report(f"monitoring ingest core without database ({RULES} rules)", round(fast, 1),
           "articles/s", baseline=round(slow, 1),
           baseline_label=f"{base['label']} + datasketch MinHash/LSH + regex per rule")  # fmt: skip
    precision, recall = _accuracy()
    report("monitoring pickup precision", round(precision, 3), "ratio", baseline=0.95,
           baseline_label="target")  # fmt: skip
    report("monitoring pickup recall", round(recall, 3), "ratio", baseline=0.95,
           baseline_label="target")  # fmt: skip
