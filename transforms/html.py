"""HTML to plain article text (feed content and summaries, .html files), for the clean stage.

Lexbor (through selectolax) parses; structure removes what is never article text (scripts, nav,
asides, footers, forms, figures with their captions, blocks that are mostly links); block
elements become paragraphs; then the plain-text boilerplate rules finish the job, so HTML and
text pages are judged by the same rules. README, "HTML extraction", says why not trafilatura.
"""

from __future__ import annotations

import dataclasses
import re

NEVER_TEXT = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form", "iframe", "svg",
              "button", "figure", "figcaption", "select", "menu", "dialog")
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "article",
          "header", "main", "td", "th", "dd", "dt", "tr", "ul", "ol", "table", "hr")
MAX_LINK_SHARE = 0.6  # a block whose text is mostly link text is navigation or "related" links
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


@dataclasses.dataclass(frozen=True)
class HtmlPage:
    title: str | None
    text: str


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or bool(re.search(r"<(p|div|body|br)\b", head))


def _link_share(node) -> float:
    text = node.text(deep=True, separator=" ", strip=True)
    if not text:
        return 0.0
    linked = sum(len(a.text(deep=True, separator=" ", strip=True)) for a in node.css("a"))
    return linked / len(text)


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

    tree = LexborHTMLParser(html)
    title = _title(tree)
    for node in tree.css(",".join(NEVER_TEXT)):
        node.decompose()
    for node in tree.css("p, li, div, td, dd"):
        if _link_share(node) > MAX_LINK_SHARE:
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
