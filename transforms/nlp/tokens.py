"""Words of text in languages other than English, as every backend and the name finder read them.

One tokenizer for all of them (spaCy's multi-language one) so that spans, phrase patterns and the
backends' words line up; it cuts words that markup glued together.
"""

from __future__ import annotations

import re

from spacy.lang.char_classes import ALPHA_LOWER, ALPHA_UPPER

# markup glues a name to the word after it ("Tonino GuerraTonino e Lora", "Jack AndrakaRegia di"): a
# capital after four lowercase letters opens a new word, so "McDonald", "DiCaprio", "LeBron" stay whole
GLUE = re.compile(f"(?<=[{ALPHA_LOWER}]{{4}})(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])")


def glued(doc, i: int) -> bool:
    """doc[i] is a word the tokenizer cut from the word before it (GLUE)."""
    return 0 < i < len(doc) and doc[i].is_alpha and doc[i - 1].is_alpha and not doc[i - 1].whitespace_


def tokenizer():
    """spaCy's multi-language tokenizer, with words glued by markup cut apart: the one tokenizer of
    every text in another language, so spans, phrase patterns and models' words line up."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("xx")
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, GLUE.pattern]).finditer
    return nlp
