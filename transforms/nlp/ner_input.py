"""What the NER reads of an article: the sentences that can hold a name.

"He said the talks would go on." (a plain opening word, no other capital letter) cannot name
anyone; about a fifth of news text is such sentences, and the NER is the pipeline's cost floor.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

_LINE = re.compile(r"[^\n]+")
# A full stop, question or exclamation mark (and a closing quote) before a space and a capital or digit.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]?)[ \t]+(?=[\"“‘(]?[A-Z0-9])")
_OPENING_PUNCT = "\"'“‘("
_CLOSING_PUNCT = ",;:"
_CONTRACTION = re.compile("['’]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of each line: a cheap split, good enough to find nameless ones."""
    spans = []
    for line in _LINE.finditer(text):
        start = line.start()
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            spans.append((start, end.end(1)))
            start = end.end()
        spans.append((start, line.end()))
    return spans


def can_hold_a_name(sentence: str, openers: frozenset[str]) -> bool:
    """False for "He said the talks would go on.": an opener, then no capital letter. The opener is
    read without its punctuation and contraction ("However," "It's" "I'm" are "However" "It" "I")."""
    first, _, rest = sentence.strip().partition(" ")
    word = _CONTRACTION.split(first.lstrip(_OPENING_PUNCT).rstrip(_CLOSING_PUNCT), maxsplit=1)[0]
    return word not in openers or any(c.isupper() for c in rest)


@dataclasses.dataclass(frozen=True)
class NerInput:
    """What the NER reads of an article: the sentences that can hold a name, one per line; `rest`
    holds the others (tokenised for topics only). Offsets map back to the article's text."""

    text: str
    starts: tuple[int, ...]  # offset in `text` of each sentence
    origins: tuple[int, ...]  # offset in the article's text of the same sentence
    rest: str

    @classmethod
    def of(cls, text: str, openers: frozenset[str]) -> NerInput:
        """Runs of sentences that can hold a name are copied as they are (so the NER reads them as
        it would read the whole text); a newline stands where nameless sentences were left out."""
        if not openers:
            return cls(text, (0,), (0,), "")
        runs, rest, open_run = [], [], False
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if not can_hold_a_name(sentence, openers):
                rest.append(sentence)
                open_run = False
            elif open_run:
                runs[-1][1] = end
            else:
                runs.append([start, end])
                open_run = True
        starts, length = [], 0
        for start, end in runs:
            starts.append(length)
            length += end - start + 1
        return cls("\n".join(text[start:end] for start, end in runs), tuple(starts),
                   tuple(start for start, _ in runs), "\n".join(rest))

    def original_offset(self, offset: int) -> int:
        piece = bisect.bisect_right(self.starts, offset) - 1
        return self.origins[piece] + offset - self.starts[piece]
