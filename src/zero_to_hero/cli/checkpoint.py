"""Checkpoints: everything needed to resume training or sample, written atomically and verified.

A run directory holds ``last.pt`` (written at every evaluation and when the run stops: resume
continues from it) and ``best.pt`` (written when the validation loss improves: sample reads it).
A checkpoint is a dict of tensors and plain Python values only, so it loads with
``torch.load(..., weights_only=True)`` (no pickled code runs). It carries a sha256 of its own
content, so a bit flipped on disk inside the weights is refused instead of loading silently. It is
written to a temporary file in the same folder, flushed to disk and renamed over the old one: an
interrupted save leaves the previous checkpoint intact, never half a file. The file's mode follows
the umask, like any file the user creates.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import torch

from zero_to_hero.cli.errors import InputError

FORMAT = 3  # bump when the layout changes; older files are refused with a clear message
# (3: --max-steps and --weight-decay stored, size flags in the config)
LAST, BEST = "last.pt", "best.pt"
TMP_GLOB = ".*.pt.*.tmp"
KEYS = frozenset({"kind", "config", "vocab", "longest", "max_length", "words_sha256", "input",
                  "seed", "world", "step", "max_steps", "batch_size", "lr", "weight_decay",
                  "eval_interval", "best_val", "model", "optimizer", "rng"})  # fmt: skip


class CheckpointError(InputError):
    """A checkpoint is missing, unreadable, damaged or from an incompatible version."""


def content_sha256(value: Any) -> str:
    """A digest of nested dicts, lists, tensors and plain values (dict order does not matter)."""
    digest = hashlib.sha256()

    def feed(v: Any) -> None:
        if isinstance(v, torch.Tensor):
            t = v.detach().cpu().contiguous()
            digest.update(f"T{t.dtype}{tuple(t.shape)}".encode())
            digest.update(t.view(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
        elif isinstance(v, dict):
            digest.update(f"D{len(v)}".encode())
            for key in sorted(v, key=repr):
                feed(key)
                feed(v[key])
        elif isinstance(v, list | tuple):
            digest.update(f"L{len(v)}".encode())
            for item in v:
                feed(item)
        else:
            digest.update(f"V{v!r}".encode())

    feed(value)
    return digest.hexdigest()


def save(directory: Path, name: str, state: dict[str, Any]) -> Path:
    """Write ``state`` to ``directory/name`` atomically, with its content checksum."""
    path = directory / name
    tmp = directory / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    # 0o666 & ~umask, as for any file the user creates (mkstemp would force 0600)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save({"format": FORMAT, "sha256": content_sha256(state), **state}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete temporary files that a killed save left behind (the caller holds the run's lock,
    so no save is in progress)."""
    stale = sorted(directory.glob(TMP_GLOB))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def load(directory: Path, name: str) -> dict[str, Any]:
    path = Path(directory) / name
    if not path.is_file():
        hint = "train a model with --out" if name == BEST else "train without --resume into"
        raise CheckpointError(f"no checkpoint at {path}: {hint} {directory}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except OSError as err:
        raise CheckpointError(f"cannot read {path} ({err.strerror or err})") from err
    except Exception as err:  # torch raises several kinds; its messages are long and misleading
        unsafe = "weights_only" in str(err) or "Unsupported global" in str(err)
        reason = ("it holds Python objects other than tensors and plain values, which are "
                  "refused because loading them could run code") if unsafe else (
                  "it is truncated, damaged or not a checkpoint")  # fmt: skip
        raise CheckpointError(
            f"{path} is not a readable zero-to-hero checkpoint: {reason}"
        ) from err
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        found = state.get("format") if isinstance(state, dict) else None
        raise CheckpointError(
            f"{path} has checkpoint format {found!r}; this version of zero-to-hero reads "
            f"format {FORMAT}. Retrain the model (or use the version that wrote it)."
        )
    if missing := sorted(KEYS - state.keys()):
        raise CheckpointError(f"{path} is incomplete: it lacks {', '.join(missing)}")
    recorded = state.pop("sha256", None)
    del state["format"]
    if recorded != content_sha256(state):
        raise CheckpointError(
            f"{path} is damaged: its content does not match the checksum written with it "
            f"(a disk or copy error); use the other checkpoint of the run, or retrain"
        )
    return state
