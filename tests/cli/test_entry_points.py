"""The installed console script, ``python -m zero_to_hero``, and data-parallel training."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torch

from tests.cli.helpers import train
from zero_to_hero.cli import checkpoint

CONSOLE_SCRIPT = Path(sys.executable).parent / "zero-to-hero"
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def test_the_console_script_runs_and_reports_errors_as_documented(tmp_path):
    result = subprocess.run([str(CONSOLE_SCRIPT), "sample", "--out", str(tmp_path)],
                            capture_output=True, text=True, env=ENV)  # fmt: skip
    assert result.returncode == 1 and result.stderr.startswith("zero-to-hero: error: no checkpoint")
    assert result.stderr.count("\n") == 1


def test_module_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "zero_to_hero", "sample", "--out",
                             str(tmp_path), "--temperature", "nan"], capture_output=True,
                            text=True, env=ENV)  # fmt: skip
    assert result.returncode == 2 and "--temperature must be" in result.stderr


def test_data_parallel_training_averages_the_gradients(word_file, tmp_path):
    out = tmp_path / "ddp"
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         "-m", "zero_to_hero", "train", "--model", "mlp", "--input", str(word_file),
         "--out", str(out), "--max-steps", "20", "--eval-interval", "10", "--batch-size", "8"],
        capture_output=True, text=True, env=ENV, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 process(es) on cpu" in result.stdout
    state = checkpoint.load(out, checkpoint.LAST)
    assert state["step"] == 20 and state["world"] == 2 and len(state["rng"]) == 2
    assert not torch.equal(state["rng"][0], state["rng"][1])  # each process drew its own batches
    # rank 0 alone draws exactly the batches of a one-process run with the same seed: the
    # models differ only because rank 1's gradients were averaged in
    assert (
        train(word_file, tmp_path / "one", "mlp", "--max-steps", "20", "--eval-interval", "10") == 0
    )
    alone = checkpoint.load(tmp_path / "one", checkpoint.LAST)["model"]
    assert not any(torch.equal(state["model"][k], alone[k]) for k in ("hidden.weight", "out.bias"))
