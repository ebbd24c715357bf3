"""Name profiles on the first read: the names each article repeats, and the full names of the run.

A cheap pass without the model (capitalised phrases, canonicalised as the entities stage does):
its profiles link articles into stories (transforms/stories/groups.py), and its counts give the full
name a run uses for a surname (FindCorpusNames), for articles that name a person by surname only.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections import Counter

import apache_beam as beam

from schemas.records import Article, analysed_text
from transforms.common import CounterCombineFn, load_data, timed, worker_resource
from transforms.dedup.grouping import key_hash
from transforms.nlp.entities import Lexicon, canonicalise, name_key, person_shaped
from transforms.nlp.multilingual import OtherLanguages, is_english

# A capitalised word may hold dots ("U.S.") but a name does not run over a sentence's full stop.
_WORD_REST = r"(?:[\w’'-]|\.(?=\w))*"
_WORD = "[A-Z]" + _WORD_REST
# The word boundary before a name is tested after its first capital, (?<!\w[A-Z]) instead of a leading
# \b: a pattern that starts with a character class lets the regex engine skip from capital to capital
# (2.4x faster on news text, same matches).
_NAME = re.compile(rf"[A-Z](?<!\w[A-Z]){_WORD_REST}(?:[ \t]+(?:of[ \t]+|the[ \t]+|de[ \t]+)?{_WORD})*")
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december""".split())


@functools.cache
def _not_names() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _CALENDAR | frozenset(load_data("stories.toml")["common_words"])


def names_in(text: str, lexicon: Lexicon) -> list[str]:
    """Capitalised phrases, canonicalised; leading common words ("Former", "The", "Later") and
    calendar words are not names."""
    spans = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower() in _not_names():
            words.pop(0)
        if words:
            spans.append((" ".join(words), "PERSON" if len(words) > 1 else "ORG"))
    return [name for _, name, _ in canonicalise(spans, lexicon)]


class FullNames(CounterCombineFn):
    """Counts the multi-word names of the run; extracts {surname key: the full name the run uses}.

    A full name is the run's name for a surname when it has at least two thirds of the mentions of
    all full names ending in that surname, and at least `min_mentions` of them.
    """

    def __init__(self, min_mentions: int = 2):
        self.min_mentions = min_mentions

    def add_input(self, counts, named: NamedArticle):
        counts.update({name: n for name, n in zip(named.names, named.counts, strict=True) if person_shaped(name)})
        return counts

    def extract_output(self, counts):
        by_surname: dict[str, Counter] = {}
        for name, n in counts.items():
            by_surname.setdefault(name_key(name.split()[-1]), Counter())[name] = n
        result = {}
        for surname, names in by_surname.items():
            (name, n), total = names.most_common(1)[0], sum(names.values())
            if n >= self.min_mentions and n * 3 >= total * 2:
                result[surname] = name
        return result


@dataclasses.dataclass(frozen=True)
class NamedArticle:
    """The names an article repeats (first read): for the run's full names and for story profiles."""

    doc: int  # the article id's 64-bit hash
    rank: tuple  # (published date or date.max, article_id)
    names: tuple[str, ...]  # most repeated first, at most 64
    counts: tuple[int, ...]


class NameArticlesFn(beam.DoFn):
    def setup(self):
        self.lexicon = Lexicon.shared()
        self.others = None  # multilingual.OtherLanguages, made at the first article not in English

    def names(self, article: Article) -> list[str]:
        """English: capitalised phrases. Other languages: the names they share with a translation
        (known names in any script, people, and capitalised words where only names are
        capitalised), so that a report and its translation can share a story."""
        if is_english(article):
            return names_in(analysed_text(article), self.lexicon)
        if self.others is None:
            self.others = worker_resource(("other-languages", ()), OtherLanguages)
        return [name for _, name, _ in canonicalise(self.others.names(article), self.lexicon)]

    @timed("names")
    def process(self, article: Article):
        counts = Counter(self.names(article))
        names = sorted(counts, key=lambda n: (-counts[n], n))[:64]
        yield NamedArticle(key_hash(article.article_id), (article.published_date or datetime.date.max,
                                                          article.article_id),
                           tuple(names), tuple(counts[n] for n in names))


class FindCorpusNames(beam.PTransform):
    """NamedArticles (first read) -> one dict: surname key -> the full name the run uses for it."""

    def expand(self, named):
        return named | "FullNames" >> beam.CombineGlobally(FullNames()).without_defaults()
