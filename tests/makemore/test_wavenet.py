"""The hierarchical model's shapes and parameter counts, and its convolutional twin."""

from __future__ import annotations

import pytest
import torch

from zero_to_hero.makemore import Vocabulary, build_dataset, step_decay, train
from zero_to_hero.makemore.wavenet import DilatedConvWaveNet, flat_model, hierarchical_model


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def test_parameter_counts_are_the_lectures():
    assert n_params(flat_model(27, block_size=3)) == 12_097
    assert n_params(flat_model(27, block_size=8)) == 22_097
    assert n_params(hierarchical_model(27, n_embd=10, n_hidden=68)) == 22_397
    assert n_params(hierarchical_model(27, n_embd=24, n_hidden=128)) == 76_579


def test_hierarchical_model_fuses_pairs_level_by_level():
    model = hierarchical_model(27, block_size=8, n_embd=5, n_hidden=7)
    model(torch.zeros(4, 8, dtype=torch.long))
    shapes = [tuple(layer.out.shape) for layer in model.layers]
    assert shapes[0] == (4, 8, 5)
    assert shapes[1:-1:4] == [(4, 4, 10), (4, 2, 14), (4, 14)]
    assert shapes[-1] == (4, 27)


@pytest.mark.parametrize("block_size", [1, 6])
def test_block_size_must_be_a_power_of_two(block_size):
    with pytest.raises(ValueError, match="power of two"):
        hierarchical_model(27, block_size=block_size)


@pytest.fixture(scope="module")
def trained():
    """A small hierarchical model with non-trivial BatchNorm statistics."""
    words = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"]
    vocab = Vocabulary.from_words(words)
    X, Y = build_dataset(words, 8, vocab)
    g = torch.Generator().manual_seed(0)
    model = hierarchical_model(len(vocab), n_embd=6, n_hidden=16, generator=g)
    train(model, X, Y, steps=200, learning_rate=step_decay(0.1), generator=g)
    return model.train(False), vocab


def test_dilated_convolutions_give_the_mlp_logits_at_every_position(trained):
    model, vocab = trained
    conv = DilatedConvWaveNet.from_hierarchical(model)
    for word in ["isabella", "mia", "charlotte"]:
        X, _ = build_dataset([word], 8, vocab)
        sequence = torch.tensor([[0, *vocab.encode(word)]])  # '.' then the word
        with torch.no_grad():
            assert torch.allclose(conv(sequence)[0], model(X), atol=1e-5)


def test_dilated_convolutions_are_causal(trained):
    model, vocab = trained
    conv = DilatedConvWaveNet.from_hierarchical(model)
    a = torch.tensor([vocab.encode("charlotte")])
    b = a.clone()
    b[0, 5:] = 1  # change the future
    with torch.no_grad():
        assert torch.equal(conv(a)[:, :5], conv(b)[:, :5])
        assert not torch.allclose(conv(a)[:, 5], conv(b)[:, 5])


def test_receptive_tree_covers_block_size_consecutive_inputs():
    from zero_to_hero.makemore.wavenet import receptive_tree

    tree = receptive_tree(3, 15)
    assert sorted(t for level, t in tree if level == 0) == list(range(8, 16))
    assert [sum(1 for level, _ in tree if level == lv) for lv in range(4)] == [8, 4, 2, 1]


def test_draw_dilated_tree_highlights_the_tree():
    from zero_to_hero.makemore.wavenet import draw_dilated_tree

    fig = draw_dilated_tree(block_size=8, length=16)
    coloured = [line for line in fig.axes[0].lines if line.get_color() == "C0"]
    assert len(coloured) == 2 * (4 + 2 + 1)  # two edges into each node of the tree above inputs
    with pytest.raises(ValueError, match="power of two"):
        draw_dilated_tree(block_size=6)
