"""Story grouping on the BBC corpus: how often updates of one story share a story_id, and how often
articles from different BBC sections (surely different events) are wrongly joined.

Truth is partial: "same story" pairs are the BBC articles whose bodies share 25-70% of their 5-word
shingles (updated or rewritten versions of one report, not copies); "different" pairs are those
filed in different sections (business, sport, ...). Other pairs are not judged, so the precision
printed is an upper bound on the errors it can see, not a full measurement.

    python -m evals.story_eval ../shared/corpora
"""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import tempfile
from collections import defaultdict

import apache_beam as beam
import numpy as np

from evals.corpora import bbc_articles
from schemas.records import Document
from transforms.dedup.duplicates import COPY_RANKS, FindDuplicates, minhash
from transforms.stories.groups import FindStories
from transforms.stories.names import NameArticlesFn
from transforms.text.clean import CleanArticles

REFERENCE = datetime.date(2005, 12, 31)


def stories(documents: list[Document]) -> tuple[dict[str, str], dict[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        with beam.Pipeline(runner="FnApiRunner") as pipeline:
            articles = (pipeline | beam.Create(documents) | CleanArticles(REFERENCE)).articles
            found = articles | FindDuplicates()
            duplicates = found.duplicates
            linked = articles | beam.ParDo(NameArticlesFn()) | FindStories(found[COPY_RANKS])
            _ = (duplicates | "Dup" >> beam.Map(lambda kv: json.dumps(["dup", *kv]))
                 | "WriteDup" >> beam.io.WriteToText(f"{folder}/dup"))
            _ = (linked | "Story" >> beam.Map(lambda kv: json.dumps(["story", *kv]))
                 | "WriteStory" >> beam.io.WriteToText(f"{folder}/story"))
        maps = {"dup": {}, "story": {}}
        for path in pathlib.Path(folder).glob("*-of-*"):
            for line in path.read_text().splitlines():
                kind, member, root = json.loads(line)
                maps[kind][member] = root
    return maps["dup"], maps["story"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="story grouping quality on BBC")
    parser.add_argument("corpora", type=pathlib.Path)
    args = parser.parse_args(argv)
    articles = list(bbc_articles(args.corpora))
    duplicates, linked = stories([Document(article_id=a.path, source=a.path, text=a.raw) for a in articles])
    story = {a.path: linked.get(a.path, duplicates.get(a.path, a.path)) for a in articles}

    shingles = [np.unique(minhash.shingle_hashes(minhash.normalise(a.body), 5)) for a in articles]
    same = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            jaccard, _ = minhash.overlap(shingles[i], shingles[j])
            if 0.25 <= jaccard < 0.7:
                same.append((articles[i].path, articles[j].path))
    members = defaultdict(list)
    for path, root in story.items():
        members[root].append(path)
    groups = [m for m in members.values() if len(m) > 1]
    section = {a.path: a.path.split("/")[1] for a in articles}
    cross = sum(len({section[p] for p in g}) > 1 for g in groups)
    found = sum(story[a] == story[b] for a, b in same)
    print("story grouping on BBC (ref 2005-12-31; text-based profiles, see transforms/stories/groups.py)")
    print(f"  stories with more than one article: {len(groups)} "
          f"({sum(map(len, groups))} articles; largest {max(map(len, groups), default=0)})")
    print(f"  updates of one report (25-70% shared shingles) in one story: {found}/{len(same)}")
    print(f"  stories that mix BBC sections (surely wrong): {cross}")
    titles = {a.path: a.headline for a in articles}
    for group in sorted(groups, key=len, reverse=True)[:8]:
        print("   - " + " | ".join(titles[p][:38] for p in sorted(group)[:5]))


if __name__ == "__main__":
    main()
