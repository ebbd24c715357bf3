"""The status model's trainer fits to the loss's optimum: where it stops is the data's choice, not the step count's."""

import functools
import random

import numpy as np

from evals import status_train
from evals.status_train import active, fit, loss, minimise, vocabulary_of
from transforms.events.status_model import CLASSES


def mentions(count: int = 300, seed: int = 7) -> list[dict]:
    """Mentions whose targets follow their features noisily, with features that separate some classes perfectly (the
    case where a fixed-rate descent swings: a weight that only the penalty holds back)."""
    chosen = random.Random(seed)
    found = []
    for _ in range(count):
        target = chosen.choice(CLASSES)
        names = [f"rule={target if chosen.random() < 0.7 else chosen.choice(CLASSES)}", f"length={chosen.randrange(4)}"]
        names += [f"w={chosen.randrange(40)}" for _ in range(8)]
        if target == "planned" and chosen.random() < 0.3:
            names.append("aux=will")  # only ever planned
        found.append({"features": names, "target": target})
    return found


def objective(found: list[dict], l2: float):
    vocabulary = vocabulary_of(found)
    rows, columns = active(found, {name: i for i, name in enumerate(vocabulary)})
    truth = np.zeros((len(found), len(CLASSES)))
    truth[np.arange(len(found)), [CLASSES.index(m["target"]) for m in found]] = 1.0
    return functools.partial(loss, rows, columns, truth, len(vocabulary), l2), (len(vocabulary) + 1) * len(CLASSES)


def test_the_loss_gradient_is_the_loss_s_slope():
    function, size = objective(mentions(60), 3.0)
    point = np.random.default_rng(0).normal(0, 0.3, size)
    direction = np.random.default_rng(1).normal(0, 1, size)
    slope = function(point)[1] @ direction
    step = 1e-6
    numeric = (function(point + step * direction)[0] - function(point - step * direction)[0]) / (2 * step)
    assert abs(slope - numeric) < 1e-6 * max(1.0, abs(slope))


def test_the_loss_falls_at_every_iteration_to_a_flat_gradient():
    function, size = objective(mentions(), 3.0)
    found, values = minimise(function, np.zeros(size))
    assert all(later < earlier for earlier, later in zip(values, values[1:], strict=False))
    assert values[-1] < values[0]
    assert np.abs(function(found)[1]).max() <= status_train.TOLERANCE


def test_more_iterations_do_not_change_the_model(monkeypatch):
    found = mentions()
    first = fit(found, 10.0)
    monkeypatch.setattr(status_train, "TOLERANCE", status_train.TOLERANCE / 100)
    tighter = fit(found, 10.0)
    assert np.abs(first.weights - tighter.weights).max() < 1e-3
    assert all(first.status(m["features"], None) == tighter.status(m["features"], None) for m in found)


def test_the_same_mentions_give_the_same_model():
    assert fit(mentions(), 6.0).weights.tobytes() == fit(mentions(), 6.0).weights.tobytes()


def test_a_tolerance_the_arithmetic_cannot_reach_stops_at_the_optimum():
    function, size = objective(mentions(), 3.0)
    found, values = minimise(function, np.zeros(size), 0.0, 5000)
    assert len(values) < 2000
    assert np.abs(function(found)[1]).max() <= status_train.TOLERANCE
