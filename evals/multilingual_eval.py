"""People in articles in other languages: precision and recall per language, on a labelled sample.

    python -m evals.multilingual_eval CORPORA

The first 1,500 characters of each page's extracted text (evals/labels/persons_multilingual.toml,
trafilatura-eval pages) go through the pipeline's analyse DoFn with the language detected as the
pipeline does. A PERSON row is right when its surname (mention or canonical name) is a labelled
person's; every PERSON row that is not is wrong, so words taken for people (the English model's
"Gipfeltreffen", "Dienstag") count against precision.
"""

from __future__ import annotations

import argparse
import pathlib
import tomllib

from evals.web_benchmarks import pages
from schemas.records import Article, EntityMention
from transforms import html
from transforms.analyse import AnalyseFn
from transforms.language import DetectLanguageFn
from transforms.nlp import DEFAULT_MODEL

LABELS = pathlib.Path(__file__).resolve().parent / "labels" / "persons_multilingual.toml"
EXCERPT = 1500


def surname(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    args = parser.parse_args(argv)
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    wanted = {name for files in labels.values() for name in files}
    found = pages(args.corpora / "trafilatura-eval" / "pages.tar.xz", wanted)
    detector = DetectLanguageFn()
    detector.setup()
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    print("People in other languages (evals/labels/persons_multilingual.toml; first 1,500 characters)")
    print(f"{'language':<9} {'articles':>8} {'people':>7} {'precision':>9} {'recall':>7}  wrong rows (up to 6)")
    for language, files in labels.items():
        right = wrong = labelled = hits = 0
        extras = []
        for name, people in files.items():
            text = html.extract_page(found[name]).text[:EXCERPT]
            article = Article(article_id=name, source=name, title=None, published_date=None, date_source="",
                              language=detector.detect(text), text=text)
            rows = [t.value for t in analyse.process([article], {})
                    if isinstance(t.value, EntityMention) and t.value.label == "PERSON"]
            truth = {surname(p) for p in people}
            named = set()
            for row in rows:
                keys = {surname(row.mention), surname(row.canonical)}
                if keys & truth:
                    right += 1
                    named |= keys & truth
                else:
                    wrong += 1
                    extras.append(row.mention)
            labelled += len(truth)
            hits += len(named)
        precision = right / max(right + wrong, 1)
        print(f"{language:<9} {len(files):>8} {labelled:>7} {precision:>9.2f} {hits / max(labelled, 1):>7.2f}  "
              f"{extras[:6]}")


if __name__ == "__main__":
    main()
