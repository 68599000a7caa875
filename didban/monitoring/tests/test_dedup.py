"""The near-duplicate scheme against plain definitions written with Python integers, and the
migration that recomputes stored signatures and band keys."""

import random
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from didban.lib.persian import tokens
from didban.monitoring import corpus, dedup

M64 = (1 << 64) - 1
WORDS = ["انتخابات", "کرج", "مشارکت", "ستاد", "يك", "یک", "۱۴۰۲", "1402", "a", "می‌شود", "و"]


def mix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def reference_shingles(words: list[str]) -> set[int]:
    position = [int(p) for p in dedup._POSITION]
    hashes = [zlib.crc32(w.encode()) for w in words]
    if not hashes:
        return set()
    windows = [hashes] if len(hashes) < 4 else [hashes[i : i + 4] for i in range(len(hashes) - 3)]
    return {mix(sum(h * p for h, p in zip(w, position, strict=False)) & M64) >> 32 for w in windows}


def reference_signature(shingles: set[int]) -> list[int]:
    if not shingles:
        return [dedup.MAX_HASH] * dedup.PERMUTATIONS
    return [
        min(((int(a) * x + int(b)) & M64) >> 32 for x in shingles)
        for a, b in zip(dedup._A, dedup._B, strict=True)
    ]


def reference_band_keys(sig: list[int]) -> list[int]:
    rows = [int(r) for r in dedup._BAND_ROW]
    keys = []
    for band in range(dedup.BANDS):
        part = sig[band * dedup.ROWS : (band + 1) * dedup.ROWS]
        value = sum(v * r for v, r in zip(part, rows, strict=True)) + int(dedup._BAND_SALT[band])
        keys.append(mix(value & M64) >> 1)
    return keys


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_shingles_signature_and_band_keys_follow_their_definitions(words):
    expected = reference_shingles(words)
    array = dedup.shingle_array(words)
    assert dedup.shingles(words) == expected
    assert array.tolist() == sorted(expected)  # sorted and distinct
    sig = dedup.signature(array)
    assert sig.dtype == np.uint32
    assert sig.tolist() == reference_signature(expected)
    assert dedup.signature(expected).tolist() == sig.tolist()  # a set gives the same
    keys = dedup.band_keys(sig)
    assert keys == reference_band_keys(sig.tolist())
    assert all(0 <= k < 1 << 63 for k in keys)


def test_word_order_matters_and_the_word_cache_gives_the_same_hashes():
    words = tokens("ستاد انتخابات کرج امروز اعلام کرد که مشارکت مردم بالا بود")
    first = dedup.shingles(words)
    dedup._word_hashes.clear()
    assert dedup.shingles(words) == first
    assert dedup.shingles(list(reversed(words))) != first


def test_the_signature_estimates_jaccard_similarity():
    """Over republications of generated articles, the estimate follows the true Jaccard
    similarity: no bias, and the spread of a 64-value MinHash (≤ 1/16)."""
    rng = random.Random(8)
    errors = []
    for _ in range(200):
        title, text = corpus.article(rng)
        derived = corpus.derive(rng, title, text, outlet="ایرنا")[1]
        a, b = dedup.shingles(tokens(text)), dedup.shingles(tokens(derived))
        estimate = dedup.similarity(dedup.signature(a), dedup.signature(b))
        errors.append(estimate - dedup.jaccard(a, b))
    assert abs(np.mean(errors)) < 0.02
    assert np.std(errors) < 0.0625
    # Unrelated articles rarely share a band key.
    sigs = [
        dedup.signature(dedup.shingle_array(tokens(corpus.article(rng)[1]))) for _ in range(300)
    ]
    keys = [set(dedup.band_keys(s)) for s in sigs]
    shared = sum(bool(keys[i] & keys[j]) for i in range(300) for j in range(i + 1, 300))
    assert shared / (300 * 299 / 2) < 0.05


@pytest.mark.django_db
def test_the_migration_recomputes_signatures_and_bands(world, personas, make_source):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from didban.monitoring.actions import do_ingest_entries
    from didban.monitoring.extract import Entry
    from didban.monitoring.models import Article, ArticleBand

    migration = importlib.import_module("didban.monitoring.migrations.0006_minhash_v2")
    source = make_source("/archive/x", kind="local")
    rng = random.Random(9)
    now = timezone.now()
    do_ingest_entries(actor=None, source=source, entries=[
        Entry(url=f"http://x.ir/{n}", title=t, text=x, published_at=now)
        for n, (t, x) in enumerate(corpus.article(rng) for _ in range(5))
    ])  # fmt: skip
    expected = {
        a.pk: (bytes(a.signature), sorted(a.bands.values_list("key", flat=True)))
        for a in Article.objects.all()
    }
    # As a database of the first scheme would hold them.
    Article.objects.update(signature=b"\1" * 256)
    ArticleBand.objects.update(key=12345)
    migration.recompute(apps, None)  # it writes through the ORM, not the schema editor
    got = {
        a.pk: (bytes(a.signature), sorted(a.bands.values_list("key", flat=True)))
        for a in Article.objects.all()
    }
    assert got == expected
    assert ArticleBand.objects.count() == 5 * dedup.BANDS
