"""One sampling loop for every model that maps token ids ``(B, T)`` to logits ``(B, T, V)``.

Lecture 7's GPT and all the command line's models share this interface, and so this loop: crop
the context to what the model can see, take the last position's logits, sharpen or flatten them
with a temperature, optionally keep the ``top_k`` likeliest, draw one token, repeat. With a
``stop_token`` (the command line's end-of-word ``.``) a row that has emitted it is finished and
padded with it, and the loop ends when every row is.

Lectures 2-6's models predict one next character from a fixed window instead; they are sampled
one word at a time by ``zero_to_hero.makemore.sample_words``, as the lectures write it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F


@torch.no_grad()
def generate(
    logits_of: Callable[[torch.Tensor], torch.Tensor],
    idx: torch.Tensor,
    max_new_tokens: int,
    *,
    block_size: int | None = None,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
    stop_token: int | None = None,
) -> torch.Tensor:
    """``idx`` ``(B, T)`` extended by up to ``max_new_tokens`` tokens drawn from ``logits_of``.

    ``logits_of`` maps ``(B, t)`` ids to ``(B, t, V)`` logits; it sees at most the last
    ``block_size`` tokens (all of them if ``None``). Temperature below 1 sharpens the
    distribution, above 1 flattens it. Draws use ``generator``, so a seeded one gives the same
    tokens every time on a given device and torch; a CPU generator samples on the CPU for a
    model on a GPU.
    """
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a positive finite number, not {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, not {top_k}")
    done = torch.zeros(idx.shape[0], dtype=torch.bool, device=idx.device)
    for _ in range(max_new_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = logits_of(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1])).values[:, [-1]]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = F.softmax(logits, dim=-1)
        if generator is not None:
            probs = probs.to(generator.device)
        nxt = torch.multinomial(probs, num_samples=1, generator=generator).to(idx.device)
        if stop_token is not None:
            nxt[done] = stop_token
            done |= nxt[:, 0] == stop_token
        idx = torch.cat((idx, nxt), dim=1)
        if done.all():
            break
    return idx
