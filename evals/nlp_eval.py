"""NLP evaluation: status reports and canonical entities against hand labels (evals/labels/nlp.toml).

The texts are the five seeds and Guardian feed items; they go through the real clean, entities and
status stages (their DoFns, outside Beam). Prints precision and recall per status and per entity
label, and the share of matched status reports whose place is right.

    python -m evals.nlp_eval ../shared/corpora
"""

from __future__ import annotations

import argparse
import datetime
import pathlib
import tomllib
from collections import Counter, defaultdict

from evals.corpora import feed_items
from schemas.records import Article, Document, EntityMention, StatusMention
from transforms.events.lexicon import Lexicon
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.model import DEFAULT_MODEL
from transforms.sources.read import split_metadata
from transforms.stories.names import FullNames, NameArticlesFn
from transforms.text.clean import CleanDocumentFn
from transforms.text.html import html_to_text

SEEDS = pathlib.Path(__file__).resolve().parents[1] / "seeds"
LABELS = pathlib.Path(__file__).resolve().parent / "labels" / "nlp.toml"


def clean(key: str, text: str) -> Article:
    fn = CleanDocumentFn(datetime.date(2026, 11, 21))
    fn.setup()
    body, day = split_metadata(text)
    return next(a for a in fn.process(Document(article_id=key, source=key, text=body, metadata_date=day))
                if isinstance(a, Article))


def scores(predicted: set, truth: set) -> tuple[float, float, int]:
    hits = len(predicted & truth)
    return hits / max(len(predicted), 1), hits / max(len(truth), 1), len(truth)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="status and entity precision/recall on labelled real text")
    parser.add_argument("corpora", type=pathlib.Path)
    args = parser.parse_args(argv)
    labels = tomllib.loads(LABELS.read_text())
    articles = {f"seed.{n}": clean(f"seed.{n}", path.read_text(encoding="utf-8"))
                for n, path in enumerate(sorted(SEEDS.glob("*.txt")))}
    guardian = list(feed_items(args.corpora, names=("guardian.rss",)))
    for index in labels["guardian"]:
        item = guardian[int(index)]
        articles[f"guardian.{index}"] = clean(f"guardian.{index}", f"{item.title}\n\n{html_to_text(item.html).text}")

    analyse = AnalyseFn(DEFAULT_MODEL)  # the pipeline's NLP stage, called directly
    analyse.setup()
    full_names, namer, counts = FullNames(), NameArticlesFn(), Counter()  # what the first read gives the pipeline
    namer.setup()
    for article in articles.values():
        for named in namer.process(article):
            counts = full_names.add_input(counts, named)
    corpus_names = full_names.extract_output(counts)
    predicted_entities, predicted_statuses = defaultdict(set), defaultdict(set)
    for key, article in articles.items():
        for tagged in analyse.process([article], corpus_names):
            row = tagged.value
            if isinstance(row, EntityMention):
                predicted_entities[row.label].add((key, row.canonical))
            elif isinstance(row, StatusMention) and not row.hedged:
                predicted_statuses[row.status].add((key, row.event, row.place or "-"))

    print("NLP evaluation on hand-labelled seeds and Guardian items (evals/labels/nlp.toml)")
    print(f"{'statuses (asserted)':<22} {'precision':>9} {'recall':>7} {'labelled':>8}")
    truth_statuses = defaultdict(set)
    for group, entries in labels.items():
        for index, label in entries.items():
            for fact in label.get("statuses", []):
                event, status, place = fact.split(" ", 2)
                truth_statuses[status].add((f"{group}.{index}", event, place))
    place_right = place_total = 0
    for status in Lexicon.load().statuses:
        predicted = {(k, e) for k, e, _ in predicted_statuses[status]}
        truth = {(k, e) for k, e, _ in truth_statuses[status]}
        precision, recall, n = scores(predicted, truth)
        print(f"{status:<22} {precision:>9.2f} {recall:>7.2f} {n:>8}")
        for fact in predicted_statuses[status]:
            if fact[:2] in truth:
                place_total += 1
                place_right += fact in truth_statuses[status]
    print(f"place right on matched reports: {place_right}/{place_total}")

    print(f"{'canonical entities':<22} {'precision':>9} {'recall':>7} {'labelled':>8}")
    for label, field, groups in (("PERSON", "persons", ("seed", "guardian")), ("GPE", "places", ("seed",))):
        truth = {(f"{g}.{i}", name) for g in groups for i, entry in labels[g].items() for name in entry.get(field, [])}
        predicted = {(k, name) for k, name in predicted_entities[label] if k.split(".")[0] in groups}
        precision, recall, n = scores(predicted, truth)
        print(f"{label:<22} {precision:>9.2f} {recall:>7.2f} {n:>8}")
        misses = sorted(truth - predicted)[:6]
        extras = sorted(predicted - truth)[:6]
        print(f"  missed {misses}\n  extra  {extras}")


if __name__ == "__main__":
    main()
