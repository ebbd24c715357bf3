"""`newsbeam run --feeds`: a one-shot snapshot of feeds served on 127.0.0.1."""

from evals.feedserver import FeedServer
from pipelines.cli import main
from schemas import catalog
from tests.pipelines.test_streaming import feed


def test_snapshot_of_feeds_gives_articles_and_dead_letters(tmp_path):
    with FeedServer() as server:
        good = server.serve("/world.rss", feed(0, 3))
        down = server.serve("/down.rss", "", status=503)
        listing = tmp_path / "feeds.txt"
        listing.write_text(f"# world news\n{good}\n{down}\n")
        assert main(["run", "--feeds", str(listing), "--no-follow-links", "--output", str(tmp_path / "out")]) == 0
    connection = catalog.connect(str(tmp_path / "out"))
    articles = connection.sql("SELECT source, title, published_date::VARCHAR, date_source FROM articles "
                              "ORDER BY source").fetchall()
    assert articles == [(f"https://news.example/{n}", f"Summit update {n}", "2025-10-21", "metadata")
                        for n in range(3)]
    assert connection.sql("SELECT source, stage FROM dead_letter").fetchall() == [(down, "feeds")]
    assert connection.sql("SELECT count(*) FROM status_mentions WHERE status = 'postponed'").fetchall()[0][0] >= 1


def test_feed_items_are_read_from_their_article_pages_unless_told_not_to():
    from pipelines.cli import _parser
    from pipelines.options import settings

    for command in ("run", "stream"):
        args, _ = _parser().parse_known_args([command, "--feeds", "https://news.example/rss"])
        assert settings(args, command).follow_links
        args, _ = _parser().parse_known_args([command, "--feeds", "https://news.example/rss", "--no-follow-links"])
        assert not settings(args, command).follow_links


def test_an_item_with_a_title_and_no_text_is_an_article_read_once_from_its_title(tmp_path):
    """A headline-only item is kept (no dead letter) and its one report is one status row, not one for the title
    and one for the body that repeats it."""
    items = ("<item><title>Trump and Putin summit in Budapest postponed</title><link>https://news.example/1</link>"
             "<pubDate>Tue, 21 Oct 2025 10:00:00 GMT</pubDate></item>"
             "<item><title>Summit called off</title><link>https://news.example/2</link><description></description>"
             "<pubDate>Tue, 21 Oct 2025 11:00:00 GMT</pubDate></item>")
    with FeedServer() as server:
        url = server.serve("/headlines.rss", f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
                                             f"{items}</channel></rss>")
        listing = tmp_path / "feeds.txt"
        listing.write_text(url + "\n")
        assert main(["run", "--feeds", str(listing), "--no-follow-links", "--output", str(tmp_path / "out")]) == 0
    connection = catalog.connect(str(tmp_path / "out"))
    assert connection.sql("SELECT title FROM articles ORDER BY source").fetchall() == [
        ("Trump and Putin summit in Budapest postponed",), ("Summit called off",)]
    assert connection.sql("SELECT count(*) FROM dead_letter").fetchall() == [(0,)]
    assert connection.sql("SELECT a.title, s.status FROM status_mentions s JOIN articles a USING (article_id) "
                          "ORDER BY a.source").fetchall() == [
        ("Trump and Putin summit in Budapest postponed", "postponed"), ("Summit called off", "cancelled")]


def test_a_short_item_takes_the_language_its_feed_declares(tmp_path):
    """langdetect guesses on a few words ("Food for fungi" is Danish to it, "Bigger and badder" too); a feed that
    says it is English is believed there, and a long item is still read for its own language."""
    german = ("Die Bundesregierung hat am Dienstag in Berlin einen neuen Haushalt beschlossen, der deutlich mehr "
              "Geld für Schulen, Straßen und die Bahn vorsieht als im vergangenen Jahr.")
    items = "".join(f"<item><title>{title}</title><link>https://news.example/{n}</link>"
                    f"<description>{text}</description><pubDate>Tue, 21 Oct 2025 10:00:00 GMT</pubDate></item>"
                    for n, (title, text) in enumerate([("Food for fungi", ""), ("Bigger and badder", ""),
                                                       ("Haushalt beschlossen", german)]))
    with FeedServer() as server:
        url = server.serve("/science.rss", f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
                                           f"<language>en-gb</language>{items}</channel></rss>")
        listing = tmp_path / "feeds.txt"
        listing.write_text(url + "\n")
        assert main(["run", "--feeds", str(listing), "--no-follow-links", "--output", str(tmp_path / "out")]) == 0
    connection = catalog.connect(str(tmp_path / "out"))
    assert connection.sql("SELECT title, language FROM articles ORDER BY source").fetchall() == [
        ("Food for fungi", "en"), ("Bigger and badder", "en"), ("Haushalt beschlossen", "de")]
