"""Batch pipeline: a folder of news articles to Parquet tables that DuckDB queries.

    read -> clean -> enrich (language, copies, stories, entities, topics, statuses, label vote) -> Parquet

The input is read twice: the first read finds duplicates and stories (small maps of article ids),
the second streams every article through the other stages with those maps as side inputs, so no
stage holds the corpus in memory. NLP runs once per duplicate group, on the canonical copy, in one
spaCy pass (transforms/analyse.py); its rows are repeated for the copies.

Run it on the packaged seeds (in-process runner, nothing downloaded):

    newsbeam run --output out

on your own files, on several workers of this machine, or on Dataflow:

    newsbeam run --input 'news/**/*.txt' --output out
    newsbeam run --input news/ --output out --direct_num_workers=2 --direct_running_mode=multi_processing
    newsbeam run --input gs://bucket/news/ --output gs://bucket/out --runner DataflowRunner \\
        --project P --region R --temp_location gs://bucket/tmp --setup_file ./setup.py
"""

from __future__ import annotations

import dataclasses
import datetime

import apache_beam as beam

from schemas.records import DeadLetter, Document
from transforms.clean import CleanArticles
from transforms.common import DEAD_LETTER
from transforms.enrich import Enrich
from transforms.feeds import FetchFeedsFn
from transforms.fetch import FetchOptions
from transforms.minhash import Params
from transforms.pages import PAGE_OPTIONS, FollowLinks
from transforms.read import DEFAULT_MAX_BYTES, Filters, ReadDocuments
from transforms.write import DEFAULT_ROWS_PER_FILE, WriteTables


@dataclasses.dataclass(frozen=True)
class RunConfig:
    """What the pipeline needs besides Beam's own options."""

    patterns: list[str]
    output: str
    model: str
    reference_date: datetime.date
    max_bytes: int = DEFAULT_MAX_BYTES
    rows_per_file: int = DEFAULT_ROWS_PER_FILE
    dedup: Params = dataclasses.field(default_factory=Params)
    feeds: list[str] = dataclasses.field(default_factory=list)  # feed URLs or paths, fetched once
    feed_errors: list[DeadLetter] = dataclasses.field(default_factory=list)  # feed list entries refused
    fetch: FetchOptions = dataclasses.field(default_factory=FetchOptions)
    filters: Filters = dataclasses.field(default_factory=Filters)  # which files of a folder are articles
    follow_links: bool = False  # fetch each feed item's article page
    urls: list[Document] = dataclasses.field(default_factory=list)  # article pages to fetch (--urls)
    pages: FetchOptions = PAGE_OPTIONS
    ner_every_sentence: bool = False  # else the NER skips sentences that cannot hold a name


def _input(pipeline, config: RunConfig, feed_items, label: str, counters: str):
    """Documents and dead letters of one read of the files, plus the feed items (fetched only once)."""
    documents, dead = [], []
    if config.patterns:
        read = pipeline | label >> ReadDocuments(config.patterns, config.max_bytes, counters, config.filters)
        documents.append(read["documents"])
        dead.append(read[DEAD_LETTER])
    if feed_items is not None:
        documents.append(feed_items["documents"])
    return documents | f"{label}Documents" >> beam.Flatten(pipeline=pipeline), dead


def build(pipeline: beam.Pipeline, config: RunConfig):
    """Adds every stage to `pipeline`; returns the PCollection of written file paths."""
    feed_items = None
    if config.feeds or config.urls:
        # One element with every feed: they are fetched at once, and an item in two feeds is one item.
        fetched = (pipeline
                   | "Feeds" >> beam.Create([config.feeds])
                   | "FetchFeeds" >> beam.ParDo(FetchFeedsFn(config.fetch)).with_outputs(DEAD_LETTER, main="documents"))
        items, dead = fetched.documents, [fetched[DEAD_LETTER]]
        if config.follow_links or config.urls:
            listed = pipeline | "Urls" >> beam.Create(config.urls).with_output_types(Document)
            to_follow = items if config.follow_links else pipeline | "NoItems" >> beam.Create([]).with_output_types(
                Document)
            paged = (to_follow, listed) | "ToFollow" >> beam.Flatten() | "FollowLinks" >> FollowLinks(config.pages)
            items = paged.documents if config.follow_links else (items, paged.documents) | "WithPages" >> beam.Flatten()
            dead.append(paged[DEAD_LETTER])
        feed_items = {"documents": items | "SpreadItems" >> beam.Reshuffle(),
                      DEAD_LETTER: dead | "FeedDeadLetters" >> beam.Flatten(pipeline=pipeline)}

    # First read: the survey where copies, stories and the run's full names are found.
    first_documents, _ = _input(pipeline, config, feed_items, "ReadForDedup", "first_read")
    survey = (first_documents
              | "CleanForDedup" >> CleanArticles(config.reference_date, counters="first_read", pages="keep")).articles

    # Second read: every article streams through, with the survey's maps as side inputs.
    documents, read_dead = _input(pipeline, config, feed_items, "Read", "read")
    cleaned = documents | "Clean" >> CleanArticles(config.reference_date, pages="reuse")
    rows = cleaned.articles | "Enrich" >> Enrich(config.model, config.dedup, survey=survey,
                                                 every_sentence=config.ner_every_sentence)
    feed_dead = [feed_items[DEAD_LETTER]] if feed_items is not None else []
    if config.feed_errors:
        feed_dead.append(pipeline | "RefusedFeeds" >> beam.Create(config.feed_errors))
    dead = (*read_dead, *feed_dead, cleaned[DEAD_LETTER], rows[DEAD_LETTER])
    rows[DEAD_LETTER] = dead | "DeadLetter" >> beam.Flatten()
    return rows | "Write" >> WriteTables(config.output, config.rows_per_file)
