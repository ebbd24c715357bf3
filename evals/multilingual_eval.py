"""People in articles in other languages: precision and recall per language, on a labelled sample.

    python -m evals.multilingual_eval CORPORA [--show]

The first 1,500 characters of each page's extracted text (evals/labels/persons_multilingual.toml:
trafilatura-eval, htmldate-eval and zyte-extraction pages in parts `dev`, `test` and `holdout`..`holdout5`,
and sentences of the langid corpus in `cyrillic_dev` and `holdout6`) go through the pipeline's
analyse DoFn with the language detected as the pipeline does. A PERSON row is right when its
surname (mention or canonical name) is a labelled person's; every PERSON row that is not is wrong,
so words taken for people (the English model's "Gipfeltreffen", "Dienstag") count against precision.
"""

from __future__ import annotations

import argparse
import pathlib
import tomllib

from evals.web_benchmarks import pages
from schemas.records import Article, EntityMention
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.model import DEFAULT_MODEL
from transforms.text import html
from transforms.text.language import DetectLanguageFn

LABELS = pathlib.Path(__file__).resolve().parent / "labels" / "persons_multilingual.toml"
EXCERPT = 1500


def surname(name: str) -> str:
    """The last word of a name, "Jr." and the like left out."""
    words = [w.strip(".").lower() for w in name.split()]
    words = [w for w in words if w not in ("jr", "sr")] or words
    return words[-1] if words else ""


def load_pages(corpora: pathlib.Path, keys: set[str]) -> dict[str, bytes | str]:
    """ARCHIVE:MEMBER keys -> page bytes, one pass over each archive; langid:LANG:LINE -> that sentence."""
    found: dict[str, bytes | str] = {}
    for key in keys:
        if key.startswith("langid:"):
            _, language, line = key.split(":")
            lines = (corpora / "langid" / "sentences" / f"{language}.txt").read_text(encoding="utf-8").splitlines()
            found[key] = lines[int(line) - 1]
    keys = {key for key in keys if not key.startswith("langid:")}
    for archive in sorted({key.split(":", 1)[0] for key in keys}):
        members = {key.split(":", 1)[1] for key in keys if key.startswith(archive + ":")}
        found |= {f"{archive}:{m}": raw for m, raw in pages(corpora / archive / "pages.tar.xz", members).items()}
    return found


def run_names(corpora: pathlib.Path, detector, found: dict) -> dict[str, dict]:
    """language -> the full names a run over that language's langid sentences (1,000 news and web
    sentences) and the labelled texts would give (FindCorpusNames), for `--run`."""
    from transforms.stories.names import FullNames, NameArticlesFn

    namer = NameArticlesFn()
    namer.setup()
    texts: dict[str, list[str]] = {}
    for page in found.values():
        text = page if isinstance(page, str) else html.extract_page(page).text[:EXCERPT]
        texts.setdefault(detector.detect(text), []).append(text)
    result = {}
    for language, own in texts.items():
        sentences = corpora / "langid" / "sentences" / f"{language}.txt"
        run = own + (sentences.read_text(encoding="utf-8").splitlines() if sentences.exists() else [])
        combine = FullNames()
        counts = combine.create_accumulator()
        for i, text in enumerate(run):
            article = Article(article_id=f"run:{i}", source="", title=None, published_date=None, date_source="",
                              language=language, text=text)
            counts = combine.add_input(counts, next(iter(namer.process(article))))
        result[language] = combine.extract_output(counts)
    return result


def score(analyse, detector, found: dict[str, bytes], files: dict[str, list[str]], names: dict | None = None) -> dict:
    right = wrong = labelled = hits = 0
    extras, missed = [], []
    for key, people in files.items():
        page = found[key]
        text = page if isinstance(page, str) else html.extract_page(page).text[:EXCERPT]
        language, language_score = detector.detect_scored(text)
        article = Article(article_id=key, source=key, title=None, published_date=None, date_source="",
                          language=language, text=text, language_score=language_score)
        rows = [t.value for t in analyse.process([article], (names or {}).get(article.language, {}))
                if isinstance(t.value, EntityMention) and t.value.label == "PERSON"]
        truth = [{surname(way) for way in person.split("|")} for person in people]
        keys = set().union(*truth) if truth else set()
        named = set()
        for row in rows:
            said = {surname(row.mention), surname(row.canonical)}
            if said & keys:
                right += 1
                named |= said & keys
            else:
                wrong += 1
                extras.append(row.mention)
        labelled += len(truth)
        hits += sum(1 for ways in truth if ways & named)
        missed += [person for person, ways in zip(people, truth, strict=True) if not ways & named]
    return {"articles": len(files), "people": labelled, "right": right, "wrong": wrong, "hits": hits,
            "extras": extras, "missed": missed}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--show", action="store_true", help="list every wrong row and every missed person")
    parser.add_argument("--run", action="store_true",
                        help="give each text the full names of a run over its language's langid sentences and "
                             "the labelled texts, as a pipeline run gives them (surnames alone take them)")
    parser.add_argument("--leave-out", action="append", default=[], metavar="PART",
                        help="leave a part out, so that a held-out part stays unseen while rules are tuned")
    args = parser.parse_args(argv)
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    labels = {part: languages for part, languages in labels.items() if part not in args.leave_out}
    found = load_pages(args.corpora, {key for split in labels.values() for files in split.values() for key in files})
    detector = DetectLanguageFn()
    detector.setup()
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    names = run_names(args.corpora, detector, found) if args.run else None
    print("People in other languages (evals/labels/persons_multilingual.toml; first 1,500 characters)")
    print(f"{'part':<12} {'language':<9} {'articles':>8} {'people':>7} {'precision':>9} {'recall':>7}  wrong rows")
    totals: dict[str, dict] = {}
    for split, languages in labels.items():
        for language, files in languages.items():
            s = score(analyse, detector, found, files, names)
            line(split, language, s, args.show)
            total = totals.setdefault(language, dict.fromkeys(("articles", "people", "right", "wrong", "hits"), 0))
            for field in total:
                total[field] += s[field]
    for language, total in sorted(totals.items()):
        line("all", language, total | {"extras": [], "missed": []}, False)


def line(split: str, language: str, s: dict, show: bool) -> None:
    rows = s["right"] + s["wrong"]
    precision = f"{s['right'] / rows:.2f}" if rows else "-"  # no PERSON row, no precision
    recall = f"{s['hits'] / s['people']:.2f}" if s["people"] else "-"
    shown = s["extras"] if show else s["extras"][:6]
    print(f"{split:<12} {language:<9} {s['articles']:>8} {s['people']:>7} {precision:>9} {recall:>7}  {shown}")
    if show and s["missed"]:
        print(f"{'':<15} missed: {s['missed']}")


if __name__ == "__main__":
    main()
