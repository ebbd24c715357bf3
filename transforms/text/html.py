"""HTML to plain article text (web pages, feed content and summaries, .html files), for the clean stage.

A web page's text, title, date and metadata come from trafilatura and htmldate (`extract_page`: they
measured best on the public benchmarks, docs/quality.md "HTML extraction"). Where trafilatura finds no
article, and for the HTML inside feed items, our own extraction stands in (`html_to_text`): Lexbor
(through selectolax) parses; structure removes what is never article text (scripts, nav, asides,
footers, forms, figures with their captions, blocks that are mostly links); block elements become
paragraphs; then the plain-text boilerplate rules finish the job.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re

NEVER_TEXT = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form", "iframe", "svg",
              "button", "figure", "figcaption", "select", "menu", "dialog")
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "article",
          "header", "main", "td", "th", "dd", "dt", "tr", "ul", "ol", "table", "hr")
MAX_LINK_SHARE = 0.6  # a block whose text is mostly link text is navigation or "related" links
LINK_BLOCKS = ("p", "li", "div", "td", "dd")
# Real pages nest containers a few dozen deep; lexbor's parse time grows with the square of the depth
# (45,000 nested <div>s: 3 s), so containers deeper than this are unwrapped before parsing.
MAX_DEPTH = 512
# Containers a parser never closes by itself: their depth in the markup is their depth in the tree.
_CONTAINERS = frozenset(("div", "span", "section", "article", "main", "header", "footer", "aside", "nav",
                         "blockquote", "font", "b", "i", "em", "strong", "u", "s", "small", "big", "sub",
                         "sup", "center", "table", "ul", "ol", "dl", "form", "fieldset", "figure", "details"))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
MAX_TAG = 16_384
_LONG_TAG = re.compile(r"(<[A-Za-z][\w:-]*)[^<>]{" + str(MAX_TAG) + ",}>")
_LONG_TAG_BYTES = re.compile(_LONG_TAG.pattern.encode("ascii"))
# A </div> directly before a <div>: trafilatura flattens such divs into one line and drops the
# whitespace between them ("EFFECTIFSY. WissaT. Fontaine"); a <br> there keeps them apart.
_DIV_AFTER_DIV = re.compile(r"(</div>)(?=\s*<div\b)", re.I)
_DIV_AFTER_DIV_BYTES = re.compile(_DIV_AFTER_DIV.pattern.encode("ascii"), re.I)
_HTML_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)
FULL_PASS_BELOW = 1000  # characters: a shorter first-pass text is extracted again with trafilatura's fallbacks
DATE_SOURCE = "page"  # htmldate's: the page's metadata, its URL, then its text


@dataclasses.dataclass(frozen=True)
class HtmlPage:
    title: str | None
    text: str
    date: datetime.date | None = None
    date_source: str = ""
    authors: str | None = None
    description: str | None = None
    url: str | None = None  # the canonical URL the page states
    site_name: str | None = None
    language: str | None = None  # the language the page declares
    extractor: str = "newsbeam"  # which extraction gave the text: "trafilatura", or ours

    def stated(self) -> dict:
        """The Article columns of what the page states of itself."""
        return {"authors": self.authors, "description": self.description, "canonical_url": self.url,
                "site_name": self.site_name, "declared_language": self.language}


_HTML_TAG = re.compile(r"<(?:p|div|body|br|img|a|span|strong|em|ul|ol|li|table|h[1-6]|figure)\b[^<>]*>")


def looks_like_html(text: str) -> bool:
    """A page or a piece of one: a feed item's summary may be a lone image and a sentence ("<img
    src=... /> Em nova pesquisa...")."""
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or bool(_HTML_TAG.search(head))


def _bounded_depth(html: str) -> str:
    """The markup with container tags deeper than MAX_DEPTH removed (their text kept); unchanged when
    no container is that deep, which is every real page."""
    depth, deepest = 0, 0
    tags = [m for m in _TAG.finditer(html) if m.group(2).lower() in _CONTAINERS]
    for match in tags:
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    if deepest <= MAX_DEPTH:
        return html
    pieces, last, depth = [], 0, 0
    for match in tags:
        if match.group(1):
            depth = max(0, depth - 1)
            deep = depth >= MAX_DEPTH
        else:
            deep = depth >= MAX_DEPTH
            depth += 1
        if deep:
            pieces.append(html[last:match.start()])
            last = match.end()
    pieces.append(html[last:])
    return "".join(pieces)


def _link_heavy(root) -> list:
    """The outermost blocks whose text is mostly link text, in one pass over the tree.

    Per node, the length of `text(deep=True, separator=" ", strip=True)` is the sum of its stripped
    text pieces plus a separator between each two (empty pieces too, as lexbor counts them); the
    link length sums that of each <a> inside. Both are summed from the leaves up (reverse document
    order), so the pass is linear in the size of the page however deep it nests.
    """
    nodes = list(root.traverse(include_text=True))
    sums: dict[int, list[int]] = {}  # node -> [stripped text length, text pieces, link text length]
    root_key = root.mem_id
    for node in reversed(nodes):
        key = node.mem_id
        if node.tag == "-text":
            own = sums[key] = [len((node.text_content or "").strip()), 1, 0]
        else:
            own = sums.setdefault(key, [0, 0, 0])
            if node.tag == "a":
                own[2] += own[0] + max(own[1] - 1, 0)
        if key != root_key:
            parent = node.parent
            if parent is not None:
                up = sums.setdefault(parent.mem_id, [0, 0, 0])
                up[0] += own[0]
                up[1] += own[1]
                up[2] += own[2]
    heavy = {}
    for node in nodes:
        if node.tag in LINK_BLOCKS:
            length, pieces, linked = sums[node.mem_id]
            length += max(pieces - 1, 0)
            if length and linked / length > MAX_LINK_SHARE:
                heavy[node.mem_id] = node
    return [node for node in heavy.values() if not _has_ancestor_in(node, heavy)]


def _has_ancestor_in(node, nodes: dict) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in nodes:
            return True
        parent = parent.parent
    return False


def _title(tree) -> str | None:
    for selector in ("h1", 'meta[property="og:title"]', "title"):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") if node.tag == "meta" else node.text(strip=True)
        if value and value.strip():
            return _SITE_SUFFIX.sub("", " ".join(value.split())) if node.tag == "title" else " ".join(value.split())
    return None


def html_to_text(html: str) -> HtmlPage:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_bounded_depth(html))
    title = _title(tree)
    for node in tree.css(",".join(NEVER_TEXT)):
        node.decompose()
    for node in _link_heavy(tree.root):
        node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")
    for node in tree.css(",".join(BLOCKS)):
        node.insert_before("\n\n")
        node.insert_after("\n\n")
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    paragraphs = [" ".join(block.split()) for block in _BLANK_LINES.split(text)]
    return HtmlPage(title=title, text="\n\n".join(p for p in paragraphs if p))


def extract_page(page: bytes | str, url: str | None = None, reference_date: datetime.date | None = None) -> HtmlPage:
    """A web page -> its article text, title, publication date and what else the page states.

    trafilatura finds the text and metadata (it leads every benchmark in evals/web_benchmarks.py);
    htmldate the date, in order of trust (metadata, URL, then the text), never after
    `reference_date`. When trafilatura finds no text our own extraction (`html_to_text`) is used.
    """
    import trafilatura
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    page = separated_divs(bounded_tags(page))
    reference = reference_date or datetime.date.today()
    dates = {"extensive_search": True, "original_date": True, "max_date": reference.isoformat()}
    text, found = "", None
    # trafilatura's own fallbacks (readability, jusText) cost a third of its time and help when its
    # first pass finds little; they run only then (evals/web_benchmarks.py measured both ways).
    for fast in (True, False):
        try:
            answer = trafilatura.bare_extraction(page, url=url, include_comments=False, with_metadata=True,
                                                 fast=fast, date_extraction_params=dates)
        except Exception:  # noqa: BLE001 - a page that breaks trafilatura is read by our own extraction
            answer = None
        body = answer.body if answer is not None else None
        answer_text = normalize_unicode(xmltotxt(body, False)) if body is not None else ""
        if found is None or len(answer_text) > len(text):
            text, found = answer_text, answer
        if len(text) >= FULL_PASS_BELOW:
            break
    extractor = "trafilatura"
    text = without_controls(without_crossrefs(text))
    if not text.strip():  # a fragment (a feed summary) or a page trafilatura gives up on
        own = html_to_text(page if isinstance(page, str) else page.decode("utf-8", errors="replace"))
        text, title, extractor = own.text, own.title, "newsbeam"
    else:
        title = found.title
    if found is not None:  # its date is htmldate's, asked with the same parameters
        day = _day(found.date)
    else:
        day = _day(_find_date(page, url, reference, extensive=True))
    if day == reference and _day(_find_date(page, url, reference, extensive=False)) != reference:
        day = None  # htmldate's extensive search answers max_date itself for a page dated after it
    day = day if day and day <= reference else None
    language = (found.language if found else None) or declared_language(page)
    return HtmlPage(title=title, text=text, date=day, date_source=DATE_SOURCE if day else "",
                    authors=found.author if found else None, description=found.description if found else None,
                    url=found.url if found else None, site_name=found.sitename if found else None,
                    language=language, extractor=extractor)


@functools.cache
def _crossref_labels() -> frozenset[str]:
    from transforms.common import load_data

    return frozenset(load_data("boilerplate.toml")["crossref_labels"])


@functools.cache
def _crossref_pointers() -> tuple[re.Pattern, re.Pattern]:
    """(a label of two words or more opening a line, any case: "Lire aussi Martine Bulard &"; one in capitals
    inside a line: "... la religion ». À LIRE AUSSI Antisémitisme : retour au Moyen ÂgeSon domicile ..."). A
    label of one word ("Lea", "Mire", "Related") is too often a name or a word to be read without its colon."""
    labels = sorted((label.split() for label in _crossref_labels() if " " in label), key=len, reverse=True)
    opening = "|".join(r"\s+".join(map(re.escape, words)) for words in labels)
    inline = "|".join(r"\s+".join(re.escape(word.upper()) for word in words) for words in labels)
    return (re.compile(rf"^[\s»›>*|–—-]*(?:{opening})\s+", re.I),
            re.compile(rf"(?:^|(?<=\s))(?:{inline})(?!\w)\s*:?\s*"))


def _glue_after(line: str, start: int) -> int:
    """Where the words from `start` on meet text glued on without a space (a link's headline run into the next
    sentence: "Moyen ÂgeSon domicile"), else the end of the line."""
    for i in range(max(start, 2), len(line) - 1):
        if line[i].isupper() and line[i + 1].islower() and line[i - 1].islower() and line[i - 2].islower():
            return i
    return len(line)


def without_crossrefs(text: str) -> str:
    """Lines that point at another story ("Read more: ...", "Lea también: ...", "Notas relacionadas") go, and so
    does a pointer without its colon that opens a line before a capitalised headline ("Lire aussi Martine
    Bulard &") or stands in capitals inside one ("... À LIRE AUSSI Antisémitisme : retour au Moyen Âge"), with
    its headline, up to the text glued on after it; the labels are boilerplate.toml's `crossref_labels`."""
    labels = _crossref_labels()
    opening, inline = _crossref_pointers()
    kept = []
    for line in text.split("\n"):
        head = " ".join(line.split(":", 1)[0].lower().split()).strip(" »›>-–—|*")
        whole = " ".join(line.lower().split()).strip(" :.»›>-–—|*")
        if (":" in line and head in labels) or (len(whole.split()) <= 6 and whole in labels):
            continue
        cut = line
        if (found := opening.match(cut)) is not None and cut[found.end():found.end() + 1].isupper():
            cut = cut[_glue_after(cut, found.end()):]
        while (found := inline.search(cut)) is not None:
            cut = (cut[:found.start()].rstrip() + " " + cut[_glue_after(cut, found.end()):]).strip()
        if cut.strip() or not line.strip():
            kept.append(cut)
    return "\n".join(kept)


@functools.cache
def _control_lines() -> tuple[re.Pattern, ...]:
    from transforms.common import load_data

    return tuple(re.compile(p, re.I) for p in load_data("boilerplate.toml")["control_lines"])


def without_controls(text: str) -> str:
    """Lines of the page's own controls that trafilatura keeps as text go: reading time, bookmarks, a player that
    reads the article aloud, a lone share button (boilerplate.toml's `control_lines`, in each language)."""
    patterns = _control_lines()
    return "\n".join(line for line in text.split("\n")
                     if not any(p.search(" ".join(line.split()).strip(" -–—•·*|")) for p in patterns))


def _find_date(page: bytes | str, url: str | None, reference: datetime.date, extensive: bool) -> str | None:
    import htmldate

    try:
        return htmldate.find_date(page, url=url, original_date=True, extensive_search=extensive,
                                  max_date=reference.isoformat(), outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - no date rather than no article
        return None


def bounded_tags(page: bytes | str) -> bytes | str:
    """A tag longer than MAX_TAG characters keeps its name and loses its attributes: lxml's parse time
    grows with the square of a tag's attributes (20,000 took 5 s; a 5 MB tag would take hours)."""
    opening = b"<" if isinstance(page, bytes) else "<"
    if max(map(len, page.split(opening))) < MAX_TAG:  # no run that long between two "<": no such tag
        return page
    pattern = _LONG_TAG_BYTES if isinstance(page, bytes) else _LONG_TAG
    return pattern.sub(lambda m: m.group(1) + (b">" if isinstance(page, bytes) else ">"), page)


def separated_divs(page: bytes | str) -> bytes | str:
    """A line break between a closing and an opening div, as a browser shows them. trafilatura drops
    whitespace-only text (and a <br> without text after it), so the break carries a space."""
    if isinstance(page, bytes):
        return _DIV_AFTER_DIV_BYTES.sub(rb"\1<br> ", page)
    return _DIV_AFTER_DIV.sub(r"\1<br> ", page)


def declared_language(page: bytes | str) -> str | None:
    head = page[:4096].decode("ascii", errors="ignore") if isinstance(page, bytes) else page[:4096]
    match = _HTML_LANG.search(head)
    return match.group(1).lower() if match else None


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
