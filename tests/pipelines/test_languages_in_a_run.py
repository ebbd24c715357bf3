"""A run of articles in several languages: each article's language is known where the run's names are
found, so a person a Russian article names in full is the run's name for the surname alone elsewhere."""

import apache_beam as beam
import pytest

from pipelines.options import Settings
from pipelines.pipeline import build
from schemas import catalog
from tests.conftest import REFERENCE_DATE
from transforms.nlp.model import DEFAULT_MODEL

ARTICLES = {
    "en.txt": "Leaders of the European Union met in Brussels on Tuesday to discuss the budget. Ursula von der "
              "Leyen said the talks would go on. Ursula von der Leyen told reporters the deal was close.",
    "ru_full.txt": "Мэр Москвы Сергей Собянин открыл новую станцию метро в понедельник. Сергей Собянин сказал, "
                   "что линия будет готова к весне, а строительство продолжится до конца года.",
    "ru_surname.txt": "Собянин заявил журналистам, что строительство новых станций метро продолжится летом, "
                      "несмотря на дожди и холодную погоду в городе.",
    "de.txt": "Die Bundesregierung hat am Mittwoch in Berlin einen neuen Haushalt beschlossen. Die Opposition "
              "kritisierte die Pläne und kündigte Widerstand im Bundestag an.",
}


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("input")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    output = tmp_path_factory.mktemp("out")
    pipeline = beam.Pipeline(runner="FnApiRunner")
    build(pipeline, Settings(patterns=[str(folder / "*.txt")], output=str(output), model=DEFAULT_MODEL,
                             reference_date=REFERENCE_DATE))
    pipeline.run().wait_until_finish()
    return catalog.connect(str(output))


def test_a_russian_surname_alone_takes_the_full_name_another_russian_article_gives(mixed_run):
    rows = mixed_run.sql("""SELECT e.canonical, e.label FROM entities e JOIN articles a USING (article_id)
                            WHERE a.source LIKE '%ru_surname.txt' AND e.mention = 'Собянин'""").fetchall()
    assert rows == [("Sergei Sobyanin", "PERSON")]


def test_each_article_keeps_the_language_it_is_written_in(mixed_run):
    languages = dict(mixed_run.sql("SELECT regexp_extract(source, '[^/]+$'), language FROM articles").fetchall())
    assert languages == {"en.txt": "en", "ru_full.txt": "ru", "ru_surname.txt": "ru", "de.txt": "de"}
