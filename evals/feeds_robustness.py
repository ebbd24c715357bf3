"""Robustness run: every real feed of the corpus, served on 127.0.0.1, through `newsbeam run --feeds`.

Each feed must either give articles or a dead_letter row that says why. Prints one line a feed.

    python -m evals.feeds_robustness ../shared/corpora
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile

from evals.feedserver import FeedServer
from pipelines.cli import main as newsbeam
from schemas import catalog
from transforms.feeds import parse_feed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    args = parser.parse_args(argv)
    feeds = sorted((args.corpora / "feeds-real").glob("*"))
    with FeedServer() as server, tempfile.TemporaryDirectory() as folder:
        urls = {server.serve(f"/{path.name}", path): path for path in feeds}
        listing = pathlib.Path(folder) / "feeds.txt"
        listing.write_text("\n".join(urls) + "\n")
        output = pathlib.Path(folder) / "out"
        if newsbeam(["run", "--feeds", str(listing), "--output", str(output)]) != 0:
            return 1
        connection = catalog.connect(str(output))
        article_ids = {row[0] for row in connection.sql("SELECT article_id FROM articles").fetchall()}
        dead = dict(connection.sql("SELECT source, error FROM dead_letter").fetchall())
        dead_items = set(dead)
    failures = 0
    print(f"{'feed':<30} {'items':>5} {'articles':>8} {'rejected':>8}  dead letter of the feed")
    for url, path in urls.items():
        documents, _ = parse_feed(url, path.read_bytes())
        ingested = sum(d.article_id in article_ids for d in documents)
        rejected = sum(d.source in dead_items and d.article_id not in article_ids for d in documents)
        reason = dead.get(url, "")
        ok = (ingested + rejected == len(documents)) and (ingested > 0 or bool(reason))
        failures += not ok
        print(f"{path.name:<30} {len(documents):>5} {ingested:>8} {rejected:>8}  {reason[:60]}"
              f"{'' if ok else '  <- LOST'}")
    print(f"{len(urls)} feeds: {len(urls) - failures} ingested or dead-lettered with a reason, {failures} lost")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
