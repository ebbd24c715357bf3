"""Streaming soak: a feed that changes on every poll, for N minutes; prints the stream's RSS over time.

    python -m bench.stream_soak [CORPORA] [--minutes 10] [--poll 5] [--sample 30]

Items are real Guardian items (feeds-real/guardian.rss) when the corpora path is given, re-titled
per poll so every poll brings new items; memory should stay flat once the model is loaded (a
stream that grows a little every poll fails only after days, which no test would see).
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

from bench.memory import TreePeaks
from evals.feedserver import FeedServer

ITEM = ("<item><title>{title}</title><link>https://news.example/{n}</link><guid>{n}</guid>"
        "<pubDate>Tue, 21 Oct 2025 09:00:00 GMT</pubDate><description>{text}</description></item>")


def texts(corpora: pathlib.Path | None) -> list[str]:
    if corpora is None:
        return ["The Kremlin said on Tuesday that the talks in Budapest had been postponed. " * 5]
    import feedparser

    parsed = feedparser.parse((corpora / "feeds-real" / "guardian.rss").read_bytes())
    return [e.get("summary", "") for e in parsed.entries if e.get("summary")]


def rss_kb(pid: int) -> int:
    """The process's RSS now; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS"))
    except (OSError, StopIteration):
        return 0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path, nargs="?")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--poll", type=float, default=5)
    parser.add_argument("--sample", type=float, default=30, metavar="S", help="seconds between RSS lines (default: 30)")
    args = parser.parse_args(argv)
    pool = texts(args.corpora)
    with FeedServer() as server, tempfile.TemporaryDirectory() as output:
        counter = {"n": 0}

        def publish():
            """Five new items on the feed, beside the twenty before them."""
            start = counter["n"]
            counter["n"] += 5
            items = "".join(ITEM.format(title=f"Story {n}", n=n, text=pool[n % len(pool)].replace("&", "&amp;")
                                        .replace("<", "&lt;")) for n in range(max(0, start - 20), counter["n"]))
            server.serve("/live.rss", f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")

        def grow():
            while not stop.wait(args.poll):
                publish()

        stop = threading.Event()
        publish()  # the feed is there before the stream starts
        threading.Thread(target=grow, daemon=True).start()
        command = [sys.executable, "-m", "pipelines.cli", "stream", "--feeds", server.base + "/live.rss",
                   "--no-follow-links", "--output", output, "--poll-interval", str(args.poll), "--window", "60",
                   "--duration", str(args.minutes * 60)]
        print(f"stream soak: a feed growing by 5 items every {args.poll:g}s, {args.minutes:g} minutes")
        print(f"{'minute':>6} {'RSS MB':>7} {'items served':>12}", flush=True)
        started = time.time()
        stream = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        with TreePeaks(stream.pid) as peaks:
            while True:
                try:
                    stream.wait(timeout=args.sample)
                    break
                except subprocess.TimeoutExpired:
                    print(f"{(time.time() - started) / 60:>6.1f} {rss_kb(stream.pid) / 1024:>7.0f} {counter['n']:>12}",
                          flush=True)
        stop.set()
        from schemas import catalog

        rows = catalog.connect(output).sql("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchall()
        print(f"peak RSS {peaks.command_mb() or 0:.0f} MB; articles written: {rows[0][0]} ({rows[0][1]} distinct); "
              f"stream exit code {stream.returncode}")


if __name__ == "__main__":
    main()
