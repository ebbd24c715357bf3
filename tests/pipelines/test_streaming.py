"""Streaming: a real feed server on 127.0.0.1 whose feed grows during the run; TestStream windows."""

import datetime
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
from schemas.records import Document, EntityMention
from transforms.stream import FirstSighting
from transforms.write import WriteTables

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
    found = duckdb.sql(f"SELECT \"window\", article_id FROM read_parquet('{tmp_path}/entities/**/*.parquet', "
                       "hive_partitioning = true) ORDER BY 2").fetchall()
    assert [(str(w)[-8:], a) for w, a in found] == [("00:00:00", "a1"), ("00:01:00", "a2"), ("00:00:00", "a3")]


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def test_stream_writes_each_item_once_while_feeds_change_fail_and_stall(server, tmp_path):
    live = server.serve("/live.rss", feed(0, 4))
    down = server.serve("/down.rss", "", status=500)
    slow = server.serve("/slow.rss", feed(100, 101), delay=30)
    junk = server.serve("/junk.rss", "<html><body>Moved</body></html>", content_type="text/html")
    listing = tmp_path / "feeds.txt"
    listing.write_text("\n".join([live, down, slow, junk]) + "\n")
    output = tmp_path / "live"
    stream = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "stream", "--feeds", str(listing),
                               "--output", str(output), "--poll-interval", "2", "--window", "4",
                               "--duration", "24", "--timeout", "3"], stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(7)
        server.serve("/live.rss", feed(2, 9))  # two items dropped, five new ones
        deadline = time.time() + 12
        while time.time() < deadline:  # queries work while the stream runs
            try:
                running = catalog.connect(str(output)).sql("SELECT count(*) FROM articles").fetchall()[0][0]
                break
            except catalog.MissingOutput:
                time.sleep(0.5)
        assert stream.poll() is None and running >= 4
    finally:
        _, errors = stream.communicate(timeout=120)
    assert stream.returncode == 0, errors[-2000:]
    connection = catalog.connect(str(output))
    sources = [row[0] for row in connection.sql("SELECT source FROM articles ORDER BY source").fetchall()]
    assert sources == sorted(f"https://news.example/{n}" for n in range(9))
    dead = dict(connection.sql("SELECT regexp_extract(source, '[^/]+$'), error FROM dead_letter").fetchall())
    assert dead["down.rss"].startswith("HTTP 500") and dead["junk.rss"].startswith("not a feed")
    assert "fetch failed" in dead["slow.rss"]
    assert not list(output.rglob("*.inprogress"))
    assert any(path.parent.parent.name.startswith("window=") for path in output.rglob("articles/**/*.parquet"))
