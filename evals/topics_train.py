"""Trains the subject model of transforms/nlp/subjects.py and writes transforms/data/topics_model.npz.

    python -m evals.topics_train CORPORA [--output PATH]      (make topics-model)

Training data: the BBC corpus's training half (split by a hash of each article's text, so the exact
copies in it never straddle the halves; `bbc_half`), its five sections as IPTC subjects, and the
English articles of evals/labels/topics_dev.toml (pages and feed items labelled for tuning). The
other half of BBC and the test sets (evals/labels/topics_test.toml, topics_languages_test.toml) are
never read here. The same data and seed give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pathlib
from collections import Counter

import numpy as np

from evals.corpora import bbc_articles
from transforms.nlp.subjects import MODEL, TopicModel, features, subjects, words

DEV = pathlib.Path(__file__).resolve().parent / "labels" / "topics_dev.toml"
# ABC News 2001-02 (the Lee corpus), labelled: scored by evals/topics_dev.py, not trained on (in 5-fold CV,
# training on it moved English DEV +0.02 and cost BBC's business and politics 0.01-0.02 each)
LEE = DEV.with_name("topics_dev_lee.toml")
OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "transforms" / "data" / MODEL
# The BBC's sections as IPTC subjects.
SECTIONS = {"business": "medtop:04000000", "entertainment": "medtop:01000000", "politics": "medtop:11000000",
            "sport": "medtop:15000000", "tech": "medtop:13000000"}
SEED = 35
MIN_DF = 3
MAX_VOCABULARY = 12_000
L2 = 1e-4
STEPS = 300
RATE = 0.05
DEV_WEIGHT = 10.0  # a DEV article counts as this many BBC ones: it is the only recent, varied English text


def bbc_half(raw: str) -> str:
    """"train" or "test": the half of BBC an article belongs to, by a hash of its whitespace-normalised text."""
    return "train" if hashlib.sha1(" ".join(raw.split()).encode()).digest()[0] % 2 == 0 else "test"


def bbc(corpora: pathlib.Path, half: str) -> list[tuple[list[str], str, str]]:
    """(words, subject, path) of one half of BBC; the first line of a file is its headline."""
    return [(words(a.headline, a.body), SECTIONS[a.path.split("/")[1]], a.path)
            for a in bbc_articles(corpora) if bbc_half(a.raw) == half]


def dev_texts(corpora: pathlib.Path, labels: tuple[pathlib.Path, ...] = (DEV,),
              language: str | None = "en") -> list[dict]:
    """The labelled DEV articles as the pipeline reads them: key, language, title, text, labels."""
    from evals.topics_eval import labelled_articles

    return [a for file in labels for a in labelled_articles(corpora, file)
            if language is None or a["language"] == language]


def train(documents: list[list[str]], labels: list[str], weights: list[float] | None = None,
          seed: int = SEED) -> TopicModel:
    classes = subjects()
    df = Counter(word for tokens in documents for word in set(tokens))
    kept = sorted((w for w, n in df.items() if n >= MIN_DF), key=lambda w: (-df[w], w))[:MAX_VOCABULARY]
    vocabulary = sorted(kept)
    index = {w: i for i, w in enumerate(vocabulary)}
    n = len(documents)
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in vocabulary], dtype=np.float32)
    x = features(documents, index, idf)
    y = np.zeros((n, len(classes)), dtype=np.float32)
    for row, label in enumerate(labels):
        y[row, classes.index(label)] = 1
    sample = np.asarray(weights if weights is not None else [1.0] * n, dtype=np.float32)
    # classes weighted to the same total, so BBC's five sections do not drown the rest
    per_class = y.T @ sample
    sample = sample * (y @ np.where(per_class > 0, sample.sum() / (len(classes) * np.maximum(per_class, 1e-9)), 0))
    sample /= sample.mean()
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, (len(classes), len(vocabulary))).astype(np.float32)
    b = np.zeros(len(classes), dtype=np.float32)
    # Adam on the weighted cross-entropy
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    for step in range(1, STEPS + 1):
        scores = x @ w.T + b
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - y) * sample[:, None] / n
        gw = error.T @ x + L2 * w
        gb = error.sum(axis=0)
        for g, m, v, param in ((gw, mw, vw, w), (gb, mb, vb, b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            param -= RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    # a subject with no training article is never the model's answer: its bias stays where Adam left it
    # (near 0), so it is pushed down; the lexicon alone can find it
    b[per_class == 0] = -10
    return TopicModel(vocabulary, idf, w, b, classes)


def training_set(corpora: pathlib.Path, dev: list[dict]) -> tuple[list, list, list]:
    documents, labels, weights = [], [], []
    for tokens, subject, _ in bbc(corpora, "train"):
        documents.append(tokens)
        labels.append(subject)
        weights.append(1.0)
    for article in dev:
        documents.append(words(article["title"], article["text"]))
        labels.append(article["primary"])
        weights.append(DEV_WEIGHT)
    return documents, labels, weights


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--output", type=pathlib.Path, default=OUTPUT)
    args = parser.parse_args(argv)
    documents, labels, weights = training_set(args.corpora, dev_texts(args.corpora))
    model = train(documents, labels, weights)
    model.save(args.output)
    print(json.dumps({"articles": len(documents), "by_subject": dict(sorted(Counter(labels).items())),
                      "vocabulary": len(model.index), "output": str(args.output),
                      "bytes": args.output.stat().st_size}, indent=1))


if __name__ == "__main__":
    main()
