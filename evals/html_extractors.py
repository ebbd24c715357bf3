"""Compare HTML main-text extractors on pages with known bodies: newsbeam's (selectolax) and trafilatura.

Pages are built from real BBC articles wrapped in real-looking page chrome (navigation, a photo
with its credit, share links, a cookie notice, "Related stories" and "Most read" lists made of other
BBC headlines, a footer), so the true body of each page is known. Prints body token precision and
recall, title accuracy and pages per second.

    python -m evals.html_extractors ../shared/corpora [--pages 300]
"""

from __future__ import annotations

import argparse
import html as html_lib
import pathlib
import re
import time
from collections import Counter

from evals.corpora import bbc_articles
from transforms import boilerplate
from transforms.html import html_to_text

_TOKEN = re.compile(r"\w+")


def page(article, others: list[str], variant: int) -> str:
    esc = html_lib.escape
    paragraphs = [p for p in article.body.split("\n") if p.strip()]
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    links = "".join(f'<li><a href="/news/{i}">{esc(t)}</a></li>' for i, t in enumerate(others[:6]))
    most_read = "".join(f'<div class="item"><a href="/m/{i}">{esc(t)}</a></div>'
                        for i, t in enumerate(others[6:11]))
    nav = ('<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
           '<li><a href="/sport">Sport</a></li></ul></nav>')
    if variant % 2:  # half the pages use no semantic tags at all, as many sites do
        nav = nav.replace("<nav>", '<div class="menu">').replace("</nav>", "</div>")
    return (
        f"<!DOCTYPE html><html><head><title>{esc(article.headline)} - BBC News</title></head><body>"
        f"<div class='top'>{nav}</div>"
        "<div class='cookie'>We use cookies to give you the best online experience. "
        "Please let us know if you agree.</div>"
        f"<div class='story'><h1>{esc(article.headline)}</h1>"
        "<figure><img src='a.jpg'><figcaption>The minister at a press conference "
        "(Photo: AFP via Getty Images)</figcaption></figure>"
        f"{body}"
        "<div class='share'>Share this article: <a href='#'>Facebook</a> <a href='#'>Twitter</a> "
        "<a href='#'>Email</a></div>"
        f"<div class='related'><h3>Related stories</h3><ul>{links}</ul></div></div>"
        f"<div class='sidebar'><h3>Most read</h3>{most_read}</div>"
        "<footer><p>© 2005 BBC. The BBC is not responsible for the content of external sites.</p></footer>"
        "</body></html>"
    )


def newsbeam_extract(html: str, rules) -> tuple[str | None, str]:
    extracted = html_to_text(html)
    stripped = boilerplate.strip_page(extracted.text, rules, known_title=extracted.title)
    return stripped.title, stripped.body


def trafilatura_extract(html: str, _rules) -> tuple[str | None, str]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    metadata = trafilatura.extract_metadata(html)
    return (metadata.title if metadata else None), text


def score(extractor, pages, rules):
    true_positive = extracted_total = truth_total = titles = 0
    started = time.perf_counter()
    outputs = [extractor(html, rules) for _, html in pages]
    seconds = time.perf_counter() - started
    for (article, _), (title, text) in zip(pages, outputs, strict=True):
        truth, got = Counter(_TOKEN.findall(article.body.lower())), Counter(_TOKEN.findall(text.lower()))
        true_positive += sum((truth & got).values())
        extracted_total += sum(got.values())
        truth_total += sum(truth.values())
        titles += (title or "").strip() == article.headline
    return (true_positive / max(extracted_total, 1), true_positive / truth_total, titles / len(pages),
            len(pages) / seconds)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args(argv)
    articles = list(bbc_articles(args.corpora))[:: max(1, 2225 // args.pages)][: args.pages]
    headlines = [a.headline for a in articles]
    pages = [(a, page(a, headlines[i + 1:] + headlines[:i], i)) for i, a in enumerate(articles)]
    rules = boilerplate.Rules.load()
    print(f"HTML extraction on {len(pages)} BBC articles in page chrome (body tokens)")
    print(f"{'extractor':<24} {'precision':>9} {'recall':>7} {'title':>6} {'pages/s':>8}")
    for name, extractor in (("newsbeam (selectolax)", newsbeam_extract), ("trafilatura 2.3", trafilatura_extract)):
        precision, recall, title, rate = score(extractor, pages, rules)
        print(f"{name:<24} {precision:>9.3f} {recall:>7.3f} {title:>6.3f} {rate:>8.0f}")


if __name__ == "__main__":
    main()
