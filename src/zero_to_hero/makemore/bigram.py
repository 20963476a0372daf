"""Lecture 2: the bigram model by counting."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from zero_to_hero.makemore.data import Vocabulary, build_dataset


class BigramCounts:
    """How often each character follows each other character, and the model those counts define.

    ``counts[i, j]`` is the number of times character ``j`` follows character ``i`` (index 0 is the
    start/end marker '.'). ``probs(smoothing)`` adds ``smoothing`` fake counts to every cell before
    normalising each row, so no next character ever has probability zero.
    """

    def __init__(self, counts: torch.Tensor, vocab: Vocabulary) -> None:
        if counts.shape != (len(vocab), len(vocab)):
            raise ValueError(f"counts must be {len(vocab)}x{len(vocab)}, got {tuple(counts.shape)}")
        self.counts = counts
        self.vocab = vocab

    @classmethod
    def fit(cls, words: Sequence[str], vocab: Vocabulary) -> BigramCounts:
        X, Y = build_dataset(words, 1, vocab)
        counts = torch.zeros((len(vocab), len(vocab)), dtype=torch.int32)
        counts.index_put_((X[:, 0], Y), torch.ones_like(Y, dtype=torch.int32), accumulate=True)
        return cls(counts, vocab)

    def probs(self, smoothing: float = 1.0) -> torch.Tensor:
        """Row-normalised probabilities P[i, j] = p(next = j | current = i), float32."""
        P = (self.counts + smoothing).float()
        return P / P.sum(1, keepdim=True)

    def nll(self, words: Sequence[str], smoothing: float = 1.0) -> float:
        """Average negative log-likelihood per character (end markers included) of ``words``."""
        X, Y = build_dataset(words, 1, self.vocab)
        return -self.probs(smoothing)[X[:, 0], Y].log().mean().item()
