from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from zero_to_hero.generation import generate

V = 5


def table(logits: torch.Tensor):
    """A bigram model: the logits of the next token depend only on the current one."""
    return lambda idx: logits[idx]


def test_each_step_draws_from_the_softmax_of_the_last_position():
    logits = torch.randn(V, V, generator=torch.Generator().manual_seed(0))
    start = torch.zeros((3, 1), dtype=torch.long)
    out = generate(table(logits), start, 4, generator=torch.Generator().manual_seed(1))
    # the same draws written out: one multinomial over the last position's softmax per step
    g, idx = torch.Generator().manual_seed(1), start
    for _ in range(4):
        nxt = torch.multinomial(F.softmax(logits[idx][:, -1, :], dim=-1), 1, generator=g)
        idx = torch.cat((idx, nxt), dim=1)
    assert out.shape == (3, 5) and torch.equal(out, idx)


def test_the_model_sees_at_most_block_size_tokens():
    seen = []

    def model(idx):
        seen.append(idx.shape[1])
        return torch.zeros(idx.shape[0], idx.shape[1], V)

    generate(model, torch.zeros((1, 2), dtype=torch.long), 5, block_size=3)
    assert seen == [2, 3, 3, 3, 3]


def test_top_k_one_and_a_tiny_temperature_are_greedy():
    logits = torch.randn(V, V, generator=torch.Generator().manual_seed(0))
    greedy, idx = [0], 0
    for _ in range(6):
        idx = int(logits[idx].argmax())
        greedy.append(idx)
    start = torch.zeros((1, 1), dtype=torch.long)
    g = torch.Generator().manual_seed(3)
    assert generate(table(logits), start, 6, top_k=1, generator=g)[0].tolist() == greedy
    assert generate(table(logits), start, 6, temperature=1e-4, generator=g)[0].tolist() == greedy


def test_rows_that_emitted_the_stop_token_are_padded_with_it_and_the_loop_ends():
    # token 0 is the stop token; from 1 the model always says 2, from 2 always 0, from 0 always 3
    logits = torch.full((V, V), -1e9)
    logits[1, 2] = logits[2, 0] = logits[0, 3] = 0.0
    start = torch.tensor([[1], [2]])
    out = generate(table(logits), start, 10, stop_token=0)
    assert out.tolist() == [[1, 2, 0], [2, 0, 0]]  # ended after 2 steps, not 10


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"temperature": 0.0}, "temperature"), ({"temperature": float("nan")}, "temperature"),
    ({"top_k": 0}, "top_k"),
])  # fmt: skip
def test_invalid_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(table(torch.zeros(V, V)), torch.zeros((1, 1), dtype=torch.long), 1, **kwargs)
