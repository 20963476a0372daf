"""The command line end to end: every model trains, resumes and samples; bad input fails cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import torch

from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.main import main
from zero_to_hero.cli.models import MODELS


def train(word_file, out, model, *extra):
    argv = ["train", "--model", model, "--input", str(word_file), "--out", str(out)]
    return main([*argv, "--steps", "40", "--eval-interval", "20", "--batch-size", "8", *extra])


@pytest.mark.parametrize("model", MODELS)
def test_train_resume_sample_and_determinism(model, word_file, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert train(word_file, a, model) == 0
    assert train(word_file, b, model) == 0
    sa, sb = checkpoint.load(a), checkpoint.load(b)
    assert sa["kind"] == model and sa["step"] in (20, 40)
    for name, tensor in sa["model"].items():
        assert torch.equal(tensor, sb["model"][name]), name  # same seed, same model
    assert not list(a.glob(".model-*"))  # no temporary file left behind

    capsys.readouterr()
    assert main(["sample", "--out", str(a), "--num", "5", "--seed", "1"]) == 0
    words = capsys.readouterr().out.split()
    assert len(words) == len(set(words)) == 5
    assert not set(words) & set(sa["train_words"])  # new words only
    assert main(["sample", "--out", str(a), "--num", "5", "--seed", "1"]) == 0
    assert capsys.readouterr().out.split() == words
    assert main(["sample", "--out", str(a), "--num", "3", "--prefix", "em", "--seed", "2"]) == 0
    assert all(w.startswith("em") for w in capsys.readouterr().out.split())

    saved_step = sa["step"]
    assert train(word_file, a, model, "--resume", "--steps", "80") == 0
    assert f"resuming at step {saved_step}" in capsys.readouterr().out
    assert checkpoint.load(a)["step"] >= saved_step


def test_training_lowers_the_validation_loss(names, tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\n".join(names[:3000]), encoding="utf-8")
    out = tmp_path / "mlp"
    assert main(["train", "--model", "mlp", "--input", str(path), "--out", str(out),
                 "--steps", "300", "--eval-interval", "300"]) == 0  # fmt: skip
    assert checkpoint.load(out)["best_val"] < 2.6  # uniform over 27 tokens would be 3.30


def test_allow_train_may_return_training_words(word_file, words, tmp_path, capsys):
    out = tmp_path / "bigram"
    assert train(word_file, out, "bigram", "--steps", "400", "--lr", "0.2") == 0
    capsys.readouterr()
    assert main(["sample", "--out", str(out), "--num", "200", "--allow-train"]) == 0
    assert set(capsys.readouterr().out.split()) & set(words)


def test_tensorboard_logs_losses_and_per_layer_histograms(word_file, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out = tmp_path / "wavenet"
    assert train(word_file, out, "wavenet", "--tensorboard") == 0
    events = EventAccumulator(str(out / "tensorboard"), size_guidance={"histograms": 0})
    events.Reload()
    assert {"loss/train", "loss/val", "lr"} <= set(events.Tags()["scalars"])
    histograms = events.Tags()["histograms"]
    assert any(t.startswith("activations/levels.2") for t in histograms)  # a tanh layer
    assert any(t.startswith("activation_grads/") for t in histograms)
    assert any(t.startswith("gradients/") for t in histograms)


def one_line_error(capsys, fragment):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zero-to-hero: error:"), err
    assert "Traceback" not in err and fragment in err, err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "holds no words"),
        (b"\n \n", "holds no words"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"abc\x00def\nghi\n", "binary"),
        ("caf\u00e9\n".encode("latin-1"), "not UTF-8"),
        (b"a\n", "fewer than 2 distinct words"),
        (b"a.b\ncd\n", "may not contain '.'"),
    ],
)
def test_bad_word_files(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    out = tmp_path / "out"
    assert train(path, out, "mlp") == 1
    one_line_error(capsys, fragment)
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


def test_missing_file_and_missing_checkpoint(tmp_path, capsys):
    assert train(tmp_path / "nope.txt", tmp_path / "out", "mlp") == 1
    one_line_error(capsys, "does not exist")
    assert main(["sample", "--out", str(tmp_path / "out")]) == 1
    one_line_error(capsys, "no checkpoint")


def test_incompatible_and_corrupt_checkpoints(word_file, tmp_path, capsys):
    old = tmp_path / "old"
    old.mkdir()
    torch.save({"format": 0, "model": {}}, old / "model.pt")
    assert main(["sample", "--out", str(old)]) == 1
    one_line_error(capsys, "format 0")
    assert train(word_file, old, "mlp", "--resume") == 1
    one_line_error(capsys, "format 0")
    (old / "model.pt").write_bytes(b"not a checkpoint")
    assert main(["sample", "--out", str(old)]) == 1
    one_line_error(capsys, "not a readable checkpoint")


def test_bad_sampling_requests(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    capsys.readouterr()
    assert main(["sample", "--out", str(out), "--prefix", "zq!"]) == 1
    one_line_error(capsys, "outside the vocabulary: '!q'")
    assert main(["sample", "--out", str(out), "--temperature", "0"]) == 1
    one_line_error(capsys, "must be positive")


def test_resume_refuses_another_model_or_word_list(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    capsys.readouterr()
    assert train(word_file, out, "mlp", "--resume") == 1
    one_line_error(capsys, "holds a bigram model")
    other = tmp_path / "other.txt"
    other.write_text("alpha\nbeta\ngamma\n")
    assert train(other, out, "bigram", "--resume") == 1
    one_line_error(capsys, "not the word list")


def test_module_entry_point_and_console_script(tmp_path):
    result = subprocess.run([sys.executable, "-m", "zero_to_hero", "--help"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert "train" in result.stdout and "sample" in result.stdout


def test_data_parallel_training_with_torchrun(word_file, tmp_path):
    out = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         "-m", "zero_to_hero", "train", "--model", "transformer", "--input", str(word_file),
         "--out", str(out), "--steps", "20", "--eval-interval", "10", "--batch-size", "8"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 process(es) on cpu" in result.stdout
    state = checkpoint.load(out)
    assert state["step"] in (10, 20) and state["kind"] == "transformer"
