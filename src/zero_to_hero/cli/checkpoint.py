"""Checkpoints: everything needed to resume training or sample, written atomically.

A checkpoint is a dict of tensors and plain Python values only, so it loads with
``torch.load(..., weights_only=True)`` (no pickled code runs). It is written to a temporary file
in the same folder and renamed over the old one: an interrupted save leaves the previous
checkpoint intact, never half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import torch

FORMAT = 1  # bump when the layout changes; older files are refused with a clear message
NAME = "model.pt"


class CheckpointError(RuntimeError):
    """A checkpoint is missing, unreadable or from an incompatible version."""


def save(directory: Path, state: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / NAME
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".model-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save({"format": FORMAT, **state}, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(directory: Path) -> dict[str, Any]:
    path = Path(directory) / NAME
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}: train a model with --out {directory}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises several kinds for a damaged or foreign file
        reason = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        raise CheckpointError(f"{path} is not a readable checkpoint ({reason})") from err
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        found = state.get("format") if isinstance(state, dict) else None
        raise CheckpointError(
            f"{path} has checkpoint format {found!r}; this version of zero-to-hero reads "
            f"format {FORMAT}. Retrain the model (or use the version that wrote it)."
        )
    return state
