"""Lecture 7's data: characters to integers, a 90/10 split, random blocks of text as batches."""

from __future__ import annotations

import torch


class CharTokenizer:
    """The simplest tokenizer: each distinct character of the training text is one token."""

    def __init__(self, text: str) -> None:
        if not text:
            raise ValueError("cannot build a vocabulary from empty text")
        self.chars = sorted(set(text))
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        unknown = sorted(set(text) - self.stoi.keys())
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown}")
        return [self.stoi[ch] for ch in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i] for i in ids)


def train_val_split(data: torch.Tensor, train_fraction: float = 0.9) -> tuple[torch.Tensor, ...]:
    """The first ``train_fraction`` of the tokens to train on, the rest (the end) to validate."""
    n = int(train_fraction * len(data))
    return data[:n], data[n:]


def get_batch(
    data: torch.Tensor,
    block_size: int,
    batch_size: int,
    generator: torch.Generator | None = None,
    device: str | torch.device = "cpu",
) -> tuple[torch.Tensor, torch.Tensor]:
    """``batch_size`` random blocks of ``block_size`` tokens, and the same blocks shifted by one.

    One block of 8 holds 8 examples: predict ``y[t]`` from ``x[:t + 1]`` for every ``t``. The
    blocks are gathered with one index (the lecture stacks ``batch_size`` slices in a Python
    loop): the same tensors, from the same random offsets, without a Python step per block.
    """
    ix = torch.randint(len(data) - block_size, (batch_size,), generator=generator)
    positions = ix[:, None] + torch.arange(block_size)  # (batch_size, block_size)
    return data[positions].to(device), data[positions + 1].to(device)
