"""The fast merge learner gives exactly the plain loop's merges, ties and overlaps included."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from zero_to_hero.tokenizer import GPT4_SPLIT_PATTERN
from zero_to_hero.tokenizer.training import Merge, fast_merges, plain_merges

# few distinct symbols: many ties, long runs such as "aaaa" that overlap with themselves
chunks_strategy = st.lists(st.lists(st.integers(0, 3), max_size=30), min_size=1, max_size=6)


@given(chunks=chunks_strategy, num_merges=st.integers(0, 40))
def test_fast_equals_plain_on_random_chunks(chunks, num_merges):
    assert fast_merges(chunks, num_merges) == plain_merges(chunks, num_merges)


@given(chunks=chunks_strategy, data=st.data())
def test_weights_count_a_chunk_that_many_times(chunks, data):
    weights = [data.draw(st.integers(1, 3)) for _ in chunks]
    repeated = [chunk for chunk, w in zip(chunks, weights) for _ in range(w)]
    assert fast_merges(chunks, 20, weights=weights) == plain_merges(repeated, 20)


def test_ties_go_to_the_pair_seen_first():
    # (1, 2) and (3, 4) both occur twice; (3, 4) comes first in the sequence
    assert fast_merges([[3, 4, 1, 2, 3, 4, 1, 2]], 1) == [Merge((3, 4), 256, 2)]
    assert plain_merges([[3, 4, 1, 2, 3, 4, 1, 2]], 1) == [Merge((3, 4), 256, 2)]


def test_overlapping_pairs_merge_left_to_right():
    merges = fast_merges([[7, 7, 7, 7, 7]], 2)
    assert merges == [Merge((7, 7), 256, 4), Merge((256, 256), 257, 1)]


def test_stops_when_no_pair_is_left():
    assert fast_merges([[1, 2]], 5) == plain_merges([[1, 2]], 5) == [Merge((1, 2), 256, 1)]
    assert fast_merges([[1], []], 5) == []


def test_the_wikipedia_example():
    ids = list(b"aaabdaaabac")
    expected = [Merge((97, 97), 256, 4), Merge((256, 97), 257, 2), Merge((257, 98), 258, 2)]
    assert fast_merges([ids], 3) == plain_merges([ids], 3) == expected


def test_fast_equals_plain_on_real_text(shakespeare):
    text = shakespeare[:20_000]
    raw = [text.encode("utf-8")]
    assert fast_merges(raw, 150) == plain_merges(raw, 150)
    pieces = [p.encode("utf-8") for p in regex.findall(GPT4_SPLIT_PATTERN, text)]
    assert fast_merges(pieces, 150) == plain_merges(pieces, 150)
