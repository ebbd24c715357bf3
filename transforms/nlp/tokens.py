"""Words of text in languages other than English, as every backend and the name finder read them.

One tokenizer for all of them (spaCy's multi-language one) so that spans, phrase patterns and the
backends' words line up; it cuts words that markup glued together.
"""

from __future__ import annotations

import functools
import re

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER

from transforms.languages import with_section

# markup glues a name to the word after it ("Tonino GuerraTonino e Lora", "Jack AndrakaRegia di"): a
# capital after four lowercase letters opens a new word, so "McDonald", "DiCaprio", "LeBron" stay whole
GLUE = re.compile(f"(?<=[{ALPHA_LOWER}]{{4}})(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])")


def glued_weekday() -> str:
    """Markup glues a headline to the dateline after it ("l'attore Jonis Bascirdomenica 24 novembre", "San Marino
    RTVmartedì 26 novembre"): a weekday the languages write in lower case, glued to the end of a word of three
    letters or more, is a word of its own. Full names only: an abbreviation ("niedz") ends other words."""
    days = {form for spec in with_section("dates").values() for day in spec.get("weekdays", ()) for form in day
            if form.isalpha() and form.islower() and len(form) >= 5
            and not any(other != form and other.startswith(form) for other in day)}
    return f"(?<=[{ALPHA}]{{3}})(?=(?:{'|'.join(sorted(days, key=lambda d: (-len(d), d)))})$)"


@functools.cache
def glued_words() -> re.Pattern:
    """Where markup glued two words into one, each a word of its own: GLUE's and glued_weekday()'s."""
    return re.compile(f"{GLUE.pattern}|{glued_weekday()}")


def glued(doc, i: int) -> bool:
    """doc[i] is a word the tokenizer cut from the word before it (glued_words)."""
    return 0 < i < len(doc) and doc[i].is_alpha and doc[i - 1].is_alpha and not doc[i - 1].whitespace_


def tokenizer():
    """spaCy's multi-language tokenizer, with words glued by markup cut apart: the one tokenizer of
    every text in another language, so spans, phrase patterns and models' words line up."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("xx")
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, glued_words().pattern]).finditer
    return nlp


class Phrases:
    """Phrases found by their words in lower case, as spaCy's PhraseMatcher(attr="LOWER") finds them
    (every match, overlapping ones too, by start and then length), without keeping a Doc per phrase:
    the aliases' Cyrillic case forms are ~47k phrases, and as a PhraseMatcher they cost a worker
    ~80 MB more (OtherLanguages held 308 MB instead of 229)."""

    def __init__(self, nlp, patterns: dict[str, list[str]]):
        strings = nlp.vocab.strings
        self.table: dict[tuple[str, ...], list[int]] = {}
        for label, phrases in patterns.items():
            key = strings.add(label)
            for doc in nlp.tokenizer.pipe(phrases):
                labels = self.table.setdefault(tuple(token.lower_ for token in doc), [])
                if doc and key not in labels:
                    labels.append(key)
        self.table.pop((), None)
        self.firsts = frozenset(words[0] for words in self.table)
        self.longest = max(map(len, self.table), default=0)

    def __call__(self, doc, as_spans: bool = False) -> list:
        """(label's hash, start, end) of every match, or Spans labelled so with `as_spans`."""
        from spacy.tokens import Span

        words = [token.lower_ for token in doc]
        found = [(key, start, end) for start, first in enumerate(words) if first in self.firsts
                 for end in range(start + 1, min(len(words), start + self.longest) + 1)
                 for key in self.table.get(tuple(words[start:end]), ())]
        return [Span(doc, start, end, label=key) for key, start, end in found] if as_spans else found
