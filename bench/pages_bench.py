"""Article pages: fetch throughput across many polite hosts, and the pipeline's cost with pages on and off.

    python -m bench.pages_bench CORPORA [--hosts 20] [--pages 10] [--delay 1]

Each host is a local server (its own port, so its own politeness key) serving real pages from
zyte-extraction. With at most 2 connections and `--delay` seconds between requests per host, N
hosts should give about N / delay pages a second. Then `newsbeam run --feeds` over a feed of
one-line summaries linking to those pages, with and without `--follow-links`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import pathlib
import subprocess
import sys
import tempfile
import time

from evals.feedserver import FeedServer
from evals.web_benchmarks import REFERENCE, pages
from transforms.sources.fetch import Fetcher
from transforms.sources.pages import PAGE_OPTIONS


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10, help="pages per host")
    parser.add_argument("--delay", type=float, default=PAGE_OPTIONS.host_delay)
    args = parser.parse_args(argv)
    bodies = list(pages(args.corpora / "zyte-extraction" / "pages.tar.xz").values())
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as temporary:
        servers = [stack.enter_context(FeedServer()) for _ in range(args.hosts)]
        links = []
        for h, server in enumerate(servers):
            for p in range(args.pages):
                links.append(server.serve(f"/article/{p}", bodies[(h * args.pages + p) % len(bodies)],
                                          content_type="text/html"))
        options = dataclasses.replace(PAGE_OPTIONS, host_delay=args.delay)
        started = time.perf_counter()
        answers = Fetcher(options).fetch_all(links)
        seconds = time.perf_counter() - started
        fetched = sum(isinstance(body, bytes) for _, body in answers)
        most_open = max(max(s.most_open.values()) for s in servers)
        print(f"pages: {args.hosts} hosts x {args.pages} pages, at most {options.per_host} connections and "
              f"{args.delay:g}s between requests per host")
        print(f"  fetched {fetched}/{len(links)} in {seconds:.1f}s: {fetched / seconds:.1f} pages/s "
              f"(ideal {args.hosts / args.delay:.1f}); most connections open to one host: {most_open}")

        items = "".join(f"<item><title>Article {n}</title><link>{link}</link><guid>{n}</guid>"
                        f"<description>One-line summary of article {n}.</description></item>"
                        for n, link in enumerate(links))
        feed = servers[0].serve("/feed.rss", f"<rss version='2.0'><channel><title>b</title>{items}</channel></rss>")
        for label, extra in (("feed text only", ["--no-follow-links"]),
                             ("with pages", ["--follow-links", "--host-delay", str(args.delay)])):
            output = pathlib.Path(temporary) / label.replace(" ", "-")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", feed, "--output", str(output),
                            "--reference-date", REFERENCE.isoformat(), *extra], check=True, capture_output=True)
            seconds = time.perf_counter() - started
            print(f"  pipeline, {label:<15} {seconds / len(links) * 1000:6.1f} ms/article "
                  f"({len(links)} items, {seconds:.1f}s with start-up)")


if __name__ == "__main__":
    main()
