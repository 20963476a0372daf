"""Pair statistics, merging, and the .model file format."""

from __future__ import annotations

import pytest

from zero_to_hero.tokenizer import BasicTokenizer, RegexTokenizer, get_stats, merge
from zero_to_hero.tokenizer.base import render_token


def test_get_stats_counts_adjacent_pairs_in_order_of_first_sight():
    stats = get_stats([1, 2, 3, 1, 2])
    assert stats == {(1, 2): 2, (2, 3): 1, (3, 1): 1}
    assert list(stats) == [(1, 2), (2, 3), (3, 1)]
    assert get_stats([1, 2], stats)[(1, 2)] == 3  # updates the dict it is given


def test_merge_the_lectures_example():
    assert merge([5, 6, 6, 7, 9, 1], (6, 7), 99) == [5, 6, 99, 9, 1]
    assert merge([1, 1, 1], (1, 1), 9) == [9, 1]


def test_render_token_escapes_control_characters_and_bad_utf8():
    assert render_token(b"a\nb") == "a\\u000ab"
    assert render_token(b"\xe2\x82") == "\ufffd"


def test_decode_rejects_unknown_ids():
    with pytest.raises(ValueError, match="unknown token id 300"):
        BasicTokenizer().decode([104, 300])


def test_decode_replaces_invalid_utf8():
    assert BasicTokenizer().decode([128]) == "\ufffd"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not a model\n\n0\n", "first line"),
        ("minbpe v1\n\nx\n", "invalid literal"),
        ("minbpe v1\n\n0\n97 97\n256 300\n", "does not exist yet"),
        ("minbpe v1\n", "out of range"),
    ],
)
def test_load_rejects_malformed_models(tmp_path, content, message):
    path = tmp_path / "bad.model"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        BasicTokenizer().load(path)


def test_load_wants_a_model_file(tmp_path):
    with pytest.raises(ValueError, match=r"not a \.model file"):
        BasicTokenizer().load(tmp_path / "x.vocab")


def test_basic_refuses_a_regex_model(tmp_path):
    tok = RegexTokenizer()
    tok.train("hello hello hello", 260)
    tok.save(tmp_path / "r")
    with pytest.raises(ValueError, match="load it with RegexTokenizer"):
        BasicTokenizer().load(tmp_path / "r.model")
