"""Robustness run: real feeds served on 127.0.0.1, through `newsbeam run --feeds`, every feed accounted for.

Two corpora: `feeds-real` (31 real-world feeds) and `feedparser-tests` (feedparser's 2,248 test feeds:
well-formed, ill-formed, odd encodings, entities, compressed). Each feed must end as articles or as
a dead letter that says why; an item as an article or a dead letter. Prints, per corpus, feeds
ingested / dead-lettered / lost, items lost, article ids written twice, and whether the run
ended in a traceback.

    python -m evals.feeds_robustness ../shared/corpora [--corpus feeds-real] [--verbose]
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

from evals.feedserver import FeedServer
from schemas import catalog
from transforms.sources.feeds import parse_feed

CORPORA = ("feeds-real", "feedparser-tests")


def feed_files(root: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "LICENSE")


def account(corpus: pathlib.Path, verbose: bool) -> bool:
    files = feed_files(corpus)
    with FeedServer() as server, tempfile.TemporaryDirectory() as folder:
        urls = {server.serve("/" + str(path.relative_to(corpus)), path): path for path in files}
        listing = pathlib.Path(folder) / "feeds.txt"
        listing.write_text("\n".join(urls) + "\n")
        output = pathlib.Path(folder) / "out"
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", str(listing),
                              "--no-follow-links", "--output", str(output)], capture_output=True, text=True)
        seconds = time.monotonic() - started
        if run.returncode != 0:
            print(f"{corpus.name}: the run failed (rc={run.returncode}) after {seconds:.0f}s; every feed lost")
            print("\n".join(run.stderr.strip().splitlines()[-3:]))
            return False
        connection = catalog.connect(str(output))
        ids = [row[0] for row in connection.sql("SELECT article_id FROM articles").fetchall()]
        dead = dict(connection.sql("SELECT source, any_value(error) FROM dead_letter GROUP BY 1").fetchall())
    written, twice = set(ids), len(ids) - len(set(ids))
    ingested = dead_lettered = lost = items = items_lost = 0
    for url, path in urls.items():
        documents, _ = parse_feed(url, path.read_bytes())
        accounted = [d.article_id in written or d.source in dead for d in documents]
        items += len(documents)
        items_lost += accounted.count(False)
        if documents and any(d.article_id in written for d in documents):
            ingested += 1
        elif url in dead or (documents and all(accounted)):
            dead_lettered += 1
        else:
            lost += 1
            if verbose:
                print(f"  LOST {path.relative_to(corpus)}")
    traceback = "Traceback" in run.stderr
    print(f"{corpus.name:<17} {len(urls):>6} {ingested:>9} {dead_lettered:>14} {lost:>5} {items:>6} {items_lost:>11} "
          f"{twice:>11} {'yes' if traceback else 'no':>9} {seconds:>6.0f}s")
    return lost == 0 and items_lost == 0 and twice == 0 and not traceback


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="only these corpora (default: both)")
    parser.add_argument("--verbose", action="store_true", help="name every lost feed")
    args = parser.parse_args(argv)
    print(f"{'corpus':<17} {'feeds':>6} {'ingested':>9} {'dead-lettered':>14} {'lost':>5} {'items':>6} "
          f"{'items lost':>11} {'ids twice':>11} {'traceback':>9} {'time':>7}")
    results = [account(args.corpora / name, args.verbose) for name in args.corpus or CORPORA]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
