from __future__ import annotations

import pytest
import torch

from zero_to_hero.device import pick_device


def test_auto_is_cuda_when_present_else_the_cpu():
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device().type == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gpu", "'gpu' is not a device"),
        ("cuda:7", "cuda:7 was asked for, but this machine has"),
        ("meta", "only auto, cpu, cuda, cuda:N and mps"),
    ],
)
def test_a_device_this_machine_lacks_is_refused_with_the_reason(name, message):
    with pytest.raises(ValueError, match=message):
        pick_device(name)


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="this machine has MPS")
def test_mps_is_refused_where_apple_gpus_are_absent():
    with pytest.raises(ValueError, match="MPS is not available"):
        pick_device("mps")
