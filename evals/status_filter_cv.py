"""Would a linear filter over the status stage's rows beat the rules? Cross-validated on the dev splits only.

    python -m evals.status_filter_cv CORPORA [--rows FILE] [--folds 5]

Each row the rules give on a dev article is right (its article, sentence and status are labelled) or wrong. A
logistic regression (numpy) over the row's sentence words, its event word, status, event type and cues of tense,
negation, hedging, questions, the first person and history keeps or drops the row; folds are by article, so no
article is both trained and scored on. It prints precision, recall and F1 of the rows kept against the dev labels,
the rules' own beside them. `--rows FILE` keeps the rows (the slow part: the pipeline over every dev article) in a
JSON file and reads them from there when it exists. Nothing here runs in the pipeline: a filter ships only when this
says it beats the rules.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pathlib
import re
import tomllib

import numpy as np

from evals.status_eval import LABELS, PAGE_ARCHIVES, REFERENCE, REFERENCES, _key, _matched, clean, load_text

CUES = {
    "question": re.compile(r"\?\W*$"),
    "first_person": re.compile(r"\b(i|we|my|our|me|us)\b"),
    "history": re.compile(r"\b1[0-8]\d\d\b|\b19[0-4]\d\b"),
    "negation": re.compile(r"\b(not|never|no|n't|without)\b|n't\b"),
    "modal": re.compile(r"\b(would|could|may|might|should|can)\b"),
    "future": re.compile(r"\b(will|'ll|next|tomorrow|upcoming|due to|is to|are to)\b"),
    "quote": re.compile(r"[\"“”]"),
    "title": re.compile(r"\b(president|prime minister|minister|chancellor|secretary|leader|leaders|senator|"
                        r"governor|mayor|king|queen|officials?|delegation|ambassador|envoy)\b"),
}
WORD = re.compile(r"[a-z][a-z'-]+")
EVENT_WORDS = re.compile(r"^(summit\w*|meet|meets|meeting|meetings|met|talks|negotiat\w+|consultations?|visit\w*)$")
WINDOW = 3


def rows_of(corpora: pathlib.Path) -> list[dict]:
    """Every status row of the dev articles, each with whether the labels hold it."""
    from evals.multilingual_eval import load_pages
    from schemas.records import StatusMention, analysed_text
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL
    from transforms.text.clean import CleanDocumentFn
    from transforms.text.language import DetectLanguageFn

    labels = {}
    for path in LABELS:
        labels |= tomllib.loads(path.read_text(encoding="utf-8"))
    cleaners = {prefix: CleanDocumentFn(day) for prefix, day in [("", REFERENCE), *REFERENCES.items()]}
    for cleaner in cleaners.values():
        cleaner.setup()
    detector = DetectLanguageFn()
    detector.setup()
    pages = load_pages(corpora, {key for key in labels if key.startswith(PAGE_ARCHIVES)})
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    found = []
    for key, entry in labels.items():
        cleaner = cleaners[max((p for p in cleaners if key.startswith(p)), key=len)]
        try:
            article = clean(cleaner, key, load_text(corpora, key, pages))
        except KeyError:
            continue
        if key in pages:
            article = dataclasses.replace(article, language=detector.detect(analysed_text(article)))
        truth = {(key, _key(s), status) for status, _, s in entry["reports"]}
        for tagged in analyse.process([article], {}):
            row = tagged.value
            if isinstance(row, StatusMention) and row.article_id == key:
                matched = _matched((key, _key(row.sentence), row.status), truth)
                found.append({"article": key, "sentence": row.sentence, "status": row.status, "event": row.event,
                              "hedged": row.hedged, "right": matched in truth, "report": list(matched)})
    truths = sorted({(key, _key(s), status) for key, entry in labels.items() for status, _, s in entry["reports"]})
    return [{"truths": [list(t) for t in truths]}, *found]


def features(row: dict) -> list[str]:
    text = row["sentence"].lower()
    words = WORD.findall(text)
    names = [f"w={w}" for w in set(words)]
    # the words around the event word, by side: "her visit", "visited by", "will meet", "first met"
    for i, word in enumerate(words):
        if EVENT_WORDS.match(word):
            names += [f"before={w}" for w in words[max(i - WINDOW, 0):i]]
            names += [f"after={w}" for w in words[i + 1:i + 1 + WINDOW]]
            names += [f"event_word={word}", f"bigram={words[i - 1] if i else '^'}_{word}"]
    names += [f"status={row['status']}", f"event={row['event']}", f"hedged={row['hedged']}",
              f"event_status={row['event']}:{row['status']}"]
    names += [f"cue={name}" for name, pattern in CUES.items() if pattern.search(text)]
    names += [f"cue={name}:{row['status']}" for name, pattern in CUES.items() if pattern.search(text)]
    return names


def fit(matrix: np.ndarray, target: np.ndarray, l2: float = 1.0, steps: int = 300) -> np.ndarray:
    weights = np.zeros(matrix.shape[1])
    rate = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(matrix @ weights)))
        gradient = matrix.T @ (p - target) / len(target) + l2 * weights / len(target)
        weights -= rate * gradient
    return weights


def vectorise(rows: list[dict], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), len(vocabulary) + 1))
    matrix[:, -1] = 1.0  # the bias
    for i, row in enumerate(rows):
        for name in features(row):
            if name in vocabulary:
                matrix[i, vocabulary[name]] = 1.0
    return matrix


def fold(article: str, folds: int) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % folds


def scores(kept: list[dict], truths: int) -> tuple[float, float, float]:
    right = len({tuple(r["report"]) for r in kept if r["right"]})
    found = len({(r["article"], _key(r["sentence"]), r["status"]) if not r["right"] else tuple(r["report"])
                 for r in kept})
    precision, recall = right / max(found, 1), right / max(truths, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--rows", type=pathlib.Path)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.rows and args.rows.exists():
        data = json.loads(args.rows.read_text())
    else:
        data = rows_of(args.corpora)
        if args.rows:
            args.rows.write_text(json.dumps(data))
    truths, rows = len(data[0]["truths"]), data[1:]
    print(f"{len(rows)} rows, {sum(r['right'] for r in rows)} right, {truths} labelled reports")
    print("rules:          P {:.3f} R {:.3f} F {:.3f}".format(*scores(rows, truths)))
    probability = np.zeros(len(rows))
    for k in range(args.folds):
        train = [r for r in rows if fold(r["article"], args.folds) != k]
        test = [i for i, r in enumerate(rows) if fold(r["article"], args.folds) == k]
        counts: dict[str, int] = {}
        for row in train:
            for name in features(row):
                counts[name] = counts.get(name, 0) + 1
        vocabulary = {name: i for i, name in enumerate(n for n, c in counts.items() if c >= 2)}
        weights = fit(vectorise(train, vocabulary), np.array([r["right"] for r in train], dtype=float))
        probability[test] = 1 / (1 + np.exp(-(vectorise([rows[i] for i in test], vocabulary) @ weights)))
    for threshold in (0.2, 0.3, 0.4, 0.5):
        kept = [r for r, p in zip(rows, probability, strict=True) if p >= threshold]
        print(f"filter >= {threshold}: P {{:.3f}} R {{:.3f}} F {{:.3f}}".format(*scores(kept, truths)))


if __name__ == "__main__":
    main()
