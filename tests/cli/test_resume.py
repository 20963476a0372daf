"""Resume continues from the last step and reproduces an uninterrupted run bit for bit; flags that
change the run are applied and logged, flags that fixed it are refused; Ctrl-C saves."""

from __future__ import annotations

import os
import signal

import pytest
import torch

from tests.cli.helpers import one_line_error, train
from zero_to_hero.cli import checkpoint
from zero_to_hero.cli import train as train_module


def interrupt_at_first_evaluation(monkeypatch, signum):
    """Deliver ``signum`` to this process during the first evaluation, as Ctrl-C would (the
    stop is honoured after the next step)."""
    evaluate = train_module.evaluate

    def evaluate_then_signal(*args):
        if not getattr(evaluate_then_signal, "sent", False):
            evaluate_then_signal.sent = True
            os.kill(os.getpid(), signum)
        return evaluate(*args)

    monkeypatch.setattr(train_module, "evaluate", evaluate_then_signal)


def assert_same_state(a: dict, b: dict) -> None:
    for name, tensor in a["model"].items():
        assert torch.equal(tensor, b["model"][name]), name
    for index, slot in a["optimizer"]["state"].items():
        for key, value in slot.items():
            assert torch.equal(value, b["optimizer"]["state"][index][key]), (index, key)
    assert all(torch.equal(x, y) for x, y in zip(a["rng"], b["rng"], strict=True))
    assert a["step"] == b["step"] and a["best_val"] == b["best_val"]


@pytest.mark.parametrize("model", ["mlp", "wavenet", "transformer"])
def test_an_interrupted_and_resumed_run_equals_an_uninterrupted_one(
    model, word_file, tmp_path, capsys, monkeypatch
):
    assert train(word_file, tmp_path / "straight", model) == 0
    out = tmp_path / "interrupted"
    with monkeypatch.context() as patch:
        interrupt_at_first_evaluation(patch, signal.SIGINT)
        assert train(word_file, out, model) == 130
    one_line_error(capsys, "stopped by SIGINT at step 21")
    assert checkpoint.load(out, checkpoint.LAST)["step"] == 21  # past the best (step 20)
    assert checkpoint.load(out, checkpoint.BEST)["step"] == 20
    assert train(word_file, out, model, "--resume") == 0
    assert "resuming at step 21" in capsys.readouterr().out
    straight = checkpoint.load(tmp_path / "straight", checkpoint.LAST)
    assert_same_state(checkpoint.load(out, checkpoint.LAST), straight)


def test_sigterm_saves_and_exits_143(word_file, tmp_path, capsys, monkeypatch):
    interrupt_at_first_evaluation(monkeypatch, signal.SIGTERM)
    before = signal.getsignal(signal.SIGTERM)  # SIG_IGN where pytest started under nohup
    assert train(word_file, tmp_path / "m", "bigram") == 143
    one_line_error(capsys, "--resume continues")
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored


def test_ctrl_c_before_training_is_one_line(word_file, tmp_path, capsys, monkeypatch):
    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(train_module, "read_words", interrupted)
    assert train(word_file, tmp_path / "m", "mlp") == 130
    one_line_error(capsys, "interrupted")


def test_resume_applies_and_logs_what_may_change(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "mlp") == 0
    capsys.readouterr()
    assert train(word_file, out, "mlp", "--resume", "--max-steps", "60", "--lr", "0.5") == 0
    logged = capsys.readouterr().out
    assert "--lr: 0.003 -> 0.5 from here on" in logged and "--max-steps: 40 -> 60" in logged
    state = checkpoint.load(out, checkpoint.LAST)
    assert state["step"] == 60 and state["lr"] == 0.5
    assert state["optimizer"]["param_groups"][0]["lr"] == 0.5


@pytest.mark.parametrize(
    ("extra", "status", "fragment"),
    [
        (["--max-steps", "30"], 2, "already at step 40"),
        ([], 2, "already at step 40"),
        (["--max-steps", "60", "--seed", "1"], 2, "--seed 1 differs from the run's 3407"),
        (["--max-steps", "60", "--max-length", "5"], 2, "--max-length 5 differs"),
        (["--max-steps", "60", "--model", "bigram"], 2, "holds a mlp model, not bigram"),
    ],
)
def test_resume_refuses_what_cannot_change(word_file, tmp_path, capsys, extra, status, fragment):
    out = tmp_path / "m"
    assert train(word_file, out, "mlp") == 0
    capsys.readouterr()
    assert train(word_file, out, "mlp", "--resume", *extra) == status
    one_line_error(capsys, fragment)


def test_a_refused_resume_logs_no_change(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "mlp") == 0
    capsys.readouterr()
    for refused in (["--max-steps", "30"], ["--max-steps", "60", "--seed", "1"]):
        assert train(word_file, out, "mlp", "--resume", "--lr", "0.5", *refused) == 2
        captured = capsys.readouterr()
        assert "zero-to-hero: error:" in captured.err and "from here on" not in captured.out
    assert checkpoint.load(out, checkpoint.LAST)["lr"] == 0.003


def test_a_second_ctrl_c_stops_at_once(word_file, tmp_path, capsys, monkeypatch):
    evaluate = train_module.evaluate

    def evaluate_after_two_signals(*args):
        os.kill(os.getpid(), signal.SIGINT)  # asks to stop after this step
        os.kill(os.getpid(), signal.SIGINT)  # stops now, without saving
        return evaluate(*args)

    monkeypatch.setattr(train_module, "evaluate", evaluate_after_two_signals)
    out = tmp_path / "m"
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN where pytest started in the background
    assert train(word_file, out, "mlp") == 130
    assert capsys.readouterr().err == "zero-to-hero: error: interrupted\n"
    assert not out.exists()  # nothing was saved yet, so the new directory went too
    assert signal.getsignal(signal.SIGINT) is before  # the handlers are restored


def test_resume_refuses_another_word_list_or_no_checkpoint(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram", "--resume") == 1
    one_line_error(capsys, "no checkpoint at")
    assert train(word_file, out, "bigram") == 0
    other = tmp_path / "other.txt"
    other.write_text("alpha\nbeta\ngamma\n", encoding="utf-8")
    capsys.readouterr()
    assert train(other, out, "bigram", "--resume", "--max-steps", "60") == 1
    one_line_error(capsys, "not the word list")


def test_stale_temporary_files_are_removed(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "bigram") == 0
    orphan = out / ".last.pt.4242-deadbeef.tmp"  # what kill -9 during a save leaves
    orphan.write_bytes(b"half a checkpoint")
    assert train(word_file, out, "bigram", "--resume", "--max-steps", "60") == 0
    assert not orphan.exists()
    assert "removed 1 temporary file" in capsys.readouterr().out


def test_divergence_stops_with_an_error_and_keeps_the_last_good_checkpoint(
    word_file, tmp_path, capsys
):
    out = tmp_path / "m"
    assert train(word_file, out, "mlp", "--lr", "1e10") == 3
    one_line_error(capsys, "no checkpoint was written")
    assert not out.exists()
    assert train(word_file, out, "mlp") == 0
    good = (out / checkpoint.LAST).read_bytes()
    capsys.readouterr()
    assert train(word_file, out, "mlp", "--resume", "--max-steps", "80", "--lr", "1e10") == 3
    one_line_error(capsys, "last.pt of step 40 is kept")
    assert (out / checkpoint.LAST).read_bytes() == good


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_max_steps_minus_1_trains_until_stopped_then_saves_and_exits_0(
    word_file, tmp_path, capsys, monkeypatch, signum
):
    out = tmp_path / "m"
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN where pytest started in the background
    with monkeypatch.context() as patch:
        interrupt_at_first_evaluation(patch, signum)
        assert train(word_file, out, "rnn", "--max-steps", "-1") == 0
    logged = capsys.readouterr()
    assert f"stopped by {signal.Signals(signum).name} at step 21" in logged.out
    assert "step 21: train loss" in logged.out  # the last step is evaluated, as any run's is
    assert logged.err == ""
    last = checkpoint.load(out, checkpoint.LAST)
    assert last["step"] == 21 and last["max_steps"] == -1
    assert checkpoint.load(out, checkpoint.BEST)["step"] in (20, 21)
    assert signal.getsignal(signal.SIGINT) is before  # handlers restored
    # resume continues it, for a finite number of steps or again until stopped
    assert train(word_file, out, "rnn", "--resume", "--max-steps", "40") == 0
    assert "resuming at step 21" in capsys.readouterr().out
    assert checkpoint.load(out, checkpoint.LAST)["step"] == 40
    with monkeypatch.context() as patch:
        interrupt_at_first_evaluation(patch, signum)
        assert train(word_file, out, "rnn", "--resume", "--max-steps", "-1") == 0
    assert checkpoint.load(out, checkpoint.LAST)["step"] == 61
