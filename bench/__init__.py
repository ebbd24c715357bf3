"""Benchmarks (`make bench`): speed and memory on corpora built from real text; they print figures."""
