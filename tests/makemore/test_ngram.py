from __future__ import annotations

import math

import pytest
import torch

from zero_to_hero.makemore import NgramCounts, Vocabulary


@pytest.fixture(scope="module")
def model(names):
    return NgramCounts.fit(names, Vocabulary.from_words(names))


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


def test_shape_and_order_are_checked():
    vocab = Vocabulary.from_words("abcdefghijklmnopqrstuvwxyz")
    with pytest.raises(ValueError, match="every dimension 27"):
        NgramCounts(torch.zeros(3, 3), vocab)
    with pytest.raises(ValueError, match="at least 2"):
        NgramCounts.fit(["emma"], vocab, order=1)


def test_trigram_counts_on_emma():
    vocab = Vocabulary.from_words("abcdefghijklmnopqrstuvwxyz")
    model = NgramCounts.fit(["emma"], vocab, order=3)
    assert model.counts.shape == (27, 27, 27) and model.order == 3
    # ..e, .em, emm, mma, ma.
    nonzero = {tuple(ix) for ix in model.counts.nonzero().tolist()}
    assert nonzero == {(0, 0, 5), (0, 5, 13), (5, 13, 13), (13, 13, 1), (13, 1, 0)}
    P = model.probs()
    assert torch.allclose(P.sum(-1), torch.ones(27, 27))


def test_trigram_beats_bigram_on_training_data(names):
    vocab = Vocabulary.from_words(names)
    bigram = NgramCounts.fit(names, vocab)
    trigram = NgramCounts.fit(names, vocab, order=3)
    assert trigram.nll(names, smoothing=0.1) < bigram.nll(names) - 0.2
