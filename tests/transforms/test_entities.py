import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to, is_not_empty

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.nlp.analyse import ENTITIES, AnalyseArticles
from transforms.nlp.entities import Lexicon, canonicalise
from transforms.nlp.model import DEFAULT_MODEL
from transforms.nlp.ner_input import NerInput

LEXICON = Lexicon.load()


def test_every_spelling_of_zelensky_is_one_person():
    spans = [("Zelensky", "PERSON"), ("Zelenskyy", "GPE"), ("Zelenskiy", "ORG"), ("Volodymyr Zelensky", "PERSON")]
    assert {(c, label) for _, c, label in canonicalise(spans, LEXICON)} == {("Volodymyr Zelensky", "PERSON")}


def test_bare_trump_is_donald_trump_only_when_the_article_names_him_in_full():
    assert {c for _, c, _ in canonicalise([("Trump", "ORG"), ("Donald Trump", "PERSON")], LEXICON)} == {
        "Donald Trump"}
    assert {c for _, c, _ in canonicalise([("Trump", "PERSON")], LEXICON)} == {"Trump"}


def test_compound_of_two_known_names_is_split_and_keeps_the_persons_label():
    triples = canonicalise([("Trump-Putin", "ORG"), ("Trump", "PERSON"), ("Putin", "PERSON")], LEXICON)
    assert {(c, label) for _, c, label in triples} == {("Trump", "PERSON"), ("Vladimir Putin", "PERSON")}


def test_title_words_and_lowercase_fragments_are_not_entities():
    assert canonicalise([("State", "ORG"), ("the summit", "EVENT"), ("U.S.", "GPE")], LEXICON) == [
        ("U.S.", "United States", "GPE")]


def test_seed_000_entities_from_the_real_model():
    with in_process_pipeline() as p:
        tagged = (p | beam.Create([seed_article(0)]) | AnalyseArticles(DEFAULT_MODEL))[ENTITIES]
        pairs = tagged | beam.Map(lambda e: (e.canonical, e.label))
        people = pairs | "People" >> beam.Filter(lambda pair: pair[0] in (
            "Volodymyr Zelensky", "Vladimir Putin", "Sergei Lavrov", "Trump")) | beam.Distinct()
        assert_that(people, equal_to([("Volodymyr Zelensky", "PERSON"), ("Vladimir Putin", "PERSON"),
                                      ("Sergei Lavrov", "PERSON"), ("Trump", "PERSON")]), label="people")
        assert_that(tagged | "Mentions" >> beam.Map(lambda e: e.mention)
                    | beam.Filter(lambda m: m.startswith("Zelensk")), is_not_empty(), label="mentions kept")


def test_ner_skips_only_sentences_that_cannot_hold_a_name():
    text = ("Trump met Putin. He said the talks went well. US officials agreed.\n"
            "The deal was off.\nBut May said no. It rained in London.")
    ner_input = NerInput.of(text, LEXICON.nameless_openers)
    assert ner_input.rest == "He said the talks went well.\nThe deal was off."
    for name in ("Putin", "US", "May", "London"):  # "US" and "May" are no plain openers
        offset = ner_input.original_offset(ner_input.text.index(name))
        assert text[offset:offset + len(name)] == name
    assert NerInput.of(text, frozenset()).text == text  # --ner-every-sentence


def test_an_opener_counts_without_its_comma_or_contraction_but_a_possessive_name_is_read():
    text = "However, the talks went on.\nIt's over, he said.\nJapan's economy grew."
    ner_input = NerInput.of(text, LEXICON.nameless_openers)
    assert ner_input.rest == "However, the talks went on.\nIt's over, he said."
    assert ner_input.text == "Japan's economy grew."


def test_a_surname_the_article_uses_for_a_known_person_is_that_person_whatever_the_model_said():
    # seed 000: the model tags "Trump" PERSON in one sentence and ORG in the next
    triples = canonicalise([("Trump", "PERSON"), ("Trump", "ORG")], LEXICON, {"trump": "Donald Trump"})
    assert {(c, label) for _, c, label in triples} == {("Donald Trump", "PERSON")}


def test_a_name_right_after_a_title_is_a_person():
    from transforms.nlp.entities import after_title

    text = "Following a phone call, US President Trump hinted at a meeting. General Motors said nothing."
    assert after_title(text, text.index("Trump"), "Trump", LEXICON)
    assert not after_title(text, text.index("General Motors"), "General Motors", LEXICON)
    assert not after_title(text, text.index("hinted"), "hinted", LEXICON)


def test_a_given_name_alone_is_the_one_person_the_article_names_with_it():
    spans = [("Egan Bernal", "PERSON"), ("Alberto Contador", "PERSON"), ("Egan", "PERSON")]
    assert [c for _, c, _ in canonicalise(spans, LEXICON)] == ["Egan Bernal", "Alberto Contador", "Egan Bernal"]
    # two people of that given name: the article does not say which
    spans = [("Egan Bernal", "PERSON"), ("Egan Arley", "PERSON"), ("Egan", "PERSON")]
    assert [c for _, c, _ in canonicalise(spans, LEXICON)] == ["Egan Bernal", "Egan Arley", "Egan"]


def test_a_german_genitive_surname_is_the_person_the_article_names():
    spans = [("Max Kolbe", "PERSON"), ("Kolbes", "PERSON")]
    assert [c for _, c, _ in canonicalise(spans, LEXICON, language="de")] == ["Max Kolbe", "Max Kolbe"]
    assert [c for _, c, _ in canonicalise(spans, LEXICON, language="en")] == ["Max Kolbe", "Kolbes"]
