"""GPT4Tokenizer against tiktoken's cl100k_base, built from the same local file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zero_to_hero.data import DataError
from zero_to_hero.tokenizer import GPT4Tokenizer
from zero_to_hero.tokenizer.gpt4 import bpe, load_tiktoken_ranks, recover_merges


@pytest.fixture(scope="module")
def ours():
    try:
        return GPT4Tokenizer()
    except DataError as err:
        pytest.skip(f"cl100k_base.tiktoken is not available: {err}")


@pytest.fixture(scope="module")
def tiktoken_gpt4(ours):
    from zero_to_hero.tokenizer.reference import gpt4_encoding

    return gpt4_encoding()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "?",
        "hello world!!!? (안녕하세요!) lol123 😉",
        "    hello world!!!",
        "def f(x):\n    return x ** 2  # squares\n\n\n",
        "1234567 + 89 = 1234656, 3.14159",
        "HOW'S IT GOING? I'm fine, you're kind.\r\n\ttab",
    ],
)
def test_equal_to_tiktoken(ours, tiktoken_gpt4, text):
    ids = ours.encode(text)
    assert ids == tiktoken_gpt4.encode(text)
    assert ours.decode(ids) == text


def test_the_readme_example(ours):
    expected = [15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, 92245, 16715, 57037]
    assert ours.encode("hello123!!!? (안녕하세요!) 😉") == expected


# Characters assigned in Unicode 14 (Python 3.11's tables; Cn = unassigned there). Code points
# assigned since are letters to the `regex` package's newer tables but not to tiktoken's engine,
# so the two split them differently (e.g. U+3D000 before "/A"): see GPT4Tokenizer's docstring.
assigned = st.text(st.characters(exclude_categories=["Cn", "Cs"]))


@settings(max_examples=200, deadline=None)
@given(assigned)
def test_equal_to_tiktoken_on_arbitrary_unicode(ours, tiktoken_gpt4, text):
    ids = ours.encode(text, allowed_special="none")
    assert ids == tiktoken_gpt4.encode_ordinary(text)
    assert ours.decode(ids) == text


def test_special_tokens_equal_to_tiktoken(ours, tiktoken_gpt4):
    text = "<|endoftext|>hello world<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>c<|endofprompt|>"
    assert ours.encode(text, allowed_special="all") == tiktoken_gpt4.encode(
        text, allowed_special="all"
    )
    assert ours.encode("<|endoftext|>hello world", allowed_special="all") == [100257, 15339, 1917]


def test_recover_merges_on_a_tiny_rank_table():
    ranks = {b"a": 0, b"b": 1, b"c": 2, b"ab": 3, b"abc": 4, b"bc": 5}
    assert bpe(ranks, b"abc", max_rank=4) == [b"ab", b"c"]
    assert recover_merges(ranks) == {(0, 1): 3, (3, 2): 4, (1, 2): 5}


def test_pretrained_tokenizer_refuses_training_and_saving(ours, tmp_path):
    with pytest.raises(NotImplementedError):
        ours.train("text", 300)
    with pytest.raises(NotImplementedError):
        ours.save(tmp_path / "gpt4")


def test_a_corrupt_ranks_file_is_reported(tmp_path):
    path = tmp_path / "bad.tiktoken"
    path.write_text("YQ== 0\nnot base64!! 1\n")
    with pytest.raises(DataError, match="line 2"):
        load_tiktoken_ranks(path)


def test_registering_a_chat_token_keeps_the_vocabulary(tiktoken_gpt4):
    tok = GPT4Tokenizer()
    tok.register_special_tokens({"<|im_start|>": 100264})
    ids = tok.encode("<|im_start|>hello world 😉", allowed_special="all")
    assert ids == [100264, *tiktoken_gpt4.encode("hello world 😉")]
    assert tok.decode(ids) == "<|im_start|>hello world 😉"
