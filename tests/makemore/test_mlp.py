from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from zero_to_hero.makemore import MLPLanguageModel, Vocabulary, build_dataset, step_decay, train


def test_parameter_counts():
    assert sum(p.nelement() for p in MLPLanguageModel(27).parameters()) == 11_897
    small = MLPLanguageModel(27, block_size=3, n_embd=2, n_hidden=100)
    assert sum(p.nelement() for p in small.parameters()) == 3_481


def test_lecture_initial_loss(names):
    # Lecture 3: the 3,481-parameter net, seed 2147483647, on the first 5 words' 32 examples.
    vocab = Vocabulary.from_words(names)
    X, Y = build_dataset(names[:5], 3, vocab)
    model = MLPLanguageModel(27, 3, n_embd=2, n_hidden=100)
    assert X.shape == (32, 3)
    assert F.cross_entropy(model(X), Y).item() == pytest.approx(17.769710540771484, rel=1e-5)


def test_logits_shape_and_next_probs():
    model = MLPLanguageModel(5, block_size=4, n_embd=3, n_hidden=7)
    assert model(torch.zeros((6, 4), dtype=torch.long)).shape == (6, 5)
    p = model.next_probs([0, 0, 1, 2])
    assert p.shape == (5,) and p.sum().item() == pytest.approx(1.0)


def test_training_lowers_the_loss_and_is_reproducible():
    vocab = Vocabulary.from_words(["emma", "olivia", "ava"])
    X, Y = build_dataset(["emma", "olivia", "ava"], 3, vocab)

    def run():
        model = MLPLanguageModel(len(vocab), n_embd=4, n_hidden=16)
        return train(model, X, Y, 300, batch_size=8, generator=torch.Generator().manual_seed(3))

    first, second = run(), run()
    assert first == second
    assert sum(first[-20:]) / 20 < 0.5 * sum(first[:20]) / 20


def test_step_decay():
    schedule = step_decay(0.1, after=100, factor=0.1)
    assert (schedule(0), schedule(99), schedule(100)) == (0.1, 0.1, pytest.approx(0.01))
