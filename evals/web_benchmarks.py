"""Article text and dates from real web pages, each public benchmark scored its own way.

    python -m evals.web_benchmarks CORPORA [--only zyte|trafilatura|htmldate] [--limit N]

- zyte-extraction (181 pages): 4-token shingles of `\\w+` tokens, precision and recall per page
  averaged over pages, F1 of the averages (scrapinghub/article-extraction-benchmark's evaluate.py).
- trafilatura-eval (990 pages): segments the text must and must not contain, micro P/R/F1.
- htmldate-eval (800 pages): exact publication day; no date counts as a miss; wrong days counted.

newsbeam's HTML stage (transforms/html.extract_page, what the pipeline runs) is scored beside
trafilatura and htmldate run in the same process on the same bytes, with pages per second.
"""

from __future__ import annotations

import argparse
import datetime
import json
import lzma
import pathlib
import re
import statistics
import tarfile
import time
from collections import Counter

from transforms.text import html

_TOKEN = re.compile(r"\w+")
REFERENCE = datetime.date(2026, 11, 29)


def pages(archive: pathlib.Path, wanted: set[str] | None = None) -> dict[str, bytes]:
    found = {}
    with lzma.open(archive) as raw, tarfile.open(fileobj=raw) as tar:
        for member in tar:
            if member.isfile() and (wanted is None or member.name in wanted):
                found[member.name] = tar.extractfile(member).read()
    return found


# --- scoring --------------------------------------------------------------------------------------

def zyte_page(true: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over multisets of 4-token shingles, as the benchmark counts them."""
    def shingles(text):
        tokens = _TOKEN.findall(text or "")
        return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])

    truth, guess = shingles(true), shingles(predicted)
    tp = sum((truth & guess).values())
    fp, fn = sum(guess.values()) - tp, sum(truth.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def zyte_scores(results: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in results if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in results if r[0] + r[2] > 0)
    return p, r, 2 * p * r / (p + r)


def micro(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p, r = tp / (tp + fp), tp / (tp + fn)
    return p, r, 2 * p * r / (p + r)


# --- extractors -----------------------------------------------------------------------------------

def newsbeam_text(page: bytes, url: str | None) -> str:
    return html.extract_page(page, url=url, reference_date=REFERENCE).text


def trafilatura_text(page: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(page, url=url, include_comments=False) or ""  # as the Zyte benchmark runs it


def newsbeam_date(page: bytes, url: str | None) -> str | None:
    found = html.extract_page(page, url=url, reference_date=REFERENCE).date
    return found.isoformat() if found else None


def htmldate_date(page: bytes, url: str | None) -> str | None:
    import htmldate

    return htmldate.find_date(page, url=url, original_date=True, outputformat="%Y-%m-%d",
                              max_date=REFERENCE.isoformat())


def timed(function, items):
    started = time.perf_counter()
    answers = [function(*item) for item in items]
    return answers, len(items) / (time.perf_counter() - started)


# --- benchmarks -----------------------------------------------------------------------------------

def zyte(corpora: pathlib.Path, limit: int | None) -> None:
    root = corpora / "zyte-extraction"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    found = pages(root / "pages.tar.xz")
    keys = sorted(truth)[:limit]
    items = [(found[f"{key}.html"], truth[key].get("url")) for key in keys]
    print(f"zyte-extraction: {len(keys)} pages, article body, 4-token shingle P/R per page, F1 of the means")
    for name, function in (("newsbeam", newsbeam_text), ("trafilatura", trafilatura_text)):
        texts, speed = timed(function, items)
        p, r, f1 = zyte_scores([zyte_page(truth[k].get("articleBody", ""), t) for k, t in zip(keys, texts,
                                                                                           strict=True)])
        print(f"  {name:<12} F1 {f1:.4f}  P {p:.3f}  R {r:.3f}  {speed:6.1f} pages/s")


def trafilatura_eval(corpora: pathlib.Path, limit: int | None) -> None:
    root = corpora / "trafilatura-eval"
    segments = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    entries = sorted(segments.items())[:limit]
    archives = {"trafilatura": root / "pages.tar.xz", "htmldate": corpora / "htmldate-eval" / "pages.tar.xz"}
    found = {}
    for archive, path in archives.items():
        wanted = {manifest[e["file"]]["member"] for _, e in entries if manifest[e["file"]]["archive"] == archive}
        found[archive] = pages(path, wanted)
    items = [(found[manifest[e["file"]]["archive"]][manifest[e["file"]]["member"]], url) for url, e in entries]
    print(f"trafilatura-eval: {len(entries)} pages, segments the text must / must not contain, micro P/R/F1")
    for name, function in (("newsbeam", newsbeam_text), ("trafilatura", trafilatura_text)):
        texts, speed = timed(function, items)
        tp = fp = fn = 0
        for (_, entry), text in zip(entries, texts, strict=True):
            for segment in entry.get("with", []):
                tp, fn = (tp + 1, fn) if segment in text else (tp, fn + 1)
            fp += sum(segment in text for segment in entry.get("without", []))
        p, r, f1 = micro(tp, fp, fn)
        print(f"  {name:<12} F1 {f1:.4f}  P {p:.3f}  R {r:.3f}  {speed:6.1f} pages/s")


def htmldate_eval(corpora: pathlib.Path, limit: int | None) -> None:
    root = corpora / "htmldate-eval"
    expected = sorted(json.loads((root / "eval_default.json").read_text(encoding="utf-8")).items())[:limit]
    found = pages(root / "pages.tar.xz")
    by_name = {name.split("/", 1)[1]: body for name, body in found.items() if "/" in name}
    items = [(by_name[entry["file"]], url) for url, entry in expected]
    print(f"htmldate-eval: {len(expected)} pages, exact publication day (no date is a miss)")
    for name, function in (("newsbeam", newsbeam_date), ("htmldate", htmldate_date)):
        days, speed = timed(function, items)
        right = sum(day == entry["date"] for (_, entry), day in zip(expected, days, strict=True))
        none = sum(day is None for day in days)
        wrong = len(days) - right - none
        print(f"  {name:<12} accuracy {right / len(days):.4f}  ({right} right, {wrong} wrong, {none} none)"
              f"  {speed:6.1f} pages/s")
        if name == "newsbeam":
            by_language = Counter(), Counter()
            for (page, _), (_, entry), day in zip(items, expected, days, strict=True):
                language = html.declared_language(page) or "(none)"
                by_language[0][language] += 1
                by_language[1][language] += day == entry["date"]
            print("    by the page's declared language: " + ", ".join(
                f"{language} {by_language[1][language]}/{n}" for language, n in by_language[0].most_common(8)))


BENCHMARKS = {"zyte": zyte, "trafilatura": trafilatura_eval, "htmldate": htmldate_eval}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--limit", type=int, default=None, help="the first N pages of each benchmark")
    args = parser.parse_args(argv)
    for name in args.only or BENCHMARKS:
        BENCHMARKS[name](args.corpora, args.limit)


if __name__ == "__main__":
    main()
