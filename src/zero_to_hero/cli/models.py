"""The four models of the command line, each mapping token ids ``(B, T)`` to logits ``(B, T, V)``.

All four predict every position of a word at once, so one loop trains them all:

* ``bigram``: a ``V x V`` table of logits, the next character from the current one (lecture 2);
* ``mlp``: the last ``block_size`` characters, embedded and concatenated, one tanh hidden layer
  (lecture 3), slid along the word;
* ``wavenet``: lecture 6's tree of pairwise fusions as dilated causal convolutions;
* ``transformer``: lecture 7's GPT.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from zero_to_hero.gpt import GPT, GPTConfig
from zero_to_hero.makemore.wavenet import DilatedConvWaveNet

MODELS = ("bigram", "mlp", "wavenet", "transformer")
# AdamW learning rates that work for each (a table of logits takes much larger steps than a GPT)
DEFAULT_LR = {"bigram": 5e-2, "mlp": 3e-3, "wavenet": 3e-3, "transformer": 1e-3}


class Bigram(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(vocab_size, vocab_size))

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.logits[idx]


class MLP(nn.Module):
    """Bengio et al. (2003) on characters: the context is the ``block_size`` previous tokens."""

    def __init__(self, vocab_size: int, block_size: int, n_embd: int, n_hidden: int) -> None:
        super().__init__()
        self.block_size = block_size
        self.embedding = nn.Embedding(vocab_size, n_embd)
        self.hidden = nn.Linear(block_size * n_embd, n_hidden)
        self.out = nn.Linear(n_hidden, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        padded = F.pad(idx, (self.block_size - 1, 0), value=0)  # '.' before the start
        contexts = padded.unfold(1, self.block_size, 1)  # (B, T, block_size)
        emb = self.embedding(contexts).flatten(2)  # (B, T, block_size * n_embd)
        return self.out(torch.tanh(self.hidden(emb)))


class Transformer(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.gpt = GPT(config)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.gpt(idx)[0]


def default_config(kind: str, vocab_size: int, max_length: int) -> dict[str, Any]:
    """Hyperparameters that train in minutes on a CPU (stored in the checkpoint)."""
    if kind == "bigram":
        return {"vocab_size": vocab_size}
    if kind == "mlp":
        return {"vocab_size": vocab_size, "block_size": 3, "n_embd": 16, "n_hidden": 128}
    if kind == "wavenet":
        return {"vocab_size": vocab_size, "block_size": 8, "n_embd": 24, "n_hidden": 128}
    if kind == "transformer":
        return {"vocab_size": vocab_size, "block_size": max_length + 1, "n_embd": 64,
                "n_head": 4, "n_layer": 4, "dropout": 0.0}  # fmt: skip
    raise ValueError(f"unknown model {kind!r}; choose from {', '.join(MODELS)}")


def build_model(kind: str, config: dict[str, Any]) -> nn.Module:
    if kind == "bigram":
        return Bigram(**config)
    if kind == "mlp":
        return MLP(**config)
    if kind == "wavenet":
        return DilatedConvWaveNet(**config)
    if kind == "transformer":
        return Transformer(GPTConfig(**config))
    raise ValueError(f"unknown model {kind!r}; choose from {', '.join(MODELS)}")


def step_bytes(kind: str, config: dict[str, Any], batch_size: int, length: int) -> int:
    """A rough upper estimate of the memory one training step needs: the activations kept for
    the backward pass and their gradients, in float32, for ``batch_size`` words of ``length``
    tokens. It guards ``--batch-size`` before training starts, instead of a traceback minutes in
    (a batch of 10^8 words grew to 18 GB first)."""
    per_token = 3 * config["vocab_size"]  # logits, their softmax and its gradient
    if kind == "mlp":
        per_token += config["block_size"] * config["n_embd"] + 2 * config["n_hidden"]
    elif kind == "wavenet":
        per_token += config["n_embd"] + 3 * config["block_size"].bit_length() * config["n_hidden"]
    elif kind == "transformer":
        c, heads = config["n_embd"], config["n_head"]
        per_token += config["n_layer"] * (16 * c + 3 * heads * length)
    return 2 * 4 * per_token * batch_size * length  # forward and backward, 4 bytes a float
