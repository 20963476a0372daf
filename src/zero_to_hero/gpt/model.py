"""Lecture 7: a decoder-only transformer (GPT) on characters, as built in the lecture.

The modules are the lecture's: ``Head`` (one head of masked self-attention), ``MultiHeadAttention``
(heads side by side, then a projection), ``FeedForward``, ``Block`` (pre-norm, residual) and
``GPT``. ``MultiHeadAttention`` has two ways to compute the same thing: the explicit one of the
lecture, head by head, and a fast path that stacks the heads' weights and calls
``torch.nn.functional.scaled_dot_product_attention`` (a fused kernel). They share parameters, so
a model can switch between them; the tests check they agree.

``GPTConfig(rope=True)`` is the feature added in the lecture's fourth exercise: rotary position
embeddings (as in LLaMA) instead of the learned table of positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from zero_to_hero.generation import generate


@dataclass(frozen=True)
class GPTConfig:
    """The shape of the network. ``fused`` picks the fast attention path (same parameters);
    ``rope`` replaces the learned position embeddings by rotary ones (``rotary``)."""

    vocab_size: int = 65
    block_size: int = 256
    n_embd: int = 384
    n_head: int = 6
    n_layer: int = 6
    dropout: float = 0.2
    fused: bool = True
    rope: bool = False

    def __post_init__(self) -> None:
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd {self.n_embd} is not divisible by n_head {self.n_head}")
        if self.rope and (self.n_embd // self.n_head) % 2:
            raise ValueError("rotary embeddings rotate pairs of channels: head size must be even")


def rotary(x: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding (Su et al., 2021) of queries or keys ``(..., T, head_size)``.

    Channels ``i`` and ``i + head_size / 2`` at position ``t`` are rotated by the angle
    ``t * 10000 ** (-2i / head_size)``. A rotation by ``t`` against one by ``s`` leaves a dot
    product that depends on ``t - s`` only, so attention scores see how far apart two tokens are,
    not where they are, and there is no table of positions to learn.
    """
    T, half = x.shape[-2], x.shape[-1] // 2
    freq = 10000.0 ** (-torch.arange(half, device=x.device, dtype=x.dtype) / half)
    angle = torch.arange(T, device=x.device, dtype=x.dtype)[:, None] * freq  # (T, half)
    cos, sin = angle.cos(), angle.sin()
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)


class Head(nn.Module):
    """One head of causal self-attention: every position attends to itself and the past.

    Scores are scaled by ``head_size ** -0.5`` so that they have unit variance at
    initialisation; larger scores would make the softmax nearly one-hot.
    """

    tril: torch.Tensor  # the causal mask, a buffer: saved and moved with the model, not trained

    def __init__(
        self, n_embd: int, head_size: int, block_size: int, dropout: float, rope: bool = False
    ) -> None:
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)
        self.rope = rope

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.shape[1]
        k = self.key(x)  # (B, T, head_size)
        q = self.query(x)
        if self.rope:
            q, k = rotary(q), rotary(k)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5  # (B, T, T) affinities
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))  # no peeking ahead
        wei = self.dropout(F.softmax(wei, dim=-1))
        return wei @ self.value(x)  # (B, T, head_size)


class MultiHeadAttention(nn.Module):
    """Several heads in parallel, outputs concatenated, then projected back into the residual."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        head_size = config.n_embd // config.n_head
        self.heads = nn.ModuleList(
            Head(config.n_embd, head_size, config.block_size, config.dropout, config.rope)
            for _ in range(config.n_head)
        )
        self.proj = nn.Linear(config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)
        self.fused = config.fused
        self.rope, self.attention_dropout = config.rope, config.dropout  # what _fused needs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self._fused(x) if self.fused else torch.cat([h(x) for h in self.heads], dim=-1)
        return self.dropout(self.proj(out))

    def _fused(self, x: torch.Tensor) -> torch.Tensor:
        """All heads at once: heads become a batch dimension of one fused attention call."""
        B, T, C = x.shape
        n_head = len(self.heads)

        def project(name: str) -> torch.Tensor:
            weight = torch.cat([getattr(h, name).weight for h in self.heads])  # (C, C)
            return (x @ weight.T).view(B, T, n_head, C // n_head).transpose(1, 2)

        q, k, v = project("query"), project("key"), project("value")  # (B, n_head, T, hs)
        if self.rope:
            q, k = rotary(q), rotary(k)
        dropout = self.attention_dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, is_causal=True)
        return y.transpose(1, 2).reshape(B, T, C)


class FeedForward(nn.Module):
    """Per-position computation after the communication: expand 4x, ReLU, project back."""

    def __init__(self, n_embd: int, dropout: float) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.ReLU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(dropout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Block(nn.Module):
    """Communication (attention) then computation (feed-forward), each added to a residual
    stream after a LayerNorm (the pre-norm arrangement used since GPT-2)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.sa = MultiHeadAttention(config)
        self.ffwd = FeedForward(config.n_embd, config.dropout)
        self.ln1 = nn.LayerNorm(config.n_embd)
        self.ln2 = nn.LayerNorm(config.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.sa(self.ln1(x))
        return x + self.ffwd(self.ln2(x))


class GPT(nn.Module):
    """Token and position embeddings, ``n_layer`` blocks, a final LayerNorm, logits.

    Targets of -1 are ignored by the loss (a task can leave positions unscored, see
    ``gpt.addition``)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.token_embedding_table = nn.Embedding(config.vocab_size, config.n_embd)
        # with rotary embeddings, attention itself knows relative positions: no table
        self.position_embedding_table = (
            None if config.rope else nn.Embedding(config.block_size, config.n_embd)
        )
        self.blocks = nn.Sequential(*(Block(config) for _ in range(config.n_layer)))
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        """N(0, 0.02) weights and zero biases, as in ng-video-lecture's gpt.py (and GPT-2)."""
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits ``(B, T, vocab_size)`` for ``idx`` ``(B, T)``, and the loss if ``targets``."""
        if idx.shape[1] > self.config.block_size:
            raise ValueError(f"sequence of {idx.shape[1]} tokens is longer than block_size")
        B, T = idx.shape
        x = self.token_embedding_table(idx)
        if self.position_embedding_table is not None:
            x = x + self.position_embedding_table(torch.arange(T, device=idx.device))
        logits = self.lm_head(self.ln_f(self.blocks(x)))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T), ignore_index=-1)
        return logits, loss

    def generate(
        self,
        idx: torch.Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Extend ``idx`` ``(B, T)`` by ``max_new_tokens`` sampled tokens, in eval mode.

        The package's one sampling loop, ``zero_to_hero.generation.generate``, with the context
        cropped to ``block_size``: see there for ``temperature``, ``top_k`` and ``generator``.
        """
        was_training = self.training
        self.eval()
        try:
            return generate(
                lambda ids: self(ids)[0],
                idx,
                max_new_tokens,
                block_size=self.config.block_size,
                temperature=temperature,
                top_k=top_k,
                generator=generator,
            )
        finally:
            self.train(was_training)
