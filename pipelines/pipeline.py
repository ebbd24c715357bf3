"""The newsbeam pipeline: one wiring for a batch run and a stream.

    source -> clean -> windows -> enrich (language, copies, stories, entities, topics, statuses) -> Parquet

A batch run's source is its files, a feed snapshot and a URL list (transforms/sources.Inputs); the run
is one window, whose copies, stories and names are found on a first read of the input (`survey`);
the findings then meet each file's path, and the file is read again beside them, so no stage holds
the corpus. A stream's source polls feeds into fixed windows (FeedPoll); each
window is surveyed whole, after the copies of earlier windows are marked, and its stories are
remembered for the next. Either way the same items give the same rows.

    newsbeam run --output out                                   # the packaged seeds, in-process
    newsbeam run --input 'news/**/*.txt' --output out --workers 2
    newsbeam run --input gs://bucket/news/ --output gs://bucket/out --runner DataflowRunner \\
        --project P --region R --temp_location gs://bucket/tmp --setup_file ./setup.py
    newsbeam stream --feeds feeds.txt --output live --poll-interval 60 --window 300
"""

from __future__ import annotations

import apache_beam as beam

from pipelines.runners import send_inputs_in_pieces
from schemas.tables import ARTICLES
from transforms.common import DEAD_LETTER, tune_allocator
from transforms.dedup.windows import RecentCopiesFn, RememberStoriesFn, WholeWindows
from transforms.enrich import Enrich
from transforms.findings import by_id
from transforms.sinks.parquet import WriteTables
from transforms.sources.inputs import DOCUMENTS, SURVEY, TO_READ, source_of
from transforms.sources.read import ReadAgainFn
from transforms.text.clean import CleanArticles, CleanDocumentFn


class StreamWindows:
    """A stream's windows: copies of earlier windows marked, each window held until whole, and its
    stories remembered for the windows after it (the stream's memory is its output folder)."""

    def __init__(self, settings):
        self.settings = settings
        self.memory = settings.memory or settings.output

    def before(self, articles):
        return (articles
                | "CopiesOfEarlierWindows" >> beam.ParDo(RecentCopiesFn(self.settings.dedup, self.settings.ttl,
                                                                        self.memory))
                | "WholeWindows" >> WholeWindows())

    def after(self, rows) -> None:
        _ = rows[ARTICLES] | "RememberStories" >> beam.ParDo(
            RememberStoriesFn(self.settings.dedup, self.settings.ttl, self.memory))


class RunWindow:
    """A batch run is one window: nothing to hold back, nothing to remember."""

    def before(self, articles):
        return articles

    def after(self, rows) -> None:
        pass


def build(pipeline: beam.Pipeline, settings):
    """Adds every stage to `pipeline` (settings: pipelines.options.Settings); returns the written files."""
    tune_allocator()  # this process's allocator, and the worker processes the run will start
    send_inputs_in_pieces()  # if the in-process runner runs it: its workers get their input a piece at a time
    read = pipeline | "Source" >> source_of(settings)
    dead = [read[DEAD_LETTER]]
    if SURVEY in read:  # a batch run: the findings meet each file's path, where it is read again
        survey = (read[SURVEY] | "Clean" >> CleanArticles(settings.reference_date, counters="first_read",
                                                          pages="keep")).articles
        items = read[TO_READ]
        reading = (("ReadAgain", ReadAgainFn(settings.max_bytes)),
                   ("CleanAgain", CleanDocumentFn(settings.reference_date, pages="reuse")))
        windows = RunWindow()
    else:
        cleaned = read[DOCUMENTS] | "Clean" >> CleanArticles(settings.reference_date)
        dead.append(cleaned[DEAD_LETTER])
        windows = StreamWindows(settings)
        survey = windows.before(cleaned.articles)
        items, reading = survey | "ById" >> beam.Map(by_id), ()
    rows = items | "Enrich" >> Enrich(survey, settings.model, settings.dedup, reading,
                                      every_sentence=settings.ner_every_sentence)
    windows.after(rows)
    dead.append(rows[DEAD_LETTER])
    rows[DEAD_LETTER] = dead | "DeadLetter" >> beam.Flatten()
    return rows | "Write" >> WriteTables(settings.output, settings.rows_per_file, streaming=settings.streaming)
