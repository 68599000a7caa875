"""Didban's benchmarks: `make bench` (all) or `make bench ONLY=name` (bench/<name>.py)."""
