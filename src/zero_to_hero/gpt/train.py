"""Training a GPT: the lecture's loop (AdamW, periodic loss estimates) and named configurations."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from zero_to_hero.gpt.dataset import get_batch
from zero_to_hero.gpt.model import GPT, GPTConfig

# how a split becomes one batch: (data, block_size, batch_size, generator, device) -> (x, y);
# ``get_batch`` cuts random blocks of text, a task such as ``gpt.addition`` serves its own
BatchFn = Callable[
    [torch.Tensor, int, int, torch.Generator | None, torch.device],
    tuple[torch.Tensor, torch.Tensor],
]


@dataclass(frozen=True)
class TrainConfig:
    """How to train: AdamW at ``learning_rate``, constant, or with ``warmup_iters`` of linear
    warm-up and a cosine decay to ``learning_rate / 10`` when ``cosine`` is set."""

    batch_size: int = 64
    learning_rate: float = 3e-4
    max_iters: int = 5000
    eval_interval: int = 500
    eval_iters: int = 200
    warmup_iters: int = 0
    cosine: bool = False

    def lr_at(self, it: int) -> float:
        if it < self.warmup_iters:
            return self.learning_rate * (it + 1) / self.warmup_iters
        if not self.cosine:
            return self.learning_rate
        progress = (it - self.warmup_iters) / max(1, self.max_iters - self.warmup_iters)
        return self.learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


# Karpathy's gpt.py: 10,788,929 parameters, about 15 minutes on an A100 (val 1.48 in the video)
LECTURE = (
    GPTConfig(vocab_size=65, block_size=256, n_embd=384, n_head=6, n_layer=6, dropout=0.2),
    TrainConfig(batch_size=64, learning_rate=3e-4, max_iters=5000, eval_interval=500),
)


# what lecture 7's page trains on a 2-core CPU in about five minutes (323 s for its 3,000 steps on
# 2026-12-03): 0.8M parameters, no dropout (a few passes over the data do not overfit), a larger
# learning rate with warm-up and cosine decay
CPU = (
    GPTConfig(vocab_size=65, block_size=64, n_embd=128, n_head=4, n_layer=4, dropout=0.0),
    TrainConfig(
        batch_size=32,
        learning_rate=1e-3,
        max_iters=3000,
        eval_interval=250,
        eval_iters=50,
        warmup_iters=100,
        cosine=True,
    ),
)


@torch.inference_mode()  # no autograd bookkeeping at all: the estimates are plain numbers
def estimate_loss(
    model: nn.Module,
    splits: dict[str, torch.Tensor],
    batch_size: int,
    eval_iters: int,
    generator: torch.Generator | None = None,
    block_size: int | None = None,
    batch_fn: BatchFn = get_batch,
) -> dict[str, float]:
    """Mean loss over ``eval_iters`` random batches of each split, in eval mode (no dropout).

    One batch's loss is noisy; the average is a usable estimate of the split's loss. Batches are
    blocks of ``block_size`` tokens (by default the model's ``config.block_size``).
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    if block_size is None:
        if not isinstance(model, GPT):
            raise TypeError("pass block_size: the model has no GPTConfig to read it from")
        block_size = model.config.block_size
    out = {}
    for name, data in splits.items():
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = batch_fn(data, block_size, batch_size, generator, device)
            _, loss = model(X, Y)
            losses[k] = loss.item()
        out[name] = losses.mean().item()
    model.train(was_training)
    return out


def train(
    model: GPT,
    train_data: torch.Tensor,
    val_data: torch.Tensor,
    config: TrainConfig,
    generator: torch.Generator | None = None,
    log: Callable[[str], None] | None = print,
    batch_fn: BatchFn = get_batch,
) -> list[dict[str, float]]:
    """AdamW on random batches; every ``eval_interval`` steps (and at the end) estimate both
    losses. Returns those estimates, each with its step and the elapsed seconds.

    ``batch_fn`` turns a split into a batch: by default random blocks of text."""
    device = next(model.parameters()).device
    block_size = model.config.block_size
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    splits = {"train": train_data, "val": val_data}
    history = []
    start = time.perf_counter()
    model.train()
    for it in range(config.max_iters + 1):
        if it % config.eval_interval == 0 or it == config.max_iters:
            losses = estimate_loss(
                model, splits, config.batch_size, config.eval_iters, generator, batch_fn=batch_fn
            )
            history.append({"step": it, **losses, "seconds": time.perf_counter() - start})
            if log:
                log(f"step {it:5d}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
        if it == config.max_iters:
            break
        for group in optimizer.param_groups:
            group["lr"] = config.lr_at(it)
        X, Y = batch_fn(train_data, block_size, config.batch_size, generator, device)
        _, loss = model(X, Y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return history
