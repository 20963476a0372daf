"""The ``--out`` directory of a run: one run at a time, and no run overwritten by accident.

Two runs writing one directory would both report "(saved)" while one model silently replaced
the other, so a run holds an exclusive ``flock`` on ``OUT/.lock`` for as long as it lives. The
kernel releases it when the process ends, however it ends, so a killed run never leaves a stale
lock. The file records who holds it, for the second run's error message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.errors import OutputInUse, UsageError

LOCK = ".lock"


def check_writable(out: Path) -> None:
    """Fail before any work if ``out`` is a file, or cannot be created or written."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a directory")
    parent = next((p for p in [out, *out.parents] if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out} cannot be created: {parent} is not a writable directory")


@contextmanager
def locked(out: Path, *, resume: bool, force: bool) -> Iterator[list[Path]]:
    """Hold ``out`` for one run; yields the stale temporary files it removed.

    A fresh run into a directory that holds a checkpoint is refused unless ``force`` (which
    deletes the old run's checkpoints and TensorBoard logs). If the run fails before it writes a
    checkpoint, a directory it created is removed again.
    """
    check_writable(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as err:
        raise UsageError(f"--out {out} cannot be created ({err.strerror or err})") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise OutputInUse(
                f"--out {out} is in use by another run ({holder}): wait for it to end, or "
                f"choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {stamp}\n".encode(), 0)
        held = [out / name for name in (checkpoint.LAST, checkpoint.BEST) if (out / name).exists()]
        if held and not resume:
            if not force:
                raise OutputInUse(
                    f"--out {out} already holds a run ({held[0].name}): pass --resume to continue "
                    f"it, --force to replace it, or choose another --out"
                )
            for path in held:
                path.unlink()
            shutil.rmtree(out / "tensorboard", ignore_errors=True)
        stale = checkpoint.remove_stale_temporaries(out)
        try:
            yield stale
        except BaseException:
            if created and not any(p.name != LOCK for p in out.iterdir()):
                shutil.rmtree(out, ignore_errors=True)
            raise
    finally:
        os.close(fd)
