"""Memory of a whole run that loads every language backend it meets: the real feeds of feeds-real.

    python -m bench.backends_bench CORPORA [--workers 1]

Runs `newsbeam run --no-follow-links --feeds FILE ...` over every feed file of CORPORA/feeds-real
(English, German, Portuguese and a few items that other languages' models or CoreNLP read) in a child
process, and prints the peak RSS of each process of the run (the Python worker or workers, and the Java
process of CoreNLP when a German, Spanish or Italian article started it), their sum, and the articles per
detected language, so that a figure says which backends it held. Issue 32's bar: the whole run at most
1.5 GB.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import subprocess
import sys
import tempfile
import time

from bench.memory import TreePeaks


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--workers", type=int, default=1, help="as newsbeam run --workers (default: %(default)s)")
    args = parser.parse_args(argv)
    feeds = sorted(p for p in (args.corpora / "feeds-real").iterdir() if p.is_file() and not p.name.startswith("."))
    with tempfile.TemporaryDirectory() as folder:
        output = pathlib.Path(folder) / "out"
        command = [sys.executable, "-m", "pipelines.cli", "run", "--no-follow-links", "--output", str(output),
                   f"--workers={args.workers}"]
        for feed in feeds:
            command += ["--feeds", str(feed)]
        started = time.perf_counter()
        with tempfile.TemporaryFile() as log:
            child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            with TreePeaks(child.pid) as peaks:
                _, status, _ = os.wait4(child.pid, 0)
            if os.waitstatus_to_exitcode(status):
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-4000:])
                raise SystemExit(f"newsbeam run failed over {len(feeds)} feeds")
        seconds = time.perf_counter() - started
        languages = collections.Counter(_languages(output))
    processes = sorted(((name, mb) for name, mb in peaks.peaks.values() if mb >= 50), key=lambda p: -p[1])
    print(f"backends bench: {len(feeds)} feeds of {args.corpora / 'feeds-real'}, {sum(languages.values())} articles "
          f"in {seconds:.0f} s")
    print("  articles by language: " + ", ".join(f"{lang} {n}" for lang, n in languages.most_common()))
    print("  peak RSS per process: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in processes))
    print(f"  whole run: {sum(mb for _, mb in processes):.0f} MB (sum of the processes' peaks)")


def _languages(output: pathlib.Path) -> list[str]:
    import duckdb

    if not any((output / "articles").rglob("*.parquet")):
        return []
    files = str(output / "articles" / "**" / "*.parquet")
    return [row[0] or "unknown" for row in duckdb.sql(f"SELECT language FROM read_parquet('{files}')").fetchall()]


if __name__ == "__main__":
    main()
