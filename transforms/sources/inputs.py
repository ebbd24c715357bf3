"""Sources: PTransforms that start a pipeline and emit Documents, with the dead letters of what they
could not read. Each returns a dict: `documents`, `dead_letter`, and for a batch run's input `survey`.

- Inputs: files, folders and globs, a feed snapshot (every feed fetched once) and a URL list, for a
  batch run. Files are read twice, `survey` first (where copies, stories and names are found) and
  `documents` second, so that no stage holds the corpus; feed items are fetched once and go to both.
- FeedPoll: the feeds polled on a clock; each item once, stamped with its poll's time and put in
  the stream's fixed windows; the feeds' validators are saved with each window.
"""

from __future__ import annotations

import apache_beam as beam

from schemas.records import Document
from transforms.common import DEAD_LETTER
from transforms.sources.feeds import FetchFeedsFn
from transforms.sources.pages import STREAM_RETRIES, FollowLinks
from transforms.sources.poll import VALIDATORS, FirstSighting, PollFeeds, SaveValidators
from transforms.sources.read import ReadDocuments

DOCUMENTS, SURVEY = "documents", "survey"


class FeedSnapshot(beam.PTransform):
    """Every feed fetched once, in one element (an item in two feeds is one item); with `follow_links`
    each item's article page instead of its summary; `urls`: article pages listed by the user."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def expand(self, pipeline):
        settings = self.settings
        fetched = (pipeline
                   | "Feeds" >> beam.Create([settings.feeds])
                   | "FetchFeeds" >> beam.ParDo(FetchFeedsFn(settings.fetch)).with_outputs(DEAD_LETTER, main=DOCUMENTS))
        items, dead = fetched[DOCUMENTS], [fetched[DEAD_LETTER]]
        if settings.follow_links or settings.urls:
            listed = pipeline | "Urls" >> beam.Create(settings.urls).with_output_types(Document)
            to_follow = items if settings.follow_links else (
                pipeline | "NoItems" >> beam.Create([]).with_output_types(Document))
            paged = (to_follow, listed) | "ToFollow" >> beam.Flatten() | "FollowLinks" >> FollowLinks(settings.pages)
            items = (paged.documents if settings.follow_links
                     else (items, paged.documents) | "WithPages" >> beam.Flatten())
            dead.append(paged[DEAD_LETTER])
        return {DOCUMENTS: items | "SpreadItems" >> beam.Reshuffle(),
                DEAD_LETTER: dead | "FeedDeadLetters" >> beam.Flatten(pipeline=pipeline.pipeline)}


class Inputs(beam.PTransform):
    """A batch run's input: files read twice (`survey`, then `documents`), feed items fetched once."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def expand(self, pipeline):
        settings = self.settings
        feed = pipeline | "FeedSnapshot" >> FeedSnapshot(settings) if settings.feeds or settings.urls else None
        dead = [feed[DEAD_LETTER]] if feed is not None else []
        if settings.feed_errors:
            dead.append(pipeline | "RefusedFeeds" >> beam.Create(settings.feed_errors))
        reads = {}
        for output, label, counters in ((SURVEY, "ReadForDedup", "first_read"), (DOCUMENTS, "Read", "read")):
            documents = [feed[DOCUMENTS]] if feed is not None else []
            if settings.patterns:
                read = pipeline | label >> ReadDocuments(settings.patterns, settings.max_bytes, counters,
                                                        settings.filters)
                documents.insert(0, read[DOCUMENTS])
                if output == DOCUMENTS:
                    dead.insert(0, read[DEAD_LETTER])
            reads[output] = documents | f"{label}Documents" >> beam.Flatten(pipeline=pipeline.pipeline)
        return {**reads, DEAD_LETTER: dead | "InputDeadLetters" >> beam.Flatten(pipeline=pipeline.pipeline)}


class FeedPoll(beam.PTransform):
    """The feeds polled every `poll_interval` seconds; new items once each, in fixed windows."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def expand(self, pipeline):
        settings = self.settings
        windows = beam.window.FixedWindows(settings.window)
        polled = pipeline | "PollFeeds" >> PollFeeds(
            settings.feeds, settings.poll_interval, settings.stop, settings.fetch, settings.ttl,
            tuple(settings.feed_errors), settings.memory or settings.output,
            settings.window if settings.bounded else None)
        # Windows are set on the items: stages that batch (pages, NLP) stamp batches with their window's end.
        items = (polled[DOCUMENTS]
                 | "FirstSighting" >> FirstSighting(settings.ttl)
                 | "Window" >> beam.WindowInto(windows))
        dead = [polled[DEAD_LETTER] | "WindowDeadLetter" >> beam.WindowInto(windows)]
        if settings.follow_links:  # new items only: a page is fetched once across polls and restarts
            paged = items | "FollowLinks" >> FollowLinks(settings.pages, retries=STREAM_RETRIES)
            items = paged.documents
            dead.append(paged[DEAD_LETTER])
        _ = (polled[VALIDATORS]
             | "WindowValidators" >> beam.WindowInto(windows)
             | "SaveValidators" >> SaveValidators(settings.output))
        return {DOCUMENTS: items, DEAD_LETTER: dead | "PollDeadLetters" >> beam.Flatten()}


def source_of(settings) -> beam.PTransform:
    """The source a run's settings name: polled feeds for a stream, else files, feeds and URLs once."""
    return FeedPoll(settings) if settings.streaming else Inputs(settings)
