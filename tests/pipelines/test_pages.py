"""Article pages behind feed items, fetched politely from a real server on 127.0.0.1 under two host names."""

import datetime

import pytest

from evals.feedserver import FeedServer
from pipelines.cli import main
from schemas import catalog
from tests.pipelines.test_streaming import article_count, start_stream, stop, wait_for
from tests.transforms.test_html import news_page
from transforms.text import html

DELAY = 0.5


def body(n: int) -> str:
    return "".join(f"<p>{text}</p>" for text in (
        f"Bericht {n}: Das geplante Treffen der Außenminister in Budapest wurde am Mittwoch verschoben, "
        f"wie ein Sprecher der Regierung nach einer Sitzung des Kabinetts mitteilte, Meldung Nummer {n}.",
        f"Die Opposition kritisierte die Entscheidung als Zeichen der Schwäche; ein neuer Termin für Runde {n} "
        "soll nach den Beratungen mit den Partnern in den kommenden Wochen festgelegt werden.",
        "Beobachter verwiesen auf die schwierigen Vorgespräche, die seit dem Sommer ohne greifbares Ergebnis "
        "geblieben waren und zuletzt von gegenseitigen Vorwürfen überschattet wurden.",
    ))


@pytest.fixture
def site(tmp_path):
    with FeedServer() as server:
        port = server.httpd.server_address[1]
        hosts = {"one": f"http://127.0.0.1:{port}", "two": f"http://localhost:{port}"}
        server.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        links = []
        for n in range(1, 5):
            server.serve(f"/news/a{n}", news_page(body(n)), content_type="text/html")
            links.append(f"{hosts['one']}/news/a{n}")
        for n in range(5, 8):
            server.serve(f"/news/b{n}", news_page(body(n)), content_type="text/html")
            links.append(f"{hosts['two']}/news/b{n}")
        server.serve("/private/p1", news_page(body(9)), content_type="text/html")
        server.serve("/news/missing", "", status=404)
        server.serve("/news/broken", "", status=500)
        server.serve("/news/stall", news_page(body(10)), content_type="text/html", delay=30)
        server.serve("/news/moved", "", redirect="/news/target")
        server.serve("/news/target", news_page(body(11)), content_type="text/html")
        links += [f"{hosts['one']}/private/p1", f"{hosts['two']}/news/missing", f"{hosts['one']}/news/broken",
                  f"{hosts['two']}/news/stall", f"{hosts['one']}/news/moved"]
        items = "".join(
            f"<item><title>Item {i}</title><link>{link}</link><guid>item-{i}</guid>"
            f"<pubDate>Sat, 25 Oct 2025 09:00:00 GMT</pubDate><description>Kurzmeldung {i}: Treffen in Budapest "
            f"verschoben.</description></item>" for i, link in enumerate(links))
        feed = server.serve("/feed.rss", f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")
        yield server, feed, links, hosts


def test_each_item_becomes_its_page_politely_and_failures_keep_the_feed_text(site, tmp_path):
    server, feed, links, hosts = site
    output = tmp_path / "out"
    assert main(["run", "--feeds", feed, "--follow-links", "--host-delay", str(DELAY), "--timeout", "3",
                 "--output", str(output)]) == 0
    connection = catalog.connect(str(output))
    rows = {link: (source, text, day) for link, source, text, day in connection.sql(
        "SELECT source, text_source, text, published_date FROM articles").fetchall()}
    assert sorted(rows) == sorted(links)  # every item is one article
    pages = links[:7] + [links[-1]]  # a1-a4, b5-b7 and the redirected one
    for link in pages:
        source, text, day = rows[link]
        assert source == "page" and "Kabinetts mitteilte" in text and "Leser42" not in text, link
        assert day == datetime.date(2025, 10, 22)  # the page's own date, not the feed's
    # The page's article, as the HTML stage reads the same page alone.
    alone = html.extract_page(news_page(body(1)), reference_date=datetime.date.today()).text
    def lines(text):
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]

    assert lines(rows[links[0]][1]) == lines(alone)
    for link in set(links) - set(pages):
        assert rows[link][0] == "feed" and rows[link][1].startswith("Kurzmeldung"), link
    dead = dict(connection.sql("SELECT source, error FROM dead_letter WHERE stage = 'pages'").fetchall())
    assert "robots.txt" in dead[f"{hosts['one']}/private/p1"]
    assert dead[f"{hosts['two']}/news/missing"].startswith("HTTP 404")
    assert dead[f"{hosts['one']}/news/broken"].startswith("HTTP 500")
    assert "within 3s" in dead[f"{hosts['two']}/news/stall"]
    assert not [path for path, _ in server.requests if path.startswith("/private/")]
    assert set(server.visits) == {hosts["one"].removeprefix("http://"), hosts["two"].removeprefix("http://")}
    for host, visits in server.visits.items():
        assert server.most_open[host] <= 2, host
        starts = sorted(start for path, start, _ in visits if path != "/feed.rss")  # the feed is not a page
        gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
        # The server stamps a request when its thread gets to it: one stamped late makes the next gap
        # look short, but the two gaps together still span two delays. A burst never passes.
        assert len(starts) >= 5 and min(gaps) >= DELAY / 2, (host, gaps)
        for before, gap in zip([DELAY, *gaps], gaps, strict=False):
            assert gap >= DELAY * 0.95 or before + gap >= 2 * DELAY * 0.95, (host, gaps)


def test_a_stream_fetches_each_page_once_across_polls_and_restarts(site, tmp_path):
    server, feed, links, _ = site
    output = tmp_path / "live"

    def pages_requested():
        return [path for path, _ in server.requests if path.startswith("/news/")]

    for _ in range(2):  # the second stream is a restart on the same output
        polls = sum(path == "/feed.rss" for path, _ in server.requests)
        stream = start_stream(feed, output, "--follow-links", "--host-delay", "0.2", "--timeout", "3")
        try:
            wait_for(lambda: article_count(output) >= len(links), "an article for every item")
            wait_for(lambda before=polls: sum(path == "/feed.rss" for path, _ in server.requests) >= before + 3,
                     "more polls")
        finally:
            errors = stop(stream)
        assert stream.returncode == 130, errors[-2000:]
    requested = pages_requested()
    # Each page once; the one answering 500 three times (two retries, after the backoff), in the first stream only.
    assert requested.count("/news/broken") == 3, requested
    requested = [path for path in requested if path != "/news/broken"]
    assert sorted(set(requested)) == sorted(requested), requested
    assert article_count(output) == len(links)
