"""Every model trains, is deterministic, samples new words; the run directory is protected."""

from __future__ import annotations

import fcntl
import os
import stat

import pytest
import torch

from tests.cli.helpers import one_line_error, train
from zero_to_hero.cli import checkpoint, rundir
from zero_to_hero.cli.main import main
from zero_to_hero.cli.models import MODELS
from zero_to_hero.cli.words import hold_out_words, read_words


@pytest.mark.parametrize("model", MODELS)
def test_train_and_sample_every_model_deterministically(model, word_file, words, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert train(word_file, a, model) == 0
    assert train(word_file, b, model) == 0
    sa, sb = checkpoint.load(a, checkpoint.LAST), checkpoint.load(b, checkpoint.LAST)
    assert sa["kind"] == model and sa["step"] == 40
    for name, tensor in sa["model"].items():
        assert torch.equal(tensor, sb["model"][name]), name  # same seed, same model
    assert (a / checkpoint.BEST).is_file() and not list(a.glob(checkpoint.TMP_GLOB))

    capsys.readouterr()
    assert main(["sample", "--out", str(a), "--num", "5", "--seed", "1"]) == 0
    sampled = capsys.readouterr().out.split()
    assert len(sampled) == len(set(sampled)) == 5
    assert not set(sampled) & set(words)  # new words only: neither training nor validation
    assert main(["sample", "--out", str(a), "--num", "5", "--seed", "1"]) == 0
    assert capsys.readouterr().out.split() == sampled
    assert main(["sample", "--out", str(a), "--num", "3", "--prefix", "em", "--seed", "2"]) == 0
    assert all(w.startswith("em") for w in capsys.readouterr().out.split())


def test_training_lowers_the_validation_loss(names, tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\n".join(names[:3000]), encoding="utf-8")
    out = tmp_path / "mlp"
    assert main(["train", "--model", "mlp", "--input", str(path), "--out", str(out),
                 "--max-steps", "300", "--eval-interval", "300"]) == 0  # fmt: skip
    assert checkpoint.load(out, checkpoint.BEST)["best_val"] < 2.6  # uniform would be 3.30


def test_sample_leaves_out_validation_words_unless_allowed(tmp_path, capsys):
    # every word of one to three letters over {a, b, c}: a bigram model draws them all often
    letters = "abc"
    short = [a + b + c for a in ["", *letters] for b in ["", *letters] for c in letters]
    short.append("abcd")  # so that new words exist: four letters, or with a d
    path = tmp_path / "abc.txt"
    path.write_text("\n".join(sorted(set(short))), encoding="utf-8")
    out = tmp_path / "m"
    assert train(path, out, "bigram", "--max-steps", "200", "--lr", "0.2") == 0
    val = set(hold_out_words(read_words(path).words, 3407)[1])  # the default seed's split
    capsys.readouterr()
    assert main(["sample", "--out", str(out), "--num", "100", "--allow-train"]) == 0
    assert val <= set(capsys.readouterr().out.split())  # the model does produce them
    assert main(["sample", "--out", str(out), "--num", "100"]) == 0
    assert not set(capsys.readouterr().out.split()) & set(short)


def test_sample_needs_the_training_file_or_allow_train(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    moved = tmp_path / "moved.txt"
    word_file.rename(moved)
    capsys.readouterr()
    assert main(["sample", "--out", str(out)]) == 1
    one_line_error(capsys, "--input PATH")
    assert main(["sample", "--out", str(out), "--input", str(moved)]) == 0
    moved.write_text("other\nwords\n", encoding="utf-8")
    assert main(["sample", "--out", str(out), "--input", str(moved)]) == 1
    one_line_error(capsys, "has changed")
    assert main(["sample", "--out", str(out), "--allow-train"]) == 0


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


def test_a_second_run_into_a_busy_directory_fails_at_once_naming_the_holder(word_file, tmp_path,
                                                                             capsys):  # fmt: skip
    out = tmp_path / "m"
    with rundir.locked(out, resume=False, force=False):
        assert train(word_file, out, "bigram") == 4
        one_line_error(capsys, f"in use by another run (pid {os.getpid()} on")
    assert train(word_file, out, "bigram") == 0  # released when the holder ends


def test_the_lock_is_an_flock_that_another_process_would_see(word_file, tmp_path):
    out = tmp_path / "m"
    with rundir.locked(out, resume=False, force=False):
        fd = os.open(out / rundir.LOCK, os.O_RDONLY)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)


def test_replacing_another_run_needs_force(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    before = (out / checkpoint.LAST).read_bytes()
    capsys.readouterr()
    assert train(word_file, out, "mlp") == 4
    one_line_error(capsys, "--force")
    assert (out / checkpoint.LAST).read_bytes() == before
    assert train(word_file, out, "mlp", "--force") == 0
    assert checkpoint.load(out, checkpoint.LAST)["kind"] == "mlp"


def test_a_checkpoint_holds_the_vocabulary_not_the_word_list(tmp_path):
    # 50 MB of words made a 110 MB checkpoint for a 729-parameter bigram when it held the list
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    letters = "abcdefghijklmnopqrstuvwxyz"
    small.write_text("\n".join(letters), encoding="utf-8")
    large.write_text("\n".join(a + b + c + d for a in letters for b in letters for c in letters
                               for d in letters[:6]), encoding="utf-8")  # fmt: skip
    sizes = {}
    for path in (small, large):
        out = tmp_path / path.stem
        assert train(path, out, "bigram", "--max-steps", "1") == 0
        sizes[path.stem] = (out / checkpoint.LAST).stat().st_size
    assert large.stat().st_size > 10 * sizes["large"]
    assert abs(sizes["large"] - sizes["small"]) < 1000  # the same model, whatever the list


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_checkpoint_modes_follow_the_umask(word_file, tmp_path, umask):
    previous = os.umask(umask)
    try:
        assert train(word_file, tmp_path / "m", "bigram", "--max-steps", "20") == 0
    finally:
        os.umask(previous)
    for name in (checkpoint.LAST, checkpoint.BEST):
        assert stat.S_IMODE((tmp_path / "m" / name).stat().st_mode) == 0o666 & ~umask


def test_a_failed_fresh_run_leaves_no_directory(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"a\n")
    out = tmp_path / "out"
    assert train(bad, out, "mlp") == 1
    one_line_error(capsys, "fewer than 2 distinct words")
    assert not out.exists()
