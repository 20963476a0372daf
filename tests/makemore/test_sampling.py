from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from zero_to_hero.makemore import Vocabulary, sample_words, split_loss

VOCAB = Vocabulary.from_words(["abc"])


def test_deterministic_model_spells_its_word():
    # after '.' always 'a', then 'b', then 'c', then the end
    table = {0: 1, 1: 2, 2: 3, 3: 0}
    probs = lambda ctx: F.one_hot(torch.tensor(table[ctx[-1]]), 4).float()  # noqa: E731
    g = torch.Generator().manual_seed(0)
    assert sample_words(probs, VOCAB, 3, g) == ["abc", "abc", "abc"]


def test_same_seed_same_words_and_max_length():
    uniform = lambda ctx: torch.ones(4)  # noqa: E731
    a = sample_words(uniform, VOCAB, 10, torch.Generator().manual_seed(7), block_size=2)
    b = sample_words(uniform, VOCAB, 10, torch.Generator().manual_seed(7), block_size=2)
    assert a == b
    never_ends = lambda ctx: torch.tensor([0.0, 1.0, 1.0, 1.0])  # noqa: E731
    assert len(sample_words(never_ends, VOCAB, 1, torch.Generator(), max_length=5)[0]) == 5


def test_split_loss_is_mean_cross_entropy():
    g = torch.Generator().manual_seed(1)
    W = torch.randn(4, 4, generator=g)
    X = torch.tensor([0, 1, 2, 3, 1])
    Y = torch.tensor([1, 2, 3, 0, 0])
    manual = -F.log_softmax(W[X], dim=1)[torch.arange(5), Y].mean().item()
    assert split_loss(lambda x: W[x], X, Y) == pytest.approx(manual, rel=1e-6)
