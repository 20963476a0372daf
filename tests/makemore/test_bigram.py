from __future__ import annotations

import math

import pytest
import torch

from zero_to_hero.makemore import BigramCounts, Vocabulary


@pytest.fixture(scope="module")
def model(names):
    return BigramCounts.fit(names, Vocabulary.from_words(names))


def test_counts(model):
    N, stoi = model.counts, model.vocab.stoi
    assert N.dtype == torch.int32
    assert int(N.sum()) == 228_146
    assert int((N == 0).sum()) == 102
    assert int(N[stoi["n"], 0]) == 6763
    assert int(N[0, stoi["a"]]) == 4410
    assert int(N[stoi["a"], stoi["n"]]) == 5438


def test_rows_are_distributions(model):
    P = model.probs()
    assert torch.allclose(P.sum(1), torch.ones(27))
    assert (P > 0).all()
    assert (model.probs(smoothing=0) == 0).sum() == 102


def test_average_nll(model, names):
    # The exact (float64) values; the lecture's float32 running sum drifts to 2.45409 / 2.45436.
    assert model.nll(names, smoothing=0) == pytest.approx(2.4540145, abs=1e-6)
    assert model.nll(names) == pytest.approx(2.4545768, abs=1e-6)
    assert math.isinf(model.nll(["andrejq"], smoothing=0))
    assert model.nll(["andrejq"]) == pytest.approx(3.4834, abs=1e-4)


def test_shape_is_checked():
    with pytest.raises(ValueError, match="27x27"):
        BigramCounts(torch.zeros(3, 3), Vocabulary.from_words("abcdefghijklmnopqrstuvwxyz"))
