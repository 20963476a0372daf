"""Lecture 6: the hierarchical (WaveNet-like) language model, and the same model as convolutions.

``hierarchical_model`` builds the lecture's network from our own layers: embed ``block_size``
characters, then fuse neighbouring pairs level by level (8 -> 4 -> 2 -> 1) with
``FlattenConsecutive(2)``, a Linear, BatchNorm and tanh per level. ``flat_model`` is the
lectures 3-4 MLP in the same layers, for comparison.

``DilatedConvWaveNet`` computes the same function with ``torch.nn`` dilated causal 1-D
convolutions, as the WaveNet paper does. Evaluating a whole sequence at once, it reuses the
intermediate nodes that the sliding MLP recomputes for every position.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from zero_to_hero.figures import new_figure
from zero_to_hero.makemore.layers import (
    BatchNorm1d,
    Embedding,
    FlattenConsecutive,
    Layer,
    Linear,
    Sequential,
    Tanh,
)


def _levels(block_size: int) -> int:
    levels = int(math.log2(block_size))
    if block_size < 2 or 2**levels != block_size:
        raise ValueError(f"block_size must be a power of two >= 2, not {block_size}")
    return levels


def _finish(
    layers: list[Layer], n_hidden: int, vocab_size: int, generator: torch.Generator | None
) -> Sequential:
    """Append the output layer, made less confident at init (weights x 0.1), as the lecture does."""
    head = Linear(n_hidden, vocab_size, generator=generator)
    with torch.no_grad():
        head.weight *= 0.1
    return Sequential([*layers, head])


def flat_model(
    vocab_size: int,
    block_size: int,
    n_embd: int = 10,
    n_hidden: int = 200,
    generator: torch.Generator | None = None,
) -> Sequential:
    """Embedding -> concatenate ``block_size`` vectors -> Linear -> BatchNorm -> tanh -> Linear."""
    return _finish(
        [
            Embedding(vocab_size, n_embd, generator=generator),
            FlattenConsecutive(block_size),
            Linear(block_size * n_embd, n_hidden, bias=False, generator=generator),
            BatchNorm1d(n_hidden),
            Tanh(),
        ],
        n_hidden,
        vocab_size,
        generator,
    )


def hierarchical_model(
    vocab_size: int,
    block_size: int = 8,
    n_embd: int = 24,
    n_hidden: int = 128,
    batchnorm: Callable[[int], BatchNorm1d] = BatchNorm1d,
    generator: torch.Generator | None = None,
) -> Sequential:
    """Fuse pairs of neighbours, log2(``block_size``) times, then predict the next character.

    No Linear before a BatchNorm has a bias: the BatchNorm subtracts the mean, so a bias there
    would do nothing. ``batchnorm`` lets the lecture's per-position BatchNorm bug be rebuilt.
    """
    layers: list[Layer] = [Embedding(vocab_size, n_embd, generator=generator)]
    fan_in = n_embd
    for _ in range(_levels(block_size)):
        layers += [
            FlattenConsecutive(2),
            Linear(2 * fan_in, n_hidden, bias=False, generator=generator),
            batchnorm(n_hidden),
            Tanh(),
        ]
        fan_in = n_hidden
    return _finish(layers, n_hidden, vocab_size, generator)


class DilatedConvWaveNet(nn.Module):
    """The hierarchical model as a stack of dilated causal convolutions (kernel 2).

    Level ``k`` of the tree combines two nodes ``2**k`` positions apart, which is a convolution
    with dilation ``2**k``. Given a sequence, ``forward`` returns logits for every position: the
    logits at ``t`` predict the token after ``idx[:, t]`` from the ``block_size`` tokens ending at
    ``t`` (positions before the start are filled with token 0, as in the makemore data sets).
    BatchNorm uses running statistics (``torch.nn.BatchNorm1d`` takes channels in the middle).
    """

    def __init__(self, vocab_size: int, block_size: int, n_embd: int, n_hidden: int) -> None:
        super().__init__()
        self.block_size = block_size
        self.embedding = nn.Embedding(vocab_size, n_embd)
        levels = []
        for level in range(_levels(block_size)):
            fan_in = n_embd if level == 0 else n_hidden
            levels += [
                nn.Conv1d(fan_in, n_hidden, kernel_size=2, dilation=2**level, bias=False),
                nn.BatchNorm1d(n_hidden),
                nn.Tanh(),
            ]
        self.levels = nn.Sequential(*levels)
        self.head = nn.Conv1d(n_hidden, vocab_size, kernel_size=1)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, time, vocab_size)`` for token ids ``idx`` of shape ``(batch, time)``."""
        idx = F.pad(idx, (self.block_size - 1, 0), value=0)  # causal: only the past is seen
        x = self.embedding(idx).transpose(1, 2)  # (batch, channels, time)
        return self.head(self.levels(x)).transpose(1, 2)

    @classmethod
    @torch.no_grad()
    def from_hierarchical(cls, model: Sequential) -> DilatedConvWaveNet:
        """Copy the weights of a ``hierarchical_model`` (our layers) into the convolutions.

        The Linear of a level sees ``[left, right]`` concatenated, so its first ``fan_in`` rows
        are the kernel tap for the earlier node and the rest the tap for the later one.
        """
        embedding, *middle, head = model.layers
        if not (isinstance(embedding, Embedding) and isinstance(head, Linear)):
            raise TypeError("not a hierarchical_model: it must start with an Embedding and end "
                            "with a Linear")  # fmt: skip
        # each level is FlattenConsecutive, Linear, BatchNorm1d, Tanh
        linears = cast(list[Linear], middle[1::4])
        norms = cast(list[BatchNorm1d], middle[2::4])
        n_embd, n_hidden = embedding.weight.shape[1], head.weight.shape[0]
        net = cls(embedding.weight.shape[0], 2 ** len(linears), n_embd, n_hidden)
        net.embedding.weight.copy_(embedding.weight)
        convs = cast(list[nn.Conv1d], list(net.levels)[0::3])
        bns = cast(list[nn.BatchNorm1d], list(net.levels)[1::3])
        for conv, bn, linear, norm in zip(convs, bns, linears, norms, strict=True):
            fan_in = linear.weight.shape[0] // 2
            # (2 * fan_in, out) -> (out, fan_in, 2): tap 0 = left half, tap 1 = right half
            conv.weight.copy_(linear.weight.T.reshape(-1, 2, fan_in).transpose(1, 2))
            _copy(bn.weight, norm.gamma)
            _copy(bn.bias, norm.beta)
            _copy(bn.running_mean, norm.running_mean)
            _copy(bn.running_var, norm.running_var)
            bn.eps = norm.eps
        net.head.weight.copy_(head.weight.T.unsqueeze(-1))
        _copy(net.head.bias, head.bias)
        return net.eval()


def _copy(target: torch.Tensor | None, source: torch.Tensor | None) -> None:
    """``target.copy_(source)`` for tensors that a layer may lack (a bias, running statistics)."""
    if target is None or source is None:
        raise ValueError("one of the two models lacks a bias or running statistics")
    target.copy_(source)


def receptive_tree(levels: int, position: int) -> set[tuple[int, int]]:
    """The nodes, as (level, position), that feed the node at the top ``levels`` at ``position``:
    at level ``l`` a node fuses its own position and the one ``2 ** (l - 1)`` before it."""
    nodes = {(levels, position)}
    for level in range(levels, 0, -1):
        step = 2 ** (level - 1)
        nodes |= {(level - 1, t - d) for lv, t in nodes if lv == level for d in (0, step)}
    return nodes


def draw_dilated_tree(block_size: int = 8, length: int = 16) -> Figure:
    """WaveNet's dilated causal convolutions (the idea of figure 3 of the WaveNet paper), drawn
    for a ``block_size`` context over a sequence of ``length`` characters: every node of every
    level in grey, and in colour the tree that feeds the last position's top node, which sees
    exactly ``block_size`` characters."""
    levels = _levels(block_size)
    tree = receptive_tree(levels, length - 1)
    fig = new_figure(figsize=(8, 3), layout="constrained")
    ax = fig.add_subplot()
    for level in range(1, levels + 1):
        step = 2 ** (level - 1)
        for t in range(step, length):
            used = (level, t) in tree
            for s in (t - step, t):
                ax.plot([s, t], [level - 1, level], color="C0" if used else "0.8",
                        lw=1.8 if used else 0.7, zorder=1)  # fmt: skip
    for level in range(levels + 1):
        for t in range(length):
            used = (level, t) in tree
            ax.scatter(t, level, s=70, zorder=2, color="C0" if used else "white",
                       edgecolors="C0" if used else "0.55")  # fmt: skip
    names = ["input"] + [f"level {lv}, dilation {2 ** (lv - 1)}" for lv in range(1, levels + 1)]
    ax.set_yticks(range(levels + 1), names)
    ax.set_xticks([])
    ax.set_xlabel(f"position in the sequence; the top node in colour sees {block_size} characters")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    return fig
