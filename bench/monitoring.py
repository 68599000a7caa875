"""Media monitoring: ingestion throughput, pickup/story accuracy, extraction and search latency.

Figures (each beside a baseline measured in the same run):
1. ingest core, articles/s: normalise → MinHash/LSH story grouping → pickup containment →
   300 topic rules, in one process, versus the straightforward way (datasketch MinHash with
   default settings per article and pairwise comparison within the window, one compiled regex
   per rule). hazm is not installed (it pins an old numpy), so both sides use the project's
   normaliser.
2. ingest with the database (SQLite, FTS5 index by trigger), articles/s, versus one
   transaction per article.
3. pickup precision and recall on a generated corpus with known truth.
4. extraction pages/s for ~20 KB governorate pages (trafilatura + Jalali date).
Search latency at 1,000,000 articles (SQLite and PostgreSQL) is bench/search.py.
"""

from __future__ import annotations

import random
import re
import time
from datetime import UTC, datetime, timedelta

N_CORE = 1500
N_DB = 300
N_SEARCH = 100_000
RULES = 300


def _corpus(n: int, seed: int = 1):
    from didban.monitoring import corpus

    rng = random.Random(seed)
    originals = [corpus.article(rng) for _ in range(max(1, n // 10))]
    out = []
    for i in range(n):
        if i % 3 == 0:
            title, text = originals[i % len(originals)]
            out.append(corpus.derive(rng, title, text, outlet="خبرگزاری")[:2])
        else:
            out.append(corpus.article(rng))
    return out, originals


def _rules(n: int) -> list[str]:
    from didban.monitoring import corpus

    rng = random.Random(3)
    from didban.lib.persian import tokens

    words = [w for t in corpus.TOPICS + corpus.PLACES for w in tokens(t) if len(w) > 2]
    rules = []
    for i in range(n):
        a, b, c = rng.sample(words, 3)
        rules.append([f"{a} AND {b}", f'"{a} {b}" OR {c}*', f"({a} OR {b}) NOT {c}",
                      f"{a} NEAR/4 {b}"][i % 4])  # fmt: skip
    return rules


def _core_fast(articles, rules, items):
    from didban.lib.persian import tokens
    from didban.monitoring import dedup
    from didban.monitoring.pipeline import PickupMatcher
    from didban.monitoring.rules import Document, RuleSet, parse_rule

    ruleset = RuleSet([(n, parse_rule(r)) for n, r in enumerate(rules)])
    matcher = PickupMatcher(items)
    bands: dict[int, list[int]] = {}
    sigs = []
    stories = 0
    hits = 0
    start = time.perf_counter()
    for n, (title, text) in enumerate(articles):
        words = tokens(title + " " + text)
        sh = dedup.shingles(words)
        sig = dedup.signature(sh)
        best = None
        for key in dedup.band_keys(sig):
            for other in bands.get(key, ()):
                if dedup.similarity(sig, sigs[other]) >= 0.5:
                    best = other
                    break
            bands.setdefault(key, []).append(n)
        sigs.append(sig)
        stories += best is None
        matcher.match(sh)
        doc = Document.from_tokens(words)
        hits += len(ruleset.matching(doc))
    return len(articles) / (time.perf_counter() - start)


def _core_baseline(articles, rules, items):
    from datasketch import MinHash

    from didban.lib.persian import normalize

    def phrase(text: str) -> str:
        return r"\b" + r"\s+".join(map(re.escape, normalize(text).split())) + r"\b"

    regexes = []
    for r in rules:
        words = [
            w.strip('"()*') for w in re.split(r"\s+|AND|OR|NOT|NEAR/\d+", r) if w.strip('"()* ')
        ]
        regexes.append(re.compile("|".join(phrase(w) for w in words)))
    item_sets = [set(normalize(t).split()) for *_x, t in items]
    seen = []
    start = time.perf_counter()
    for title, text in articles:
        norm = normalize(title + " " + text)
        words = norm.split()
        m = MinHash()
        for i in range(len(words) - 3):
            m.update(" ".join(words[i : i + 4]).encode())
        for other in seen[-300:]:  # pairwise against the recent window
            if m.jaccard(other) >= 0.5:
                break
        seen.append(m)
        ws = set(words)
        for s in item_sets:
            _ = len(s & ws) / max(1, len(s))
        for rx in regexes:
            rx.search(norm)
    return len(articles) / (time.perf_counter() - start)


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


def _with_database():
    from django.db import transaction

    from didban.accounts.models import Organization
    from didban.monitoring.extract import Entry
    from didban.monitoring.models import Outlet, Source
    from didban.monitoring.pipeline import Ingestor

    org = Organization.objects.create(
        name="bench", code=f"bench-{time.time_ns()}", kind="county_hq"
    )
    org.path = f"/{org.pk}/"
    org.save()
    outlet = Outlet.objects.create(org=org, name="bench")
    source = Source.objects.create(org=org, outlet=outlet, name="bench", kind="local", url="/x")
    articles, _ = _corpus(2 * N_DB, seed=5)
    base = datetime(2024, 2, 20, tzinfo=UTC)

    def entries(chunk, tag):
        return [Entry(url=f"http://b.ir/{tag}/{n}", title=t, text=x,
                      published_at=base + timedelta(minutes=n)) for n, (t, x) in enumerate(chunk)]  # fmt: skip

    batch = entries(articles[:N_DB], "a")
    start = time.perf_counter()
    with transaction.atomic():
        Ingestor(source).ingest(batch)
    fast = N_DB / (time.perf_counter() - start)
    single = entries(articles[N_DB:], "b")
    start = time.perf_counter()
    for entry in single:
        with transaction.atomic():
            Ingestor(source).ingest([entry])
    slow = N_DB / (time.perf_counter() - start)
    return fast, slow


def _extraction():
    from didban.monitoring.extract import extract_article
    from didban.monitoring.tests.fakesite import governorate_page

    page = governorate_page()
    pages = [page.replace("35665", str(n)) for n in range(40)]
    start = time.perf_counter()
    for p in pages:
        extract_article(p, "http://karaj.example.ir/fa/news/1")
    return len(pages) / (time.perf_counter() - start), len(page.encode()) // 1024


def run(report):
    articles, originals = _corpus(N_CORE)
    rules = _rules(RULES)
    now = datetime(2024, 2, 20, tzinfo=UTC)
    items = [(i, 1, now, t + "\n" + x) for i, (t, x) in enumerate(originals[:100])]
    fast = _core_fast(articles, rules, items)
    slow = _core_baseline(articles, rules, items)
    report("monitoring ingest core (300 rules)", round(fast, 1), "articles/s", baseline=round(slow, 1),
           baseline_label="datasketch MinHash per article + pairwise window + regex per rule")  # fmt: skip
    db_fast, db_slow = _with_database()
    report("monitoring ingest with SQLite + FTS5", round(db_fast, 1), "articles/s",
           baseline=round(db_slow, 1), baseline_label="one transaction per article")  # fmt: skip
    precision, recall = _accuracy()
    report("monitoring pickup precision", round(precision, 3), "ratio", baseline=0.95,
           baseline_label="target")  # fmt: skip
    report("monitoring pickup recall", round(recall, 3), "ratio", baseline=0.95,
           baseline_label="target")  # fmt: skip
    pages, size = _extraction()
    report(f"monitoring extraction ({size} KB pages)", round(pages, 1), "pages/s", baseline=150,
           baseline_label="target")  # fmt: skip
