"""Sampling words from any next-character model, and measuring a model's loss on a split."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from zero_to_hero.makemore.dataset import Vocabulary

NextCharProbs = Callable[[list[int]], torch.Tensor]


def sample_words(
    next_probs: NextCharProbs,
    vocab: Vocabulary,
    num: int,
    generator: torch.Generator,
    block_size: int = 1,
    max_length: int = 100,
) -> list[str]:
    """Draw ``num`` words one character at a time until the model emits the end marker.

    ``next_probs(context)`` returns the distribution of the next character given the last
    ``block_size`` character indices. Draws go through ``torch.multinomial`` with ``generator``,
    so a seeded generator gives the same words every time (on a given torch version).
    """
    words = []
    for _ in range(num):
        context, chars = [0] * block_size, list[int]()
        while len(chars) < max_length:
            p = next_probs(context)
            ix = int(torch.multinomial(p, num_samples=1, replacement=True, generator=generator))
            if ix == 0:
                break
            chars.append(ix)
            context = [*context[1:], ix]
        words.append(vocab.decode(chars))
    return words


@torch.no_grad()
def split_loss(
    model: Callable[[torch.Tensor], torch.Tensor], X: torch.Tensor, Y: torch.Tensor
) -> float:
    """Mean cross-entropy of ``model``'s logits on all of ``(X, Y)``."""
    return F.cross_entropy(model(X), Y).item()
