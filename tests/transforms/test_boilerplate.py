"""One test per boilerplate rule, on real snippets (seeds, BBC, Guardian), with lines that must stay."""

import pytest

from transforms.text import boilerplate
from transforms.text.boilerplate import CHROME, HEADLINE, LABEL, PROSE, SIDEBAR, classify, strip_page

RULES = boilerplate.Rules.load()
BODY = ("Putin has repeatedly rejected calls for a ceasefire and insisted on a series of tough demands that "
        "Ukraine finds unacceptable.")


@pytest.mark.parametrize("line,kind", [
    ("2 min read", CHROME),
    ("(Updated:  )", CHROME),
    ("(With Reuters Inputs)", CHROME),
    ("Russian President Vladimir Putin (L) and U.S. President Donald Trump (R) speak during their meeting on the "
     "sidelines of the G20 Summit in Hamburg, Germany, on July 7, 2017. (Mikhail Klimentyev / Sputnik / AFP via "
     "Getty Images)", CHROME),
    ("Risk Warning: this article represents only the author’s views and is for reference only.", CHROME),
    ("We use cookies to give you the best online experience.", CHROME),
    ("Tuesday, 28 October 2025", CHROME),
    ("Further reading", LABEL),
    ("Show More", LABEL),
    ("Continue reading...", LABEL),
    ("Federal Judge Restores Funding for Gateway Rail Tunnel Project", HEADLINE),
    # must stay: a one-line paragraph, a short quote, a standfirst without its full stop
    ("Ukraine was not invited to participate.", PROSE),
    ("“We are ready,” he said.", PROSE),
    ("Everything you need to know about the inquiry into Russian hacking, alleged collusion and Donald Trump", PROSE),
])
def test_line_kinds(line, kind):
    assert classify(line, RULES, body_started=False) == kind


def test_sidebar_heading_after_the_body_ends_the_article_but_not_before_it():
    assert classify("Latest news", RULES, body_started=True) == SIDEBAR
    assert classify("News Feed", RULES, body_started=False) == LABEL


def test_run_of_headlines_is_a_link_list_but_a_single_subheading_stays():
    text = "\n\n".join([
        BODY, "Diverging Positions and Escalating Tensions", BODY.replace("Putin", "Lavrov"),
        "South Korea Assures U.S. on Trade Deal Commitments Amid Tariff Concerns",
        "U.S. to Begin Paying UN Dues as Financial Crisis Spurs Push for Reforms",
        "Netanyahu to Meet Trump in Washington as Iran Nuclear Talks Intensify",
        BODY.replace("Putin", "Peskov"),
    ])
    paragraphs = strip_page(text, RULES).paragraphs
    assert "Diverging Positions and Escalating Tensions" in paragraphs
    assert not any("Netanyahu" in p or "UN Dues" in p for p in paragraphs)
    assert len(paragraphs) == 4


def test_question_headline_in_first_place_is_the_title():
    page = strip_page("Could Yukos be a blessing in disguise?\n\nSuch is the scale of Yukos's debts that the "
                      "government may end up owning the firm, analysts say.", RULES)
    assert page.title == "Could Yukos be a blessing in disguise?"
    assert page.paragraphs[0].startswith("Such is the scale")


def test_repeated_title_and_known_title_are_not_body():
    title = "Trump-Putin summit now being 'fast-tracked,' CNN reports"
    page = strip_page(f"News Feed\n{title}\n2 min read\n{title}\n{BODY}", RULES)
    assert page.title == title and page.paragraphs == (BODY,)
    assert strip_page(f"{title}\n{BODY}", RULES, known_title=title).paragraphs == (BODY,)


def test_trailing_items_after_a_sidebar_heading_are_cut_even_when_they_are_prose():
    text = (f"{BODY}\n\nNews Feed\n(Updated:  )\nPresident Volodymyr Zelensky arrived in Cyprus to meet his "
            "Cypriot counterpart, Nikos Christodoulides, and top EU officials, presidential spokesperson Serhii "
            "Nykyforov said on Jan. 7.\nVideo\nShow More")
    assert strip_page(text, RULES).paragraphs == (BODY,)
