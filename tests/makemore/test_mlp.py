from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from zero_to_hero.makemore import MLPLanguageModel, Vocabulary, build_dataset


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
