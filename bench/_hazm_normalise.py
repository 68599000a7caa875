"""Run inside the separate hazm venv (var/bench/hazm-venv), never by the app.

Reads a JSON list of texts on stdin, normalises each with hazm's ``Normalizer().normalize``
(default settings) and writes ``{"seconds": …, "cpu_seconds": …, "texts": [...]}`` on stdout: the time
of the normalisation alone (building the Normalizer is not counted).
"""

import json
import sys
import time

from hazm import Normalizer

texts = json.load(sys.stdin)
normalizer = Normalizer()
normalizer.normalize("گرم کردن")  # load its tables before the clock starts
start, cpu = time.perf_counter(), time.process_time()
out = [normalizer.normalize(text) for text in texts]
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
json.dump(
    {"seconds": seconds, "cpu_seconds": cpu_seconds, "texts": out}, sys.stdout, ensure_ascii=False
)
