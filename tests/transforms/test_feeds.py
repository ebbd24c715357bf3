"""Feed fetching and parsing against a real HTTP server on 127.0.0.1."""

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from evals.feedserver import FeedServer
from tests.conftest import in_process_pipeline
from transforms.common import DEAD_LETTER
from transforms.sources.feeds import FetchFeedsFn, parse_feed
from transforms.sources.fetch import Fetcher, FetchError, FetchOptions

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>World news</title>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://news.example/{slug}</link><guid>{slug}</guid>
<pubDate>Tue, 21 Oct 2025 09:00:00 GMT</pubDate>
<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"""


def feed(*titles: str) -> str:
    return RSS.format(items="\n".join(
        ITEM.format(title=t, slug=t.lower().replace(" ", "-"),
                    text=f"{t}. The Kremlin said on Tuesday that no date had been set for the summit.")
        for t in titles))


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def test_unchanged_feed_answers_304_and_yields_nothing(server):
    url = server.serve("/world.rss", feed("Summit postponed"))
    fetcher = Fetcher()
    assert b"Summit postponed" in fetcher.fetch(url)
    assert fetcher.fetch(url) is None
    assert server.requests[-1][1].get("If-None-Match")  # the second GET was conditional
    server.serve("/world.rss", feed("Summit postponed", "Summit cancelled"))
    assert b"Summit cancelled" in fetcher.fetch(url)


def test_gzip_bodies_are_decompressed(server):
    url = server.serve("/world.rss", feed("Summit postponed"))
    body = Fetcher().fetch(url)
    assert body.startswith(b"<?xml") and "gzip" in server.requests[-1][1].get("Accept-Encoding", "")


def test_server_error_is_a_fetch_error_and_the_feed_backs_off(server):
    url = server.serve("/broken.rss", "", status=500)
    fetcher = Fetcher()
    with pytest.raises(FetchError, match="HTTP 500"):
        fetcher.fetch(url, now=0.0)
    assert fetcher.fetch(url, now=1.0) is None  # still backing off: no request sent
    assert len(server.requests) == 1


def test_slow_feed_times_out(server):
    url = server.serve("/slow.rss", feed("Late"), delay=2.0)
    with pytest.raises(FetchError, match="fetch failed"):
        Fetcher(FetchOptions(timeout=0.5)).fetch(url)


def test_too_large_body_and_redirect_loops_are_refused(server):
    big = server.serve("/big.rss", "x" * 5000)
    with pytest.raises(FetchError, match="larger than"):
        Fetcher(FetchOptions(max_bytes=1000)).fetch(big)
    loop = server.serve("/a", "", redirect="/b")
    server.serve("/b", "", redirect="/a")
    with pytest.raises(FetchError):
        Fetcher().fetch(loop)


def test_items_become_documents_with_link_date_and_title():
    documents, error = parse_feed("https://news.example/feed", feed("Summit postponed").encode())
    assert error is None
    (document,) = documents
    assert document.source == "https://news.example/summit-postponed"
    assert document.metadata_title == "Summit postponed"
    assert str(document.metadata_date) == "2025-10-21"


def test_a_feed_date_in_portuguese_is_read():
    # UOL's feeds write pubDate in Portuguese, which feedparser does not read
    body = feed("Cúpula adiada").replace("Tue, 21 Oct 2025", "Ter, 21 Out 2025")
    assert "Ter, 21 Out 2025" in body
    (document,), _ = parse_feed("https://noticias.example/feed", body.encode())
    assert str(document.metadata_date) == "2025-10-21"


def test_partly_broken_feed_yields_its_good_items():
    body = feed("Summit postponed", "Summit cancelled").replace("</channel></rss>", "<item><title>cut off")
    documents, error = parse_feed("https://news.example/feed", body.encode())
    assert [d.metadata_title for d in documents] == ["Summit postponed", "Summit cancelled"] and error is None


def test_failing_feeds_are_dead_letters_and_good_feeds_flow(server):
    good = server.serve("/good.rss", feed("Summit postponed", "Summit cancelled"))
    failing = server.serve("/down.rss", "", status=500)
    html = server.serve("/page.html", "<html><body>Not a feed</body></html>", content_type="text/html")
    slow = server.serve("/slow.rss", feed("Late"), delay=60.0)  # never in time; the others are, on a busy CI
    with in_process_pipeline() as p:
        fetched = p | beam.Create([[good, failing, html, slow]]) | beam.ParDo(
            FetchFeedsFn(FetchOptions(timeout=5.0))).with_outputs(DEAD_LETTER, main="documents")
        assert_that(fetched.documents | beam.Map(lambda d: d.metadata_title),
                    equal_to(["Summit postponed", "Summit cancelled"]), label="items")
        assert_that(fetched[DEAD_LETTER] | beam.Map(lambda d: (d.source.rsplit("/", 1)[1], d.error.split(":")[0])),
                    equal_to([("down.rss", "HTTP 500 Internal Server Error"), ("page.html", "not a feed"),
                              ("slow.rss", "fetch failed")]), label="dead letters")


def test_links_that_differ_only_by_tracking_parameters_are_one_item():
    from transforms.sources.feeds import item_id
    from transforms.sources.fetch import page_identity

    plain = "https://news.example/world/summit?id=7"
    tracked = "HTTPS://News.Example/world/summit?utm_source=rss&id=7&fbclid=abc#comments"
    assert page_identity(tracked) == plain
    assert item_id(tracked, None, "Summit postponed") == item_id(plain, None, "Summit postponed")
    assert item_id("https://news.example/world/summit?id=8", None, "Summit postponed") != item_id(
        plain, None, "Summit postponed")
