"""The analyse stage: one article the model cannot read becomes a dead letter, its batch-mates get through."""

import dataclasses

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.common import DEAD_LETTER
from transforms.nlp import analyse
from transforms.nlp.analyse import ENTITIES, TOPICS, AnalyseArticles
from transforms.nlp.model import DEFAULT_MODEL, shared_pipeline


def test_an_article_longer_than_a_piece_is_analysed_whole_and_its_batch_mates_too(monkeypatch):
    # A model limit of 2,500 characters and pieces of 2,000 stand for spaCy's 1,000,000 and pieces of 100,000.
    monkeypatch.setattr(analyse, "PIECE_CHARS", 2_000)
    monkeypatch.setattr(shared_pipeline(DEFAULT_MODEL), "max_length", 2_500)
    long = dataclasses.replace(seed_article(1), article_id="long", source="long.txt",
                               text=(seed_article(1).text + "\n\n") * 4 + "Zelensky spoke in Kyiv.")
    with in_process_pipeline() as p:
        analysed = p | beam.Create([seed_article(0), long, seed_article(2)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(analysed[DEAD_LETTER], equal_to([]), label="no dead letter")
        assert_that(analysed[ENTITIES] | beam.Map(lambda e: e.article_id) | beam.Distinct(),
                    equal_to(["seed0", "long", "seed2"]), label="all three")
        assert_that(analysed[ENTITIES] | beam.Filter(lambda e: e.article_id == "long")
                    | beam.Map(lambda e: e.mention) | "Last piece" >> beam.Filter(lambda m: m in ("Zelensky", "Kyiv"))
                    | "Names" >> beam.Distinct(), equal_to(["Zelensky", "Kyiv"]), label="the last piece is read")
        assert_that(analysed[TOPICS] | beam.Filter(lambda t: t.article_id == "long") | beam.Map(lambda t: t.topic)
                    | "Topics" >> beam.combiners.ToList() | beam.Map(lambda found: len(found) == len(set(found)) > 0),
                    equal_to([True]), label="each topic once")


def test_pieces_cut_between_paragraphs_and_lose_nothing():
    text = ("A sentence of the talks. " * 40 + "\n") * 50
    found = analyse.pieces(text, 3_000)
    assert "".join(found) == text
    assert all(len(piece) <= 3_000 and piece.endswith("\n") for piece in found[:-1])


def test_the_words_of_the_news_do_not_stay_in_the_models_vocabulary():
    """A worker's vocabulary would otherwise grow with every new name and misspelling it reads."""
    from transforms.nlp.english import EnglishAnalyser

    analyser = EnglishAnalyser(DEFAULT_MODEL, batch_size=8, every_sentence=False)
    strings = analyser.nlp.vocab.strings
    sentencizer = analyser.status.sentencizer.vocab.strings  # the status rules' own pipeline
    analyser.analyse([seed_article(0)], {})  # words every run meets (the matchers' own) are in by now
    before, sentencizer_before = len(strings), len(sentencizer)
    novel = " ".join(f"President Arkady Vorzhenko{n} met Chancellor Ilse Brandtmeier{n} in Kaltenbrunn{n} on Monday."
                     for n in range(30))
    found = analyser.analyse([dataclasses.replace(seed_article(1), article_id="novel", text=novel)], {})
    assert "Arkady Vorzhenko" in {row.canonical for _, rows in found for _, row in rows if hasattr(row, "canonical")}
    assert len(strings) == before  # the names were read, and their strings left with the batch
    assert len(sentencizer) == sentencizer_before  # "met" sent the sentences through the sentencizer too
