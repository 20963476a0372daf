"""RegexTokenizer: split patterns, training inside pieces, special tokens, save and load."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from zero_to_hero.tokenizer import GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, RegexTokenizer

SPECIALS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
TEXT = (
    "<|endoftext|>The llama (Lama glama) is a domesticated South American camelid, widely used "
    "as a meat and pack animal by Andean cultures since the pre-Columbian era.<|endoftext|>"
    "Llamas are social animals and live with others as a herd. Their wool is soft and contains "
    "only a small amount of lanolin.<|fim_prefix|>Llamas can learn simple tasks<|fim_suffix|> "
    "after a few repetitions.<|fim_middle|> When using a pack<|endofprompt|>"
)


@pytest.fixture(scope="module")
def trained():
    tok = RegexTokenizer()
    tok.train(TEXT, 256 + 64)
    tok.register_special_tokens(SPECIALS)
    return tok


def test_gpt2_pattern_splits_the_lectures_example():
    pieces = regex.findall(GPT2_SPLIT_PATTERN, "Hello've world123 how's are you!!!?")
    assert pieces == ["Hello", "'ve", " world", "123", " how", "'s", " are", " you", "!!!?"]


def test_gpt4_pattern_groups_digits_in_threes_and_spaces_together():
    assert regex.findall(GPT4_SPLIT_PATTERN, "1234567") == ["123", "456", "7"]
    assert regex.findall(GPT4_SPLIT_PATTERN, "    hello") == ["   ", " hello"]
    assert regex.findall(GPT4_SPLIT_PATTERN, "HOW'S") == ["HOW", "'S"]


def test_wikipedia_example():
    tok = RegexTokenizer()
    tok.train("aaabdaaabac", 256 + 3)
    assert tok.encode("aaabdaaabac") == [258, 100, 258, 97, 99]


def test_no_token_crosses_a_piece_boundary(trained):
    for token in trained.vocab.values():
        text = token.decode("utf-8", errors="ignore")
        if text and not text.startswith("<|"):
            assert len(regex.findall(GPT4_SPLIT_PATTERN, text)) <= 1, text


@given(st.text())
def test_round_trip(trained, text):
    assert trained.decode(trained.encode(text, allowed_special="none")) == text
    assert RegexTokenizer().decode(RegexTokenizer().encode(text, "none")) == text


def test_special_tokens_all(trained):
    ids = trained.encode(TEXT, allowed_special="all")
    assert ids[0] == 100257 and ids[-1] == 100276
    assert sum(i in SPECIALS.values() for i in ids) == 6
    assert trained.decode(ids) == TEXT


def test_special_tokens_none_encodes_their_text(trained):
    ids = trained.encode(TEXT, allowed_special="none")
    assert not set(ids) & set(SPECIALS.values())
    assert ids == trained.encode_ordinary(TEXT)
    assert trained.decode(ids) == TEXT


def test_special_tokens_none_raise(trained):
    with pytest.raises(ValueError, match="contains special tokens"):
        trained.encode(TEXT)
    assert trained.encode("no specials here") == trained.encode_ordinary("no specials here")


def test_special_tokens_from_a_set(trained):
    ids = trained.encode(TEXT, allowed_special={"<|endoftext|>"})
    assert ids.count(100257) == 2
    assert not {100258, 100259, 100260, 100276} & set(ids)
    assert trained.decode(ids) == TEXT
    with pytest.raises(ValueError, match="not registered"):
        trained.encode(TEXT, allowed_special={"<|im_start|>"})
    with pytest.raises(ValueError, match="not understood"):
        trained.encode(TEXT, allowed_special="some")


def test_special_token_ids_may_not_clash_with_merges(trained):
    with pytest.raises(ValueError, match="already used"):
        trained.register_special_tokens({"<|x|>": 300})


@pytest.mark.parametrize("specials", [{}, SPECIALS])
def test_save_load_round_trip(tmp_path, specials):
    tok = RegexTokenizer()
    tok.train(TEXT, 256 + 64)
    tok.register_special_tokens(specials)
    ids = tok.encode(TEXT, allowed_special="all")
    tok.save(tmp_path / "regex")
    loaded = RegexTokenizer(pattern="")
    loaded.load(tmp_path / "regex.model")
    assert loaded.pattern == GPT4_SPLIT_PATTERN and loaded.special_tokens == specials
    assert loaded.encode(TEXT, allowed_special="all") == ids
    assert loaded.decode(ids) == TEXT
