"""Exercise 2's addition task: encoding, masked targets, the split, greedy solving."""

from __future__ import annotations

import pytest
import torch

from zero_to_hero.gpt import GPT, GPTConfig, TrainConfig, train
from zero_to_hero.gpt.addition import Addition


def test_problems_are_fixed_width_with_the_answer_reversed():
    task = Addition(digits=3)
    tokens = task.encode(torch.tensor([12_345, 999_999]))
    assert [task.decode(row.tolist()) for row in tokens] == ["012+345=7530", "999+999=8991"]
    assert tokens.shape == (2, task.block_size + 1) and task.vocab_size == 12


def test_batches_score_only_the_answer():
    task = Addition(digits=2)
    x, y = task.get_batch(torch.tensor([1234]), task.block_size, 3)
    assert task.decode(x[0].tolist()) == "12+34=64"  # 46 reversed, padded: 640
    assert y[0].tolist() == [-1, -1, -1, -1, -1, 6, 4, 0]
    assert x.shape == y.shape == (3, task.block_size)
    with pytest.raises(ValueError, match="block_size 8"):
        task.get_batch(torch.tensor([1234]), 9, 3)


@pytest.mark.parametrize("digits", [1, 2, 6])
def test_test_problems_are_distinct_and_never_trained_on(digits):
    task = Addition(digits)
    train_set, test_set = task.split(5_000, 40, torch.Generator().manual_seed(0))
    assert len(test_set) == len(set(test_set.tolist())) == 40
    assert not set(train_set.tolist()) & set(test_set.tolist())
    assert train_set.min() >= 0 and train_set.max() < task.num_problems
    if digits == 1:  # 40 of the 100 problems held out: about 40% of the draws go
        assert 2_500 < len(train_set) < 3_500
        assert set(train_set.tolist()) | set(test_set.tolist()) == set(range(100))
        with pytest.raises(ValueError, match="test_size"):
            task.split(100, 51, torch.Generator())  # not enough problems for that
    else:
        assert len(train_set) > 4_800
    with pytest.raises(ValueError, match="digit"):
        Addition(digits=0)


class Oracle(torch.nn.Module):
    """Predicts the true next token of an addition sequence: solve() must read its answer."""

    def __init__(self, task: Addition) -> None:
        super().__init__()
        self.task = task
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, idx):
        n = self.task.digits
        digits = idx[:, :n], idx[:, n + 1 : 2 * n + 1]
        a, b = ((d * 10 ** torch.arange(n - 1, -1, -1)).sum(1) for d in digits)
        full = self.task.encode(a * 10**n + b)
        logits = torch.nn.functional.one_hot(full[:, 1 : idx.shape[1] + 1], 12).float()
        return logits, None


def test_solve_decodes_reversed_answers():
    task = Addition(digits=3)
    problems = torch.tensor([0, 12_345, 999_999, 500_500])
    assert task.solve(Oracle(task), problems).tolist() == [0, 357, 1998, 1000]
    assert task.accuracy(Oracle(task), problems) == 1.0


def test_a_small_gpt_learns_one_digit_addition():
    task = Addition(digits=1)
    train_set, test_set = task.split(10_000, 10, torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    model = GPT(GPTConfig(12, task.block_size, n_embd=32, n_head=2, n_layer=1, dropout=0.0))
    config = TrainConfig(batch_size=32, learning_rate=3e-3, max_iters=800, eval_interval=400,
                         eval_iters=4)  # fmt: skip
    generator = torch.Generator().manual_seed(0)
    history = train(model, train_set, test_set, config, generator, None, task.get_batch)
    assert history[0]["train"] > 2.0  # about ln 12 = 2.48 at the start
    assert history[-1]["train"] < 0.3  # measured 0.09
    assert task.accuracy(model, train_set) > 0.8  # measured 0.92
