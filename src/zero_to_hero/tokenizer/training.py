"""Learning byte-pair merges: the lecture's plain loop, and the same result much faster.

Both functions take the text as a list of chunks (byte sequences that no merge may cross: the
whole text for ``BasicTokenizer``, the regex pieces for ``RegexTokenizer``) and return the merges
in the order they were learned. The semantics are fixed by the plain loop: at every step merge the
most frequent adjacent pair; among equally frequent pairs, the one that occurs first in the
current sequence (what ``max`` over counts collected in order gives).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from zero_to_hero.tokenizer.base import Pair, get_stats, merge


class Merge(NamedTuple):
    """One learned merge: ``pair`` becomes token ``new_id``; it occurred ``occurrences`` times."""

    pair: Pair
    new_id: int
    occurrences: int


OnMerge = Callable[[Merge], None]


def plain_merges(
    chunks: Sequence[Sequence[int]],
    num_merges: int,
    first_id: int = 256,
    on_merge: OnMerge | None = None,
) -> list[Merge]:
    """The lecture's algorithm: recount every pair of every chunk before each merge.

    Simple and obviously right, and slow: each merge costs a pass over the whole text.
    """
    current = [list(c) for c in chunks]
    merges = []
    for new_id in range(first_id, first_id + num_merges):
        stats: dict[Pair, int] = {}
        for chunk in current:
            get_stats(chunk, stats)
        if not stats:
            break
        pair = max(stats, key=stats.__getitem__)
        current = [merge(chunk, pair, new_id) for chunk in current]
        merges.append(Merge(pair, new_id, stats[pair]))
        if on_merge:
            on_merge(merges[-1])
    return merges


def fast_merges(
    chunks: Sequence[Sequence[int]],
    num_merges: int,
    first_id: int = 256,
    weights: Sequence[int] | None = None,
    on_merge: OnMerge | None = None,
) -> list[Merge]:
    """Exactly ``plain_merges``, with pair counts updated incrementally.

    The chunks are laid end to end as a doubly linked list of tokens. For every pair we keep its
    count and the positions where it starts. Merging a pair visits only its own occurrences, left
    to right, and fixes the counts of the pairs around each one: the neighbours' old pairs lose an
    occurrence, the pairs with the new token gain one. A position keeps the index of its first
    byte, so the order of positions is the order in the current sequence, and ties go to the pair
    whose first position is smallest, as in the plain loop.

    ``weights[i]`` counts chunk ``i`` that many times (identical regex pieces need to be stored
    only once; with chunks in order of first appearance the tie-breaking is unchanged).
    """
    weights = weights if weights is not None else [1] * len(chunks)
    tokens: list[int] = []
    weight: list[int] = []
    nxt: list[int] = []
    prv: list[int] = []
    for chunk, w in zip(chunks, weights, strict=True):
        start = len(tokens)
        tokens.extend(chunk)
        weight.extend([w] * len(chunk))
        prv.extend(range(start - 1, len(tokens) - 1))
        nxt.extend(range(start + 1, len(tokens) + 1))
        if chunk:
            prv[start], nxt[-1] = -1, -1  # no pair crosses a chunk boundary

    counts: dict[Pair, int] = defaultdict(int)
    where: dict[Pair, set[int]] = defaultdict(set)
    for i, j in enumerate(nxt):
        if j != -1:
            pair = (tokens[i], tokens[j])
            counts[pair] += weight[i]
            where[pair].add(i)

    def add(pair: Pair, i: int) -> None:
        counts[pair] += weight[i]
        where[pair].add(i)

    def remove(pair: Pair, i: int) -> None:
        counts[pair] -= weight[i]
        where[pair].discard(i)
        if not counts[pair]:
            del counts[pair], where[pair]

    merges = []
    for new_id in range(first_id, first_id + num_merges):
        if not counts:
            break
        top = max(counts.values())
        tied = [p for p, c in counts.items() if c == top]
        best = min(tied, key=lambda p: min(where[p])) if len(tied) > 1 else tied[0]
        a, b = best
        for i in sorted(where[best]):
            j = nxt[i]
            if tokens[i] != a or j == -1 or tokens[j] != b:
                continue  # consumed by the previous, overlapping occurrence ("aaa")
            p, k = prv[i], nxt[j]
            if p != -1:
                remove((tokens[p], a), p)
            if k != -1:
                remove((b, tokens[k]), j)
            remove(best, i)
            tokens[i], tokens[j] = new_id, -1
            nxt[i] = k
            if k != -1:
                prv[k] = i
                add((new_id, tokens[k]), i)
            if p != -1:
                add((tokens[p], new_id), p)
        merges.append(Merge(best, new_id, top))
        if on_merge:
            on_merge(merges[-1])
    return merges
