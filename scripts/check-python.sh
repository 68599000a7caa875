#!/usr/bin/env bash
# Stop early, with a clear message, when Python is too old or cannot make a virtual environment.
set -euo pipefail
python="${1:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "Didban needs Python 3.11 or newer: '$python' was not found. On Debian/Ubuntu: sudo apt-get install python3 python3-venv" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Didban needs Python 3.11 or newer; $("$python" --version) was found. Run: make demo PYTHON=python3.11" >&2
  exit 1
fi
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing python3-venv (needed to create .venv)…"
    ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt-get install -y -q "python${ver}-venv" || apt-get install -y -q python3-venv
  else
    echo "Python cannot create virtual environments here. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
