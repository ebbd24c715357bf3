"""German, Italian and Spanish people from Stanford CoreNLP's NER, a real Java process.

`make corenlp` builds it into the venv (Maven Central). Without it the tests skip, unless
NEWSBEAM_REQUIRE_ENGINES=1 (CI), where a missing build fails instead of passing silently.
"""

import logging
import os
import signal

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline
from transforms.nlp import backends
from transforms.nlp.analyse import ENTITIES, AnalyseArticles
from transforms.nlp.backends import corenlp as corenlp_ner
from transforms.nlp.model import DEFAULT_MODEL
from transforms.nlp.multilingual import OtherLanguages

ITALIAN_MODEL = "edu/stanford/nlp/models/ner/italian.crf.ser.gz"
# the smallest model, for what any model shows: Java loads it in ~2 s of CPU, Italian's in ~25 s
SPANISH_MODEL = "edu/stanford/nlp/models/ner/spanish.ancora.distsim.s512.crf.ser.gz"


@pytest.fixture(autouse=True)
def corenlp_or_skip():
    if (corenlp_ner.home() / "lib").is_dir() and corenlp_ner.java():
        return
    if os.environ.get("NEWSBEAM_REQUIRE_ENGINES") == "1":
        pytest.fail("CoreNLP's NER is required here (NEWSBEAM_REQUIRE_ENGINES=1) but not built: run `make corenlp`")
    pytest.skip("CoreNLP's NER not built here (`make corenlp` builds it with Maven)")


@pytest.fixture
def own_java_process(monkeypatch):
    """A Java process of the test's own, to kill: the shared one keeps the models other tests loaded."""
    engine = corenlp_ner._Engine()
    monkeypatch.setattr(corenlp_ner, "_ENGINE", engine)
    yield engine
    engine.close()


def article(article_id: str, language: str, text: str) -> Article:
    return Article(article_id=article_id, source=article_id, title=None, published_date=None, date_source="",
                   language=language, text=text)


def test_people_named_by_their_surname_alone_are_found_in_italian_and_spanish():
    texts = [("it", "Dopo la partita Bianchi e Lombardo hanno parlato con i giornalisti a Torino."),
             ("es", "Según Fernández, el acuerdo con Ortega se firmará el martes en Managua.")]
    with in_process_pipeline() as p:
        found = p | beam.Create([article(language, language, text) for language, text in texts]) \
            | AnalyseArticles(DEFAULT_MODEL)
        rows = found[ENTITIES] | beam.Map(lambda m: (m.article_id, m.label, m.mention))
        assert_that(rows | "people" >> beam.Filter(lambda row: row[1] == "PERSON") | "one each" >> beam.Distinct(),
                    equal_to([("it", "PERSON", "Bianchi"), ("it", "PERSON", "Lombardo"),
                              ("es", "PERSON", "Fernández"), ("es", "PERSON", "Ortega")]), label="people")
        assert_that(rows | "places" >> beam.Filter(lambda row: row[1] == "GPE") | "one place each" >> beam.Distinct(),
                    equal_to([("it", "GPE", "Torino"), ("es", "GPE", "Managua")]), label="places")


def test_german_nouns_are_no_people_but_a_surname_the_article_names_in_full_is():
    """German capitalises nouns, and its model calls some of them people when they open a sentence."""
    others = OtherLanguages()
    nouns = article("de1", "de", "Hass und Gewalt haben bei uns keine Chance. Lass es dir schmecken! "
                                 "Dimethylether ist ein Energieträger.")
    assert [text for text, label, _ in others.spans(nouns, {}) if label == "PERSON"] == []
    named = article("de2", "de", "Gestern sprach Max Schneider in Hamburg. Schneider sagte, Trump habe recht.")
    assert [(text, label) for text, label, _ in others.spans(named, {}) if label in ("PERSON", "GPE")] == [
        ("Max Schneider", "PERSON"), ("Hamburg", "GPE"), ("Schneider", "PERSON"), ("Trump", "PERSON")]


def test_a_name_after_an_emoji_keeps_its_own_letters():
    """Java counts UTF-16 units, Python code points: the spans must still fall on the names."""
    nlp = backends.component_pipeline("corenlp", model=ITALIAN_MODEL, sure=0.9)
    doc = nlp("🎉🎉 Festa a Napoli: Esposito ha segnato due gol, Mancuso uno.")
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("Napoli", "LOC"), ("Esposito", "PER"),
                                                           ("Mancuso", "PER")]


def test_the_java_process_is_started_again_after_it_dies(own_java_process):
    nlp = backends.component_pipeline("corenlp", model=SPANISH_MODEL, sure=0.9)
    text = "Ayer Fernández se reunió con Ortega en Managua."
    before = [ent.text for ent in nlp(text).ents]
    dead = own_java_process.process
    dead.kill()
    dead.wait()
    assert [ent.text for ent in nlp(text).ents] == before == ["Fernández", "Ortega", "Managua"]
    assert own_java_process.process is not dead


def test_without_the_build_the_name_finder_stands_in_and_says_why(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("NEWSBEAM_CORENLP", str(tmp_path / "nothing-here"))
    with pytest.raises(OSError, match="make corenlp"):
        backends.component_pipeline("corenlp", model=ITALIAN_MODEL, sure=0.9)
    others = OtherLanguages()
    with caplog.at_level(logging.WARNING):
        assert others.model("it") is None
    assert "it articles: no NER model" in caplog.text and "make corenlp" in caplog.text
    # the name finder still gives the people whose names start with a known given name, not "Mancuso"
    spans = others.spans(article("it", "it", "Ieri Marco Esposito ha incontrato Mancuso a Bari."), {})
    assert [text for text, label, _ in spans if label == "PERSON"] == ["Marco Esposito"]


def test_surnames_alone_are_people_and_take_the_full_name_the_run_gives():
    from transforms.nlp.entities import EntityTagger

    run = {"maroni": "Roberto Maroni"}  # FindCorpusNames: another article named him in full
    found = article("it1", "it", "Expo: Lonfernini e Maroni siglano un accordo di collaborazione.")
    rows = EntityTagger().rows(found, OtherLanguages().spans(found, run), run)
    assert [(row.mention, row.canonical, row.label) for row in rows] == [
        ("Lonfernini", "Lonfernini", "PERSON"), ("Maroni", "Roberto Maroni", "PERSON")]


def test_a_name_after_san_is_a_place_even_where_the_markup_glued_san_to_the_word_before():
    text = "Le notizie di oggi - Libertas.smSan Marino. A San Marino ieri Bianchi ha parlato con Lombardo."
    spans = OtherLanguages().spans(article("it2", "it", text), {})
    assert [span for span, label, _ in spans if label == "PERSON"] == ["Bianchi", "Lombardo"]


def people(language: str, text: str) -> list[str]:
    return [span for span, label, _ in OtherLanguages().spans(article(language, language, text), {})
            if label == "PERSON"]


def test_a_name_glued_to_the_next_line_by_the_markup_is_cut_there():
    text = "Ha parlato anche Marco BellottiMarco e Giulia sono arrivati ieri a Bologna."
    assert people("it", text) == ["Marco Bellotti", "Marco"]


def test_streets_schools_saints_and_things_named_after_people_are_no_people():
    """The Italian model calls them people; a masculine article, a street's word or a saint's says otherwise."""
    texts = {"Abita in un palazzo di via Sacco e Vanzetti a Rimini con Marta Galli.": ["Marta Galli"],
             "Il liceo Fermi e Mattei ha vinto, ha detto la preside Anna Lodi.": ["Anna Lodi"],
             "Nuovi voli al Ridolfi di Forlì, annuncia Paolo Conti, mentre i lavori del Bellini finiscono.":
                 ["Paolo Conti"],
             "Il nuovo film su Saint Seiya esce a maggio, dice Marco Riva.": ["Marco Riva"],
             "E’ vero che il ‘Fellini’ avrebbe potuto valere 25 milioni, dice Marco Riva.": ["Marco Riva"],
             # but an article before a title is the title's
             "La mozione risponde agli Onorevoli Rossetti e Mancini, ha detto Paolo Conti.":
                 ["Onorevoli Rossetti", "Mancini", "Paolo Conti"]}
    assert {text: people("it", text) for text in texts} == texts


def test_the_name_finders_guess_loses_where_the_model_reads_no_person():
    """"Royal" is a given name to the name finder; the German model reads no person in "Royal Opera"."""
    text = "Die Royal Opera und das Royal Ballet spielen heute, sagte Hans Becker in London."
    assert people("de", text) == ["Hans Becker"]


def test_the_user_picks_corenlp_or_the_name_finder_alone_per_language(tmp_path, capsys, caplog):
    from pipelines.cli import main

    chosen = OtherLanguages({"it": "corenlp", "de": "none"})
    assert isinstance(chosen.model("it")[0].get_pipe("ner"), corenlp_ner.CoreNLPRecognizer)
    with caplog.at_level(logging.WARNING):
        assert chosen.model("de") is None
    assert "no NER model" not in caplog.text  # asked for, so nothing to warn about
    assert main(["run", "--output", str(tmp_path / "out"), "--model", "pt=corenlp"]) == 2
    assert "CoreNLP has no NER model for 'pt'" in capsys.readouterr().err


def test_a_process_that_gives_no_answer_is_killed_and_the_next_article_is_read(own_java_process, monkeypatch):
    nlp = backends.component_pipeline("corenlp", model=SPANISH_MODEL, sure=0.9)
    stuck = own_java_process.process
    os.kill(stuck.pid, signal.SIGSTOP)  # alive, but answers nothing
    monkeypatch.setattr(corenlp_ner, "TIMEOUT", 2.0)
    with pytest.raises(RuntimeError, match="no answer in 2 s"):
        nlp("Ayer Fernández se reunió con Ortega en Managua.")
    assert stuck.poll() is not None  # killed, not left behind
    monkeypatch.setattr(corenlp_ner, "TIMEOUT", 600.0)
    assert [ent.text for ent in nlp("Ayer Fernández se reunió con Ortega en Managua.").ents] == [
        "Fernández", "Ortega", "Managua"]


def test_a_name_glued_to_the_weekday_of_a_dateline_is_cut_there():
    assert people("it", "Freedom Cup: protagonista l'attore Jonis Bascirdomenica 24 novembre 2013") == ["Jonis Bascir"]
