"""``zero-to-hero sample``: new words from a trained checkpoint."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.models import build_model
from zero_to_hero.makemore.data import Vocabulary


@torch.no_grad()
def sample(
    out: Path,
    num: int = 10,
    prefix: str = "",
    temperature: float = 1.0,
    seed: int = 3407,
    allow_train: bool = False,
) -> list[str]:
    """``num`` distinct words that start with ``prefix``; words of the training file are drawn
    again unless ``allow_train`` (a model that only recites its data is not much use)."""
    if num < 1 or temperature <= 0:
        raise ValueError("--num and --temperature must be positive")
    state = checkpoint.load(out)
    vocab = Vocabulary(tuple(state["vocab"]))
    start = [0, *vocab.encode(prefix)]  # unknown characters: a ValueError that names them
    max_length = state["max_length"]
    if len(prefix) >= max_length:
        raise ValueError(f"--prefix is {len(prefix)} characters; the longest word is {max_length}")
    model = build_model(state["kind"], state["config"])
    model.load_state_dict(state["model"])
    model.eval()
    known = set() if allow_train else set(state["train_words"])
    g = torch.Generator().manual_seed(seed)
    found: list[str] = []
    for _ in range(100):  # rounds; each draws a batch of candidates
        batch = torch.tensor([start] * max(2 * num, 16))
        done = torch.zeros(len(batch), dtype=torch.bool)
        while batch.shape[1] <= max_length and not done.all():
            logits = model(batch)[:, -1, :] / temperature
            nxt = torch.multinomial(F.softmax(logits, dim=-1), 1, generator=g)
            nxt[done] = 0
            done |= nxt[:, 0] == 0
            batch = torch.cat([batch, nxt], dim=1)
        for row in batch.tolist():
            ids = row[1:]
            word = vocab.decode(ids[: ids.index(0)] if 0 in ids else ids)
            if word and word not in known and word not in found:
                found.append(word)
                if len(found) == num:
                    return found
    raise ValueError(
        f"found only {len(found)} new words in 100 rounds: the model mostly repeats its training "
        "words; use --allow-train, a higher --temperature, or a shorter --prefix"
    )
