"""Cross-validated figures of the subject classifier on its DEV data alone, the figures to tune on.

    python -m evals.topics_dev CORPORA [--folds 5] [--show N] [--weight W] [--blend B]

The English training data of evals/topics_train.py (BBC's training half, the English DEV labels and the
English pages of topics_train.toml) is split into folds by a hash of each article; each fold is scored by
a model trained on the others as evals/topics_train.py trains the shipped one (its BALANCE and PRIOR),
blended with the subject words as the pipeline blends them (transforms/nlp/subjects.py, MODEL_WEIGHTS).
The same for each other language with a model of its own (German: its pages of topics_train.toml and its
DEV labels). Printed: BBC's training half per section, the DEV labels and the
training pages per language, each article scored once, by the model that never saw it. The labelled Lee
corpus (ABC News 2001-02, topics_dev_lee.toml), which no model is trained on, is scored by the shipped
classifier, and the DEV labels of languages with no model (topics_dev.toml) by their profiles' subject
words. The BBC held-out half and the test sets are never read here.

The recent English articles are also scored source by source ("left out SOURCE"): each archive's articles
(zyte-extraction, trafilatura-eval, htmldate-eval, feeds-real) by a model trained on BBC's training half and
the other archives' articles alone. Random folds put pages of one archive, its sites and their way of
writing on both sides, and chose a weight that lost on held-out text; the left-out sources and Lee moved
with the test sets (a recent article at 10 BBC ones against 3: left out 0.722 against 0.714, Lee 0.626
against 0.598, both tests lower at 3). `--weight` and `--blend` score another weight of a recent article
and another share of the model in the blend (Lee then by a model trained with them on all the data).
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib
from collections import Counter, defaultdict

from evals.corpora import bbc_articles
from evals.topics_train import (
    BALANCE,
    DEV,
    LANGUAGES_DEV,
    LEE,
    MIN_PAGES,
    PRIOR,
    TRAIN,
    bbc_half,
    dev_texts,
    train,
    training_set,
)
from transforms.languages import ENGLISH, with_section
from transforms.nlp.subjects import MODEL_WEIGHT, MODEL_WEIGHTS, SubjectClassifier, taxonomy, words

BLEND = MODEL_WEIGHTS.get(ENGLISH, MODEL_WEIGHT)


def fold(key: str, folds: int) -> int:
    return hashlib.sha1(key.encode()).digest()[1] % folds


def name(code: str | None) -> str:
    return taxonomy()[code].name if code else "none"


def cross_validated(corpora: pathlib.Path, dev: list[dict], folds: int, pages: list[dict] = (),
                    weight: float | None = None, blend: float = BLEND) -> list[tuple[str, str, str | None, str]]:
    """(group, label, best subject, title) for every English training article, from the fold that left it out;
    `dev` are the DEV labels, `pages` the training pages (topics_train.toml)."""
    documents, labels, weights = training_set(corpora, [*dev, *pages], weight)
    articles = [a for a in bbc_articles(corpora) if bbc_half(a.raw) == "train"]
    # BBC by its text, as bbc_half splits it: its exact copies fall in one fold
    keys = [" ".join(a.raw.split()) for a in articles] + [a["key"] for a in (*dev, *pages)]
    groups = ([f"bbc {a.path.split('/')[1]}" for a in articles] + ["dev en"] * len(dev)
              + ["train en"] * len(pages))
    titles = [a.path for a in articles] + [a["title"] or "" for a in (*dev, *pages)]
    texts = [(a.headline, a.body) for a in articles] + [(a["title"], a["text"]) for a in (*dev, *pages)]
    return _folds(documents, labels, weights, keys, groups, titles, texts, ENGLISH, folds, blend)


def source(article: dict) -> str:
    """The archive a labelled article comes from (its key's prefix: zyte-extraction, feeds-real, ...)."""
    return article["key"].split(":", 1)[0]


def left_out_sources(corpora: pathlib.Path, recent: list[dict], weight: float | None = None,
                     blend: float = BLEND) -> list[tuple[str, str, str | None, str]]:
    """(group, label, best subject, title) for every recent English article, scored by a model trained on
    BBC's training half and the recent articles of the other sources."""
    found = []
    for left in sorted({source(a) for a in recent}):
        inside = [a for a in recent if source(a) != left]
        model = train(*training_set(corpora, inside, weight), balance=BALANCE[ENGLISH], prior=PRIOR[ENGLISH])
        classifier = SubjectClassifier(models={ENGLISH: model}, model_weight=blend)
        for article in (a for a in recent if source(a) == left):
            best = classifier.subjects(article["title"], article["text"], ENGLISH)
            found.append((f"left out {left}", article["primary"], best[0][0] if best else None,
                          article["title"] or ""))
    return found


def _folds(documents, labels, weights, keys, groups, titles, texts, language, folds, blend=MODEL_WEIGHT):
    held = [fold(key, folds) for key in keys]
    found = []
    for k in range(folds):
        inside = [i for i in range(len(keys)) if held[i] != k]
        model = train([documents[i] for i in inside], [labels[i] for i in inside], [weights[i] for i in inside],
                      balance=BALANCE.get(language, 1.0), prior=PRIOR.get(language, 0.0))
        classifier = SubjectClassifier(models={language: model}, model_weight=blend)
        for i in (i for i in range(len(keys)) if held[i] == k):
            best = classifier.subjects(texts[i][0], texts[i][1], language)
            found.append((groups[i], labels[i], best[0][0] if best else None, titles[i]))
    return found


def languages_cross_validated(corpora: pathlib.Path, folds: int) -> tuple[list, set[str]]:
    """The same for each other language with a model of its own (topics_train.MIN_PAGES labelled pages):
    its DEV labels and its training pages, each scored by the model that left it out; and those languages."""
    found, modelled = [], set()
    by_language: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for file, kind in ((TRAIN, "train"), (DEV, "dev"), (LANGUAGES_DEV, "dev")):
        for article in dev_texts(corpora, (file,), language=None):
            language = article["labelled_language"] or article["language"]
            if language != ENGLISH and language in with_section("subjects"):
                by_language[language].append((kind, article))
    for language, labelled in sorted(by_language.items()):
        if len(labelled) < MIN_PAGES:
            continue
        modelled.add(language)
        articles = [a for _, a in labelled]
        found += _folds([words(a["title"], a["text"]) for a in articles], [a["primary"] for a in articles],
                        [1.0] * len(articles), [a["key"] for a in articles],
                        [f"{kind} {language}" for kind, _ in labelled], [a["title"] or "" for a in articles],
                        [(a["title"], a["text"]) for a in articles], language, folds)
    return found, modelled


def never_trained_on(corpora: pathlib.Path, modelled: set[str],
                     classifier: SubjectClassifier | None = None) -> list[tuple[str, str, str | None, str]]:
    """The shipped classifier (or `classifier`) on the DEV labels no model learns from: the Lee corpus
    (English news of 2001-02) and the articles of the languages with no model (read by their subject words)."""
    classifier = classifier or SubjectClassifier()
    found = []
    for article in dev_texts(corpora, (LEE, DEV, LANGUAGES_DEV), language=None):
        language = article["labelled_language"] or article["language"]
        if language == "en" and not article["key"].startswith("gensim-lee:") or language in modelled:
            continue
        language = "lee" if language == "en" else language
        best = classifier.subjects(article["title"], article["text"], article["language"])
        found.append((f"dev {language}", article["primary"], best[0][0] if best else None, article["title"] or ""))
    return found


def report(found: list[tuple[str, str, str | None, str]], show: int) -> None:
    right, total, wrong = Counter(), Counter(), defaultdict(Counter)
    found = [*found, *(("left out, all", *rest) for group, *rest in found if group.startswith("left out "))]
    for group, label, best, _ in found:
        total[group] += 1
        right[group] += best == label
        if best != label:
            wrong[group][(label, best)] += 1
    print(f"{'group':<20}{'articles':>9}{'accuracy':>10}  most common errors (label <- found)")
    for group in sorted(total):
        common = "; ".join(f"{name(a)} <- {name(b)} {n}" for (a, b), n in wrong[group].most_common(3))
        print(f"{group:<20}{total[group]:>9}{right[group] / total[group]:>10.3f}  {common}")
    if show:
        for group, label, best, title in found:
            if best != label and not group.startswith(("bbc", "left out, all")):
                print(f"  {group} {title[:60]!r}: {name(label)} <- {name(best)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", type=int, default=0, help="print the DEV articles whose best subject is wrong")
    parser.add_argument("--cv-only", action="store_true", help="only the cross-validated English figures")
    parser.add_argument("--english-only", action="store_true", help="no other language")
    parser.add_argument("--weight", type=float, help="a recent English article's weight in BBC articles "
                        "(default: topics_train.DEV_WEIGHT, the shipped model's)")
    parser.add_argument("--blend", type=float, default=BLEND, help="the model's share of English scores")
    args = parser.parse_args(argv)
    dev, pages = dev_texts(args.corpora, (DEV,)), dev_texts(args.corpora, (TRAIN,))
    found = cross_validated(args.corpora, dev, args.folds, pages, args.weight, args.blend)
    if not args.cv_only:
        found += left_out_sources(args.corpora, [*dev, *pages], args.weight, args.blend)
        classifier = None
        if args.weight is not None or args.blend != BLEND:
            model = train(*training_set(args.corpora, [*dev, *pages], args.weight), balance=BALANCE[ENGLISH],
                          prior=PRIOR[ENGLISH])
            classifier = SubjectClassifier(models={ENGLISH: model}, model_weight=args.blend)
        # with --english-only every other language counts as modelled, so that only Lee is scored below
        languages, modelled = (([], set(with_section("subjects")) - {ENGLISH}) if args.english_only
                               else languages_cross_validated(args.corpora, args.folds))
        found += languages + never_trained_on(args.corpora, modelled, classifier)
    report(found, args.show)


if __name__ == "__main__":
    main()
