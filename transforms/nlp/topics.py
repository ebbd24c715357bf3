"""Topics: each article's IPTC Media Topics, its subjects (level 1) and the narrower topics under them (level 2).

The subjects come from transforms/nlp/subjects.py (a trained model for English, words per language for the
others). The second-level topics come from the themes of a data file (topics.toml: phrases matched with
spaCy's PhraseMatcher, each theme under its IPTC code) and are kept only under one of the article's
subjects. Matching needs only tokens: in the pipeline it runs on the Doc the entities stage already made
(transforms/nlp/analyse.py); alone it tokenises with a blank pipeline of the language and loads no model.
"""

from __future__ import annotations

from collections import Counter

from schemas.records import Article, TopicTag
from transforms.common import load_data, worker_resource
from transforms.languages import ENGLISH, section, with_section
from transforms.nlp.subjects import SubjectClassifier, taxonomy


class TopicMatcher:
    """`language`: which phrases of each theme (`phrases` for English, else the list under the language's
    code); with no model given it tokenises with spaCy's blank pipeline of that language."""

    def __init__(self, nlp=None, taxonomy_file: str = "topics.toml", language: str = ENGLISH):
        import spacy
        from spacy.matcher import PhraseMatcher

        data = load_data(taxonomy_file)
        # English phrases are the taxonomy's own; another language's are in its profile
        phrases = ({theme: spec.get("phrases") for theme, spec in data["topic"].items()} if language == ENGLISH
                   else section(language, "topics"))
        self.language = language
        self.codes = {theme: spec["code"] for theme, spec in data["topic"].items()}
        self.subjects = taxonomy()
        self.classifier = worker_resource(("subjects",), SubjectClassifier)
        self.min_matches = data["min_matches"]
        self.min_density = data["min_per_1000_words"] / 1000
        self.nlp = nlp if nlp is not None else spacy.blank(language)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for theme in data["topic"]:
            if phrases.get(theme):
                self.matcher.add(theme, list(self.nlp.tokenizer.pipe(phrases[theme])))

    @staticmethod
    def languages() -> frozenset[str]:
        """The languages with topics: English, and those whose profile has [subjects] or [topics]."""
        return frozenset({*with_section("subjects"), *with_section("topics"), ENGLISH})

    def topics(self, text: str, title: str | None = None) -> list[tuple[str, float]]:
        """(code, score) of the text's subjects, then of its second-level topics, each best first."""
        return [(row.code, row.score) for row in self.rows(
            Article("", "", title, None, "", self.language, text), [self.nlp.make_doc(text)])]

    def themes_of(self, docs: list) -> list[tuple[str, float]]:
        """(IPTC code, share of the matches) of the second-level topics with enough theme matches in the
        article's Docs (its text may come in pieces), best first."""
        counts = Counter(self.nlp.vocab.strings[match_id] for doc in docs for match_id, _, _ in self.matcher(doc))
        total = sum(counts.values())
        least = min(self.min_matches, self.min_density * sum(len(doc) for doc in docs))
        shares = Counter()
        for theme, n in counts.items():
            if n >= least:
                shares[self.codes[theme]] += n / total
        return sorted(((code, round(share, 4)) for code, share in shares.items()), key=lambda pair: (-pair[1], pair[0]))

    def rows(self, article: Article, docs: list) -> list[TopicTag]:
        """The article's subjects, best first (every article with words the classifier knows has one), then
        the second-level topics under them."""
        found = self.classifier.subjects(article.title, article.text, article.language or self.language)
        chosen = {code for code, _ in found}
        found += [(code, score) for code, score in self.themes_of(docs) if self.subjects[code].parent in chosen]
        return [TopicTag(article_id=article.article_id, published_date=article.published_date,
                         topic=self.subjects[code].name, score=score, code=code, level=self.subjects[code].level)
                for code, score in found]
