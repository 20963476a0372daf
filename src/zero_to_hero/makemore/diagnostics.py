"""Lecture 4: look inside a network while it trains.

Four views, each a matplotlib ``Axes`` to draw on, each also returning the numbers it drew so a
notebook can print and assert them:

* the distribution of every Tanh layer's outputs (and the fraction saturated near +-1);
* the distribution of the gradients arriving at those outputs;
* each weight matrix's gradient, relative to the weights themselves;
* over training, the size of each update relative to the data it changes (about 1e-3 is healthy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from zero_to_hero.figures import new_figure
from zero_to_hero.makemore.layers import Tanh

HEALTHY_UPDATE_RATIO = 1e-3


@dataclass(frozen=True)
class Stats:
    """Summary of one tensor: where it sits, how spread it is, how much is saturated."""

    name: str
    mean: float
    std: float
    saturated: float = 0.0  # fraction with |value| above the threshold (activations only)
    ratio: float = 0.0  # grad std / data std (weights only)


def _histogram(ax: Axes, t: torch.Tensor, label: str) -> None:
    counts, edges = torch.histogram(t.detach().float().flatten(), bins=60, density=True)
    ax.plot(((edges[:-1] + edges[1:]) / 2).tolist(), counts.tolist(), label=label, lw=1)
    ax.locator_params(axis="x", nbins=5)  # gradients have long tick labels: keep them apart


def plot_activations(
    ax: Axes, layers: Sequence[object], gradients: bool = False, threshold: float = 0.97
) -> list[Stats]:
    """Histogram of each Tanh layer's output (or, with ``gradients``, of its gradient).

    Call after a forward pass (and, for gradients, a backward pass with ``out.retain_grad()``).
    """
    stats = []
    for i, layer in enumerate(layers[:-1]):  # the output layer is not a hidden activation
        if not isinstance(layer, Tanh) or layer.out is None:
            continue
        t = layer.out.grad if gradients else layer.out
        if t is None:
            raise ValueError(f"layer {i} has no gradient: call out.retain_grad() before backward")
        saturated = 0.0 if gradients else (t.abs() > threshold).float().mean().item()
        stats.append(Stats(f"layer {i} (Tanh)", t.mean().item(), t.std().item(), saturated))
        _histogram(ax, t, f"layer {i}")
    ax.set_title("gradients at Tanh outputs" if gradients else "Tanh outputs")
    ax.legend(fontsize=7)
    return stats


def plot_weight_gradients(ax: Axes, parameters: Sequence[torch.Tensor]) -> list[Stats]:
    """Histogram of the gradient of every weight matrix, with its grad:data ratio."""
    stats = []
    for p in parameters:
        if p.ndim != 2:
            continue
        name = f"weight {tuple(p.shape)}"
        grad = _grad(p)
        ratio = (grad.std() / p.std()).item()
        stats.append(Stats(name, grad.mean().item(), grad.std().item(), ratio=ratio))
        _histogram(ax, grad, name)
    ax.set_title("weight gradients")
    ax.legend(fontsize=7)
    return stats


@torch.no_grad()
def update_ratios(parameters: Sequence[torch.Tensor], lr: float) -> list[float]:
    """log10 of (size of this step's update) / (size of the data), per parameter."""
    return [((lr * _grad(p)).std() / p.data.std()).log10().item() for p in parameters]


def _grad(p: torch.Tensor) -> torch.Tensor:
    if p.grad is None:
        raise ValueError(f"a parameter of shape {tuple(p.shape)} has no gradient: call backward()")
    return p.grad


def plot_update_ratios(
    ax: Axes, history: Sequence[Sequence[float]], parameters: Sequence[torch.Tensor]
) -> None:
    """Each weight matrix's ``update_ratios`` over training, with the 1e-3 guide line."""
    for j, p in enumerate(parameters):
        if p.ndim == 2:
            ax.plot([step[j] for step in history], lw=1, label=f"weight {tuple(p.shape)}")
    ax.axhline(torch.tensor(HEALTHY_UPDATE_RATIO).log10().item(), color="k", ls="--", lw=1)
    ax.set_title("log10 update / data")
    ax.set_xlabel("step")
    ax.legend(fontsize=7)


def diagnostics_figure(
    layers: Sequence[object],
    parameters: Sequence[torch.Tensor],
    history: Sequence[Sequence[float]] | None,
    title: str,
) -> tuple[Figure, dict[str, list[Stats]]]:
    """The views side by side, and their numbers; without a ``history`` of update ratios (a
    network looked at before training), the last view is left out."""
    fig = new_figure(figsize=(11, 7) if history is not None else (13, 3.6), layout="constrained")
    axes = fig.subplots(2, 2).flatten() if history is not None else fig.subplots(1, 3)
    stats = {
        "activations": plot_activations(axes[0], layers),
        "gradients": plot_activations(axes[1], layers, gradients=True),
        "weights": plot_weight_gradients(axes[2], parameters),
    }
    if history is not None:
        plot_update_ratios(axes[3], history, parameters)
    fig.suptitle(title)
    return fig, stats
