"""Lecture 3: the MLP language model of Bengio et al. (2003), on characters."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F


class MLPLanguageModel:
    """Embed each of the last ``block_size`` characters, concatenate, one tanh layer, logits.

    Parameters are plain tensors, as in the lecture: ``C`` (the embedding table), ``W1``, ``b1``
    (hidden layer) and ``W2``, ``b2`` (output layer), all drawn from a standard normal with
    ``generator``.
    """

    def __init__(
        self,
        vocab_size: int,
        block_size: int = 3,
        n_embd: int = 10,
        n_hidden: int = 200,
        generator: torch.Generator | None = None,
    ) -> None:
        g = generator if generator is not None else torch.Generator().manual_seed(2147483647)
        self.C = torch.randn((vocab_size, n_embd), generator=g)
        self.W1 = torch.randn((block_size * n_embd, n_hidden), generator=g)
        self.b1 = torch.randn(n_hidden, generator=g)
        self.W2 = torch.randn((n_hidden, vocab_size), generator=g)
        self.b2 = torch.randn(vocab_size, generator=g)
        for p in (self.C, self.W1, self.b1, self.W2, self.b2):  # not parameters(): subclasses add
            p.requires_grad = True

    def parameters(self) -> list[torch.Tensor]:
        return [self.C, self.W1, self.b1, self.W2, self.b2]

    def __call__(self, X: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, vocab_size)`` for contexts ``X`` of shape ``(batch, block_size)``."""
        emb = self.C[X]  # (batch, block_size, n_embd)
        h = torch.tanh(emb.view(emb.shape[0], -1) @ self.W1 + self.b1)
        return h @ self.W2 + self.b2

    def next_probs(self, context: list[int]) -> torch.Tensor:
        """Distribution of the next character after ``context`` (for sampling)."""
        with torch.no_grad():
            return F.softmax(self(torch.tensor([context])), dim=1)[0]


def step_decay(
    lr: float = 0.1, after: int = 100_000, factor: float = 0.1
) -> Callable[[int], float]:
    """The lecture's schedule: ``lr`` for the first ``after`` steps, then ``lr * factor``."""
    return lambda step: lr if step < after else lr * factor


def train(
    model: MLPLanguageModel,
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
                p -= lr * p.grad
        losses.append(loss.item())
    return losses
