"""Entities stage: spaCy NER, then canonical names an analyst can count.

The model runs with its EntityRuler (transforms/nlp/model.py). Then, per article: the alias
table (data/aliases.toml) maps spellings to one name and fixes the label; compounds of two known
names are split ("Trump-Putin"); a surname alone is the person the article names in full, or else
the full name the whole run uses for it (transforms/stories/names.py, on the first read); fragments found
only in headline lines and junk words are dropped; one label per name by majority vote in the article.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections import Counter

from schemas.records import Article, EntityMention, analysed_text
from transforms.common import load_data
from transforms.text import boilerplate

STAGE = "entities"
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})
_NEWLINE = re.compile("\n")
_POSSESSIVE = re.compile(r"[’']s$")
# A shirt number glued to a player's name by the page's markup ("M. Depay11", "22J. Delaplace")
_GLUED_DIGITS = re.compile(r"^\d+(?=[^\W\d_])|(?<=[^\W\d_])\d+$")
_EDGE_PUNCT = "\"'“”‘’()[],.;:!?-–— "


@dataclasses.dataclass(frozen=True)
class Canonical:
    name: str
    label: str


@dataclasses.dataclass(frozen=True)
class Lexicon:
    aliases: dict[str, Canonical]
    junk: frozenset[str]
    label_priority: tuple[str, ...]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    nameless_openers: frozenset[str] = frozenset()
    genitive_s: frozenset[str] = frozenset()  # languages whose names take an "s" of the genitive

    @functools.cached_property
    def fixed_labels(self) -> dict[str, str]:
        """Canonical name -> its label in the table: the table's label wins every vote."""
        return {alias.name: alias.label for alias in self.aliases.values()}

    @classmethod
    def shared(cls) -> Lexicon:
        """The alias table, built once per worker process and read by the stages that need it (the first
        read's names, the entities, the label vote): ~17 MB each time it is built."""
        from transforms.common import worker_resource

        return worker_resource(("lexicon",), cls.load)

    @classmethod
    def load(cls, name: str = "aliases.toml") -> Lexicon:
        data = load_data(name)
        aliases = {}
        for entity in data["entity"]:
            canonical = Canonical(entity["canonical"], entity["label"])
            for spelling in spellings(entity):
                aliases[name_key(spelling)] = canonical
        return cls(aliases, frozenset(name_key(j) for j in data["junk"]["mentions"]),
                   tuple(data["labels"]["priority"]), frozenset(data["titles"]["words"]),
                   frozenset(data["titles"]["modifiers"]), frozenset(data["nameless_sentences"]["openers"]),
                   frozenset(data["genitive_s"]["languages"]))


def spellings(entity: dict) -> list[str]:
    """An alias table entry's spellings, with the case forms of its Cyrillic ones: Russian and
    Ukrainian news writes "Путина", "Трампом", "Зеленського" (endings in aliases.toml)."""
    written = [entity["canonical"], *entity.get("aliases", [])]
    return written + [form for spelling in written if CYRILLIC.search(spelling) for form in case_forms(spelling)]


CYRILLIC = re.compile("[\u0400-\u04ff]")


def case_forms(spelling: str) -> list[str]:
    """Every ending on each of the first two words; later words as written. A name's head is its first
    words ("Всемирной организации здравоохранения"), and each word inflected multiplies the forms by
    30: all four of a 4-word name gave 810,000 (a PhraseMatcher of 91k phrases cost 475 MB a worker)."""
    rules = _inflection()
    forms_of_words = []
    for n, word in enumerate(spelling.split()):
        stem = next((word[:-len(end)] for end in rules["stem_ends"] if word.endswith(end)), word)
        forms_of_words.append([word] + ([stem + ending for ending in rules["endings"]] if n < 2 else []))
    return [" ".join(words) for words in itertools.product(*forms_of_words)][1:]


@functools.cache
def _inflection() -> dict:
    rules = load_data("aliases.toml")["cyrillic_case_endings"]
    return {"stem_ends": sorted(rules["stem_ends"], key=len, reverse=True), "endings": rules["endings"]}


@functools.lru_cache(maxsize=1 << 16)  # each name of an article asks for its key ~5 times (measured)
def name_key(name: str) -> str:
    """Spellings that differ only in case, dots or a leading "the" are one key ("U.S." and "US")."""
    key = " ".join(name.lower().replace(".", "").split())
    return key[4:] if key.startswith("the ") else key


def clean_mention(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    return text[4:] if text.lower().startswith("the ") else text


def without_titles(name: str, lexicon: Lexicon) -> str:
    """ "Mr Blair" is Blair, "US President Vladimir Putin" is Vladimir Putin; "Labour Party" stays."""
    words = name.split()
    cut = 0
    for i, word in enumerate(words[:-1]):
        key = word.lower().rstrip(".")
        if key in lexicon.titles:
            cut = i + 1
        elif key not in lexicon.title_modifiers:
            break
    return " ".join(words[cut:])


def canonicalise(spans: list[tuple[str, str]], lexicon: Lexicon, corpus_names: dict[str, str] | None = None,
                 headline_only: list[bool] | None = None, language: str | None = None) -> list[tuple[str, str, str]]:
    """(mention, label) pairs of one article -> (mention, canonical, label) triples, junk removed.

    `corpus_names` maps a surname to the full name the whole run uses for it; it applies when the
    article itself names no one in full by that surname. Mentions flagged in `headline_only` (from
    headline-like lines, where the small model tags fragments such as "Trump Struggles") are kept
    only when the name is known: in the alias table or also found in the article's sentences.
    """
    flags = headline_only or [False] * len(spans)
    cleaned = [(mention, without_titles(_GLUED_DIGITS.sub("", clean_mention(mention)), lexicon)
                if label == "PERSON" else clean_mention(mention), label, flag)
               for (mention, label), flag in zip(spans, flags, strict=True)]
    cleaned = [(m, n, lab, flag) for m, n, lab, flag in cleaned
               if len(n) > 1 and any(c.isupper() for c in n) and name_key(n) not in lexicon.junk]
    in_sentences = {name_key(n) for _, n, _, flag in cleaned if not flag}
    cleaned = [(m, n, lab) for m, n, lab, flag in cleaned
               if not flag or name_key(n) in in_sentences or name_key(n) in lexicon.aliases]
    known = _Known({name_key(n) for _, n, _ in cleaned}, lexicon.aliases)

    resolved = []
    for mention, name, label in cleaned:
        parts = _split_compound(name, known)
        for part in parts:
            alias = lexicon.aliases.get(name_key(part))
            # A part of "Trump-Putin" (tagged ORG as a whole) casts no vote on its own label.
            part_label = label if len(parts) == 1 else ""
            written = mention if len(parts) == 1 else part  # "Trump-Putin" gives the mentions "Trump", "Putin"
            resolved.append((written, alias.name, alias.label) if alias else (written, part, part_label))

    # A surname alone is the person the article names in full, when it names exactly one.
    # The surname as written counts too, in each case form: "Дональд Трамп" makes "Трампа" Donald Trump.
    full_names: dict[str, set[str]] = {}
    given_names: dict[str, set[str]] = {}  # "Egan, ich freue mich" is the article's Egan Bernal
    for mention, name, label in resolved:
        if label == "PERSON" and person_shaped(name):
            given_names.setdefault(name_key(name.split()[0]), set()).add(name)
            written = mention.split()[-1] if len(mention.split()) > 1 else name.split()[-1]
            forms = case_forms(written) if CYRILLIC.search(written) else []
            if language in lexicon.genitive_s:  # German "Kolbes Rede" is Kolbe's
                forms.append(written + "s")
            for surname in {name.split()[-1], written, *forms}:
                full_names.setdefault(name_key(surname), set()).add(name)
    linked, persons = [], {}  # persons: a bare name the article uses for someone -> that person's full name
    for mention, name, label in resolved:
        candidates = full_names.get(name_key(name), set()) if " " not in name else set()
        if not candidates and label == "PERSON" and " " not in name:
            candidates = given_names.get(name_key(name), set())
        if len(candidates) == 1:
            name, label = next(iter(candidates)), "PERSON"
        elif (not candidates and label == "PERSON" and " " not in name and corpus_names
              and name_key(name) in corpus_names):
            persons[name_key(name)] = corpus_names[name_key(name)]
            name, label = corpus_names[name_key(name)], "PERSON"
        linked.append((mention, name, label))
    # The model tags one surname PERSON here and ORG there ("Trump" in seed 000): once the article uses
    # it for a person the run knows, every bare use of it is that person.
    linked = [(m, persons[name_key(n)], "PERSON") if " " not in n and name_key(n) in persons else (m, n, lab)
              for m, n, lab in linked]

    fixed = lexicon.fixed_labels
    votes: dict[str, Counter] = {}
    for _, name, label in linked:
        votes.setdefault(name, Counter())[label] += 1 if label else 0
    rank = {label: i for i, label in enumerate(lexicon.label_priority)}
    final = {
        name: fixed.get(name) or min(counts, key=lambda lab: (-counts[lab], rank.get(lab, len(rank))))
        for name, counts in votes.items()
    }
    return [(mention, name, final[name] or "ORG") for mention, name, _ in linked]


_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")


def after_title(text: str, start: int, name: str, lexicon: Lexicon) -> bool:
    """A name right after a person's title is a person, whatever the model says: "US President Trump"
    (tagged ORG), "Mr Peskov". Only a single word or a person-shaped name: "General Motors" stays."""
    if not (person_shaped(name) or re.fullmatch(r"[A-Z][a-z]+", name)):
        return False
    before = _WORD_BEFORE.search(text[max(0, start - 30):start])
    return before is not None and before.group(1).lower() in lexicon.titles


_INITIALS = re.compile(r"(?:[A-ZÀ-Þ]\.-?){1,2}")  # "J.", "J.-P.", "J.P."
_NAME_PART = re.compile(r"[-’']")


def _capitalised_word(word: str) -> bool:
    """ "Blair", "Díaz", "Jean-Claude", "Bashir’s" is not: a capital, then lower-case letters."""
    head, *tail = _NAME_PART.split(word)
    return (len(head) > 1 and head.isalpha() and head[0].isupper() and head[1:].islower() and len(tail) <= 1
            and all(part.isalpha() and part[1:].islower() for part in tail))


def person_shaped(name: str) -> bool:
    """Two or three capitalised words, initials before the last allowed: "Tony Blair", "Jean-Claude
    Juncker", "Léo Dubois", "George W. Bush", "J. Laporte"; not "New York's" or "FBI Director"."""
    words = name.split(" ")
    return 2 <= len(words) <= 3 and _capitalised_word(words[-1]) and all(
        _capitalised_word(word) or _INITIALS.fullmatch(word) for word in words[:-1])


@dataclasses.dataclass(frozen=True)
class _Known:
    """The names an article or the alias table knows, without copying the table for each article."""

    article: set[str]
    aliases: dict

    def __contains__(self, key: str) -> bool:
        return key in self.article or key in self.aliases


def _split_compound(name: str, known: _Known) -> list[str]:
    """"Trump-Putin", "Rubio and Lavrov", "Washington/Moscow": two known names, not one entity."""
    for separator in ("-", " and ", "/"):
        if separator not in name:
            continue
        parts = [p.strip() for p in name.split(separator)]
        if all(name_key(p) in known for p in parts):
            return parts
    return [name]


def headline_flags(text: str, starts: list[int], rules: boilerplate.Rules) -> list[bool]:
    """For each character offset: does it fall in a line that reads like a headline (title, subheading)?
    Only the lines that hold an offset are classified."""
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    verdicts: dict[int, bool] = {}
    flags = []
    for start in starts:
        line = bisect.bisect_right(line_starts, start) - 1
        if line not in verdicts:
            end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
            words = text[line_starts[line]:end].strip()
            verdicts[line] = bool(words) and boilerplate.looks_like_headline(words, rules)
        flags.append(verdicts[line])
    return flags


class EntityTagger:
    """EntityMentions of one article from the model's Doc of its text (entity ruler and ner)."""

    def __init__(self):
        self.lexicon = Lexicon.shared()
        self.rules = boilerplate.Rules.load()

    def rows(self, article: Article, ents: list[tuple[str, str, int]], corpus_names: dict[str, str]
             ) -> list[EntityMention]:
        """`ents`: (text, label, offset in the article's text) of the model's entities."""
        ents = [ent for ent in ents if ent[1] in KEPT_LABELS]
        text = analysed_text(article)
        ents = [(name, "PERSON" if after_title(text, start, name, self.lexicon) else label, start)
                for name, label, start in ents]
        # The English model tags title-case fragments of headlines ("Trump Struggles"); other languages'
        # spans need a given name, a title or a model's evidence, and their headlines are sentence case.
        headline_only = headline_flags(text, [start for _, _, start in ents], self.rules) \
            if article.language in (None, "en") else None
        spans = [(text, label) for text, label, _ in ents]
        return [EntityMention(article_id=article.article_id, published_date=article.published_date,
                              canonical=canonical, label=label, mention=mention)
                for mention, canonical, label in canonicalise(spans, self.lexicon, corpus_names, headline_only,
                                                              article.language)]
