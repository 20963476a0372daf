"""The minibatch training loop of lectures 3-6, its learning-rate schedule and its loss curve.

Lecture 3 writes the loop for its MLP; lectures 4-6 train other models (BatchNorm networks,
WaveNets) with the same loop, so it lives here rather than beside any one model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from zero_to_hero.figures import new_figure
from zero_to_hero.makemore.layers import Layer


def step_decay(
    lr: float = 0.1, after: int = 100_000, factor: float = 0.1
) -> Callable[[int], float]:
    """The lecture's schedule: ``lr`` for the first ``after`` steps, then ``lr * factor``."""
    return lambda step: lr if step < after else lr * factor


def train(
    model: Layer,
    X: torch.Tensor,
    Y: torch.Tensor,
    steps: int,
    batch_size: int = 32,
    learning_rate: Callable[[int], float] | None = None,
    generator: torch.Generator | None = None,
) -> list[float]:
    """Minibatch SGD on cross-entropy; returns each step's minibatch loss.

    ``learning_rate(step)`` defaults to the lecture's ``step_decay()``. Minibatches are drawn with
    ``generator`` so that a run is reproducible on one machine.
    """
    learning_rate = learning_rate or step_decay()
    params = model.parameters()
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        lr = learning_rate(step)
        with torch.no_grad():
            for p in params:
                assert p.grad is not None  # every parameter is used by the loss
                p -= lr * p.grad
        losses.append(loss.item())
    return losses


def plot_training_curve(losses: Sequence[float], chunk: int = 1000, raw: bool = False) -> Figure:
    """log10 of the minibatch loss, averaged over every ``chunk`` steps.

    A minibatch loss is too noisy to read step by step; the averages show the trend, and the
    learning-rate decay as a visible step. With ``raw``, the per-step losses are drawn faintly
    behind the averages.
    """
    if len(losses) < chunk:
        raise ValueError(f"need at least one chunk of {chunk} steps, got {len(losses)}")
    log_losses = torch.tensor(losses[: len(losses) // chunk * chunk]).log10()
    fig = new_figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.add_subplot()
    if raw:
        ax.plot(log_losses.tolist(), lw=0.3, alpha=0.4, label="each step")
    centres = torch.arange(chunk // 2, len(log_losses), chunk)
    averages = log_losses.view(-1, chunk).mean(1)
    ax.plot(centres.tolist(), averages.tolist(), lw=2, label=f"mean of {chunk:,} steps")
    ax.set_xlabel("step")
    ax.set_ylabel("log10 loss")
    ax.grid(alpha=0.3)
    if raw:
        ax.legend()
    return fig
