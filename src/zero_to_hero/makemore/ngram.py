"""Lecture 2: n-gram models by counting (the lecture's bigram, its exercises' trigram)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from zero_to_hero.makemore.dataset import Vocabulary, build_dataset


class NgramCounts:
    """How often each character follows each context of ``order - 1`` characters, and the model
    those counts define.

    For the bigram (``order=2``), ``counts[i, j]`` is the number of times character ``j`` follows
    character ``i``; for the trigram, ``counts[i, j, k]`` counts ``k`` after ``i, j``. Index 0 is
    the start/end marker '.', which also pads contexts at the start of a word. ``probs(smoothing)``
    adds ``smoothing`` fake counts to every cell before normalising over the next character, so no
    next character ever has probability zero.
    """

    def __init__(self, counts: torch.Tensor, vocab: Vocabulary) -> None:
        if counts.ndim < 2 or any(size != len(vocab) for size in counts.shape):
            raise ValueError(
                f"counts must have every dimension {len(vocab)}, got {tuple(counts.shape)}"
            )
        self.counts = counts
        self.vocab = vocab

    @property
    def order(self) -> int:
        return self.counts.ndim

    @classmethod
    def fit(cls, words: Sequence[str], vocab: Vocabulary, order: int = 2) -> NgramCounts:
        if order < 2:
            raise ValueError(f"order must be at least 2 (a bigram), got {order}")
        X, Y = build_dataset(words, order - 1, vocab)
        counts = torch.zeros((len(vocab),) * order, dtype=torch.int32)
        index = (*X.T, Y)
        counts.index_put_(index, torch.ones_like(Y, dtype=torch.int32), accumulate=True)
        return cls(counts, vocab)

    def probs(self, smoothing: float = 1.0) -> torch.Tensor:
        """Probabilities of the next character given each context (last dimension), float32."""
        P = (self.counts + smoothing).float()
        return P / P.sum(-1, keepdim=True)

    def nll(self, words: Sequence[str], smoothing: float = 1.0) -> float:
        """Average negative log-likelihood per character (end markers included) of ``words``."""
        X, Y = build_dataset(words, self.order - 1, self.vocab)
        return -self.probs(smoothing)[(*X.T, Y)].log().mean().item()
