"""The canonical-names eval gives its texts the run's full names only when asked, as a run would give them."""

from evals.canonical_eval import run_names, score_article
from schemas.records import EntityMention


def test_run_names_are_the_full_names_the_texts_repeat():
    texts = [("Roberto Maroni ha firmato. Lonfernini e Maroni siglano.", "it"),
             ("Ieri Roberto Maroni era a Rimini.", "it")]
    assert run_names(texts).get("maroni") == "Roberto Maroni"
    assert "maroni" not in run_names(texts[1:])  # named once: no run's name


def test_a_row_under_its_english_name_is_right_and_another_spelling_wrong():
    labels = [{"canonical": "Vladimir Putin", "kind": "PERSON", "mentions": ["Путина"]}]
    def row(canonical):
        return EntityMention(article_id="a", published_date=None, canonical=canonical, label="PERSON", mention="Путина")

    assert score_article([row("Vladimir Putin")], labels)["PERSON"]["right"] == 1
    assert score_article([row("Putina")], labels)["PERSON"]["wrong"] == 1
