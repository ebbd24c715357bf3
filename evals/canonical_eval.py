"""People, places and organisations of non-English articles under their English canonical names.

    python -m evals.canonical_eval CORPORA [--part dev|test|all] [--show] [--run-names] [--labels FILE ...]

Each labelled text (evals/labels/entities_canonical_test.toml, _test2.toml, _dev2.toml and _dev3.toml:
the first 1,500 characters of trafilatura's text of a page, or a langid sentence) goes through the
pipeline's analyse DoFn with the language detected as the pipeline does. An entity row counts by its
canonical name, accents and case folded: right when the text's labels have that name under the row's
kind (PERSON; GPE and LOC are PLACE; ORG), wrong otherwise; a row that names only an entity the
labeller marked unsure (under its canonical name or as the text wrote it: an unresolved mention keeps
its text) counts neither way, and unsure entities are not asked for. Recall is over the
sure entities of each kind. The labeller read trafilatura's default extraction (`--reading raw`, the
default); a run cleans it further (`--reading run`: cross-references such as "Lire aussi : ..." go), and there an
entity named only in what the run drops is not asked for.

The texts are split by source (each is one site's page or one sentence) into halves, by a hash of
the key: rules are tuned on `dev` and `test` is scored only to report. A file that says `part = "test"`
(or "dev") is that part whole: parts labelled later, to complete the languages. `--labels` names the
files to read, e.g. one file alone to score an old and a new test part apart.

A run gives each article the full names of the whole run (FindCorpusNames over the first read, each article
read in its language), which a surname alone and a transliterated name take ("Tramp"); `--run-names` scores the
texts as one run over them gives them, without it each text has its own names only.
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib
import tomllib
import unicodedata
from collections import defaultdict

from evals.multilingual_eval import load_pages
from schemas.records import Article, EntityMention
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.model import DEFAULT_MODEL
from transforms.text.language import DetectLanguageFn

LABELS = [pathlib.Path(__file__).resolve().parent / "labels" / name
          for name in ("entities_canonical_test.toml", "entities_canonical_test2.toml", "entities_canonical_dev2.toml",
                       "entities_canonical_dev3.toml")]
EXCERPT = 1500
KINDS = {"PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "ORG": "ORG"}


def fold(name: str) -> str:
    """A name compared without accents, case, or the kind of its apostrophes and dashes."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("’", "'").replace("‐", "-").split())


def part_of(key: str) -> str:
    return "dev" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "test"


def load_labels(paths: list[pathlib.Path], part: str) -> dict[str, dict]:
    """key -> the labels of each text of `part` in these files."""
    labels = {}
    for path in paths:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
        whole = tables.pop("part", None)
        labels |= {key: spec for key, spec in tables.items() if part in ("all", whole or part_of(key))}
    return labels


def text_of(page: bytes | str, reading: str = "raw") -> str:
    """A page's text, its first 1,500 characters: as a run reads it (`run`: the pipeline's extraction and
    cleaning, which drop cross-references such as "Lire aussi : ..." and page chrome), or as the labeller read it
    (`raw`: trafilatura's default extraction)."""
    if isinstance(page, str):
        return page
    if reading == "raw":
        import trafilatura

        return (trafilatura.extract(page) or "")[:EXCERPT]
    from transforms.text import boilerplate, html

    stated = html.extract_page(page)
    if stated.extractor != "trafilatura":  # as CleanDocumentFn reads a page trafilatura gives up on
        return boilerplate.strip_page(stated.text, boilerplate.Rules.load(), known_title=stated.title).body[:EXCERPT]
    lines = tuple(line for line in (" ".join(p.split()) for p in stated.text.split("\n")) if line)
    return boilerplate.Page(title=None, paragraphs=lines).body[:EXCERPT]


def asked(entities: list[dict], text: str, page: bytes | str) -> list[dict]:
    """The labelled entities a run's text still names: one the labeller read in a line the run drops ("Lire
    aussi : ... au Samu de Bayonne"; its mentions are in the raw text, none in the run's) is not asked for."""
    if isinstance(page, str):
        return entities
    raw, run = fold(text_of(page, "raw")), fold(text)
    return [e for e in entities if not (any(fold(m) in raw for m in e.get("mentions", ()))
                                        and not any(fold(m) in run for m in e.get("mentions", ())))]


def score_article(rows: list[EntityMention], entities: list[dict]) -> dict:
    """(kind -> counts) for one article: rows right and wrong, sure entities found and asked for."""
    sure, unsure = defaultdict(set), defaultdict(set)
    for entity in entities:
        (unsure if entity.get("unsure") else sure)[entity["kind"]].add(fold(entity["canonical"]))
        if entity.get("unsure"):  # a row that keeps what the text said names the unsure entity too
            unsure[entity["kind"]].update(fold(mention) for mention in entity.get("mentions", ()))
    found = defaultdict(set)
    for row in rows:
        kind = KINDS.get(row.label)
        if kind is not None:
            found[kind].add(fold(row.canonical))
    counts = {}
    for kind in ("PERSON", "PLACE", "ORG"):
        right = found[kind] & sure[kind]
        wrong = found[kind] - sure[kind] - unsure[kind]
        counts[kind] = {"right": len(right), "wrong": len(wrong), "hits": len(right), "asked": len(sure[kind]),
                        "extras": sorted(wrong), "missed": sorted(sure[kind] - found[kind])}
    return counts


def run_names(texts: list[tuple[str, str | None]]) -> dict[str, str]:
    """The full names a run over `texts` ((text, its detected language)) would give each article
    (transforms/stories/names.py): the first read names each article by its language's rules."""
    from transforms.stories.names import FullNames, NameArticlesFn

    namer = NameArticlesFn()
    namer.setup()
    combine = FullNames()
    counts = combine.create_accumulator()
    for i, (text, language) in enumerate(texts):
        article = Article(article_id=f"run:{i}", source="", title=None, published_date=None, date_source="",
                          language=language, text=text)
        counts = combine.add_input(counts, next(iter(namer.process(article))))
    return combine.extract_output(counts)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--labels", type=pathlib.Path, nargs="+", default=LABELS)
    parser.add_argument("--part", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--show", action="store_true", help="list every wrong row and every missed entity")
    parser.add_argument("--reading", choices=("raw", "run"), default="raw",
                        help="a page's text as the labeller read it (trafilatura's default extraction) or as a run "
                             "reads it (the pipeline's extraction and cleaning)")
    parser.add_argument("--run-names", action="store_true",
                        help="give each text the full names of one run over the part's texts, as a run does")
    args = parser.parse_args(argv)
    labels = load_labels(args.labels, args.part)
    found = load_pages(args.corpora, set(labels))
    detector = DetectLanguageFn()
    detector.setup()
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    texts = {key: text_of(found[key], args.reading) for key in labels}
    languages = {key: detector.detect(text) for key, text in texts.items()}
    names = run_names([(texts[key], languages[key]) for key in labels]) if args.run_names else {}
    totals: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    shown: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(list))
    for key, spec in labels.items():
        text = texts[key]
        article = Article(article_id=key, source=key, title=None, published_date=None, date_source="",
                          language=languages[key], text=text)
        rows = [t.value for t in analyse.process([article], names) if isinstance(t.value, EntityMention)]
        entities = spec["entities"] if args.reading == "raw" else asked(spec["entities"], text, found[key])
        for kind, counts in score_article(rows, entities).items():
            for field in ("right", "wrong", "hits", "asked"):
                totals[(spec["language"], kind)][field] += counts[field]
            for field in ("extras", "missed"):
                shown[(spec["language"], kind)][field] += counts[field]
    files = ", ".join(path.name for path in args.labels)
    print(f"Entities under English canonical names ({files}, part {args.part}: {len(labels)} texts; "
          f"first {EXCERPT} characters; {f'the run names {len(names)} in full' if args.run_names else 'no run names'})")
    print(f"{'language':<9} {'kind':<7} {'asked':>6} {'rows':>5} {'precision':>9} {'recall':>7}")
    for (language, kind), total in sorted(totals.items()):
        rows = total["right"] + total["wrong"]
        precision = f"{total['right'] / rows:.2f}" if rows else "-"
        recall = f"{total['hits'] / total['asked']:.2f}" if total["asked"] else "-"
        print(f"{language:<9} {kind:<7} {total['asked']:>6} {rows:>5} {precision:>9} {recall:>7}")
        if args.show:
            print(f"{'':18}wrong: {shown[(language, kind)]['extras']}")
            print(f"{'':18}missed: {shown[(language, kind)]['missed']}")


if __name__ == "__main__":
    main()
