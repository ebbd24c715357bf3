"""Cost per article of the whole pipeline on web pages against the same articles as text files.

    python -m bench.html_bench CORPORA [--runs 1] [--pages N]

The pages are zyte-extraction's 181 real news and blog pages; the text files hold what the HTML
stage extracts from each (title, then body), so both runs analyse the same articles and the
difference is the cost of reading HTML: trafilatura and htmldate, on both of the batch run's reads.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

from evals.web_benchmarks import REFERENCE, pages
from transforms.text import html


def run(folder: pathlib.Path, output: pathlib.Path) -> float:
    """Seconds of one `newsbeam run` on one worker, in a child process (start-up included)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--input", str(folder), "--output", str(output),
                    "--reference-date", REFERENCE.isoformat(), "--workers", "1"], check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pages", type=int, default=None, metavar="N", help="the first N pages only (default: all)")
    args = parser.parse_args(argv)
    found = dict(sorted(pages(args.corpora / "zyte-extraction" / "pages.tar.xz").items())[:args.pages])
    with tempfile.TemporaryDirectory() as temporary:
        root = pathlib.Path(temporary)
        (root / "html").mkdir()
        (root / "text").mkdir()
        html.extract_page(next(iter(found.values())), reference_date=REFERENCE)  # imports and caches, once
        started = time.perf_counter()
        for name, body in sorted(found.items()):
            (root / "html" / name).write_bytes(body)
            page = html.extract_page(body, reference_date=REFERENCE)
            (root / "text" / f"{name}.txt").write_text(f"{page.title or ''}\n\n{page.text}", encoding="utf-8")
        extraction = (time.perf_counter() - started) / len(found) * 1000
        times = {"text": [], "html": []}
        for _ in range(args.runs):
            for kind in ("text", "html"):
                times[kind].append(run(root / kind, root / f"out-{kind}"))
    n = len(found)
    text, page = (statistics.median(times[k]) / n * 1000 for k in ("text", "html"))
    print(f"HTML input: {n} zyte-extraction pages; the HTML stage alone {extraction:.1f} ms/page")
    print(f"  text files  {text:6.1f} ms/article (whole run, start-up included)")
    print(f"  web pages   {page:6.1f} ms/article")
    print(f"  ratio html/text: {page / text:.2f}")


if __name__ == "__main__":
    main()
