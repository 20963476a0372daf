"""Time learning BPE merges the lecture's way and the incremental way, in one run.

Both learn ``vocab_size - 256`` merges from the first ``--chars`` characters of Tiny Shakespeare
as one byte sequence (``BasicTokenizer``'s setting, the hardest for the plain loop). The script
checks that the two lists of merges are identical and exits non-zero if they differ or if the
incremental learner is less than 10x faster.

    .venv/bin/python benchmarks/bpe_training.py [--chars 1000000] [--vocab-size 512]
"""

from __future__ import annotations

import argparse
import sys
import time

from zero_to_hero.data import read_text
from zero_to_hero.tokenizer.training import fast_merges, plain_merges


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--vocab-size", type=int, default=512)
    args = parser.parse_args()

    data = read_text("tinyshakespeare.txt")[: args.chars].encode("utf-8")
    num_merges = args.vocab_size - 256
    print(f"{args.chars:,} characters ({len(data):,} bytes), {num_merges} merges")
    fast, fast_s = timed(fast_merges, [data], num_merges)
    plain, plain_s = timed(plain_merges, [data], num_merges)
    print(f"plain (recount every pair each merge): {plain_s:7.2f} s")
    print(f"incremental (update counts):           {fast_s:7.2f} s")
    print(f"speed-up {plain_s / fast_s:.1f}x; identical merges: {fast == plain}")
    return 0 if fast == plain and plain_s >= 10 * fast_s else 1


if __name__ == "__main__":
    sys.exit(main())
