"""Where a model runs: the one device picker of the lectures and the command line."""

from __future__ import annotations

import torch


def pick_device(name: str = "auto") -> torch.device:
    """``auto`` (CUDA when present, else the CPU), ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.

    A device this machine does not have is a ``ValueError`` now, with the reason, rather than
    an obscure failure at the first tensor moved there minutes later.
    """
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"{name!r} is not a device: use auto, cpu, cuda or cuda:N") from None
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if (device.index or 0) >= count:
            raise ValueError(f"{name} was asked for, but this machine has {count} CUDA GPU(s)")
    elif device.type == "mps":
        if not torch.backends.mps.is_available():
            raise ValueError(f"{name} was asked for, but Apple's MPS is not available here")
    elif device.type != "cpu":
        raise ValueError(f"{name}: only auto, cpu, cuda, cuda:N and mps are supported")
    return device
