"""Lecture 3: the MLP language model of Bengio et al. (2003), on characters."""

from __future__ import annotations

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
