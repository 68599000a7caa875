"""Run the benchmarks: each `bench/<name>.py` has `run(report)`.

`report(name, value, unit, *, baseline, baseline_label)` records one figure together with a
baseline measured in the same run; the runner prints one line per figure with the ratio and
writes every figure to var/bench/latest.json. Benchmarks use their own temporary database so
they never touch the demo's data.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare_django() -> None:
    os.environ.setdefault("DIDBAN_DATA_DIR", tempfile.mkdtemp(prefix="didban-bench-"))
    os.environ.setdefault("DIDBAN_HTTPS", "false")
    os.environ.setdefault("DIDBAN_STATIC_MANIFEST", "false")
    os.environ.setdefault("DIDBAN_AXES_ENABLED", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "didban.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def discover() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not m.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", help="run one benchmark (bench/<name>.py)")
    options = parser.parse_args(argv)
    names = discover()
    if options.only:
        if options.only not in names:
            print(
                f"no benchmark named {options.only!r}; there are: {', '.join(names)}",
                file=sys.stderr,
            )
            return 2
        names = [options.only]
    _prepare_django()
    figures: list[dict] = []
    failures: list[str] = []

    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()

        def report(figure, value, unit, *, baseline, baseline_label, _bench=name):
            ratio = (
                (baseline / value)
                if value and unit_is_time(unit)
                else (value / baseline if baseline else None)
            )
            entry = {
                "bench": _bench,
                "name": figure,
                "value": value,
                "unit": unit,
                "baseline": baseline,
                "baseline_label": baseline_label,
                "ratio": ratio,
            }
            figures.append(entry)
            if ratio is None:
                ratio_text = "ratio n/a"
            elif unit_is_time(unit):
                ratio_text = f"ratio {ratio:.2f} (baseline time / our time)"
            else:
                ratio_text = f"ratio {ratio:.2f} (ours / baseline)"
            print(
                f"{_bench}.{figure}: {value:,.3f} {unit} | baseline ({baseline_label}): "
                f"{baseline:,.3f} {unit} | {ratio_text}",
                flush=True,
            )

        try:
            module.run(report)
        except Exception:
            failures.append(name)
            traceback.print_exc()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)

    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "database": _database_vendor(),
        "figures": figures,
        "failed": failures,
    }
    (out / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"wrote {out / 'latest.json'}")
    return 1 if failures else 0


def unit_is_time(unit: str) -> bool:
    return unit in ("s", "ms", "µs", "us")


def _database_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    sys.exit(main())
