"""Streaming: a real feed server on 127.0.0.1 whose feed grows during the run; TestStream windows.

Stream tests wait for what a user would see (rows in the output, requests at the server) with
generous deadlines, never for a fixed time: CI machines are shared and sometimes slow."""

import datetime
import html
import re
import signal
import subprocess
import sys
import time

import apache_beam as beam
import duckdb
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing import test_stream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import FixedWindows, TimestampedValue

from evals.feedserver import FeedServer
from schemas import catalog
from schemas.records import Article, Document, EntityMention
from schemas.tables import TABLES
from tests.conftest import SEED_FILES, in_process_pipeline, seed_text
from tests.transforms.test_dedup import Deduplicate
from transforms.dedup.minhash import Params
from transforms.dedup.windows import RecentCopiesFn, RememberStoriesFn
from transforms.sinks.parquet import WriteTables
from transforms.sources.poll import FirstSighting

ITEM = ("<item><title>{title}</title><link>https://news.example/{n}</link><guid>{n}</guid>"
        "<pubDate>Tue, 21 Oct 2025 09:00:00 GMT</pubDate><description>{title}. Kremlin spokesman Dmitry Peskov "
        "said on Tuesday that the summit between Donald Trump and Vladimir Putin in Budapest was postponed, "
        "story number {n}.</description></item>")


def feed(first: int, last: int) -> str:
    items = "".join(ITEM.format(title=f"Summit update {n}", n=n) for n in range(first, last))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Live</title>{items}</channel></rss>"


def streaming_pipeline():
    return beam.Pipeline(options=PipelineOptions(["--streaming", "--runner=BundleBasedDirectRunner"]))


def document(n: int) -> Document:
    return Document(article_id=f"item{n}", source=f"https://news.example/{n}", text=f"Story {n}")


def test_an_item_seen_again_in_a_later_poll_is_not_emitted_again_until_its_ttl_passes():
    polls = (test_stream.TestStream()
             .advance_watermark_to(0)
             .add_elements([TimestampedValue(document(1), 1), TimestampedValue(document(2), 2)])
             .advance_watermark_to(60)
             .add_elements([TimestampedValue(document(1), 61), TimestampedValue(document(3), 62)])
             .advance_watermark_to(4000)  # past the one-hour TTL of item 1
             .add_elements([TimestampedValue(document(1), 4001)])
             .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        firsts = p | polls | FirstSighting(ttl=3600) | beam.Map(lambda d: d.article_id)
        assert_that(firsts, equal_to(["item1", "item2", "item3", "item1"]))


def test_windows_get_folders_and_late_rows_land_in_their_own_window(tmp_path):
    def mention(n, at):
        return TimestampedValue(EntityMention(f"a{n}", datetime.date(2025, 10, 21), "Budapest", "GPE", "Budapest"), at)

    rows = (test_stream.TestStream()
            .advance_watermark_to(0)
            .add_elements([mention(1, 10), mention(2, 70)])
            .advance_watermark_to(200)
            .add_elements([mention(3, 20)])  # late: its window [0, 60) closed long ago
            .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        entities = p | rows | beam.WindowInto(FixedWindows(60))
        _ = {"entities": entities} | WriteTables(str(tmp_path), streaming=True)
    found = duckdb.sql(f"SELECT window_start, article_id FROM read_parquet('{tmp_path}/entities/**/*.parquet', "
                       "hive_partitioning = true) ORDER BY 2").fetchall()
    assert found == [("19700101T000000Z", "a1"), ("19700101T000100Z", "a2"), ("19700101T000000Z", "a3")]


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def wait_for(condition, what: str, deadline: float = 180.0):
    """Polls `condition` until it holds; generous, as CI machines are shared and slow."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {deadline:g}s waiting for {what}")


def article_count(output) -> int:
    try:
        return catalog.connect(str(output)).sql("SELECT count(*) FROM articles").fetchall()[0][0]
    except catalog.MissingOutput:
        return 0


def start_stream(listing, output, *options):
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "stream", "--feeds", str(listing),
                             "--no-follow-links", "--output", str(output), "--poll-interval", "1", "--window", "3",
                             "--duration", "600", *options], stderr=subprocess.PIPE, text=True)


def stop(stream) -> str:
    stream.send_signal(signal.SIGINT)
    _, errors = stream.communicate(timeout=300)
    return errors


def test_stream_writes_each_item_once_while_feeds_change_fail_and_stall(server, tmp_path):
    live = server.serve("/live.rss", feed(0, 4))
    down = server.serve("/down.rss", "", status=500)
    slow = server.serve("/slow.rss", feed(100, 101), delay=30)
    junk = server.serve("/junk.rss", "<html><body>Moved</body></html>", content_type="text/html")
    listing = tmp_path / "feeds.txt"
    listing.write_text("\n".join([live, down, slow, junk]) + "\n")
    output = tmp_path / "live"
    stream = start_stream(listing, output, "--timeout", "3")
    try:
        wait_for(lambda: article_count(output) >= 4, "the first items, queried while the stream runs")
        server.serve("/live.rss", feed(2, 9))  # two items dropped, five new ones
        wait_for(lambda: article_count(output) >= 9 or stream.poll() is not None, "the new items")
        assert stream.poll() is None
    finally:
        errors = stop(stream)
    assert stream.returncode == 130, errors[-2000:]
    assert "newsbeam: poll " in errors and "newsbeam: window " in errors and "feeds " in errors
    connection = catalog.connect(str(output))
    sources = [row[0] for row in connection.sql("SELECT source FROM articles ORDER BY source").fetchall()]
    assert sources == sorted(f"https://news.example/{n}" for n in range(9))
    # Written although the stream was stopped with Ctrl-C.
    dead = dict(connection.sql("SELECT regexp_extract(source, '[^/]+$'), error FROM dead_letter").fetchall())
    assert dead["down.rss"].startswith("HTTP 500") and dead["junk.rss"].startswith("not a feed")
    assert "fetch failed" in dead["slow.rss"]
    assert not list(output.rglob("*.inprogress"))
    assert not [p for p in (output / ".newsbeam").iterdir() if p.name.startswith("run-")]
    windows = {p.parent.parent.name for p in output.rglob("articles/**/*.parquet")}
    assert windows and all(re.fullmatch(r"window_start=\d{8}T\d{6}Z", w) for w in windows)
    assert connection.sql("SELECT count(*) FROM articles WHERE window_start IS NULL").fetchall() == [(0,)]


def test_a_stream_killed_and_restarted_writes_each_item_once_and_resumes_conditional_gets(server, tmp_path):
    live = server.serve("/live.rss", feed(0, 4))
    output = tmp_path / "live"
    first = start_stream(live, output)
    try:
        wait_for(lambda: article_count(output) >= 4, "the first items")
        server.serve("/live.rss", feed(2, 9))
        wait_for(lambda: sum(path == "/live.rss" for path, _ in server.requests) >= 3, "a poll of the new feed")
    finally:
        first.kill()  # SIGKILL, wherever it is: polling, analysing or adding a window
        first.communicate(timeout=60)
    restarted_at = len(server.requests)
    second = start_stream(live, output)
    try:
        wait_for(lambda: article_count(output) >= 9 or second.poll() is not None, "the remaining items")
        wait_for(lambda: sum(path == "/live.rss" for path, _ in server.requests[restarted_at:]) >= 3,
                 "two more polls after the restart")
    finally:
        errors = stop(second)
    assert second.returncode == 130, errors[-2000:]
    connection = catalog.connect(str(output))
    sources = [row[0] for row in connection.sql("SELECT source FROM articles ORDER BY source").fetchall()]
    assert sources == sorted(f"https://news.example/{n}" for n in range(9))
    first_request = next(headers for path, headers in server.requests[restarted_at:] if path == "/live.rss")
    assert "If-None-Match" in first_request or "If-Modified-Since" in first_request


def seed_feed() -> str:
    """The five seed articles as the items of one RSS feed: real text, with names, stories and copies."""
    items = []
    for n, path in enumerate(SEED_FILES):
        text = path.read_text(encoding="utf-8")
        body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip()
                       and not line.startswith("date "))
        items.append(f"<item><title>Seed {n}</title><link>https://news.example/seed/{n}</link>"
                     f"<guid>seed-{n}</guid><pubDate>Tue, 21 Oct 2025 0{n}:00:00 GMT</pubDate>"
                     f"<description>{html.escape(body)}</description></item>")
    # A syndicated copy of seed 1 under another link: dedup and shared rows are compared too.
    copy = items[1].replace("seed/1", "copy/1").replace("seed-1", "copy-1").replace("Seed 1", "Seed 1 (copy)")
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>Seeds</title>" + "".join(items) + copy
            + "</channel></rss>")


def test_run_and_stream_give_the_same_rows_for_the_same_items(seed_feed_run, tmp_path):
    live = tmp_path / "live"
    polls = seed_feed_run.polls()
    stream = start_stream(seed_feed_run.url, live, "--window", "3600")
    try:
        # The second request means the first poll, which found every item, is done; Ctrl-C then
        # writes the open window.
        wait_for(lambda: seed_feed_run.polls() >= polls + 2, "the stream's polls")
    finally:
        errors = stop(stream)
    assert stream.returncode == 130, errors[-2000:]
    ran, streamed = catalog.connect(str(seed_feed_run.output)), catalog.connect(str(live))
    for table in TABLES:
        statement = f"SELECT COLUMNS(lambda c: c != 'window_start') FROM {table} ORDER BY ALL"
        expected = ran.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        assert streamed.sql(statement).fetchall() == expected, table
    assert ran.sql("SELECT count(*) FROM articles WHERE is_duplicate").fetchall() == [(1,)]
    assert ran.sql("SELECT count(DISTINCT story_id) FROM articles").fetchall()[0][0] < 6


def story(article_id: str, text: str) -> Article:
    return Article(article_id, f"https://news.example/{article_id}", None, datetime.date(2025, 10, 21), "feed",
                   "en", text)


def test_a_copy_of_an_earlier_windows_story_is_marked_with_the_canonical_id(tmp_path):
    """Two windows, one pipeline each, as `newsbeam stream` runs them in process; the index of
    recent stories carries over (its key, the output folder, keeps other tests' indexes apart)."""
    text = seed_text(1)
    reworded = text.replace("summit", "meeting", 1) + " Additional reporting by the newsroom."

    def window(articles, expected):
        with in_process_pipeline() as p:
            marked = (p | beam.Create(articles) | beam.MapTuple(TimestampedValue)
                      | beam.WindowInto(FixedWindows(60))
                      | beam.ParDo(RecentCopiesFn(Params(), 3600, str(tmp_path)))
                      | Deduplicate())  # as Enrich does within each window
            _ = marked | beam.ParDo(RememberStoriesFn(Params(), 3600, str(tmp_path)))
            assert_that(marked | beam.Map(lambda a: (a.article_id, a.duplicate_of)), equal_to(expected))

    window([(story("first", text), 10), (story("same-window", reworded), 20)],
           [("first", None), ("same-window", "first")])
    # The later copy is closest to "same-window" (the same text), but points at its canonical copy.
    window([(story("later-copy", reworded), 130), (story("other", seed_text(3)), 131)],
           [("later-copy", "first"), ("other", None)])


def page_of_day(day: str) -> str:
    paragraphs = "".join(f"<p>The foreign ministers met in Vienna for the {n}th round of talks on the grain "
                         "corridor, and officials said a further session would follow within the month.</p>"
                         for n in range(2, 8))
    return (f"<html><head><title>Talks resume in Vienna</title><meta property='article:published_time' "
            f"content='{day}T00:20:00Z'></head><body><article><h1>Talks resume in Vienna</h1>{paragraphs}"
            "</article></body></html>")


def test_a_stream_started_one_day_keeps_the_page_dates_of_the_next_day():
    """The clock: items polled at 23:50 on the day the stream started and at 00:30 the next day, each
    page dated the day it was polled. A reference date fixed at start would drop the second date."""
    from pipelines.cli import _parser
    from pipelines.options import settings
    from transforms.text.clean import CleanArticles

    args, _ = _parser().parse_known_args(["stream", "--feeds", "https://news.example/rss"])
    stream_settings = settings(args, "stream")
    started = datetime.datetime(2026, 12, 6, 23, 50, tzinfo=datetime.UTC).timestamp()
    after_midnight = datetime.datetime(2026, 12, 7, 0, 30, tzinfo=datetime.UTC).timestamp()

    def item(n: int, day: str) -> Document:
        return Document(article_id=f"page{n}", source=f"https://news.example/{n}", text=page_of_day(day),
                        summary="Talks resume in Vienna")

    polls = (test_stream.TestStream()
             .advance_watermark_to(started)
             .add_elements([TimestampedValue(item(1, "2026-12-06"), started)])
             .advance_processing_time(40 * 60)
             .advance_watermark_to(after_midnight)
             .add_elements([TimestampedValue(item(2, "2026-12-07"), after_midnight)])
             .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        cleaned = p | polls | CleanArticles(stream_settings.reference_date)
        dated = cleaned.articles | beam.Map(lambda a: (a.article_id, str(a.published_date), a.date_source))
        assert_that(dated | beam.Map(lambda row: row[:2]),
                    equal_to([("page1", "2026-12-06"), ("page2", "2026-12-07")]))
