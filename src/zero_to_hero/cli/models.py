"""The seven models of the command line, each mapping token ids ``(B, T)`` to logits ``(B, T, V)``.

All seven predict every position of a word at once, so one loop trains them all and
``zero_to_hero.generation.generate`` samples them all:

* ``bigram``: a ``V x V`` table of logits, the next character from the current one (lecture 2);
* ``mlp``: the last ``block_size`` characters, embedded and concatenated, one tanh hidden layer
  (lecture 3), slid along the word;
* ``rnn`` and ``gru``: a hidden state carried from character to character by a vanilla tanh cell
  or by a cell with update and reset gates (Cho et al., 2014), started from a learned state;
* ``bow``: a causal bag of words: each position averages the embeddings up to itself, then an
  MLP (the step between an MLP and attention: every position weighted alike);
* ``wavenet``: lecture 6's tree of pairwise fusions as dilated causal convolutions;
* ``transformer``: lecture 7's GPT.

Why a third MLP: ``zero_to_hero.micrograd.nn.MLP`` is lecture 1's network of scalar ``Value``
objects, built to show autograd; ``zero_to_hero.makemore.mlp.MLPLanguageModel`` is lecture 3's
plain-tensor model that predicts *one* next character from a fixed window, as the lecture
writes it; ``MLP`` here is the same idea over whole sequences (``(B, T) -> (B, T, V)``), so
that the command line's one loop and ``generate`` serve it like every other model.

``REGISTRY`` holds, per model, its knobs and their defaults, how to build it, its learning rate
and its memory estimate: adding a model is one entry, not a branch in every function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from zero_to_hero.cli.errors import UsageError
from zero_to_hero.gpt import GPT, GPTConfig
from zero_to_hero.makemore.wavenet import DilatedConvWaveNet

# The size flags of makemore.py, each stored in the config of the models that have it.
KNOBS = ("n_layer", "n_head", "n_embd", "n_embd2")


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
        out: torch.Tensor = self.out(torch.tanh(self.hidden(emb)))
        return out


class RNNCell(nn.Module):
    """Elman's cell: the next state is ``tanh(W [x, h])``."""

    def __init__(self, n_input: int, n_state: int) -> None:
        super().__init__()
        self.update = nn.Linear(n_input + n_state, n_state)

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.update(torch.cat([x, h], dim=1)))


class GRUCell(nn.Module):
    """A gated cell: ``z`` decides how much of the state to replace, ``r`` how much of the old
    state the candidate sees; with ``z`` near 0 the state (and its gradient) passes unchanged,
    which is what lets a GRU learn longer dependencies than the tanh cell."""

    def __init__(self, n_input: int, n_state: int) -> None:
        super().__init__()
        self.update_gate = nn.Linear(n_input + n_state, n_state)
        self.reset_gate = nn.Linear(n_input + n_state, n_state)
        self.candidate = nn.Linear(n_input + n_state, n_state)

    def forward(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        xh = torch.cat([x, h], dim=1)
        z = torch.sigmoid(self.update_gate(xh))
        r = torch.sigmoid(self.reset_gate(xh))
        candidate = torch.tanh(self.candidate(torch.cat([x, r * h], dim=1)))
        return (1 - z) * h + z * candidate


class Recurrent(nn.Module):
    """Embed each token, carry a state through ``cell`` from a learned start, read logits off
    every state."""

    def __init__(self, vocab_size: int, n_embd: int, n_embd2: int, cell: str) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, n_embd)
        self.start = nn.Parameter(torch.zeros(1, n_embd2))
        self.cell = RNNCell(n_embd, n_embd2) if cell == "rnn" else GRUCell(n_embd, n_embd2)
        self.head = nn.Linear(n_embd2, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        emb = self.embedding(idx)  # (B, T, n_embd)
        h = self.start.expand(idx.shape[0], -1)
        states = []
        for t in range(idx.shape[1]):
            h = self.cell(emb[:, t], h)
            states.append(h)
        logits: torch.Tensor = self.head(torch.stack(states, dim=1))  # (B, T, V)
        return logits


class BagOfWords(nn.Module):
    """Token plus position embeddings; each position adds the mean of the vectors up to itself
    (attention with equal weights, no queries or keys), then a residual tanh MLP."""

    def __init__(self, vocab_size: int, block_size: int, n_embd: int, n_embd2: int) -> None:
        super().__init__()
        self.token = nn.Embedding(vocab_size, n_embd)
        self.position = nn.Embedding(block_size, n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, n_embd2), nn.Tanh(), nn.Linear(n_embd2, n_embd))
        self.head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(idx.shape[1], device=idx.device)
        x = self.token(idx) + self.position(positions)  # (B, T, n_embd)
        counts = (positions + 1).unsqueeze(1)  # position t averages t + 1 vectors
        x = x + x.cumsum(dim=1) / counts
        x = x + self.mlp(x)
        logits: torch.Tensor = self.head(x)
        return logits


class Transformer(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.gpt = GPT(config)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.gpt(idx)[0]
        return logits


Config = dict[str, Any]


@dataclass(frozen=True)
class ModelSpec:
    """One model of the command line.

    ``defaults`` are its hyperparameters; those named in ``KNOBS`` are its knobs (flags). A
    config is ``vocab_size``, ``max_length`` (the longest word) and ``defaults`` with the flags
    given; it is stored in the checkpoint, so ``build`` rebuilds the same model from it.
    ``floats_per_token`` counts the activations one token keeps for the backward pass (besides
    the logits), for ``step_bytes``.
    """

    summary: str
    defaults: Mapping[str, Any]
    build: Callable[[Config], nn.Module]
    lr: float  # an AdamW learning rate that works (a table of logits takes larger steps)
    floats_per_token: Callable[[Config], int]

    @property
    def knobs(self) -> tuple[str, ...]:
        return tuple(k for k in KNOBS if k in self.defaults)


def _transformer(c: Config) -> nn.Module:
    sizes = {k: c[k] for k in ("vocab_size", "n_embd", "n_head", "n_layer", "dropout")}
    return Transformer(GPTConfig(block_size=c["longest"] + 1, **sizes))


def _gpt_floats(c: Config) -> int:
    return int(c["n_layer"] * (16 * c["n_embd"] + 3 * c["n_head"] * (c["longest"] + 1)))


REGISTRY: dict[str, ModelSpec] = {
    "bigram": ModelSpec(
        "lecture 2's table of next-character logits",
        {},
        lambda c: Bigram(c["vocab_size"]),
        5e-2,
        lambda c: 0,
    ),
    "mlp": ModelSpec(
        "lecture 3's MLP on the 3 previous characters",
        {"block_size": 3, "n_embd": 16, "n_embd2": 128},
        lambda c: MLP(c["vocab_size"], c["block_size"], c["n_embd"], c["n_embd2"]),
        3e-3,
        lambda c: c["block_size"] * c["n_embd"] + 2 * c["n_embd2"],
    ),
    "rnn": ModelSpec(
        "a vanilla tanh recurrent network",
        {"n_embd": 32, "n_embd2": 64},
        lambda c: Recurrent(c["vocab_size"], c["n_embd"], c["n_embd2"], "rnn"),
        3e-3,
        lambda c: 3 * (c["n_embd"] + c["n_embd2"]),
    ),
    "gru": ModelSpec(
        "a recurrent network with gated (GRU) cells",
        {"n_embd": 32, "n_embd2": 64},
        lambda c: Recurrent(c["vocab_size"], c["n_embd"], c["n_embd2"], "gru"),
        3e-3,
        lambda c: 4 * c["n_embd"] + 12 * c["n_embd2"],
    ),
    "bow": ModelSpec(
        "a causal bag of words: the mean of the characters so far, then an MLP",
        {"n_embd": 32, "n_embd2": 128},
        lambda c: BagOfWords(c["vocab_size"], c["longest"] + 1, c["n_embd"], c["n_embd2"]),
        3e-3,
        lambda c: 6 * c["n_embd"] + 2 * c["n_embd2"],
    ),
    "wavenet": ModelSpec(
        "lecture 6's WaveNet: 2**n_layer characters, as dilated causal convolutions",
        {"n_layer": 3, "n_embd": 24, "n_embd2": 128},
        lambda c: DilatedConvWaveNet(c["vocab_size"], 2 ** c["n_layer"], c["n_embd"], c["n_embd2"]),
        3e-3,
        # the padded context of 2**n_layer - 1 positions is kept too; counted per token
        lambda c: c["n_embd"] * 2 ** c["n_layer"] + 3 * (c["n_layer"] + 1) * c["n_embd2"],
    ),
    "transformer": ModelSpec(
        "lecture 7's GPT over the whole word",
        {"n_layer": 4, "n_head": 4, "n_embd": 64, "dropout": 0.0},
        _transformer,
        1e-3,
        _gpt_floats,
    ),
}
MODELS = tuple(REGISTRY)


def check_knobs(kind: str, knobs: Mapping[str, int | None]) -> None:
    """Refuse (``UsageError``) a size flag ``kind`` does not have, or sizes it cannot take;
    ``None`` is a flag not given."""
    spec = REGISTRY[kind]
    given = {name: value for name, value in knobs.items() if value is not None}
    if unused := [name for name in given if name not in spec.knobs]:
        has = ", ".join(f"--{k.replace('_', '-')}" for k in spec.knobs) or "none"
        flags = ", ".join(f"--{k.replace('_', '-')}" for k in unused)
        raise UsageError(f"{kind} has no {flags} (its size flags: {has})")
    sizes = {**spec.defaults, **given}
    if "n_head" in sizes and sizes["n_embd"] % sizes["n_head"]:
        raise UsageError(f"--n-embd {sizes['n_embd']} is not divisible by --n-head "
                         f"{sizes['n_head']}")  # fmt: skip


def default_config(
    kind: str, vocab_size: int, longest: int, knobs: Mapping[str, int | None]
) -> Config:
    """The model's hyperparameters, with the size flags given (``None``: the default); the
    flags were checked by ``check_knobs``."""
    given = {name: value for name, value in knobs.items() if value is not None}
    return {"vocab_size": vocab_size, "longest": longest, **REGISTRY[kind].defaults, **given}


def build_model(kind: str, config: Config) -> nn.Module:
    return REGISTRY[kind].build(config)


def step_bytes(kind: str, config: Config, batch_size: int, length: int) -> int:
    """A rough upper estimate of the memory one training step needs: the activations kept for
    the backward pass and their gradients, in float32, for ``batch_size`` words of ``length``
    tokens. It guards ``--batch-size`` before training starts, instead of a traceback minutes in
    (a batch of 10^8 words grew to 18 GB first)."""
    per_token = 3 * config["vocab_size"]  # logits, their softmax and its gradient
    per_token += REGISTRY[kind].floats_per_token(config)
    return 2 * 4 * per_token * batch_size * length  # forward and backward, 4 bytes a float
