"""Lectures 4 and 6: the layers of a network, written out the way torch.nn has them.

Each layer keeps its last output in ``.out`` so that the diagnostics in
``zero_to_hero.makemore.diagnostics`` can inspect activations and their gradients after a
forward and backward pass. Weights are stored as ``(fan_in, fan_out)`` and used as ``x @ weight``
(torch.nn.Linear stores the transpose).
"""

from __future__ import annotations

from typing import Protocol

import torch


class Layer(Protocol):
    """What a layer and a whole model of these lectures both are: a function of a batch that
    lists the tensors it trains (the interface ``Sequential`` and the training loop rely on)."""

    def __call__(self, x: torch.Tensor, /) -> torch.Tensor: ...

    def parameters(self) -> list[torch.Tensor]: ...


class Linear:
    """``x @ weight + bias``, with weights drawn from N(0, 1/fan_in).

    That scale keeps unit-variance inputs at unit variance (Kaiming initialisation with gain 1);
    multiply ``weight`` by a gain for a nonlinearity that needs one (5/3 for tanh).
    """

    def __init__(
        self, fan_in: int, fan_out: int, bias: bool = True, generator: torch.Generator | None = None
    ) -> None:
        self.weight = torch.randn((fan_in, fan_out), generator=generator) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None
        self.out: torch.Tensor | None = None

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        self.out = x @ self.weight
        if self.bias is not None:
            self.out = self.out + self.bias
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    """Standardise each feature over the batch, then scale by ``gamma`` and shift by ``beta``.

    In training mode the batch's own mean and (biased) variance are used, and running estimates
    are updated with ``momentum`` (the running variance uses the unbiased estimate), exactly as
    ``torch.nn.BatchNorm1d`` does. In eval mode (``training = False``) the running estimates are
    used, so a single example can be evaluated. A 3-D input ``(batch, time, channels)`` is
    normalised per channel over both batch and time.
    """

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.eps = eps
        self.momentum = momentum
        self.training = True
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)
        self.out: torch.Tensor | None = None

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            dims = tuple(range(x.ndim - 1))  # every dimension but the channels
            var, mean = torch.var_mean(x, dims, keepdim=True, correction=0)
            with torch.no_grad():  # running = (1 - momentum) * running + momentum * batch
                n = x.numel() // x.shape[-1]
                self.running_mean.lerp_(mean.flatten(), self.momentum)
                self.running_var.lerp_(var.flatten() * (n / max(n - 1, 1)), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) * torch.rsqrt(var + self.eps) + self.beta
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        self.out = torch.tanh(x)
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return []


class Embedding:
    """A lookup table: row ``i`` of ``weight`` is the vector of token ``i`` (torch.nn.Embedding)."""

    def __init__(
        self, num_embeddings: int, embedding_dim: int, generator: torch.Generator | None = None
    ) -> None:
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=generator)
        self.out: torch.Tensor | None = None

    def __call__(self, ix: torch.Tensor) -> torch.Tensor:
        self.out = self.weight[ix]
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return [self.weight]


class FlattenConsecutive:
    """View ``(batch, time, channels)`` as ``(batch, time // n, channels * n)``.

    Concatenating ``n`` neighbouring vectors is how the WaveNet fuses pairs of characters, then
    pairs of pairs, level by level. When that leaves a time dimension of 1 it is dropped, so
    ``FlattenConsecutive(block_size)`` is a plain flatten (torch.nn.Flatten).
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.out: torch.Tensor | None = None

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        if T % self.n:
            raise ValueError(f"cannot group {T} positions into runs of {self.n}")
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return []


class Sequential:
    """Layers applied in order (torch.nn.Sequential); its parameters are the ones to train.

    Building one marks every parameter ``requires_grad``, as the lectures do right after
    listing the parameters.
    """

    def __init__(self, layers: list[Layer]) -> None:
        self.layers = layers
        for p in self.parameters():
            p.requires_grad = True

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out

    def parameters(self) -> list[torch.Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]

    def train(self, mode: bool = True) -> Sequential:
        """Switch the BatchNorm layers to batch statistics (``True``) or running ones."""
        for layer in self.layers:
            if hasattr(layer, "training"):
                layer.training = mode
        return self


@torch.no_grad()
def fold_batchnorm(linear: Linear, bn: BatchNorm1d) -> Linear:
    """One Linear layer that computes ``bn(linear(x))`` in eval mode (lecture 4, exercise E02).

    At inference BatchNorm is a fixed affine map per feature: ``gamma * (z - mean) / std + beta``
    with the running statistics. Folding that into the weights and bias of the Linear before it
    removes a layer, and its cost, from the deployed network.
    """
    scale = bn.gamma / torch.sqrt(bn.running_var + bn.eps)
    bias = linear.bias if linear.bias is not None else torch.zeros_like(bn.beta)
    folded = Linear(linear.weight.shape[0], linear.weight.shape[1])
    folded.weight = (linear.weight * scale).detach().clone()
    folded.bias = ((bias - bn.running_mean) * scale + bn.beta).detach().clone()
    return folded
