"""``zero-to-hero sample``: new words from a run's best checkpoint."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
from torch import nn

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.errors import InputError, UsageError
from zero_to_hero.cli.models import build_model
from zero_to_hero.cli.words import read_words
from zero_to_hero.generation import generate
from zero_to_hero.makemore.dataset import Vocabulary

ROUND = 4096  # candidates drawn at once: enough to be fast, few enough to fit any memory
ATTEMPTS = 100  # candidates drawn per word asked for, before giving up


def known_words(state: dict[str, Any], input: Path | None) -> set[str]:
    """Every word of the training file, read again (the checkpoint keeps its path and hash, not
    the list, which made a 50 MB word list a 110 MB checkpoint)."""
    path = Path(input or state["input"])
    try:
        words = read_words(path)
    except InputError as err:
        raise InputError(f"{err} (sample reads the training file to leave out its words: pass "
                         "--input PATH where it is now, or --allow-train)") from err  # fmt: skip
    if words.sha256 != state["words_sha256"]:
        raise InputError(f"{path} has changed since the model was trained on it: pass the "
                         "original with --input, or --allow-train")  # fmt: skip
    return set(words.words)


@torch.no_grad()
def draw_words(
    model: nn.Module,
    vocab: Vocabulary,
    longest: int,
    count: int,
    *,
    prefix: str = "",
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
) -> list[str]:
    """``count`` words (repeats and training words included) that start with ``prefix``, each
    at most ``longest`` characters: what ``sample`` filters, and what training prints at each
    evaluation. The model is put in evaluation mode and left so."""
    model.eval()
    start = [0, *vocab.encode(prefix)]
    device = next(model.parameters()).device  # training samples on its device
    batch = generate(model, torch.tensor([start] * count, device=device), longest + 1 - len(start),
                     temperature=temperature, top_k=top_k, generator=generator,
                     stop_token=0)  # fmt: skip
    words = []
    for row in batch.tolist():
        ids = row[1:]
        words.append(vocab.decode(ids[: ids.index(0)] if 0 in ids else ids))
    return words


def sample(
    out: Path,
    num: int = 10,
    prefix: str = "",
    temperature: float = 1.0,
    seed: int = 3407,
    allow_train: bool = False,
    input: Path | None = None,
    top_k: int | None = None,
) -> list[str]:
    """``num`` distinct words that start with ``prefix``; every word of the training file
    (validation words too) is drawn again unless ``allow_train``: a model that only recites its
    data is not much use, and a held-out word is not new. ``top_k`` draws each character from
    the ``top_k`` likeliest only (1: always the likeliest, one word)."""
    if num < 1:
        raise UsageError(f"--num must be at least 1, not {num}")
    if not (math.isfinite(temperature) and temperature > 0):
        raise UsageError(f"--temperature must be a positive finite number, not {temperature}")
    if top_k is not None and top_k < 1:
        raise UsageError(f"--top-k must be at least 1, not {top_k}")
    state = checkpoint.load(out, checkpoint.BEST)
    vocab = Vocabulary(tuple(state["vocab"]))
    try:
        vocab.encode(prefix)
    except ValueError as err:
        raise UsageError(f"--prefix {err}") from None
    longest = state["longest"]
    if len(prefix) >= longest:
        raise UsageError(f"--prefix is {len(prefix)} characters; the longest word is {longest}")
    known = set() if allow_train else known_words(state, input)
    model = build_model(state["kind"], state["config"])
    model.load_state_dict(state["model"])
    g = torch.Generator().manual_seed(seed)
    found: dict[str, None] = {}  # insertion-ordered, and O(1) membership
    size = min(ROUND, max(2 * num, 16))
    for _ in range(math.ceil(ATTEMPTS * max(2 * num, 16) / size)):
        drawn = draw_words(model, vocab, longest, size, prefix=prefix, temperature=temperature,
                           top_k=top_k, generator=g)  # fmt: skip
        for word in drawn:
            if word and word not in known and word not in found:
                found[word] = None
                if len(found) == num:
                    return list(found)
    raise UsageError(
        f"found only {len(found)} distinct new words: the model mostly repeats its training "
        "words; use --allow-train, a higher --temperature, or a shorter --prefix"
    )
