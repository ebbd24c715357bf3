"""A trained second opinion on the status rules: whether an event mention reports it held, planned or nothing.

The rules (transforms/events/grammar.py) read a status from the parse; on coverage they were not written from
they say held or planned where a sentence reports nothing (a web site's visits, a blog's "when we first met")
and miss reports they have no rule for. A multinomial logistic regression over what the parse says around the
mention (the rules' own decision, the tense, aspect and auxiliaries of the verb that governs the event, how the
event hangs from it, the words beside it, negation, modals, questions, the first person) gives each of
`CLASSES` a probability, and replaces the rules' decision only where it is sure enough of another: a report the
rules made is dropped at `drop`, a mention they left is reported at `add`, held and planned are swapped at `swap`
(stored with the model, chosen by cross-validation that leaves one dev source out).
Status words that change an event (postponed, cancelled, fast-tracked) stay the rules'.

The model is data/status_model.npz, trained on the dev labels only by `make status-model`
(evals/status_train.py); it is read once per worker process. Without the file the rules decide alone.
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile

from transforms.common import DATA_ENV, data_dirs
from transforms.events.page import who

MODEL = "status_model.npz"
CLASSES = ("none", "held", "planned")  # what the model decides; other statuses come from status words
WINDOW = 3  # words either side of the event word
FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "i've", "we've", "i'm", "we're"})
QUOTES = "\"“”"
CLOSING = " \"'”’"
YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
WORD = re.compile(r"[a-z][a-z'-]+")


def sentence_words(sentence: str) -> list[str]:
    """The sentence's words as features: what it is about (a web site's visits, a match, a speech)."""
    return [f"w={word}" for word in sorted(set(WORD.findall(sentence.lower())))]


def features(finder, sent, event, kind: str, rule: str | None, hedged: bool, page=None) -> list[str]:
    """The names of a mention's binary features: the rules' decision, the grammar of the event and its
    governing verb, the words around it, cues of the sentence, who the event is between and what kind of page it is on
    (transforms/events/page.py). `finder`: the StatusFinder that read it; `page`: a Page, or None."""
    words = finder.lexicon.tense
    decision = rule or "none"
    names = [f"rule={decision}", f"rule_hedged={decision}:{hedged}", f"kind={kind}", f"kind_rule={kind}:{decision}",
             f"word={event.lower_}", f"tag={event.tag_}", f"dep={event.dep_}", f"word_rule={event.lower_}:{decision}"]
    relation, verb = finder.governor(event)
    names.append(f"relation={relation}")
    if verb is None:
        names.append("verb=none")
    else:
        auxiliaries = sorted({c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")})
        names += [f"verb={verb.lemma_.lower()}", f"verb_tag={verb.tag_}", f"verb_dep={verb.dep_}",
                  f"verb_tag_rule={verb.tag_}:{decision}", f"relation_tag={relation}:{verb.tag_}",
                  f"head={verb.head.lemma_.lower()}" if verb.head.i != verb.i else "head=root"]
        names += [f"aux={a}" for a in auxiliaries] or ["aux=none"]
        names += [f"aux_tag={a}:{verb.tag_}" for a in auxiliaries]
        children = {c.lower_ for c in verb.children}
        names.append(f"verb_neg={bool(children & finder.lexicon.negations)}")
        names += [f"verb_mark={c.lower_}" for c in verb.children if c.dep_ in ("mark", "advmod")]
        subtree = {t.lower_ for t in verb.subtree}
        names += [f"ahead={bool(subtree & words.future_words)}", f"habit={bool(subtree & words.habits)}",
                  f"wish={verb.lemma_.lower() in words.wishes or verb.head.lower_ in words.wishes}"]
    modifiers = {c.lower_ for c in event.children if c.dep_ in ("amod", "compound", "nmod", "det", "poss", "nummod")}
    names += [f"modifier={m}" for m in sorted(modifiers)]
    names += [f"future_modifier={bool(modifiers & words.future_modifiers)}",
              f"past_modifier={bool(modifiers & words.past_modifiers)}"]
    tokens = [t for t in sent if not t.is_punct and not t.is_space]
    at = next((n for n, t in enumerate(tokens) if t.i == event.i), 0)
    names += [f"before={t.lower_}" for t in tokens[max(at - WINDOW, 0):at]]
    names += [f"after={t.lower_}" for t in tokens[at + 1:at + 1 + WINDOW]]
    names.append(f"bigram={tokens[at - 1].lower_ if at else '^'}_{event.lower_}")
    lowered = {t.lower_ for t in sent}
    tags = {t.tag_ for t in sent}
    text = sent.text.strip()
    ending = text.rstrip(CLOSING)
    names += [f"question={ending.endswith('?')}", f"first_person={bool(lowered & FIRST_PERSON)}",
              f"you={'you' in lowered}", f"quoted={any(q in text for q in QUOTES)}",
              f"headline={not ending.endswith(('.', '!', '?'))}",
              f"sentence_modal={'MD' in tags}", f"sentence_past={'VBD' in tags}",
              f"sentence_negation={bool(lowered & finder.lexicon.negations)}",
              f"sentence_future={bool(lowered & words.future_words)}", f"year={bool(YEAR.search(text))}",
              f"places={len([e for e in sent.ents if e.label_ in ('GPE', 'LOC', 'FAC')]) > 0}",
              f"persons={len([e for e in sent.ents if e.label_ == 'PERSON']) > 0}",
              f"length={min(len(tokens) // 10, 4)}"]
    names += who(finder.participant_words(event), sent.ents, decision, page)
    names += page.features(decision) if page is not None else []
    return names + sentence_words(text)


class StatusModel:
    """Weights (features x classes), a bias per class and how sure the model must be to replace the rules'
    decision: `thresholds` (drop, add, swap), 1.01 for never. Loaded from data/status_model.npz (vocabulary,
    weights, bias, classes, thresholds)."""

    def __init__(self, vocabulary: list[str], weights, bias, classes: list[str], thresholds):
        import numpy as np

        self.index = {name: i for i, name in enumerate(vocabulary)}
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.classes = list(classes)
        self.drop, self.add, self.swap = (float(t) for t in thresholds)

    @classmethod
    def load(cls, path) -> StatusModel:
        import numpy as np

        with np.load(path, allow_pickle=False) as saved:
            return cls([str(n) for n in saved["vocabulary"]], saved["weights"].astype(np.float32), saved["bias"],
                       [str(c) for c in saved["classes"]], saved["thresholds"].tolist())

    def save(self, path) -> None:
        """An .npz whose bytes depend on the model alone (numpy's own writer stamps each member with the time)."""
        import numpy as np

        arrays = {"vocabulary": np.array(sorted(self.index, key=self.index.get)),
                  "weights": self.weights.astype(np.float16), "bias": self.bias.astype(np.float32),
                  "classes": np.array(self.classes),
                  "thresholds": np.array([self.drop, self.add, self.swap])}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue(),
                                 compress_type=zipfile.ZIP_DEFLATED)

    def probabilities(self, names: list[str]) -> dict[str, float]:
        import numpy as np

        scores = self.bias.astype(np.float64).copy()
        for i in {self.index[n] for n in names if n in self.index}:
            scores += self.weights[i]
        scores = np.exp(scores - scores.max())
        return dict(zip(self.classes, (scores / scores.sum()).tolist(), strict=True))

    def status(self, names: list[str], rule: str | None) -> str | None:
        """The rules' status (None, held or planned), or another where the model is sure enough of it."""
        return choose(self.probabilities(names), rule, (self.drop, self.add, self.swap))


def choose(probabilities: dict[str, float], rule: str | None, thresholds) -> str | None:
    """The rules' status (None, held or planned), or the one the model is sure enough of: (drop, add, swap)."""
    drop, add, swap = thresholds
    if rule is None:
        best = max(("held", "planned"), key=probabilities.get)
        return best if probabilities[best] >= add else None
    if probabilities["none"] >= drop:
        return None
    other = "planned" if rule == "held" else "held"
    return other if probabilities[other] >= swap else rule


def model_path():
    """The status model's file in the data folders (the user's first), or None when there is none."""
    return next((folder.joinpath(MODEL) for folder in data_dirs() if folder.joinpath(MODEL).is_file()), None)


def status_model() -> StatusModel | None:
    """The data folder's status model, read once per process and data folder; None without one."""
    return _loaded(os.environ.get(DATA_ENV))


@functools.cache
def _loaded(user: str | None) -> StatusModel | None:
    path = model_path()
    return StatusModel.load(path) if path is not None else None
