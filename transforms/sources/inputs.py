"""Sources: PTransforms that start a pipeline and emit Documents, with the dead letters of what they
could not read. Each returns a dict: `documents`, `dead_letter`, and for a batch run's input `survey`.

- Inputs: files, folders and globs, a feed snapshot (every feed fetched once) and a URL list, for a
  batch run. Files are read twice, `survey` first (where copies, stories and names are found), then
  again from `to_read` where their findings meet them, so that no stage holds the corpus; feed items
  are fetched once and go to both.
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
from transforms.sources.read import LOCATED, ReadDocuments

DOCUMENTS, SURVEY, TO_READ = "documents", "survey", "to_read"


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
    """A batch run's input: `survey`, every Document once (files read, feed items fetched), and
    `to_read`, (article_id, what reads it again): a file's InputFile, a feed item itself."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def expand(self, pipeline):
        settings = self.settings
        survey, to_read, dead = [], [], []
        if settings.feeds or settings.urls:
            feed = pipeline | "FeedSnapshot" >> FeedSnapshot(settings)
            survey.append(feed[DOCUMENTS])
            to_read.append(feed[DOCUMENTS] | "ItemsById" >> beam.Map(lambda item: (item.article_id, item)))
            dead.append(feed[DEAD_LETTER])
        if settings.feed_errors:
            dead.append(pipeline | "RefusedFeeds" >> beam.Create(settings.feed_errors))
        if settings.patterns:
            read = pipeline | "Read" >> ReadDocuments(settings.patterns, settings.max_bytes, "first_read",
                                                      settings.filters, locate=True)
            survey.insert(0, read[DOCUMENTS])
            to_read.insert(0, read[LOCATED])
            dead.insert(0, read[DEAD_LETTER])
        def flat():
            return beam.Flatten(pipeline=pipeline.pipeline)

        return {SURVEY: survey | "Documents" >> flat(), TO_READ: to_read | "ToReadAgain" >> flat(),
                DEAD_LETTER: dead | "InputDeadLetters" >> flat()}


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
