"""``zero-to-hero sample``: new words from a run's best checkpoint."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.data import read_words
from zero_to_hero.cli.errors import InputError, UsageError
from zero_to_hero.cli.models import build_model
from zero_to_hero.generation import generate
from zero_to_hero.makemore.dataset import Vocabulary

ROUND = 4096  # candidates drawn at once: enough to be fast, few enough to fit any memory
ATTEMPTS = 100  # candidates drawn per word asked for, before giving up


def known_words(state: dict, input: Path | None) -> set[str]:
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
def sample(
    out: Path,
    num: int = 10,
    prefix: str = "",
    temperature: float = 1.0,
    seed: int = 3407,
    allow_train: bool = False,
    input: Path | None = None,
) -> list[str]:
    """``num`` distinct words that start with ``prefix``; every word of the training file
    (validation words too) is drawn again unless ``allow_train``: a model that only recites its
    data is not much use, and a held-out word is not new."""
    if num < 1:
        raise UsageError(f"--num must be at least 1, not {num}")
    if not (math.isfinite(temperature) and temperature > 0):
        raise UsageError(f"--temperature must be a positive finite number, not {temperature}")
    state = checkpoint.load(out, checkpoint.BEST)
    vocab = Vocabulary(tuple(state["vocab"]))
    try:
        start = [0, *vocab.encode(prefix)]
    except ValueError as err:
        raise UsageError(f"--prefix {err}") from None
    max_length = state["longest"]
    if len(prefix) >= max_length:
        raise UsageError(f"--prefix is {len(prefix)} characters; the longest word is {max_length}")
    known = set() if allow_train else known_words(state, input)
    model = build_model(state["kind"], state["config"])
    model.load_state_dict(state["model"])
    model.eval()
    g = torch.Generator().manual_seed(seed)
    found: dict[str, None] = {}  # insertion-ordered, and O(1) membership
    size = min(ROUND, max(2 * num, 16))
    for _ in range(math.ceil(ATTEMPTS * max(2 * num, 16) / size)):
        batch = generate(model, torch.tensor([start] * size), max_length + 1 - len(start),
                         temperature=temperature, generator=g, stop_token=0)  # fmt: skip
        for row in batch.tolist():
            ids = row[1:]
            word = vocab.decode(ids[: ids.index(0)] if 0 in ids else ids)
            if word and word not in known and word not in found:
                found[word] = None
                if len(found) == num:
                    return list(found)
    raise UsageError(
        f"found only {len(found)} distinct new words: the model mostly repeats its training "
        "words; use --allow-train, a higher --temperature, or a shorter --prefix"
    )
