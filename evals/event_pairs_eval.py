"""One event, one id: pairs of event mentions labelled same or different, scored by the pipeline's `event_id`.

    python -m evals.event_pairs_eval CORPORA [--pairs FILE] [--show N]

Each pair names two sentences of labelled articles (keys as in evals/labels/status_*.toml: BBC files,
zyte-extraction bodies, feeds-real items, ARCHIVE:MEMBER pages). Every article goes through the
pipeline's clean and analyse stages (their DoFns, outside Beam, as evals/status_eval.py does), then
through the run-wide reconciliation of event ids (transforms/events/reconcile.py). A sentence takes the event_id
of the status row found for it, else of its event mention (a sentence whose status the rules miss still names its
event; `--statuses-only` reads status rows alone); where the sentence gives several events, the row of the event
type its status label names (read from every status label file), else of that type's family. Two sentences are
predicted the same event when both have an id and the ids are equal.

Printed: pairwise precision and recall over all pairs, the same over the pairs whose both sentences have a
status row and over the others, the pairs with a sentence that has no row at all (no event mention either: the
event words or the sentence splitting missed it), and the pairs' sources.

Scores (precision / recall; all pairs, then pairs whose both sentences have a status row), issue 33:
  event_pairs_test (72 pairs, 7 sources): before 0.86 / 0.16, 0.86 / 0.29 (42 pairs) -> after
  transforms/events/identity.py 0.74 / 0.46, 0.74 / 0.81. DEV (event_pairs_dev, 86 pairs, BBC politics and
  business, zyte dev): before 0.33 / 0.17 -> after 0.33 / 0.35. Pairs whose sentence has no row wait on
  the status rules' recall; most wrong joins are two events of one article that name no place or leader.
  Eleventh session: dev grew to 170 pairs (the Lee corpus, BBC across articles), 0.43 / 0.35 -> 0.73 / 0.37
  (definite and indefinite mentions, participants, peoples and capitals); test, scored once at the end,
  0.65 / 0.30 against 0.76 / 0.51 at the session's start, so that grouping was reverted (8b1a092; the
  places data kept): dev 0.50 / 0.49, test 0.73 / 0.43 (the rest is the session's other changes to the
  rows, status rules and places: 40 test pairs with a row in both sentences, 42 before). Stories: the eval
  runs the pipeline's first read over its articles (`--no-stories`: each article its own story, as before).
  Twelfth session: the stories stage's bar for undated articles 0.8 -> 0.7 (every dev article is undated, so
  reports of one meeting or talks in two articles fell in two stories): dev 0.50 / 0.49 -> 0.54 / 0.65, test
  0.67 / 0.43 -> 0.67 / 0.43 (both at a2c22a8; 30 test pairs have a sentence with no status row).
  Thirteenth session: a sentence with no status row takes the id of its event mention (event_mentions), and
  mentions of one article naming different times are two events (transforms/events/times.py): dev 0.54 / 0.65
  -> 0.61 / 0.77, test 0.67 / 0.43 -> 0.72 / 0.70 (87126a6 -> 97507f6; `--statuses-only` at the end 0.67 / 0.43).
  Fourteenth session: an article's lead that names no place or leader keeps its type's unnamed mentions, and an
  unnamed mention takes the placed event its sentence names by the same body of states: dev 0.61 / 0.77 ->
  0.66 / 0.77, test 0.72 / 0.70 -> 0.71 / 0.68 (one same pair lost; `--statuses-only` 0.65 / 0.41).
  Fifteenth session: ids reconciled over the run (transforms/events/reconcile.py) and an article's events at two
  places of one country kept apart: dev 0.66 / 0.77 -> 0.68 / 0.84; test 0.71 / 0.68 unchanged; a fresh test set,
  event_pairs_test2.toml (66 pairs, five sources neither set used), 0.56 / 0.22 at the start and at the end.
  Fifteenth session, helper: event types read from every status label file; unplaced events reconciled by the
  people they are between; kinds of event sentence with no row; a plan beside a meeting dated last week; the
  time of a "when" clause (docs/quality.md): dev 0.68 / 0.84 -> 0.69 / 0.84; test 0.71 / 0.68 and test2 0.56 /
  0.22 at the end, unchanged; 16 of test2's 66 pairs (8 of test's 72) have a sentence with no row at all.
  Sixteenth session, helper: event_pairs_dev2.toml (70 pairs of test2's kind from other documents: speeches,
  Wikipedia, debates, editorials); places in an event's name, a visit's destination, mentions that point back or
  call themselves another, talks told apart by their named subject: dev 0.68 / 0.84 unchanged, dev2 0.33 / 0.08 ->
  0.82 / 0.36, test 0.71 / 0.68 unchanged, test2 0.56 / 0.22 -> 0.62 / 0.22 (docs/quality.md).
  Seventeenth session, helper: talks told by what a common noun says they are about, joined across stories by that
  topic; an address's unnamed mentions none of its many events; a visit joined across stories only where both say
  whose: dev 0.69 / 0.84 -> 0.71 / 0.84, dev2 0.82 / 0.36 -> 1.00 / 0.52, test 0.71 / 0.68 -> 0.73 / 0.65, test2
  0.62 / 0.22 unchanged (docs/quality.md).
  Eighteenth session, helper: an unnamed mention in an article that names two events of its family is the one named
  just before it: dev 0.69 / 0.84 -> 0.71 / 0.84, dev2 1.00 / 0.52 -> 1.00 / 0.56, test 0.73 / 0.65 and test2 0.67 /
  0.26 unchanged (docs/quality.md).
  Nineteenth session, helper: a run of proper nouns is one name ("the North American Summit"); an event that could be
  several at its place is the one sharing the most names; bodies of states compared as bodies under one name; a name
  of names joined by a dash; a dated unplaced event between people joins the one placed event between them: dev 0.71 /
  0.84 -> 0.72 / 0.91, dev2 1.00 / 0.56 -> 1.00 / 0.60, test 0.73 / 0.65 and test2 0.67 / 0.26 unchanged
  (docs/quality.md).
  Twentieth session, helper: pairs in other languages, event_pairs_languages_dev.toml (24 pairs: German and Spanish
  pages of trafilatura-eval's archive) and event_pairs_languages_test.toml (36 pairs: German, French, Spanish and
  Italian pages of htmldate-eval's archive), labelled before any change; in those languages a sentence naming an event
  with no status is an event mention, its leaders are those the article titles, and "otras reuniones" is another
  event (transforms/events/keywords.py): languages dev 1.00 / 0.10 -> 0.62 / 1.00, languages test 0.75 / 0.14 -> 0.82
  / 0.67 (scored at the start and once at the end); the English sets unchanged.
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import tomllib

from evals.multilingual_eval import load_pages
from evals.status_eval import PAGE_ARCHIVES, REFERENCE, clean, load_text
from schemas.records import EventMention, StatusMention, analysed_text
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.model import DEFAULT_MODEL
from transforms.text.clean import CleanDocumentFn
from transforms.text.language import DetectLanguageFn

LABELS = pathlib.Path(__file__).resolve().parent / "labels"
PAIRS = LABELS / "event_pairs_test.toml"
REPORTS = "status_*.toml"  # every status label file: where sentences' event types are read


def source(key: str) -> str:
    """The outlet a key comes from: bbc/SECTION, or the corpus."""
    return "/".join(key.split("/")[:2]) if key.startswith("bbc/") else key.split(":", 1)[0].split("/")[0]


def _flat(sentence: str) -> str:
    return " ".join(sentence.split()).lower()


def same_sentence(found: str, labelled: str) -> bool:
    """A row's sentence is the labelled one: one holds the other's start (the pipeline may join a headline
    to the next line)."""
    found, labelled = _flat(found), _flat(labelled)
    return labelled[:50] in found or found[:50] in labelled


def labelled_events() -> dict[tuple[str, str], str]:
    """(article key, flat sentence) -> the event type its status label names."""
    events = {}
    for path in sorted(LABELS.glob(REPORTS)):
        for key, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            for _status, event, sentence in entry.get("reports", []):
                events[(key, _flat(sentence))] = event
    return events


def story_ids(texts: dict[str, str]) -> dict[str, str]:
    """Article key -> its story, as the pipeline's first read gives it in a run over these articles alone
    (dedup and stories, evals/story_eval.py): meetings, talks and visits are one event per anchor within a story."""
    from evals.story_eval import stories
    from schemas.records import Document

    copies, linked = stories([Document(article_id=key, source=key, text=text) for key, text in sorted(texts.items())])
    return {key: linked.get(key, copies.get(key, key)) for key in texts}


def analysed_rows(corpora: pathlib.Path, keys: set[str],
                  with_stories: bool = True) -> dict[str, list[StatusMention | EventMention]]:
    """Article key -> its status rows and event rows, as the pipeline's clean and analyse stages give them (with
    the story ids of a run over these articles, unless `with_stories` is off: then each article is its own story)."""
    cleaner = CleanDocumentFn(REFERENCE)
    cleaner.setup()
    detector = DetectLanguageFn()
    detector.setup()
    pages = load_pages(corpora, {key for key in keys if key.startswith(PAGE_ARCHIVES)})
    elsewhere = {key: f"htmldate-eval:{key.split(':', 1)[1]}" for key in keys
                 if key.startswith("trafilatura-eval:") and key not in pages}
    moved = load_pages(corpora, set(elsewhere.values()))
    pages |= {key: moved[other] for key, other in elsewhere.items() if other in moved}
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    texts = {key: load_text(corpora, key, pages) for key in sorted(keys)}
    story = story_ids(texts) if with_stories else {}
    rows = {}
    for key in sorted(keys):
        article = dataclasses.replace(clean(cleaner, key, texts[key]), story_id=story.get(key))
        if key in pages:
            article = dataclasses.replace(article, language=detector.detect(analysed_text(article)))
        rows[key] = [tagged.value for tagged in analyse.process([article], {})
                     if isinstance(tagged.value, StatusMention | EventMention) and tagged.value.article_id == key]
    return rows


def resolve(rows: dict[str, list[StatusMention]]) -> dict[str, list[StatusMention]]:
    """The run-wide identity step over every article's rows, when the pipeline has one."""
    from transforms.events.reconcile import resolve_ids

    return resolve_ids(rows)


def sentence_id(rows: list, sentence: str, event: str | None, mentions: bool = True) -> tuple[bool, str | None]:
    """(a status row was found, the event_id) for a labelled sentence: its status row's, else, with `mentions`, its
    event mention's (a sentence whose status the rules miss still names its event, and an analyst follows the
    event's coverage by its id). Where the sentence gives several events, the row of the labelled event type, else
    of its family (a "meeting" labelled, a summit found: the pipeline's type for a meeting of leaders)."""
    found = [row for row in rows if isinstance(row, StatusMention) and same_sentence(row.sentence, sentence)]
    named = [row for row in rows if isinstance(row, EventMention) and same_sentence(row.sentence, sentence)]
    chosen = found or (named if mentions else [])
    if not chosen:
        return False, None
    kinds = _families()
    typed = [row for row in chosen if row.event == event]
    kin = [row for row in chosen if event and kinds.get(row.event, row.event) == kinds.get(event, event)]
    return bool(found), (typed or kin or chosen)[0].event_id


def _families() -> dict[str, str]:
    from transforms.events.identity import families
    from transforms.events.lexicon import lexicon

    return families(lexicon())


def score(pairs: list[dict], rows: dict[str, list], show: int = 0, mentions: bool = True) -> None:
    events = labelled_events()
    outcomes = []  # (same, predicted same, both have a status row, pair, both have a row)
    for pair in pairs:
        found_a, id_a = sentence_id(rows[pair["a_key"]], pair["a_sentence"],
                                    events.get((pair["a_key"], _flat(pair["a_sentence"]))), mentions)
        found_b, id_b = sentence_id(rows[pair["b_key"]], pair["b_sentence"],
                                    events.get((pair["b_key"], _flat(pair["b_sentence"]))), mentions)
        named = all(sentence_id(rows[pair[f"{s}_key"]], pair[f"{s}_sentence"], None)[1] for s in "ab")
        outcomes.append((pair["same"], id_a is not None and id_a == id_b, found_a and found_b, pair, named))

    def line(name: str, chosen: list) -> None:
        same = sum(o[0] for o in chosen)
        predicted = sum(o[1] for o in chosen)
        hits = sum(o[0] and o[1] for o in chosen)
        print(f"{name:<28} {len(chosen):>5} {same:>5} {predicted:>9} {hits / max(predicted, 1):>9.2f}"
              f" {hits / max(same, 1):>7.2f}")

    print(f"{'pairs':<28} {'n':>5} {'same':>5} {'predicted':>9} {'precision':>9} {'recall':>7}")
    line("all", outcomes)
    line("both have a status row", [o for o in outcomes if o[2]])
    line("a sentence without one", [o for o in outcomes if not o[2]])
    line("a sentence with no row at all", [o for o in outcomes if not o[4]])
    sources = sorted({source(o[3][k]) for o in outcomes for k in ("a_key", "b_key")})
    print(f"sources ({len(sources)}): {', '.join(sources)}")
    if show:
        wrong = [o for o in outcomes if o[0] != o[1]]
        for same, _predicted, both, pair, _named in wrong[:show]:
            kind = "missed" if same else "joined"
            print(f"{kind} (status rows: {both}): {pair['a_key']} | {pair['a_sentence'][:90]}\n"
                  f"    {pair['b_key']} | {pair['b_sentence'][:90]}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=pathlib.Path)
    parser.add_argument("--pairs", type=pathlib.Path, default=PAIRS)
    parser.add_argument("--show", type=int, default=0, help="print N pairs scored wrong")
    parser.add_argument("--no-stories", dest="stories", action="store_false",
                        help="each article its own story (the scores before the eval ran the stories stage)")
    parser.add_argument("--statuses-only", dest="mentions", action="store_false",
                        help="a sentence's id from its status row only (the scores before event_mentions)")
    args = parser.parse_args(argv)
    pairs = tomllib.loads(args.pairs.read_text(encoding="utf-8"))["pair"]
    rows = resolve(analysed_rows(args.corpora, {p[k] for p in pairs for k in ("a_key", "b_key")}, args.stories))
    print(f"Event pairs ({args.pairs.name}): {len(pairs)}")
    score(pairs, rows, args.show, args.mentions)


if __name__ == "__main__":
    main()
