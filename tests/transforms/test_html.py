import datetime

from transforms.sources.read import decode
from transforms.text import html
from transforms.text.html import html_to_text, looks_like_html

# A real Guardian feed item description (guardian.rss in the feeds-real corpus).
GUARDIAN = (
    "<p>The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly "
    "disguised contempt</p><p>Donald Trump has promised a “new American moment” in a State of the Union address "
    "that sought harmony but succeeded only in underlining the deep discord at the heart of the country’s "
    "politics.</p><p> <span>Related: </span><a href=\"https://www.theguardian.com/us-news/2018/jan/30/"
    "state-of-the-union-fact-check-trumps-address-analyzed\">Fact check: Donald Trump's State of the Union address "
    "analyzed</a> </p> <a href=\"https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-"
    "address-unity-discord\">Continue reading...</a>"
)


def test_feed_html_keeps_paragraphs_and_drops_the_related_link():
    paragraphs = html_to_text(GUARDIAN).text.split("\n\n")
    assert paragraphs[0].startswith("The president’s ‘new American moment’ speech")
    assert paragraphs[1].endswith("the heart of the country’s politics.")
    assert not any("Fact check" in p for p in paragraphs)


def test_page_structure_gives_title_and_drops_navigation_and_captions():
    page = html_to_text(
        "<!DOCTYPE html><html><head><title>Ad sales boost Time Warner profit - BBC News</title></head><body>"
        "<nav><a href='/'>Home</a><a href='/news'>News</a></nav><h1>Ad sales boost Time Warner profit</h1>"
        "<figure><img src='x.jpg'><figcaption>Time Warner's offices (Photo: Reuters)</figcaption></figure>"
        "<p>Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months "
        "to December, from $639m year-earlier.</p><footer>© BBC</footer></body></html>")
    assert page.title == "Ad sales boost Time Warner profit"
    assert "Home" not in page.text and "Photo" not in page.text and "©" not in page.text
    assert "Quarterly profits at US media giant TimeWarner jumped 76%" in page.text


def test_plain_text_with_angle_brackets_is_not_html():
    assert not looks_like_html("Shares fell 3% as profits < forecasts, the company said.")
    assert looks_like_html(GUARDIAN)


def news_page(body_paragraphs: str, head: str = "", charset: str = "utf-8") -> str:
    """A page as publishers build them: metadata in the head, chrome and comments around the article."""
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="{charset}">
<title>Gipfel in Budapest abgesagt | Beispielzeitung</title>
<meta property="og:site_name" content="Beispielzeitung">
<meta name="author" content="Anna Schmidt">
<meta name="description" content="Das geplante Treffen findet nicht statt.">
<link rel="canonical" href="https://zeitung.example/politik/gipfel-abgesagt">
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2025-10-22T08:15:00+02:00",
 "headline": "Gipfel in Budapest abgesagt"}}</script>{head}</head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a> <a href="/sport">Sport</a></nav>
<article><h1>Gipfel in Budapest abgesagt</h1>{body_paragraphs}</article>
<section id="comments"><h2>Kommentare</h2><div class="comment"><p>Leser42: Das war doch klar, wie immer bei
solchen Treffen, die niemand wirklich wollte und die nur Schlagzeilen machen sollten.</p></div></section>
<footer>Impressum | Datenschutz | Kontakt</footer></body></html>"""


BODY = "".join(f"<p>{text}</p>" for text in (
    "Das für kommende Woche geplante Treffen zwischen den beiden Präsidenten in Budapest findet nicht statt, "
    "teilte ein Sprecher am Mittwoch mit.",
    "Nach Angaben aus Regierungskreisen hatten sich die Positionen in den Vorgesprächen nicht angenähert; "
    "ein neuer Termin wurde nicht genannt.",
    "Beobachter hatten schon seit Tagen mit einer Absage gerechnet, nachdem die Außenminister ihr "
    "vorbereitendes Gespräch ohne Ergebnis beendet hatten.",
))


def test_a_web_page_gives_its_article_text_without_chrome_or_comments_and_what_it_states():
    page = html.extract_page(news_page(BODY), reference_date=datetime.date(2026, 11, 29))
    assert "teilte ein Sprecher am Mittwoch mit" in page.text and "ohne Ergebnis beendet" in page.text
    assert "Leser42" not in page.text and "Impressum" not in page.text and "Sport" not in page.text
    assert page.title == "Gipfel in Budapest abgesagt"
    assert page.date == datetime.date(2025, 10, 22) and page.date_source == html.DATE_SOURCE
    assert (page.authors, page.site_name, page.url, page.language) == (
        "Anna Schmidt", "Beispielzeitung", "https://zeitung.example/politik/gipfel-abgesagt", "de")


def test_a_publication_date_after_the_reference_date_is_not_taken():
    page = html.extract_page(news_page(BODY), reference_date=datetime.date(2025, 10, 1))
    assert page.date is None


def test_a_feed_summary_too_short_for_trafilatura_keeps_its_text():
    page = html.extract_page("<p>Summit <b>postponed</b>, the Kremlin said.</p>")
    assert page.text == "Summit postponed, the Kremlin said."


def test_a_page_in_a_declared_legacy_encoding_is_read_in_it():
    encoded = news_page(BODY, charset="iso-8859-2").replace("Präsidenten", "Präsidenten Łukasz").encode("iso-8859-2")
    text = decode(encoded)
    assert "Präsidenten Łukasz" in text and "Außenminister" in text


def test_a_tag_with_a_flood_of_attributes_keeps_its_name_and_the_text_around_it():
    flood = " ".join(f"data-x{i}='{i}'" for i in range(5000))
    page = f"<html><body><div {flood}><p>Summit postponed.</p></div><p>Talks resume.</p></body></html>"
    bounded = html.bounded_tags(page)
    assert bounded == "<html><body><div><p>Summit postponed.</p></div><p>Talks resume.</p></body></html>"
    assert html.bounded_tags(page.encode()) == bounded.encode()
    assert html.bounded_tags(BODY) == BODY  # ordinary tags are left alone


def test_lines_pointing_at_other_stories_are_not_article_text():
    text = "\n".join([
        "The summit was postponed on Tuesday.",
        "Read more: Putin and Trump to meet in Budapest",
        "Lea también: Cumbre en Budapest, aplazada",
        "Lesen Sie auch: Gipfel abgesagt",
        "NOTAS RELACIONADAS",
        "Officials said: read more carefully before signing.",
        "Diplomats see also a chance for new talks.",
    ])
    assert html.without_crossrefs(text).split("\n") == [
        "The summit was postponed on Tuesday.",
        "Officials said: read more carefully before signing.",
        "Diplomats see also a chance for new talks.",
    ]


def test_a_pointer_to_another_story_without_its_colon_goes_with_its_headline():
    # as trafilatura reads lepoint.fr and le monde diplomatique's pages: the link's headline glued to the next
    # sentence inside a paragraph, or opening a line of its own
    text = "\n".join([
        "Il était poursuivi pour apologie du terrorisme. À LIRE AUSSI Antisémitisme : retour au Moyen ÂgeSon "
        "domicile a été perquisitionné.",
        "Lire aussi Martine Bulard &",
        "LESEN SIE AUCH Gipfel in Budapest abgesagt",
        "Читайте также: Саммит в Будапеште отложен",
        "Lea Seydoux était à Cannes. Il faut lire aussi Le Monde.",
        "Lea también el informe del Ministerio.",
    ])
    assert html.without_crossrefs(text).split("\n") == [
        "Il était poursuivi pour apologie du terrorisme. Son domicile a été perquisitionné.",
        "Lea Seydoux était à Cannes. Il faut lire aussi Le Monde.",
        "Lea también el informe del Ministerio.",
    ]


def test_a_pages_own_controls_are_not_article_text():
    # lepoint.fr's and eldeber.com.bo's article pages as trafilatura reads them
    text = "\n".join([
        "Temps de lecture : 4 min",
        "Ajouter à mes favoris",
        "L'article a été ajouté à vos favoris",
        "- Google News",
        "Escucha esta nota aquí",
        "Время чтения: 5 минут",
        "Теги: Москва, ЦКАД, Подмосковье",
        "Mots-clés : Balkany, Levallois-Perret",
        "Le Premier ministre a ajouté à ses favoris le projet de loi.",
        "Google News a changé son algorithme mardi.",
    ])
    assert html.without_controls(text).split("\n") == [
        "Le Premier ministre a ajouté à ses favoris le projet de loi.",
        "Google News a changé son algorithme mardi.",
    ]


def test_names_in_adjacent_divs_are_not_glued_together():
    # A line-up as sports.fr marks it up (trafilatura-eval): one div per player, nothing between.
    lineup = "".join(f'<div class="item"><span class="player">{name}</span></div>'
                     for name in ("Y. Wissa", "T. Fontaine", "J. Laporte", "J. Morel"))
    body = BODY + f"<ul><li><div>EFFECTIFS</div><div>{lineup}</div></li><li><div>Remplaçants</div></li></ul>" + BODY
    text = html.extract_page(news_page(body), reference_date=datetime.date(2026, 11, 29)).text
    assert "WissaT" not in text and "EFFECTIFSY" not in text
    assert [line for line in text.splitlines() if line.endswith(("Wissa", "Fontaine", "Laporte", "Morel"))] == [
        "Y. Wissa", "T. Fontaine", "J. Laporte", "J. Morel"]
