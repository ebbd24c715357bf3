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
    sentence_case_words: int
    headline_capitalised: float
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
    return " ".join(line.lower().split()).strip(" :.…»›>")


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
    words = line.split()
    if len(words) >= rules.long_line_words:
        return PROSE
    if len(words) >= rules.sentence_min_words and _SENTENCE_END.search(line):
        return PROSE
    # A standfirst or feed summary may lack its full stop; a headline is short or in Title Case.
    if len(words) >= rules.sentence_case_words and _capitalised_share(words) < rules.headline_capitalised:
        return PROSE
    return HEADLINE


def looks_like_headline(line: str, rules: Rules) -> bool:
    """A line with no closing punctuation that is short or in Title Case: a title or subheading."""
    return classify(line, rules, body_started=True) == HEADLINE


def _capitalised_share(words: list[str]) -> float:
    worded = [w for w in words if any(c.isalpha() for c in w)]
    return sum(1 for w in worded if w.lstrip("\"'“‘(")[:1].isupper()) / max(len(worded), 1)


def strip_page(text: str, rules: Rules, known_title: str | None = None) -> Page:
    """Returns the headline (or None) and the article's own paragraphs, in order.

    `known_title` (from HTML or feed metadata) is the title, and a line repeating it is not body.
    """
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

    first_content = next((i for i, k in enumerate(kinds) if k in (PROSE, HEADLINE)), None)
    if known_title is None and first_content is not None and _is_first_line_headline(lines, first_content, rules):
        # A headline that asks or exclaims ("Could Yukos be a blessing in disguise?") or is in
        # sentence case looks like prose; in first place and followed by text, it is the headline.
        known_title, kinds[first_content] = lines[first_content], HEADLINE
    first_prose = next((i for i, k in enumerate(kinds) if k == PROSE), len(kinds))
    last_prose = max((i for i, k in enumerate(kinds) if k == PROSE), default=-1)
    title = known_title or next(
        (line for line, kind in zip(lines[:first_prose], kinds[:first_prose], strict=True)
         if kind == HEADLINE and 2 <= len(line.split()) <= rules.title_max_words),
        None,
    )
    in_link_list = _headline_runs(kinds, rules.headline_run)
    paragraphs = tuple(
        line
        for i, (line, kind) in enumerate(zip(lines, kinds, strict=True))
        if first_prose <= i <= last_prose
        and (kind == PROSE or (kind == HEADLINE and not in_link_list[i])) and line != title
    )
    return Page(title=title, paragraphs=paragraphs)


def _is_first_line_headline(lines: list[str], index: int, rules: Rules) -> bool:
    words = len(lines[index].split())
    followed = any(len(line.split()) >= rules.sentence_min_words for line in lines[index + 1:])
    ending = lines[index].rstrip("\"'”’")
    full_stop = ending.endswith(".") and not ending.endswith("...")
    return 2 <= words <= rules.title_max_words and not full_stop and followed


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
