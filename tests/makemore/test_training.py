from __future__ import annotations

import pytest
import torch

from zero_to_hero.makemore import MLPLanguageModel, Vocabulary, build_dataset
from zero_to_hero.makemore.training import plot_training_curve, step_decay, train


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


def test_training_curve_averages_chunks():
    losses = [10.0] * 1000 + [100.0] * 1000 + [1.0] * 10  # the incomplete last chunk is dropped
    fig = plot_training_curve(losses, chunk=1000, raw=True)
    raw_line, mean_line = fig.axes[0].lines
    assert len(raw_line.get_xdata()) == 2000
    assert list(mean_line.get_xdata()) == [500, 1500]
    assert list(mean_line.get_ydata()) == pytest.approx([1.0, 2.0])
    with pytest.raises(ValueError, match="at least one chunk"):
        plot_training_curve([1.0] * 10)
