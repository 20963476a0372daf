"""Every foreseeable fault is one line on standard error and a documented exit status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

from tests.cli.helpers import one_line_error, train
from zero_to_hero.cli import checkpoint, errors
from zero_to_hero.cli import train as train_module
from zero_to_hero.cli.main import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "holds no words"),
        (b"\n \n", "holds no words"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"abc\x00def\nghi\n", "binary file: line 1 has the control character '\\x00'"),
        ("caf\u00e9\n".encode("latin-1"), "not UTF-8"),
        (b"a\n", "fewer than 2 distinct words"),
        (b"a.b\ncd\n", "may not contain '.'"),
        (b"ab\ncd\n" + b"x" * 10_000 + b"\n", "is 10,000 characters long"),
    ],
)
def test_bad_word_files(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert train(path, tmp_path / "out", "mlp") == 1
    one_line_error(capsys, fragment)


@pytest.fixture
def no_training_work(monkeypatch):
    """Fail the test if the word list is read: the flags should have been refused first."""

    def read_words(path):
        raise AssertionError("the input was read before the flags were checked")

    monkeypatch.setattr(train_module, "read_words", read_words)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--device", "gpu"], "--device 'gpu' is not a device"),
        (["--device", "mps"], "--device mps was asked for"),
        (["--device", "cuda:7"], "--device cuda:7 was asked for"),
        (["--device", "meta"], "only auto, cpu, cuda, cuda:N and mps"),
        (["--lr", "inf"], "--lr must be a positive finite number"),
        (["--lr", "nan"], "--lr must be a positive finite number"),
        (["--lr", "-1"], "--lr must be a positive finite number"),
        (["--weight-decay", "-0.1"], "--weight-decay must be a finite number >= 0"),
        (["--weight-decay", "nan"], "--weight-decay must be a finite number >= 0"),
    ],
)
def test_bad_flags_fail_before_any_work(word_file, tmp_path, capsys, no_training_work, extra,
                                        fragment):  # fmt: skip
    assert train(word_file, tmp_path / "out", "mlp", *extra) == 2
    one_line_error(capsys, fragment)
    assert not (tmp_path / "out").exists()


def test_argparse_refuses_non_positive_counts(word_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        train(word_file, tmp_path / "out", "mlp", "--max-steps", "0")
    assert exit_.value.code == 2 and "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-1", str(2**63)])
@pytest.mark.parametrize("command", ["train", "sample"])
def test_argparse_refuses_a_seed_torch_cannot_take(word_file, tmp_path, capsys, command, value):
    # 2**64 used to fail inside torch's generator as an internal error (status 70)
    argv = ["--model", "bigram", "--input", str(word_file)] if command == "train" else []
    with pytest.raises(SystemExit) as exit_:
        main([command, *argv, "--out", str(tmp_path / "out"), "--seed", value])
    assert exit_.value.code == 2 and "must be between 0 and 2**63 - 1" in capsys.readouterr().err


def test_an_out_that_is_a_file_or_cannot_be_created(word_file, tmp_path, capsys, no_training_work):
    afile = tmp_path / "file"
    afile.write_text("x")
    assert train(word_file, afile, "mlp") == 2
    one_line_error(capsys, "is a file, not a directory")
    assert train(word_file, afile / "sub", "mlp") == 2
    one_line_error(capsys, "cannot be created")


def test_a_batch_too_big_for_memory_is_refused_before_training(word_file, tmp_path, capsys):
    assert train(word_file, tmp_path / "out", "bigram", "--batch-size", "100000000") == 2
    one_line_error(capsys, "--batch-size 100,000,000 needs about")


def test_running_out_of_memory_is_status_5(word_file, tmp_path, capsys, monkeypatch):
    def exhausted(*args):
        raise MemoryError

    with monkeypatch.context() as patch:
        patch.setattr(train_module, "training_step", exhausted)
        assert train(word_file, tmp_path / "m", "mlp") == errors.OutOfMemory.status
    one_line_error(capsys, "out of memory at step 1: lower --batch-size or --max-length")

    def cpu_allocator(*args):  # what torch raises when a CPU allocation fails
        raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 TB")

    monkeypatch.setattr(train_module, "encode_words", cpu_allocator)
    assert train(word_file, tmp_path / "m", "mlp") == errors.OutOfMemory.status
    one_line_error(capsys, "out of memory: lower --batch-size")


def test_a_failed_save_keeps_the_previous_checkpoint_and_no_temporary_file(
    word_file, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    good = (out / checkpoint.LAST).read_bytes()

    def disk_full(state, f):
        f.write(b"half a checkpoint")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint.torch, "save", disk_full)
    capsys.readouterr()
    assert train(word_file, out, "bigram", "--resume", "--max-steps", "60") == 1
    one_line_error(capsys, "No space left on device")
    assert (out / checkpoint.LAST).read_bytes() == good
    assert not list(out.glob(checkpoint.TMP_GLOB))


def test_bad_sampling_requests(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    capsys.readouterr()
    assert main(["sample", "--out", str(out), "--prefix", "zq!"]) == 2
    one_line_error(capsys, "outside the vocabulary: '!q'")
    for temperature in ("0", "nan", "inf", "-1"):
        assert main(["sample", "--out", str(out), "--temperature", temperature]) == 2
        one_line_error(capsys, "--temperature must be a positive finite number")
    assert main(["sample", "--out", str(tmp_path / "none")]) == 1
    one_line_error(capsys, "no checkpoint at")


@pytest.fixture
def trained(word_file, tmp_path):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    return out / checkpoint.BEST


def test_incompatible_checkpoints(trained, capsys):
    torch.save({"format": 1, "model": {}}, trained)
    assert main(["sample", "--out", str(trained.parent)]) == 1
    one_line_error(capsys, "format 1")


def test_a_checkpoint_missing_a_key(trained, capsys):
    state = torch.load(trained, weights_only=True)
    del state["vocab"]
    torch.save(state, trained)
    assert main(["sample", "--out", str(trained.parent)]) == 1
    one_line_error(capsys, "is incomplete: it lacks vocab")


def test_corrupt_and_unsafe_checkpoints_are_refused_in_our_words(trained, capsys):
    trained.write_bytes(trained.read_bytes()[:500])
    assert main(["sample", "--out", str(trained.parent)]) == 1
    err = one_line_error(capsys, "truncated, damaged or not a checkpoint")
    assert "weights_only" not in err
    torch.save({"format": checkpoint.FORMAT, "payload": Path("x")}, trained)  # a pickled object
    assert main(["sample", "--out", str(trained.parent)]) == 1
    err = one_line_error(capsys, "could run code")
    assert "weights_only" not in err


def test_a_bit_flipped_inside_the_weights_is_detected(trained, capsys):
    weights = torch.load(trained, weights_only=True)["model"]["logits"]
    raw = trained.read_bytes()
    at = raw.index(weights.numpy().tobytes()) + 4 * 100 + 2  # inside the 101st float
    trained.write_bytes(raw[:at] + bytes([raw[at] ^ 0x10]) + raw[at + 1 :])
    assert main(["sample", "--out", str(trained.parent)]) == 1
    one_line_error(capsys, "does not match the checksum")


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(checkpoint.CheckpointError):
        main(["--debug", "sample", "--out", str(tmp_path)])


def test_an_unexpected_exception_is_one_line_asking_for_debug(word_file, tmp_path, capsys,
                                                              monkeypatch):  # fmt: skip
    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(train_module, "hold_out_words", broken)
    assert train(word_file, tmp_path / "m", "mlp") == errors.INTERNAL
    one_line_error(capsys, "rerun with --debug")


def test_the_documented_exit_statuses_are_the_real_ones():
    table = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", DOCS.read_text(encoding="utf-8"), re.M))
    real = {
        errors.OK, errors.InputError.status, errors.UsageError.status, errors.Diverged.status,
        errors.OutputInUse.status, errors.OutOfMemory.status, errors.INTERNAL,
        *errors.INTERRUPTED.values(),
    }  # fmt: skip
    assert {int(status) for status in table} == real
