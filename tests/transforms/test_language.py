import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline, seed_text
from transforms.language import DetectLanguage


def article(article_id: str, text: str) -> Article:
    return Article(article_id=article_id, source=article_id, title=None, published_date=None,
                   date_source="", language=None, text=text)


GERMAN = ("Der geplante Gipfel zwischen Trump und Putin in Budapest wurde abgesagt, nachdem Moskau "
          "an seinen Forderungen im Ukraine-Krieg festhielt.")
FRENCH = ("Le sommet prévu entre Donald Trump et Vladimir Poutine à Budapest a été annulé après un "
          "appel téléphonique tendu entre les deux ministres des Affaires étrangères.")


def test_language_of_english_german_and_french_articles():
    articles = [article("en", seed_text(3)), article("de", GERMAN), article("fr", FRENCH)]
    with in_process_pipeline() as p:
        detected = p | beam.Create(articles) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: (a.article_id, a.language)),
                    equal_to([("en", "en"), ("de", "de"), ("fr", "fr")]))


def test_text_without_letters_gets_no_language_instead_of_a_guess():
    with in_process_pipeline() as p:
        detected = p | beam.Create([article("n", "2025 - 10 - 31 ... 75% / 24")]) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: a.language), equal_to([None]))
