"""Dedup speed and memory: N real-text articles (30% copies), as the pipeline dedups them, on one worker.

First read: clean and FindDuplicates; second read: clean, and each article joined to its findings by key.
The corpus is built from BBC text (bench/corpus.py), or from the seeds without a corpora path.

Each size runs in its own process, on the in-process runner whose one worker is that process, so
the peak RSS printed is the worker's own for that size.

    python -m bench.dedup_bench [CORPORA] [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import apache_beam as beam

from bench.corpus import build
from transforms.dedup.duplicates import FindDuplicates
from transforms.findings import JoinFindings
from transforms.sources.inputs import DOCUMENTS
from transforms.sources.read import ReadDocuments
from transforms.text.clean import CleanArticles


def run_once(folder: str) -> dict:
    """One pipeline run in this process; returns its figures."""
    import datetime

    started = time.perf_counter()
    reference = datetime.date(2026, 1, 1)
    pipeline = beam.Pipeline(runner="FnApiRunner")
    # as pipelines/pipeline.py reads a run's files: a survey first, counted apart, then the documents
    first = pipeline | "FirstRead" >> ReadDocuments([f"{folder}/*.txt"], counters="first_read")
    cleaned = (first[DOCUMENTS] | "FirstClean" >> CleanArticles(reference, counters="first_read")).articles
    duplicates = (cleaned | FindDuplicates()).duplicates
    second = pipeline | "SecondRead" >> ReadDocuments([f"{folder}/*.txt"])
    _ = (((second[DOCUMENTS] | "SecondClean" >> CleanArticles(reference)).articles | JoinFindings(duplicates)).articles
         | beam.Filter(lambda a: a.is_duplicate)
         | beam.combiners.Count.Globally()
         | beam.Map(lambda n: print(json.dumps({"duplicates": n}), flush=True)))
    pipeline.run().wait_until_finish()
    return {"seconds": time.perf_counter() - started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path, nargs="?", help="the folder holding bbc/ (default: the seeds)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one run in a child process
    args = parser.parse_args(argv)
    if args.run:
        print(json.dumps(run_once(args.run)), flush=True)
        return
    source = f"BBC ({args.corpora})" if args.corpora else "the seeds"
    print(f"dedup benchmark: two reads (find copies, then mark them), FnApiRunner, one worker, 30% copies; "
          f"corpora built from {source}")
    print(f"{'documents':>10} {'copies':>7} {'found':>7} {'seconds':>8} {'docs/s':>8} {'peak RSS MB per worker':>22}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            copies = build(args.corpora, pathlib.Path(folder), size)
            child = subprocess.run([sys.executable, "-m", "bench.dedup_bench", "--run", folder],
                                   capture_output=True, text=True, check=True)
            figures = {}
            for line in child.stdout.splitlines():
                if line.startswith("{"):
                    figures.update(json.loads(line))
            print(f"{size:>10} {copies:>7} {figures.get('duplicates', 0):>7} {figures['seconds']:>8.1f} "
                  f"{size / figures['seconds']:>8.0f} {figures['peak_rss_mb']:>22.0f}", flush=True)


if __name__ == "__main__":
    main()
