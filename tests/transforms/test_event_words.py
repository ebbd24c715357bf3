"""Sentences that name an event get an event mention: kinds of event sentence that once got no row at all."""

import datetime

from schemas.records import Article, EventMention


def mentions(text: str) -> list[tuple[str, str]]:
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, datetime.date(2005, 1, 10), "", "en", text)
    return [(row.sentence[:16], row.event) for row in (out.value for out in analyse.process([article], {}))
            if isinstance(row, EventMention)]


def test_talks_the_tagger_reads_as_a_verb_but_the_parse_makes_a_subject_are_talks():
    # the small tagger's "talks" is a verb ("he talks"), yet the parse makes it the subject of "begin"
    assert mentions("It says the Treasury has allocated the money and that talks with business groups on "
                    "raising the rest will begin shortly.") == [("It says the Trea", "talks")]


def test_a_word_of_talks_beside_a_lawyer_or_a_proposal_is_talks_not_a_professional_consultation():
    # the consultations sense (a lawyer's, a doctor's) is of the word "consultations" only
    assert mentions("Lawyers continue negotiating to avoid subjecting Clinton, sans attorney, to questions.\n"
                    "Ofcom feels BT's proposals go far enough, and now the real negotiation begins.\n"
                    "The lawyer offered free consultations to clients.") == [("Lawyers continue", "talks"),
                                                                            ("Ofcom feels BT's", "talks")]
