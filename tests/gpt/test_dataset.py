"""Characters to integers, the split, and batches."""

from __future__ import annotations

import pytest
import torch

from zero_to_hero.gpt import CharTokenizer, get_batch, train_val_split


def test_char_tokenizer_round_trip_and_unknown_characters():
    tok = CharTokenizer("hello there")
    assert tok.vocab_size == 7 and tok.chars == sorted(set("hello there"))
    assert tok.decode(tok.encode("hot the")) == "hot the"
    with pytest.raises(ValueError, match=r"\['x', 'y', 'z'\]"):
        tok.encode("xyz")
    with pytest.raises(ValueError, match="empty"):
        CharTokenizer("")


def test_tiny_shakespeare_facts(shakespeare):
    tok = CharTokenizer(shakespeare)
    assert len(shakespeare) == 1_115_394 and tok.vocab_size == 65
    assert (
        "".join(tok.chars) == "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    )
    assert tok.encode("hii there") == [46, 47, 47, 1, 58, 46, 43, 56, 43]
    train, val = train_val_split(torch.tensor(tok.encode(shakespeare)))
    assert (len(train), len(val)) == (1_003_854, 111_540)
    assert train[:9].tolist() == [18, 47, 56, 57, 58, 1, 15, 47, 58]


def test_get_batch_targets_are_inputs_shifted_by_one():
    data = torch.arange(100)
    x, y = get_batch(data, block_size=8, batch_size=4, generator=torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (4, 8)
    assert torch.equal(y, x + 1)
    assert int(x.max()) < 99


@pytest.mark.parametrize("block_size", [1, 8, 64])
def test_get_batch_gathers_what_the_lectures_loop_stacks(block_size):
    data = torch.randint(0, 65, (500,), generator=torch.Generator().manual_seed(3))
    x, y = get_batch(data, block_size, 16, torch.Generator().manual_seed(1))
    ix = torch.randint(len(data) - block_size, (16,), generator=torch.Generator().manual_seed(1))
    assert torch.equal(x, torch.stack([data[i : i + block_size] for i in ix]))
    assert torch.equal(y, torch.stack([data[i + 1 : i + block_size + 1] for i in ix]))
    assert x.is_contiguous() and y.is_contiguous()  # the loss views the targets as one row


def test_the_lectures_first_batch(shakespeare):
    tok = CharTokenizer(shakespeare)
    train, _ = train_val_split(torch.tensor(tok.encode(shakespeare)))
    torch.manual_seed(1337)
    xb, _ = get_batch(train, block_size=8, batch_size=4)
    assert xb.tolist() == [
        [24, 43, 58, 5, 57, 1, 46, 43],
        [44, 53, 56, 1, 58, 46, 39, 58],
        [52, 58, 1, 58, 46, 39, 58, 1],
        [25, 17, 27, 10, 0, 21, 1, 54],
    ]
