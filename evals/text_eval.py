"""Text stage evaluation: title accuracy and publication-date accuracy on labelled real articles.

Labelled sets, all real text:
- bbc: 2,225 BBC articles of 2004-05; the first line is the headline. No dates are given, so a date
  counts as correct when it falls in 2004-2005 and wrong otherwise. Run with the archive's reference
  date (2005-12-31) and, to show what the recency rule does to an archive, with today's.
- feeds: Guardian (en) and heise (de) feed items; title and pubDate given by the feed. The page is the
  title line and the item's HTML turned to text, without the feed's date: the date must come from
  the text, or stay null.
- seeds: the five seed articles; 000 is 2025-10-21 and 003 2025-10-31; the other three do not state
  their date, so any date for them is wrong.

Wrong dates count against the pipeline more than nulls: a null is visible, a wrong date is not.

    python -m evals.text_eval ../shared/corpora
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import pathlib

from evals.corpora import bbc_articles, feed_items
from schemas.records import Article, Document
from transforms.sources.read import split_metadata
from transforms.text.clean import CleanDocumentFn
from transforms.text.html import html_to_text

SEEDS = pathlib.Path(__file__).resolve().parents[1] / "seeds"
SEED_TITLES = {2: "Trump-Putin Summit Derailed: Ukraine Demands Scuttle Hopes",
               4: "Trump-Putin summit now being 'fast-tracked,' CNN reports"}
SEED_DATES = {0: datetime.date(2025, 10, 21), 3: datetime.date(2025, 10, 31)}


@dataclasses.dataclass
class Case:
    text: str
    title: str | None
    date_ok: object  # a callable: date or None -> "correct" | "null" | "wrong"
    metadata_date: datetime.date | None = None


def exact(expected):
    def judge(got):
        if got is None:
            return "correct" if expected is None else "null"
        return "correct" if got == expected else "wrong"
    return judge


def within(first: datetime.date, last: datetime.date):
    return lambda got: "null" if got is None else ("correct" if first <= got <= last else "wrong")


def clean(cases: list[Case], reference: datetime.date) -> list[Article]:
    fn = CleanDocumentFn(reference)
    fn.setup()
    out = []
    for i, case in enumerate(cases):
        document = Document(article_id=str(i), source=f"case{i}.txt", text=case.text, metadata_date=case.metadata_date)
        out.extend(a for a in fn.process(document) if isinstance(a, Article))
        if len(out) != i + 1:
            out.append(None)
    return out


def _same(got: str | None, expected: str | None) -> bool:
    return (got and " ".join(got.split())) == (expected and " ".join(expected.split()))


def report(name: str, cases: list[Case], reference: datetime.date) -> None:
    articles = clean(cases, reference)
    titles = sum(_same(a.title if a else None, c.title) for a, c in zip(articles, cases, strict=True))
    verdicts = [c.date_ok(a.published_date if a else None) for a, c in zip(articles, cases, strict=True)]
    n = len(cases)
    print(f"{name:<28} {n:>5} {titles / n:>9.3f} "
          + " ".join(f"{verdicts.count(v):>7}" for v in ("correct", "null", "wrong")))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="title and date accuracy of the clean stage")
    parser.add_argument("corpora", type=pathlib.Path)
    args = parser.parse_args(argv)
    today = datetime.date.today()

    bbc = [Case(a.raw, a.headline, within(datetime.date(2004, 1, 1), datetime.date(2005, 12, 31)))
           for a in bbc_articles(args.corpora)]
    feeds = []
    for item in feed_items(args.corpora):
        feeds.append(Case(f"{item.title}\n\n{html_to_text(item.html).text}", item.title, exact(item.published)))
    seeds = []
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        text, metadata_date = split_metadata(path.read_text(encoding="utf-8"))
        seeds.append(Case(text, SEED_TITLES.get(n), exact(SEED_DATES.get(n)), metadata_date))

    print("text stage: titles and publication dates")
    print(f"{'set':<28} {'n':>5} {'title acc':>9} {'correct':>7} {'null':>7} {'wrong':>7}")
    report("bbc (ref 2005-12-31)", bbc, datetime.date(2005, 12, 31))
    report(f"bbc (ref today {today})", bbc, today)
    report("feeds guardian+heise", feeds, today)
    report("seeds", seeds, today)


if __name__ == "__main__":
    main()
