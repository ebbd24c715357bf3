"""Dedup evaluation: exact groups of the BBC corpus, and syndicated copies of known kinds.

1. BBC (2,225 articles, 98 groups of byte-identical files): are the 98 groups found, and what else is
   merged? Other merges are listed by how much text the two articles really share.
2. Injected copies: 300 BBC articles that copy no other, and 7 copies of each (evals/copies.py);
   pairwise precision and recall, and recall per copy kind.
3. Short copies: 150 BBC articles cut to their first three paragraphs, and the five seeds, each with
   the copies issue 33 names (a paragraph dropped, lines re-wrapped, a new headline); the bar is
   recall >= 0.95 at precision 1.0.
4. A small sweep over the parameters, to show why the defaults are what they are.

Articles go through the real clean and dedup stages on Beam's in-process runner.

    python -m evals.dedup_eval ../shared/corpora [--originals 300] [--no-sweep]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import itertools
import json
import pathlib
import random
import tempfile
from collections import Counter, defaultdict

import apache_beam as beam
import numpy as np

from evals.copies import KINDS, make_copy, paragraphs
from evals.corpora import bbc_articles
from schemas.records import Document
from transforms.dedup.duplicates import FindDuplicates, minhash
from transforms.findings import JoinFindings
from transforms.text.clean import CleanArticles

REFERENCE = datetime.date(2005, 12, 31)


def dedup(documents: list[Document], params: minhash.Params) -> dict[str, str]:
    """article_id -> group id (the canonical copy's id) after the real clean and dedup stages."""
    with tempfile.TemporaryDirectory() as folder:
        with beam.Pipeline(runner="FnApiRunner") as pipeline:
            cleaned = pipeline | beam.Create(documents) | CleanArticles(REFERENCE)
            found = cleaned.articles | FindDuplicates(params)
            _ = ((cleaned.articles | JoinFindings(found.duplicates)).articles
                 | beam.Map(lambda a: json.dumps([a.article_id, a.duplicate_of or a.article_id]))
                 | beam.io.WriteToText(f"{folder}/groups"))
        groups = {}
        for path in pathlib.Path(folder).glob("groups*"):
            for line in path.read_text().splitlines():
                article_id, group = json.loads(line)
                groups[article_id] = group
    return groups


def pairs_of(groups: dict[str, str]) -> set[tuple[str, str]]:
    members = defaultdict(list)
    for article_id, group in groups.items():
        members[group].append(article_id)
    return {tuple(sorted(p)) for ids in members.values() for p in itertools.combinations(ids, 2)}


def shingle_set(text: str, params: minhash.Params) -> np.ndarray:
    return np.unique(minhash.shingle_hashes(minhash.normalise(text), params.shingle_words))


def bbc_merges(corpora: pathlib.Path, params: minhash.Params) -> tuple[int, int, int, Counter, Counter, int]:
    """(exact groups found, exact groups, articles marked duplicate, other merged pairs by how similar,
    how many of those have the same headline, exact groups that took in other articles)."""
    articles = list(bbc_articles(corpora))
    raw = defaultdict(list)
    for a in articles:
        raw[a.raw].append(a.path)
    exact_groups = [ids for ids in raw.values() if len(ids) > 1]
    groups = dedup([Document(article_id=a.path, source=a.path, text=a.raw) for a in articles], params)
    found = sum(len({groups[i] for i in ids}) == 1 for ids in exact_groups)
    exact_pairs = {tuple(sorted(p)) for ids in exact_groups for p in itertools.combinations(ids, 2)}
    # Judged with the default 5-word shingles whatever the parameters under test.
    bodies = {a.path: shingle_set(a.body, minhash.Params()) for a in articles}
    headlines = {a.path: a.headline for a in articles}
    bands, same_headline = Counter(), Counter()
    for left, right in sorted(pairs_of(groups) - exact_pairs):
        jaccard, containment = minhash.overlap(bodies[left], bodies[right])
        if jaccard < 0.8 and containment < 0.9:
            print(f"  looser merge: {left} ~ {right} (J {jaccard:.2f}, C {containment:.2f})")
        band = ("same text (J >= 0.95)" if jaccard >= 0.95 else
                "near copy (0.8 <= J < 0.95)" if jaccard >= 0.8 else
                "shorter copy inside a longer one (C >= 0.9)" if containment >= 0.9 else
                "looser: rewrite or update of a story (J < 0.8, C < 0.9)")
        bands[band] += 1
        same_headline[band] += headlines[left] == headlines[right]
    components = defaultdict(set)
    for member, root in groups.items():
        components[root].add(member)
    widened = sum(len(components[groups[ids[0]]]) > len(ids) for ids in exact_groups)
    return found, len(exact_groups), sum(groups[i] != i for i in groups), bands, same_headline, widened


def bbc_report(corpora: pathlib.Path, params: minhash.Params) -> None:
    found, total, marked, bands, same_headline, widened = bbc_merges(corpora, params)
    print(f"BBC: {found}/{total} byte-identical groups found, {widened} of them with other articles merged in; "
          f"{marked} articles marked duplicate")
    for band, count in sorted(bands.items(), key=lambda kv: -kv[1]):
        print(f"  other merged pairs, {band}: {count} ({same_headline[band]} of them under the same headline)")


def injected_set(corpora: pathlib.Path, count: int, params: minhash.Params):
    """Originals that copy no other BBC article, and copies of every kind; truth pairs by kind."""
    articles = [a for a in bbc_articles(corpora) if len(a.body.split()) >= 120]
    rng = random.Random(7)
    rng.shuffle(articles)
    originals, sets = [], []
    for article in articles:
        own = shingle_set(article.body, params)
        if all(max(minhash.overlap(own, other)) < 0.3 for other in sets):
            originals.append(article)
            sets.append(own)
        if len(originals) == count:
            break
    documents, truth = [], defaultdict(set)
    headlines = [a.headline for a in originals]
    for n, original in enumerate(originals):
        documents.append(Document(article_id=f"o{n:04d}", source=original.path, text=original.raw,
                                  metadata_date=datetime.date(2005, 1, 1)))
        others = headlines[n + 1:] + headlines[:n]
        for kind in KINDS:
            copy_id = f"o{n:04d}-{kind}"
            text = make_copy(kind, original.headline, original.body, others, rng)
            documents.append(Document(article_id=copy_id, source=copy_id, text=text,
                                      metadata_date=datetime.date(2005, 1, 2)))
            truth[kind].add((f"o{n:04d}", copy_id))
    return documents, truth


SHORT_KINDS = ("dropped_paragraph", "reflow", "headline")


def short_set(corpora: pathlib.Path, count: int, params: minhash.Params):
    """Short originals (BBC articles cut to three paragraphs, and the packaged seeds) with the copies
    short news is most often repeated as; truth pairs by kind."""
    from bench.corpus import sources

    articles = [a for a in bbc_articles(corpora) if len(paragraphs(a.body)) >= 4]
    rng = random.Random(11)
    rng.shuffle(articles)
    originals, sets = [], []
    for article in articles:
        body = "\n".join(paragraphs(article.body)[:3])
        own = shingle_set(body, params)
        if all(max(minhash.overlap(own, other)) < 0.3 for other in sets):
            originals.append((article.headline, body))
            sets.append(own)
        if len(originals) == count:
            break
    originals += sources(None)  # the seeds, as they read after their page chrome is stripped
    documents, truth = [], defaultdict(set)
    headlines = [headline for headline, _ in originals]
    for n, (headline, body) in enumerate(originals):
        documents.append(Document(article_id=f"s{n:04d}", source=f"short{n}", text=page(headline, body),
                                  metadata_date=datetime.date(2005, 1, 1)))
        others = headlines[n + 1:] + headlines[:n]
        for kind in SHORT_KINDS:
            copy_id = f"s{n:04d}-{kind}"
            documents.append(Document(article_id=copy_id, source=copy_id,
                                      text=make_copy(kind, headline, body, others, rng),
                                      metadata_date=datetime.date(2005, 1, 2)))
            truth[kind].add((f"s{n:04d}", copy_id))
    return documents, truth


def page(headline: str, body: str) -> str:
    return headline + "\n\n" + "\n\n".join(paragraphs(body)) + "\n"


def injected_report(documents, truth, params: minhash.Params, label: str, per_kind: bool,
                    kinds: tuple = KINDS) -> None:
    groups = dedup(documents, params)
    predicted = pairs_of(groups)
    ids_by_original = defaultdict(list)
    for article_id in groups:
        ids_by_original[article_id.split("-")[0]].append(article_id)
    true_pairs = {tuple(sorted(p)) for ids in ids_by_original.values() for p in itertools.combinations(ids, 2)}
    precision = len(predicted & true_pairs) / max(len(predicted), 1)
    recall = len(predicted & true_pairs) / len(true_pairs)
    found = {kind: sum(groups.get(o) == groups.get(c) for o, c in pairs) / len(pairs) for kind, pairs in truth.items()}
    print(f"{label:<46} precision {precision:.3f}  recall {recall:.3f}  "
          f"(original-copy recall {sum(found[k] * len(truth[k]) for k in found) / sum(map(len, truth.values())):.3f})")
    if per_kind:
        for kind in kinds:
            print(f"  {kind:<18} recall {found[kind]:.3f}  ({len(truth[kind])} copies)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="dedup precision and recall on real text")
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--no-sweep", action="store_true")
    args = parser.parse_args(argv)
    defaults = minhash.Params()
    print("dedup evaluation (defaults: " + ", ".join(
        f"{f.name}={getattr(defaults, f.name)}" for f in dataclasses.fields(defaults)) + ")")
    bbc_report(args.corpora, defaults)
    documents, truth = injected_set(args.corpora, args.originals, defaults)
    print(f"injected: {args.originals} originals x {len(KINDS)} copy kinds, pairwise over all members of a story")
    injected_report(documents, truth, defaults, "defaults", per_kind=True)
    documents, truth = short_set(args.corpora, 150, defaults)
    print(f"short copies: 150 BBC articles cut to 3 paragraphs and the 5 seeds x {len(SHORT_KINDS)} copy kinds "
          "(bar: recall >= 0.95 at precision 1.0)")
    injected_report(documents, truth, defaults, "defaults", per_kind=True, kinds=SHORT_KINDS)
    if args.no_sweep:
        return
    print("sweep (one parameter changed; BBC: exact groups found, looser merges of rewrites or updates)")
    for changes in ({"shingle_words": 3}, {"shingle_words": 4}, {"shingle_words": 7}, {"jaccard": 0.7},
                    {"jaccard": 0.9}, {"containment": 0.8}, {"lead_keys": 0}, {"bands": 16, "rows": 8}):
        params = dataclasses.replace(defaults, **changes)
        label = ", ".join(f"{k}={v}" for k, v in changes.items())
        injected_report(documents, truth, params, label, per_kind=False)
        found, total, _, bands, _, _ = bbc_merges(args.corpora, params)
        looser = bands["looser: rewrite or update of a story (J < 0.8, C < 0.9)"]
        print(f"  {'':<44} BBC {found}/{total} exact groups, {looser} looser merges")


if __name__ == "__main__":
    main()
