"""IPTC subjects against labels: the BBC's held-out half, recent English pages, and other languages.

    python -m evals.topics_eval CORPORA [--labels FILE ...] [--show N]

- BBC: the half of the corpus the model never saw (evals/topics_train.bbc_half), each section against
  its IPTC subject (business -> economy, business and finance; entertainment -> arts, culture,
  entertainment and media; politics; sport; tech -> science and technology): accuracy of the best
  subject, and coverage (articles that get any subject); beside it "by guide", against the label guide's
  subject, which is the section's but for the articles of evals/labels/topics_bbc_test.toml (game reviews,
  convictions, trials: the conventions decided on 2026-12-07).
- evals/labels/topics_test.toml (English) and topics_languages_test.toml (fr, es, de, it, ru): pages and
  feed items labelled before any classifier existed; the best subject against `primary`, per language.
  Each text is read as the pipeline reads it (the clean stage; the page's article text; its language
  detected). `--labels evals/labels/topics_dev.toml` scores the DEV set the classifier was tuned on.
- evals/labels/topics_test2.toml (English test 2): 135 more pages and feed items, drawn and labelled by a
  labeller blind to the classifier after topics_test.toml had been scored in tuning; never tuned on.
- evals/labels/topics_languages_test2.toml (German test 2): 47 German pages drawn and labelled after German's
  DEV gain had failed to reach topics_languages_test.toml; never tuned on.
- evals/labels/topics_test3.toml (English test 3): 114 texts from documents no topics label file had used (pages,
  newspaper4k's test articles, Guardian business headlines of 2020; part 2: the web pages other registries'
  packages ship, evals/package_texts.py), labelled after both English test sets had been scored in three rounds;
  each source's accuracy is printed under the whole.
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import tomllib
from collections import Counter, defaultdict

from evals.status_eval import REFERENCE, clean, labelled_pages, load_text
from evals.web_benchmarks import pages as web_pages
from schemas.records import analysed_text
from transforms.nlp.subjects import SubjectClassifier, taxonomy
from transforms.text import html
from transforms.text.clean import CleanDocumentFn
from transforms.text.language import DetectLanguageFn

LABELS = pathlib.Path(__file__).resolve().parent / "labels"
TEST_SETS = (LABELS / "topics_test.toml", LABELS / "topics_languages_test.toml", LABELS / "topics_test2.toml",
             LABELS / "topics_languages_test2.toml", LABELS / "topics_test3.toml")


def labelled_articles(corpora: pathlib.Path, labels: pathlib.Path) -> list[dict]:
    """Each labelled article as the pipeline reads it: key, language (detected), title, text, primary, also.
    A page's title is its own (as the clean stage reads pages); a zyte-extraction article is its labelled
    body under its page's title; a feed item is its title and text."""
    entries = tomllib.loads(labels.read_text(encoding="utf-8"))
    pages = labelled_pages(corpora, set(entries))
    zyte = {key.split(":", 1)[1] + ".html" for key in entries if key.startswith("zyte-extraction:")}
    zyte_pages = web_pages(corpora / "zyte-extraction" / "pages.tar.xz", zyte) if zyte else {}
    cleaner = CleanDocumentFn(REFERENCE)
    cleaner.setup()
    detector = DetectLanguageFn()
    detector.setup()
    found = []
    for key, entry in entries.items():
        title = None
        if key in pages:
            page = html.extract_page(pages[key])
            text, title = page.text, page.title
        else:
            text = load_text(corpora, key, pages)
            if (member := key.split(":", 1)[1] + ".html") in zyte_pages:
                title = html.extract_page(zyte_pages[member]).title
        article = clean(cleaner, key, text)
        article = dataclasses.replace(article, title=title or article.title)
        article = dataclasses.replace(article, language=detector.detect(analysed_text(article)))
        found.append({"key": key, "language": article.language, "labelled_language": entry.get("language"),
                      "title": article.title, "text": article.text, "primary": entry["primary"],
                      "also": entry.get("also", [])})
    return found


def bbc_figures(corpora: pathlib.Path, classifier: SubjectClassifier) -> None:
    from evals.corpora import bbc_articles
    from evals.topics_train import SECTIONS, bbc_half, relabelled

    guide = relabelled("test")
    right, by_guide, covered, total, wrong = Counter(), Counter(), Counter(), Counter(), defaultdict(Counter)
    for article in bbc_articles(corpora):
        if bbc_half(article.raw) != "test":
            continue
        section = article.path.split("/")[1]
        found = classifier.subjects(article.headline, article.body, "en")
        best = found[0][0] if found else None
        total[section] += 1
        covered[section] += bool(found)
        right[section] += best == SECTIONS[section]
        by_guide[section] += best == guide.get(article.path, SECTIONS[section])
        if found and best != SECTIONS[section]:
            wrong[section][best] += 1
    print("BBC, held-out half: the best subject against the section's (the acceptance), and against the label")
    print("guide's (the section's but for the articles of evals/labels/topics_bbc_test.toml)")
    print(f"{'section':<14}{'articles':>9}{'accuracy':>10}{'by guide':>10}{'coverage':>10}  most common wrong subject")
    for section in sorted(total):
        common = ", ".join(f"{name(code)} {n}" for code, n in wrong[section].most_common(2))
        print(f"{section:<14}{total[section]:>9}{right[section] / total[section]:>10.3f}"
              f"{by_guide[section] / total[section]:>10.3f}{covered[section] / total[section]:>10.3f}  {common}")
    n = sum(total.values())
    print(f"{'all':<14}{n:>9}{sum(right.values()) / n:>10.3f}{sum(by_guide.values()) / n:>10.3f}"
          f"{sum(covered.values()) / n:>10.3f}\n")


def name(code: str) -> str:
    return taxonomy()[code].name


def labelled_figures(corpora: pathlib.Path, labels: pathlib.Path, classifier: SubjectClassifier, show: int) -> None:
    right, in_labels, covered, total = Counter(), Counter(), Counter(), Counter()
    by_source, source_total = Counter(), Counter()
    misses = []
    for article in labelled_articles(corpora, labels):
        language = article["labelled_language"] or article["language"]
        found = classifier.subjects(article["title"], article["text"], article["language"])
        best = found[0][0] if found else None
        total[language] += 1
        covered[language] += best is not None
        right[language] += best == article["primary"]
        in_labels[language] += best in (article["primary"], *article["also"])
        source = article["key"].split(":", 1)[0]
        source_total[source] += 1
        by_source[source] += best == article["primary"]
        if best != article["primary"]:
            misses.append((article["key"], article["title"], article["primary"], best))
    print(f"{labels.name}: the best subject against `primary` (and against `primary` or `also`)")
    print(f"{'language':<10}{'articles':>9}{'accuracy':>10}{'in labels':>11}{'coverage':>10}")
    for language in sorted(total, key=lambda lang: (lang != "en", lang)):
        n = total[language]
        print(f"{language:<10}{n:>9}{right[language] / n:>10.3f}{in_labels[language] / n:>11.3f}"
              f"{covered[language] / n:>10.3f}")
    n = sum(total.values())
    print(f"{'all':<10}{n:>9}{sum(right.values()) / n:>10.3f}{sum(in_labels.values()) / n:>11.3f}"
          f"{sum(covered.values()) / n:>10.3f}")
    if len(source_total) > 1:
        print("  by source: " + ", ".join(f"{source} {by_source[source] / source_total[source]:.3f} "
                                         f"({source_total[source]})" for source in sorted(source_total)))
    print()
    for key, title, primary, best in misses[:show]:
        print(f"  {key[:60]:<60} {(title or '')[:40]!r}: {name(primary)} <- {name(best) if best else None}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--labels", type=pathlib.Path, nargs="*", default=list(TEST_SETS))
    parser.add_argument("--no-bbc", action="store_true", help="only the labelled sets")
    parser.add_argument("--show", type=int, default=0, help="print N articles whose best subject is not `primary`")
    args = parser.parse_args(argv)
    classifier = SubjectClassifier()
    if not args.no_bbc:
        bbc_figures(args.corpora, classifier)
    for labels in args.labels:
        labelled_figures(args.corpora, labels, classifier, args.show)


if __name__ == "__main__":
    main()
