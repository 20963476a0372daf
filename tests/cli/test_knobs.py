"""Size flags reach the model they belong to and are refused by the others; weight decay reaches
the optimiser; top-k 1 is greedy; samples are printed at every evaluation."""

from __future__ import annotations

import pytest
import torch

from tests.cli.helpers import one_line_error, train
from zero_to_hero.cli import checkpoint
from zero_to_hero.cli.main import main
from zero_to_hero.cli.models import REGISTRY, build_model
from zero_to_hero.makemore.dataset import Vocabulary


def trained_model(out):
    state = checkpoint.load(out, checkpoint.LAST)
    model = build_model(state["kind"], state["config"])
    model.load_state_dict(state["model"])
    return state, model


@pytest.mark.parametrize(
    ("model", "flags", "check"),
    [
        ("transformer", ["--n-layer", "3", "--n-head", "2", "--n-embd", "8"],
         lambda m: len(m.gpt.blocks) == 3 and len(m.gpt.blocks[0].sa.heads) == 2
         and m.gpt.token_embedding_table.embedding_dim == 8),
        ("wavenet", ["--n-layer", "2", "--n-embd", "5", "--n-embd2", "7"],
         lambda m: m.block_size == 4 and sum(isinstance(x, torch.nn.Conv1d) for x in m.levels) == 2
         and m.embedding.embedding_dim == 5 and m.head.in_channels == 7),
        ("mlp", ["--n-embd", "5", "--n-embd2", "7"],
         lambda m: m.embedding.embedding_dim == 5 and m.hidden.out_features == 7),
        ("rnn", ["--n-embd", "5", "--n-embd2", "7"],
         lambda m: m.embedding.embedding_dim == 5 and m.start.shape == (1, 7)),
        ("gru", ["--n-embd", "5", "--n-embd2", "7"],
         lambda m: m.embedding.embedding_dim == 5 and m.cell.candidate.out_features == 7),
        ("bow", ["--n-embd", "5", "--n-embd2", "7"],
         lambda m: m.token.embedding_dim == 5 and m.mlp[0].out_features == 7),
    ],
)  # fmt: skip
def test_size_flags_reach_the_model_and_its_checkpoint(word_file, tmp_path, model, flags, check):
    out = tmp_path / model
    assert train(word_file, out, model, "--max-steps", "2", *flags) == 0
    state, net = trained_model(out)
    assert check(net)
    given = dict(zip(flags[::2], flags[1::2], strict=True))
    for flag, value in given.items():
        assert state["config"][flag[2:].replace("-", "_")] == int(value)


def test_the_transformer_defaults_are_four_blocks(word_file, tmp_path):
    assert train(word_file, tmp_path / "t", "transformer", "--max-steps", "2") == 0
    assert (
        len(trained_model(tmp_path / "t")[1].gpt.blocks)
        == REGISTRY["transformer"].defaults["n_layer"]
    )


@pytest.mark.parametrize(
    ("model", "flags", "fragment"),
    [
        ("bigram", ["--n-embd", "8"], "bigram has no --n-embd (its size flags: none)"),
        ("mlp", ["--n-layer", "2", "--n-head", "2"], "mlp has no --n-layer, --n-head"),
        ("rnn", ["--n-head", "2"], "rnn has no --n-head (its size flags: --n-embd, --n-embd2)"),
        ("transformer", ["--n-embd2", "8"], "transformer has no --n-embd2"),
        ("transformer", ["--n-embd", "10", "--n-head", "4"], "not divisible by --n-head 4"),
    ],
)
def test_a_size_flag_the_model_lacks_is_refused_before_any_work(
    word_file, tmp_path, capsys, model, flags, fragment
):
    assert train(word_file, tmp_path / "out", model, *flags) == 2
    one_line_error(capsys, fragment)
    assert not (tmp_path / "out").exists()


def test_a_size_flag_cannot_change_on_resume(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "rnn", "--n-embd2", "8") == 0
    capsys.readouterr()
    assert train(word_file, out, "rnn", "--resume", "--max-steps", "60", "--n-embd2", "9") == 2
    one_line_error(capsys, "--n-embd2 9 differs from the run's 8")
    assert train(word_file, out, "rnn", "--resume", "--max-steps", "60", "--n-embd2", "8") == 0


def test_weight_decay_reaches_the_optimiser_and_may_change_on_resume(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "mlp", "--weight-decay", "0.25") == 0
    state = checkpoint.load(out, checkpoint.LAST)
    assert state["weight_decay"] == 0.25
    assert state["optimizer"]["param_groups"][0]["weight_decay"] == 0.25
    capsys.readouterr()
    assert train(word_file, out, "mlp", "--resume", "--max-steps", "60", "--weight-decay", "0") == 0
    assert "--weight-decay: 0.25 -> 0.0 from here on" in capsys.readouterr().out
    state = checkpoint.load(out, checkpoint.LAST)
    assert state["optimizer"]["param_groups"][0]["weight_decay"] == 0.0


def test_weight_decay_shrinks_the_weights(word_file, tmp_path):
    norms = {}
    for decay in ("0", "5"):
        out = tmp_path / decay
        assert train(word_file, out, "bigram", "--weight-decay", decay) == 0
        norms[decay] = checkpoint.load(out, checkpoint.LAST)["model"]["logits"].norm().item()
    assert norms["5"] < 0.9 * norms["0"]


def greedy_word(model, vocab: Vocabulary, longest: int) -> str:
    """The likeliest character at every step, by hand."""
    ids = [0]
    with torch.no_grad():
        while len(ids) <= longest:
            nxt = int(model(torch.tensor([ids]))[0, -1].argmax())
            if nxt == 0:
                break
            ids.append(nxt)
    return vocab.decode(ids[1:])


def test_top_k_1_is_greedy(word_file, tmp_path, capsys):
    out = tmp_path / "m"
    assert train(word_file, out, "gru") == 0
    state = checkpoint.load(out, checkpoint.BEST)
    model = build_model(state["kind"], state["config"])
    model.load_state_dict(state["model"])
    model.eval()
    expected = greedy_word(model, Vocabulary(tuple(state["vocab"])), state["longest"])
    capsys.readouterr()
    for seed in ("1", "2"):
        argv = ["sample", "--out", str(out), "--num", "1", "--top-k", "1", "--allow-train"]
        assert main([*argv, "--seed", seed]) == 0
        assert capsys.readouterr().out.split() == [expected]
    assert main(["sample", "--out", str(out), "--num", "2", "--top-k", "1", "--allow-train"]) == 2
    one_line_error(capsys, "found only 1 distinct new words")


def test_samples_are_printed_at_every_evaluation(word_file, tmp_path, capsys):
    assert train(word_file, tmp_path / "m", "bow") == 0
    lines = capsys.readouterr().out.splitlines()
    evaluations = [i for i, line in enumerate(lines) if line.startswith("step ")]
    assert [lines[i].split(":")[0] for i in evaluations] == ["step 20", "step 40"]
    for i in evaluations:
        label, words = lines[i + 1].split(": ", 1)
        assert label.strip() == "samples" and len(words.split(", ")) == 5
