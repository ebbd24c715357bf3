from transforms.html import html_to_text, looks_like_html

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
