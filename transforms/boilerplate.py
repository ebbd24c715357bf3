"""Boilerplate removal for plain-text news pages, line by line (used by the clean stage).

Each non-empty line gets a kind from its own features (label, chrome, caption, disclaimer, prose,
or headline-like), then context decides: headline-like lines before the body are title candidates,
runs of them are link lists, a sidebar heading after the body ends the article. Patterns and
thresholds live in data/boilerplate.toml.
"""

from __future__ import annotations

import dataclasses
import re

from transforms.common import load_data

PROSE, HEADLINE, LABEL, SIDEBAR, CHROME = "prose", "headline", "label", "sidebar", "chrome"
_SENTENCE_END = re.compile(r"""[.!?:;…]["'”’)\]]*$""")


@dataclasses.dataclass(frozen=True)
class Rules:
    inline_labels: frozenset[str]
    sidebar_labels: frozenset[str]
    chrome: tuple[re.Pattern, ...]
    caption: re.Pattern
    disclaimers: tuple[re.Pattern, ...]
    sentence_min_words: int
    long_line_words: int
    headline_run: int
    title_max_words: int

    @classmethod
    def load(cls, name: str = "boilerplate.toml") -> Rules:
        data = load_data(name)
        flags = re.IGNORECASE
        return cls(
            inline_labels=frozenset(data["inline_labels"]),
            sidebar_labels=frozenset(data["sidebar_labels"]),
            chrome=tuple(re.compile(p, flags) for p in data["chrome_patterns"]),
            caption=re.compile(data["caption_credit_pattern"], flags),
            disclaimers=tuple(re.compile(p, flags) for p in data["disclaimer_patterns"]),
            **data["thresholds"],
        )


@dataclasses.dataclass(frozen=True)
class Page:
    title: str | None
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def _normal(line: str) -> str:
    return " ".join(line.lower().split()).strip(" :")


def classify(line: str, rules: Rules, body_started: bool) -> str:
    key = _normal(line)
    if body_started and key in rules.sidebar_labels:
        return SIDEBAR
    if key in rules.inline_labels or key in rules.sidebar_labels:
        return LABEL
    if any(p.search(line) for p in rules.chrome) or rules.caption.search(line):
        return CHROME
    if any(p.search(line) for p in rules.disclaimers):
        return CHROME
    words = len(line.split())
    if words >= rules.long_line_words:
        return PROSE
    if words >= rules.sentence_min_words and _SENTENCE_END.search(line):
        return PROSE
    return HEADLINE


def strip_page(text: str, rules: Rules) -> Page:
    """Returns the headline (or None) and the article's own paragraphs, in order."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    kinds: list[str] = []
    body_started = False
    for line in lines:
        kind = classify(line, rules, body_started)
        if kind == SIDEBAR:
            break
        kinds.append(kind)
        body_started = body_started or kind == PROSE
    lines = lines[: len(kinds)]

    first_prose = next((i for i, k in enumerate(kinds) if k == PROSE), len(kinds))
    last_prose = max((i for i, k in enumerate(kinds) if k == PROSE), default=-1)
    title = next(
        (line for line, kind in zip(lines[:first_prose], kinds[:first_prose], strict=True)
         if kind == HEADLINE and 2 <= len(line.split()) <= rules.title_max_words),
        None,
    )
    in_link_list = _headline_runs(kinds, rules.headline_run)
    paragraphs = tuple(
        line
        for i, (line, kind) in enumerate(zip(lines, kinds, strict=True))
        if first_prose <= i <= last_prose
        and (kind == PROSE or (kind == HEADLINE and not in_link_list[i] and line != title))
    )
    return Page(title=title, paragraphs=paragraphs)


def _headline_runs(kinds: list[str], min_run: int) -> list[bool]:
    """Marks headline-like lines in runs of `min_run` or more: lists of other stories' headlines."""
    marked = [False] * len(kinds)
    start = 0
    while start < len(kinds):
        end = start
        while end < len(kinds) and kinds[end] in (HEADLINE, CHROME, LABEL):
            end += 1
        headlines = sum(1 for k in kinds[start:end] if k == HEADLINE)
        if headlines >= min_run:
            marked[start:end] = [True] * (end - start)
        start = end + 1
    return marked
