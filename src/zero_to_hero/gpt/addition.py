"""Lecture 7, exercise 2: teach the GPT to add.

A problem ``a + b = c`` with ``digits``-digit operands is written with fixed widths, then the
answer's digits reversed, as the exercise suggests: with 3 digits, ``12 + 345 = 357`` is
``012+345=7530``. Reversed, the answer comes out least significant digit first, the order in which
carries are worked out by hand; ``reverse=False`` writes it the usual way (``012+345=0357``) so
that the page can measure whether the order matters.

Every problem is one sequence of the same length, and only the answer is scored: the targets of
the prompt's positions are -1, which ``GPT``'s loss ignores. Problems are numbered
``a * 10**digits + b``; a split is a tensor of such numbers (there are too many to list them
all: 10**12 with 6 digits), and ``get_batch`` serves random problems from it, with the signature
of ``gpt.get_batch`` so that ``gpt.train`` can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

PLUS, EQUALS = 10, 11  # tokens 0-9 are the digits


@dataclass(frozen=True)
class Addition:
    """Sums of two ``digits``-digit numbers (leading zeros allowed)."""

    digits: int = 3
    reverse: bool = True
    chars: str = "0123456789+="

    def __post_init__(self) -> None:
        if self.digits < 1:
            raise ValueError("a problem needs at least one digit per number")

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    @property
    def prompt_size(self) -> int:
        """Tokens of ``a+b=``."""
        return 2 * self.digits + 2

    @property
    def block_size(self) -> int:
        """The model's context: a whole problem but its last token, which is never an input."""
        return self.prompt_size + self.digits

    @property
    def num_problems(self) -> int:
        return 10 ** (2 * self.digits)

    def split(
        self, train_size: int, test_size: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``test_size`` distinct random problems to test on, and a pool of up to ``train_size``
        random problems to train on (repeats possible) from which every test problem is removed:
        a right answer on the test set is never one the model has seen."""
        if not 0 < test_size <= self.num_problems // 2:
            raise ValueError(f"test_size must be between 1 and {self.num_problems // 2}")
        draws = torch.empty(0, dtype=torch.long)
        while len(distinct := draws.unique()) < test_size:
            draws = torch.cat(
                [draws, torch.randint(self.num_problems, (test_size,), generator=generator)]
            )
        test = distinct[torch.randperm(len(distinct), generator=generator)[:test_size]]
        pool = torch.randint(self.num_problems, (train_size,), generator=generator)
        return pool[~torch.isin(pool, test)], test

    def operands(self, problems: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return problems // 10**self.digits, problems % 10**self.digits

    def encode(self, problems: torch.Tensor) -> torch.Tensor:
        """Problem numbers ``(N,)`` to token sequences ``(N, block_size + 1)``."""
        a, b = self.operands(problems)
        n = len(problems)
        return torch.cat(
            [
                _digits(a, self.digits),
                torch.full((n, 1), PLUS),
                _digits(b, self.digits),
                torch.full((n, 1), EQUALS),
                self._answer_order(_digits(a + b, self.digits + 1)),
            ],
            dim=1,
        )

    def decode(self, tokens: list[int]) -> str:
        return "".join(self.chars[t] for t in tokens)

    def get_batch(
        self,
        data: torch.Tensor,
        block_size: int,
        batch_size: int,
        generator: torch.Generator | None = None,
        device: str | torch.device = "cpu",
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``batch_size`` random problems of ``data``; the prompt's targets are -1 (ignored)."""
        if block_size != self.block_size:
            raise ValueError(f"addition of {self.digits} digits needs block_size {self.block_size}")
        rows = data[torch.randint(len(data), (batch_size,), generator=generator)]
        tokens = self.encode(rows)
        x, y = tokens[:, :-1], tokens[:, 1:].clone()
        y[:, : self.prompt_size - 1] = -1  # predicting "+", b's digits, "=": not the task
        return x.to(device), y.to(device)

    @torch.no_grad()
    def solve(self, model: nn.Module, problems: torch.Tensor) -> torch.Tensor:
        """The model's answers to ``problems``, written greedily (likeliest digit each time)."""
        was_training = model.training
        model.eval()
        device = next(model.parameters()).device
        idx = self.encode(problems)[:, : self.prompt_size].to(device)
        for _ in range(self.digits + 1):
            logits, _ = model(idx)
            idx = torch.cat([idx, logits[:, -1, :10].argmax(-1, keepdim=True)], dim=1)
        model.train(was_training)
        answer = self._answer_order(idx[:, self.prompt_size :].cpu())  # most significant first
        return (answer * 10 ** torch.arange(self.digits, -1, -1)).sum(1)

    def _answer_order(self, digits: torch.Tensor) -> torch.Tensor:
        """Between most-significant-first and the order the answer is written in (an involution)."""
        return digits.flip(1) if self.reverse else digits

    def accuracy(self, model: nn.Module, problems: torch.Tensor) -> float:
        """The fraction of ``problems`` whose whole answer is right."""
        a, b = self.operands(problems)
        return (self.solve(model, problems) == a + b).float().mean().item()


def _digits(x: torch.Tensor, width: int) -> torch.Tensor:
    """Decimal digits of the numbers ``x``, most significant first: ``(N,)`` -> ``(N, width)``."""
    return x[:, None] // 10 ** torch.arange(width - 1, -1, -1) % 10
