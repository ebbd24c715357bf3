"""Cost and memory of articles in other languages beside English ones.

    python -m bench.languages_bench CORPORA [--english 300] [--per-language 300] [--languages de fr es]

Runs `newsbeam run --workers 1` (a child process each, as bench/scale_bench.py) on BBC articles
alone, then with as many BBC articles again as the first other language has pages (the control),
then with German, French and Spanish web pages added, one language at a time and all together (the
text trafilatura extracts from trafilatura-eval and htmldate-eval pages, written as .txt files;
their language is detected as in any run). A language with a spaCy model (French) loads it in the
worker when its first article arrives; the others load the name finder's given names
(gender-guesser) instead. Prints docs/s, peak RSS of the run's process and the articles per
detected language.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import shutil
import tempfile

from bench.scale_bench import run
from evals.web_benchmarks import pages
from schemas import catalog
from transforms.text import html
from transforms.text.language import DetectLanguageFn

LANGUAGES = ("de", "fr", "es")


def web_texts(corpora: pathlib.Path, wanted: tuple[str, ...], per_language: int) -> dict[str, list[str]]:
    """Up to `per_language` extracted page texts (800+ characters) per detected language."""
    detector = DetectLanguageFn()
    detector.setup()
    found: dict[str, list[str]] = collections.defaultdict(list)
    for archive in ("trafilatura-eval", "htmldate-eval"):
        for _name, raw in sorted(pages(corpora / archive / "pages.tar.xz").items()):
            try:
                text = html.extract_page(raw).text
            except Exception:  # noqa: BLE001 - a page the extractor cannot read is left out of the bench
                continue
            language = detector.detect(text[:3000]) if len(text) >= 800 else None
            if language in wanted and len(found[language]) < per_language and text not in found[language]:
                found[language].append(text)
            if all(len(found[language]) >= per_language for language in wanted):
                return found
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--english", type=int, default=300, help="BBC articles in every run")
    parser.add_argument("--per-language", type=int, default=300, help="web pages per other language, at most")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), metavar="LANG",
                        help=f"the other languages (default: {' '.join(LANGUAGES)})")
    args = parser.parse_args(argv)
    others = tuple(args.languages)
    texts = web_texts(args.corpora, others, args.per_language)
    # "en + en" is the control for "en + <first language>": as many articles, all English
    mixes = [("en", ()), ("en + en", ("en",)), *((f"en + {language}", (language,)) for language in others)]
    if len(others) > 1:
        mixes.append((" + ".join(("en", *others)), others))
    print(f"articles in other languages beside {args.english} BBC articles; one worker, start-up included")
    print(f"{'run':<20} {'docs':>5} {'docs/s':>7} {'peak RSS':>9}  articles by detected language")
    bbc = sorted((args.corpora / "bbc").glob("*/*.txt"))
    with tempfile.TemporaryDirectory() as temporary:
        root = pathlib.Path(temporary)
        for label, languages in mixes:
            folder = root / label.replace(" + ", "_")
            folder.mkdir()
            extra = len(texts[others[0]]) if "en" in languages else 0
            for path in bbc[:args.english] + (bbc[-extra:] if extra else []):
                shutil.copy(path, folder / f"en_{path.parent.name}_{path.name}")
            for language in (language for language in languages if language != "en"):
                for n, text in enumerate(texts[language]):
                    (folder / f"{language}_{n:04d}.txt").write_text(text, encoding="utf-8")
            docs = len(list(folder.iterdir()))
            output = root / f"{folder.name}_out"
            done = run(folder, output, ["--workers", "1"])
            counts = catalog.connect(str(output)).sql(
                "SELECT coalesce(language, '?'), count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC, 1").fetchall()
            shown = ", ".join(f"{language} {n}" for language, n in counts[:5])
            print(f"{label:<20} {docs:>5} {docs / done.seconds:>7.1f} {done.peaks.command_mb() or 0:>6.0f} MB  {shown}",
                  flush=True)


if __name__ == "__main__":
    main()
