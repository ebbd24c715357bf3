"""Language evaluation: the language stage's answers on sentences of known language.

Texts are built from ../shared/corpora/langid (1,000 sentences per language, Leipzig Wortschatz):
article-sized texts (sentences joined up to the stage's prefix of PREFIX_CHARS) and single sentences
(headline- or summary-sized). Only languages langdetect knows are scored. Prints accuracy per text
size for langdetect's default of 7 random trials and for fewer, with the cost per text, so that the
stage's `n_trial` is chosen on figures.

    python -m evals.language_eval ../shared/corpora [--per-language 100] [--trials 7 3 2]
"""

from __future__ import annotations

import argparse
import pathlib
import random
import time
from collections import Counter

from transforms.text.language import PREFIX_CHARS, DetectLanguageFn


def texts(sentences: list[str], rng: random.Random, count: int) -> tuple[list[str], list[str]]:
    """(article-sized texts, single sentences), `count` of each."""
    long_texts = []
    for _ in range(count):
        picked, length = [], 0
        while length < PREFIX_CHARS:
            sentence = rng.choice(sentences)
            picked.append(sentence)
            length += len(sentence) + 1
        long_texts.append(" ".join(picked))
    return long_texts, rng.sample(sentences, min(count, len(sentences)))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--per-language", type=int, default=100, help="texts of each size per language")
    parser.add_argument("--trials", type=int, nargs="+", default=[7, 3])
    args = parser.parse_args(argv)
    from langdetect.detector_factory import PROFILES_DIRECTORY

    known = {p.name for p in pathlib.Path(PROFILES_DIRECTORY).iterdir()}
    folder = args.corpora / "langid" / "sentences"
    sets = {"article (prefix)": [], "sentence": []}
    for path in sorted(folder.glob("*.txt")):
        language = path.stem
        if language not in known:
            continue
        sentences = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        long_texts, short_texts = texts(sentences, random.Random(language), args.per_language)
        sets["article (prefix)"] += [(language, t) for t in long_texts]
        sets["sentence"] += [(language, t) for t in short_texts]
    languages = len({language for language, _ in sets["sentence"]})
    print(f"language evaluation: {languages} languages langdetect knows, {args.per_language} texts of each "
          f"size per language; the stage reads the first {PREFIX_CHARS} characters")
    print(f"{'texts':<18} {'n_trial':>7} {'accuracy':>8} {'ms/text':>8}  most frequent errors")
    for name, labelled in sets.items():
        for trials in args.trials:
            fn = DetectLanguageFn(n_trial=trials)
            fn.setup()
            started = time.perf_counter()
            answers = [fn.detect(text) for _, text in labelled]
            ms = 1000 * (time.perf_counter() - started) / len(labelled)
            errors = Counter((truth, answer) for (truth, _), answer in zip(labelled, answers, strict=True)
                             if truth != answer)
            accuracy = 1 - sum(errors.values()) / len(labelled)
            common = ", ".join(f"{truth}->{answer}:{n}" for (truth, answer), n in errors.most_common(4))
            print(f"{name:<18} {trials:>7} {accuracy:>8.3f} {ms:>8.2f}  {common}")


if __name__ == "__main__":
    main()
