# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lecture 8: building the GPT tokenizer
#
# The GPT of lecture 7 reads characters. Real language models read **tokens**: chunks of text
# from a vocabulary of tens of thousands, learned from data with the byte-pair encoding (BPE)
# algorithm. The tokenizer is a separate stage with its own training set and its own training
# run, and it is behind a surprising number of the odd things language models do: trouble with
# spelling, with arithmetic, with non-English text, with trailing spaces. This lecture builds a
# byte-level BPE tokenizer, then the GPT-2/GPT-4 kind with a regex pre-split and special tokens,
# then reproduces GPT-4's tokenizer exactly from its published files.
#
# *Follows Andrej Karpathy's video
# [Let's build the GPT Tokenizer](https://www.youtube.com/watch?v=zduSFxRajkE) and his repository
# [karpathy/minbpe](https://github.com/karpathy/minbpe), whose API our package follows.*

# %% tags=["setup"]
# Run it yourself: this notebook needs the course package, zero_to_hero. This cell checks that it
# is installed; in Colab it installs it. Elsewhere, install it as "Run it yourself" on the
# lecture's page says, or set INSTALL = True to let this cell install it from the repository.
import subprocess
import sys

REPO_URL = ""  # the course repository (empty: not published yet)
INSTALL = False
COMMAND = "pip install zero_to_hero-0.1.0-py3-none-any.whl torch==2.13.0 numpy==2.4.6 matplotlib==3.11.2 regex==2026.11.15 tiktoken==0.14.0 tqdm==4.70.1 sentencepiece==0.2.3"

try:
    import zero_to_hero
except ModuleNotFoundError:
    if not (REPO_URL and (INSTALL or "google.colab" in sys.modules)):
        hint = f", or set INSTALL = True to install it from {REPO_URL}" if REPO_URL else ""
        raise ModuleNotFoundError(
            "zero_to_hero is not installed: download its wheel from the lecture's page and run "
            f"{COMMAND}{hint}"
        ) from None
    package = f"zero-to-hero @ git+{REPO_URL}"
    print(f"zero_to_hero is not installed; installing {package}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    import zero_to_hero
print(f"zero_to_hero {zero_to_hero.__version__}")

# %%
import json
import tempfile
import time
from pathlib import Path

import regex
from IPython.display import HTML, display

from zero_to_hero import tokenizer as package  # the tested versions, to check ours against
from zero_to_hero.data import data_path, read_text
from zero_to_hero.tokenizer.reference import gpt2_encoding, gpt4_encoding

gpt2, gpt4 = gpt2_encoding(), gpt4_encoding()  # tiktoken, built from the local files


def show(pieces):
    """Draw text pieces (tokens, or regex chunks) side by side in alternating colours."""
    colours = ["#fde2a7", "#c6e6fb", "#d5f0c8", "#f8cbe0", "#e2d6f7"]
    spans = "".join(
        f'<span style="background:{colours[i % 5]};color:#111;white-space:pre;'
        f'border-radius:3px;padding:1px 0">{p.replace("&", "&amp;").replace("<", "&lt;")}</span>'
        for i, p in enumerate(pieces)
    )
    return HTML(f'<div style="line-height:1.9;font-family:monospace">{spans}</div>')


def pieces_of(enc, text):
    """The pieces of text that ``enc`` (a tiktoken encoding) cuts ``text`` into."""
    return [enc.decode_single_token_bytes(t).decode("utf-8", "replace") for t in enc.encode(text)]


# %% [markdown]
# ## 1. Tokenization by example
#
# GPT-2's tokenizer cuts text into pieces like this (each coloured box is one token; the numbers are
# the token ids the model actually sees):

# %%
example = "Tokenization is at the heart of much weirdness of LLMs. 127 + 677 = 804\negg Egg EGG"
show(pieces_of(gpt2, example))

# %%
print(gpt2.encode(example))

# %% [markdown]
# Three things to see. Common words are single tokens that include their leading space (" is",
# " the"). Numbers are cut arbitrarily: "127" is one token, " 677" is " 6" + "77". And the same
# word gets unrelated tokens depending on case and on whether a space precedes it: the model must
# learn from data that "egg", " Egg" and "EGG" are related. Non-English text and code fare worse;
# we come back to this at the end.
#
# ## 2. Strings, code points and bytes
#
# A Python string is a sequence of Unicode **code points**: integers, one per character, from a
# table of about 150,000 characters that keeps growing.

# %%
text = "안녕하세요 👋 (hello in Korean!)"
print([ord(ch) for ch in text])

# %% [markdown]
# Why not use code points as tokens? The vocabulary would be huge (150,000 entries, most of them
# rare) and unstable (the standard keeps changing). Instead, text is **encoded** into bytes. UTF-8
# uses 1 to 4 bytes per code point, and ASCII text is unchanged; UTF-16 and UTF-32 waste bytes on
# zeros for English text:

# %%
for encoding in ("utf-8", "utf-16", "utf-32"):
    raw = text.encode(encoding)
    print(f"{encoding:>6}: {len(raw):3d} bytes  {list(raw[:16])} ...")

# %% [markdown]
# Bytes give a tiny, fixed vocabulary of 256, but long sequences: the Korean greeting is 5
# characters and 15 bytes, and a transformer's context (lecture 7) is a budget of positions:
# GPT-2's is 1,024 tokens, up from GPT-1's 512 (facts from the GPT-2 paper, which also introduced
# its byte-level BPE). Datasets, too, are counted in tokens: Llama 2 was trained on 2 trillion
# (fact from the Llama 2 paper). We want a bigger vocabulary and shorter sequences, learned from
# the data. (Models that read raw
# bytes, such as the MEGABYTE proposal, would delete tokenization altogether, but need a different
# architecture; not yet standard.)
#
# ## 3. Byte-pair encoding
#
# BPE starts from the bytes and repeatedly replaces the most frequent adjacent pair with a new
# token. The Wikipedia example, `aaabdaaabac`: "aa" is most frequent, becomes Z: `ZabdZabac`; then
# "Za" becomes Y: `YbdYbac`; then "Yb" becomes X: `XdXac`. Five tokens instead of eleven, with a
# vocabulary three symbols bigger. On byte ids, the new tokens get ids 256, 257, ... Two helpers
# do all the work, as in the lecture: `get_stats` counts every pair of neighbours, and `merge`
# replaces every occurrence of one pair by a new id.


# %%
def get_stats(ids):
    """Counts of each pair of consecutive ids: {(a, b): count}, in order of first sight."""
    counts = {}
    for pair in zip(ids, ids[1:]):  # consecutive elements
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, idx):
    """A new list in which every occurrence of `pair`, left to right, becomes `idx`."""
    newids = []
    i = 0
    while i < len(ids):
        # not at the very last position AND the pair matches
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            newids.append(idx)
            i += 2
        else:
            newids.append(ids[i])
            i += 1
    return newids


print(get_stats([1, 2, 3, 1, 2]))  # dict[(int, int), int]
print(merge([5, 6, 6, 7, 9, 1], (6, 7), 99))  # list[int]
assert merge([5, 6, 6, 7, 9, 1], (6, 7), 99) == [5, 6, 99, 9, 1]
assert merge([1, 1, 1], (1, 1), 7) == [7, 1]  # left to right, no overlaps

# %% [markdown]
# Three merges of the Wikipedia example, on its bytes:

# %%
ids = list(b"aaabdaaabac")
for new_id in (256, 257, 258):
    stats = get_stats(ids)
    pair = max(stats, key=stats.get)
    ids = merge(ids, pair, new_id)
    print(f"merge {pair} -> {new_id}: {ids}")
assert ids == [258, 100, 258, 97, 99]

# %% [markdown]
# `max` returns the first pair with the highest count, and `get_stats` collects pairs in order of
# appearance, so **ties go to the pair that occurs first**. That rule is part of the algorithm's
# definition here: any faster implementation must learn exactly the same merges.
#
# ### Training on real text
#
# The lecture trains on the text of a blog post about Unicode; we use the first 100,000 characters
# of lecture 7's Tiny Shakespeare. The training loop, as in the lecture: a vocabulary of 276
# means 20 merges, and before each one all pairs are recounted:

# %%
shakespeare = read_text("tinyshakespeare.txt")
sample = shakespeare[:100_000]
tokens = sample.encode("utf-8")  # raw bytes
tokens = list(map(int, tokens))  # list of integers in range 0..255

vocab_size = 276  # the desired final vocabulary size
num_merges = vocab_size - 256
ids = list(tokens)  # copy so we don't destroy the original list

start = time.perf_counter()
merges = {}  # (int, int) -> int
for i in range(num_merges):
    stats = get_stats(ids)
    pair = max(stats, key=stats.get)
    idx = 256 + i
    if i < 6:
        print(f"merging {pair} into a new token {idx} ({stats[pair]:,} occurrences)")
    ids = merge(ids, pair, idx)
    merges[pair] = idx
print(f"{num_merges} merges on {len(tokens):,} bytes in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# How much shorter did the text get?

# %% tags=["headline"]
print(f"{len(tokens):,} bytes -> {len(ids):,} tokens, compression {len(tokens) / len(ids):.2f}X")
print("Karpathy, 20 merges on Nathan Reed's Unicode blog post: 24,597 -> 19,438 tokens, 1.27X")

# %% [markdown]
# ### The package's version, and faster training
#
# The package has the same helpers and the same loop, tested; on the same input they agree with
# ours (the same counts in the same order, the same merges):

# %%
from zero_to_hero.tokenizer.training import fast_merges, plain_merges

assert package.get_stats(tokens) == get_stats(tokens)
assert list(package.get_stats(tokens)) == list(get_stats(tokens))  # same order: same tie-breaks
assert package.merge(tokens, (101, 32), 256) == merge(tokens, (101, 32), 256)
plain = plain_merges([tokens], num_merges=20)  # list of Merge(pair, new_id, occurrences)
assert {m.pair: m.new_id for m in plain} == merges
print(plain[0])

# %% [markdown]
# Recounting every pair before every merge costs a pass over the whole text per merge. But a
# merge only changes the pairs around the occurrences it replaces. `fast_merges` keeps every
# pair's count and positions, and at each merge visits only that pair's occurrences, fixing the
# counts of their neighbours. It gives exactly the plain loop's merges, ties included (the
# package's tests check this on random sequences full of ties and overlapping runs like `aaaa`,
# and `benchmarks/bpe_training.py` times both on 1M characters):

# %%
start = time.perf_counter()
fast = fast_merges([tokens], num_merges=20)
print(f"20 merges in {time.perf_counter() - start:.2f} s, same merges: {fast == plain}")
assert fast == plain

# %% [markdown]
# ## 4. The tokenizer: encode and decode
#
# The merges build on each other: a merged token can be part of a later pair. **Decoding** needs
# each token's bytes, the **vocabulary**; built in merge order, a token's parts always come
# before it (a dict keeps insertion order). Decoding joins the tokens' bytes and decodes UTF-8.

# %%
vocab = {idx: bytes([idx]) for idx in range(256)}  # int -> bytes
for (p0, p1), idx in merges.items():
    vocab[idx] = vocab[p0] + vocab[p1]
print([vocab[idx] for idx in range(256, 276)])


def decode(ids):
    # given ids (list of integers), return Python string
    tokens = b"".join(vocab[idx] for idx in ids)
    text = tokens.decode("utf-8", errors="replace")
    return text


print(repr(decode([257, 256])), repr(decode([128])))  # str

# %% [markdown]
# Not every byte sequence is valid UTF-8 (byte 128 alone is not: it can only continue a
# character), so `errors="replace"` turns bad bytes into `�` instead of raising.
#
# **Encoding** starts from the bytes and applies merges, always the earliest-learned pair present
# (the lowest merge id, so that parts are made before the tokens built from them), until no pair
# can be merged:


# %%
def apply_merges(tokens, merges):
    # merge the earliest-learned pair present until no pair can be merged
    while len(tokens) >= 2:
        stats = get_stats(tokens)
        pair = min(stats, key=lambda p: merges.get(p, float("inf")))
        if pair not in merges:
            break  # nothing else can be merged
        idx = merges[pair]
        tokens = merge(tokens, pair, idx)
    return tokens


def encode(text):
    # given a string, return list of integers (the tokens)
    return apply_merges(list(text.encode("utf-8")), merges)


print(encode("hello world"))  # list[int]
split = int(0.9 * len(shakespeare))
train_text, heldout = shakespeare[:split], shakespeare[split : split + 20_000]
for s in ["hello world", "Ünïcödé 👋 안녕", "", "h", sample, heldout]:
    assert decode(encode(s)) == s
print(
    f"decode(encode(text)) == text on the training sample and on {len(heldout):,} unseen characters"
)

# %% [markdown]
# The other way round does not hold: `encode(decode(ids))` need not give `ids` back. Decoding
# forgets how the bytes were cut, and encoding always cuts them the one greedy way; and ids
# that are not valid UTF-8 decode to `�`, whose own bytes are something else:

# %%
for bad in ([101, 32], [128]):
    print(f"{bad} -> {decode(bad)!r} -> {encode(decode(bad))}")
assert encode(decode([101, 32])) == [256] and vocab[256] == b"e "
assert encode(decode([128])) == list("\N{REPLACEMENT CHARACTER}".encode()) == [239, 191, 189]

# %% [markdown]
# `BasicTokenizer` packages this as in minbpe: `train(text, vocab_size)`, `encode`, `decode`, and
# the attributes `merges` and `vocab`. Trained on the same sample to the same vocabulary size it
# learns our merges, builds our vocabulary and gives our ids:

# %%
from zero_to_hero.tokenizer import BasicTokenizer, RegexTokenizer

check = BasicTokenizer()
check.train(sample, vocab_size=276)
assert check.merges == merges and check.vocab == vocab
heldout_ids = encode(heldout)
assert check.encode(heldout) == heldout_ids and check.decode(heldout_ids) == decode(heldout_ids)
assert check.encode(decode([101, 32])) == [256]
print(f"same merges, vocabulary and {len(heldout_ids):,} held-out ids as ours")

# %% [markdown]
# From here on we use the package. We train on the first 90% of Tiny Shakespeare with a
# vocabulary of 512 (256 merges) and measure on the text set aside above, the first 20,000
# characters of the last 10%, which training never sees:

# %%
basic = BasicTokenizer()
start = time.perf_counter()
basic.train(train_text, vocab_size=512)
print(f"256 merges on {len(train_text.encode()):,} bytes in {time.perf_counter() - start:.1f} s")
ids = basic.encode(heldout)
basic_ratio = len(heldout.encode()) / len(ids)
print(f"held-out: {len(heldout.encode()):,} bytes -> {len(ids):,} tokens, {basic_ratio:.2f}X")
assert basic.decode(ids) == heldout

# %% [markdown]
# Round trips work on any text, including characters it never saw in training (they stay bytes):

# %%
for s in ["hello world", "Ünïcödé 👋 안녕", ""]:
    assert basic.decode(basic.encode(s)) == s
print(basic.decode([128]), basic.encode("Ünïcödé")[:8])

# %% [markdown]
# What did it learn? The last merges are long, frequent chunks of Shakespeare, and some of them
# glue words to the punctuation and spaces around them:

# %%
print([basic.vocab[idx] for idx in range(490, 512)])

# %% [markdown]
# ## 5. The regex pre-split
#
# Tokens like `b's,\n'` and `b'o, '` waste vocabulary: every word followed by every possible
# punctuation could become a separate token. GPT-2 prevents this by first **splitting the text** with a regular
# expression into pieces (letters, numbers, punctuation, whitespace), and running BPE inside each
# piece. Merges never cross piece boundaries.

# %%
from zero_to_hero.tokenizer import GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN

print(GPT2_SPLIT_PATTERN)
pieces = regex.findall(GPT2_SPLIT_PATTERN, "Hello've world123 how's are you!!!?")
print(pieces)
assert pieces == ["Hello", "'ve", " world", "123", " how", "'s", " are", " you", "!!!?"]

# %% [markdown]
# Quirks worth knowing: the contractions are hard-coded with the ASCII apostrophe only, and in
# GPT-2 case-sensitively (`HOW'S` splits differently from `how's`); `\s+(?!\S)` leaves the last
# space of a run of spaces to join the following word, so " world" stays one token. GPT-4's
# pattern fixes the case of contractions, splits numbers into groups of at most three digits, and
# attaches newlines to the punctuation before them; runs of spaces it splits exactly as GPT-2's
# does:

# %%
for pattern, name in ((GPT2_SPLIT_PATTERN, "GPT-2"), (GPT4_SPLIT_PATTERN, "GPT-4")):
    print(f"{name}:", regex.findall(pattern, "HOW'S    this 1234567?"))

# %% [markdown]
# `RegexTokenizer` trains inside the pieces (counting each distinct piece once, weighted by how
# often it occurs) and encodes piece by piece. Its vocabulary has no cross-category tokens:

# %%
regex_tok = RegexTokenizer()  # GPT-4's pattern by default
start = time.perf_counter()
regex_tok.train(train_text, vocab_size=512)
print(f"trained in {time.perf_counter() - start:.1f} s")
print([regex_tok.vocab[idx] for idx in range(490, 512)])
ids = regex_tok.encode(heldout)
regex_ratio = len(heldout.encode()) / len(ids)
print(f"held-out: {len(heldout.encode()):,} bytes -> {len(ids):,} tokens, {regex_ratio:.2f}X")
assert regex_tok.decode(ids) == heldout
assert regex_ratio > basic_ratio

# %% [markdown]
# With the same number of merges, the held-out text even compresses better: merges no longer
# spent on word-plus-punctuation combinations go to word pieces that recur everywhere. GPT-2's training code for its tokenizer was never
# released, only the inference code; this is our reconstruction of the idea.
#
# ## 6. tiktoken, and GPT-2's files
#
# OpenAI's [tiktoken](https://github.com/openai/tiktoken) is a fast inference-only library for
# their tokenizers. `tiktoken.get_encoding("gpt2")` downloads its files; our
# `zero_to_hero.tokenizer.reference` builds the same encodings from the checksummed local copies.
# GPT-2's release has two files: `encoder.json`, the vocabulary (token string to id), and
# `vocab.bpe`, the merges in order:

# %%
encoder = json.loads(data_path("gpt2_encoder.json").read_text("utf-8"))
bpe_merges = data_path("gpt2_vocab.bpe").read_text("utf-8").splitlines()[1:]
print(
    f"encoder.json: {len(encoder):,} tokens; vocab.bpe: {len([m for m in bpe_merges if m]):,} merges"
)
print("first merges:", bpe_merges[:5])
print("<|endoftext|> =", encoder["<|endoftext|>"])

# %% [markdown]
# 50,257 = 256 byte tokens + 50,000 merges + 1 special token. The odd characters such as `Ġ` in
# the files are GPT-2's printable stand-ins for bytes, its `bytes_to_unicode` layer: every byte
# gets a visible character (printable ASCII stands for itself; the others are shifted above 255,
# so the space byte 32 becomes `Ġ`, U+0120). Here is that function from GPT-2's `encoder.py`:


# %%
def bytes_to_unicode():
    """GPT-2's map from each byte (0-255) to a printable character that stands for it."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b)
            cs.append(2**8 + n)
            n += 1
    cs = [chr(n) for n in cs]
    return dict(zip(bs, cs))


byte_encoder = bytes_to_unicode()  # int -> str (one character)
print(byte_encoder[32], byte_encoder[10], byte_encoder[ord("a")])
assert len(set(byte_encoder.values())) == 256

# %% [markdown]
# The rest of `encoder.py` is the BPE itself, `bpe(token)`, written in strings of those characters
# rather than ids. `bpe_ranks` gives each merge its line number in `vocab.bpe`; the loop takes the
# pairs of neighbouring parts of the word, picks the one ranked lowest (learned first), merges
# all its occurrences, and stops when no pair is a known merge. (The original also keeps a cache
# of words already seen.) It is our `encode` again, with strings for ids:


# %%
def get_pairs(word):
    """The set of pairs of neighbouring symbols in a word (a tuple of strings)."""
    pairs = set()
    prev_char = word[0]
    for char in word[1:]:
        pairs.add((prev_char, char))
        prev_char = char
    return pairs


bpe_ranks = {tuple(m.split()): i for i, m in enumerate(m for m in bpe_merges if m)}


def bpe(token):
    word = tuple(token)
    pairs = get_pairs(word)
    if not pairs:
        return token
    while True:
        bigram = min(pairs, key=lambda pair: bpe_ranks.get(pair, float("inf")))
        if bigram not in bpe_ranks:
            break
        first, second = bigram
        new_word = []
        i = 0
        while i < len(word):
            try:
                j = word.index(first, i)
            except ValueError:
                new_word.extend(word[i:])
                break
            new_word.extend(word[i:j])
            i = j
            if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                new_word.append(first + second)
                i += 2
            else:
                new_word.append(word[i])
                i += 1
        word = tuple(new_word)
        if len(word) == 1:
            break
        pairs = get_pairs(word)
    return " ".join(word)


def gpt2_encode(text):
    """GPT-2's Encoder.encode: split with the pattern, map bytes to characters, BPE, look up ids."""
    bpe_tokens = []
    for token in regex.findall(GPT2_SPLIT_PATTERN, text):
        token = "".join(byte_encoder[b] for b in token.encode("utf-8"))
        bpe_tokens.extend(encoder[bpe_token] for bpe_token in bpe(token).split(" "))
    return bpe_tokens


print(bpe("Ġtokenization"), bpe("ĠSolidGoldMagikarp"))
for t in [example, "    hello world!!!", " SolidGoldMagikarp", "안녕하세요 👋", train_text[:2_000]]:
    assert gpt2_encode(t) == gpt2.encode(t)
print("gpt2_encode == tiktoken's gpt2 on 5 texts")

# %% [markdown]
# Our walk-through gives the same ids as tiktoken on every text tried. Same text, two
# generations of tokenizer:

# %%
for enc in (gpt2, gpt4):
    print(f"{enc.name:>12}: {enc.encode('    hello world!!!')}")

# %% [markdown]
# ## 7. Special tokens
#
# Some tokens are not made by BPE at all: they are inserted to mark structure, and the tokenizer
# matches their exact strings before anything else. GPT-2 has one, `<|endoftext|>` (50256), put
# between documents in the training data so the model learns where a document ends. GPT-4's
# cl100k_base has five. Three are fill-in-the-middle (FIM) tokens: a document rearranged as
# `<|fim_prefix|>` prefix `<|fim_suffix|>` suffix `<|fim_middle|>` middle teaches a model to
# write the missing middle of a text given what comes before and after it (code completion
# inside a file). Adding a special token to a trained model means adding a row to its embedding
# table and to its output layer.

# %%
print(gpt4.encode("<|endoftext|>hello world", allowed_special="all"))
print(gpt4.encode("<|endoftext|>hello world", disallowed_special=()))  # as ordinary text
print(gpt4._special_tokens)
fim = {name: idx for name, idx in gpt4._special_tokens.items() if "fim" in name}
print("FIM tokens:", fim)

# %% [markdown]
# tiktoken's own definition of cl100k_base (in `tiktoken_ext/openai_public.py`) names the same
# tokens; ours is built from the local file, so we check it against those names:

# %%
import tiktoken
from tiktoken_ext import openai_public

assert fim == {openai_public.FIM_PREFIX: 100258, openai_public.FIM_MIDDLE: 100259,
               openai_public.FIM_SUFFIX: 100260}  # fmt: skip
assert gpt4._special_tokens[openai_public.ENDOFTEXT] == 100257
assert gpt4._special_tokens[openai_public.ENDOFPROMPT] == 100276

# %% [markdown]
# Chat models add tokens that delimit the turns of a conversation. tiktoken's README shows how to
# extend an encoding with new special tokens: a new `Encoding` with the same pattern and ranks
# and more special tokens (with the ids its README uses):

# %%
cl100k_base = gpt4
enc = tiktoken.Encoding(
    name="cl100k_im",
    pat_str=cl100k_base._pat_str,
    mergeable_ranks=cl100k_base._mergeable_ranks,
    special_tokens={**cl100k_base._special_tokens, "<|im_start|>": 100264, "<|im_end|>": 100265},
)
chat = "<|im_start|>user\nhello<|im_end|>"
print(enc.encode(chat, allowed_special="all"))
print(gpt4.encode(chat, disallowed_special=()))  # cl100k_base itself: ordinary text
assert enc.encode(chat, allowed_special="all")[0] == 100264
assert enc.decode(enc.encode(chat, allowed_special="all")) == chat

# %% [markdown]
# Our `RegexTokenizer` takes special tokens with `register_special_tokens`, and `encode` decides
# what to do with their text through `allowed_special`: `"all"`, `"none"` (encode it as ordinary
# text), `"none_raise"` (the default: refuse, because text from a user that contains
# `<|endoftext|>` should not end a document), or a set of names:

# %%
regex_tok.register_special_tokens({"<|endoftext|>": 512})
doc = "To be<|endoftext|>or not"
print(regex_tok.encode(doc, allowed_special="all"))
print(regex_tok.encode(doc, allowed_special="none"))
try:
    regex_tok.encode(doc)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ### Saving and loading
#
# A trained tokenizer is its merges, its pattern and its special tokens. `save(prefix)` writes
# them to `prefix.model` in minbpe's format (a version line, the pattern, the special tokens,
# then one merged pair per line: the merged ids 256, 257, ... are implicit), and a readable
# `prefix.vocab` for people; `load` reads the `.model` file back:

# %%
saved = Path(tempfile.mkdtemp())
regex_tok.save(saved / "shakespeare")
model_lines = (saved / "shakespeare.model").read_text("utf-8").splitlines()
print(f"{len(model_lines)} lines:", model_lines[:6], "...")
print((saved / "shakespeare.vocab").read_text("utf-8").splitlines()[300:303])

loaded = RegexTokenizer()
loaded.load(saved / "shakespeare.model")
assert len(model_lines) == 3 + 1 + 256  # header, one special token, 256 merges
assert (loaded.merges, loaded.pattern, loaded.special_tokens, loaded.vocab) == (
    regex_tok.merges, regex_tok.pattern, regex_tok.special_tokens, regex_tok.vocab
)  # fmt: skip
assert loaded.encode(doc, allowed_special="all") == regex_tok.encode(doc, allowed_special="all")
assert loaded.encode(heldout) == regex_tok.encode(heldout)
print("reloaded: same merges, pattern, special tokens and ids")

# %% [markdown]
# ## 8. GPT-2 versus GPT-4 on code and numbers
#
# GPT-4's vocabulary is about twice as large (100,277 tokens against 50,257) and has tokens for
# runs of spaces. On Python code the difference is large:

# %%
code = """class Counter:
    def __init__(self):
        self.counts = {}

    def add(self, word):
        if word in self.counts:
            self.counts[word] += 1
        else:
            self.counts[word] = 1
"""
display(show(pieces_of(gpt2, code)), show(pieces_of(gpt4, code)))
print(f"GPT-2: {len(gpt2.encode(code))} tokens, GPT-4: {len(gpt4.encode(code))} tokens")

# %% [markdown]
# Is that GPT-4's split pattern or its vocabulary? The patterns treat an indentation alike: both
# leave all of its spaces but the last in a chunk of their own (`\s+(?!\S)`), the last joining
# the next word (" def"). They differ only in where a newline goes: GPT-2's keeps it at the front
# of the whitespace chunk, GPT-4's attaches it to the punctuation before (":\n"). The runs of
# spaces themselves are the same:

# %%
ws2 = [c for c in regex.findall(GPT2_SPLIT_PATTERN, code) if c.isspace()]
ws4 = [c for c in regex.findall(GPT4_SPLIT_PATTERN, code) if c.isspace()]
print("GPT-2 pattern:", ws2)
print("GPT-4 pattern:", ws4)
runs2 = [c.lstrip("\n") for c in ws2 if c.strip("\n")]
runs4 = [c for c in ws4 if len(c) > 1 and not c.strip(" ")]
print("runs of spaces:", [len(r) for r in runs2], [len(r) for r in runs4])
assert runs2 == runs4
n_space_tokens = [
    sum(b" " * n in enc._mergeable_ranks for n in range(2, 17)) for enc in (gpt2, gpt4)
]
print(f"tokens made only of 2 to 16 spaces: GPT-2 {n_space_tokens[0]}, GPT-4 {n_space_tokens[1]}")
assert n_space_tokens[0] == 0 and n_space_tokens[1] == 15

# %% [markdown]
# Same runs of spaces; but GPT-2's vocabulary has no token made of spaces alone, so every space of
# the run costs a token, while GPT-4's has one for each length. To measure which change saves the
# tokens, swap them: each vocabulary with each pattern, on the same code.

# %%
assert gpt4.n_vocab == 100_277
counts = {}
for vocabulary, encoding in (("GPT-2", gpt2), ("GPT-4", gpt4)):
    for split, pattern in (("GPT-2", GPT2_SPLIT_PATTERN), ("GPT-4", GPT4_SPLIT_PATTERN)):
        swapped = tiktoken.Encoding(
            f"{vocabulary} vocabulary, {split} pattern", pat_str=pattern,
            mergeable_ranks=encoding._mergeable_ranks, special_tokens={},
        )  # fmt: skip
        counts[vocabulary, split] = len(swapped.encode(code))
        print(f"{vocabulary} vocabulary, {split} pattern: {counts[vocabulary, split]} tokens")
assert counts["GPT-4", "GPT-2"] < counts["GPT-2", "GPT-2"] - 30  # the vocabulary saves most
assert counts["GPT-2", "GPT-4"] >= counts["GPT-2", "GPT-2"]  # the pattern alone saves nothing

# %% [markdown]
# The vocabulary makes most of the difference: GPT-4's vocabulary with GPT-2's pattern already
# needs far fewer tokens, while GPT-4's pattern with GPT-2's vocabulary saves nothing. The rest
# comes from GPT-4's pattern and its vocabulary together: the pattern puts a line's final
# punctuation and its newline in one chunk, and the vocabulary, trained with that pattern, has
# tokens for them (`:\n`, `):\n`, ` {}\n` in the pictures above).
#
# Numbers: GPT-2's merges cut them wherever its training data happened to make a pair frequent;
# GPT-4's pattern cuts them into groups of three digits from the left, then BPE works inside those.

# %%
for number in ["127", "677", "804", "1234567", "3.14159", "2024-11-23"]:
    print(f"{number:>12}  GPT-2 {pieces_of(gpt2, number)}  GPT-4 {pieces_of(gpt4, number)}")

# %% [markdown]
# ## 9. GPT-4's tokenizer, rebuilt
#
# tiktoken's file for GPT-4, `cl100k_base.tiktoken`, lists every token's bytes and **rank** (its
# id, which is also its merge priority), but not the merges themselves. `GPT4Tokenizer` recovers
# them: a multi-byte token of rank $r$ is what BPE produces from its bytes using only merges below
# $r$, and the two parts left just before the end are the pair that merges into it. A second
# detail: GPT-4 does not number the single bytes 0-255 in order, so bytes are mapped through a
# permutation (`byte_shuffle`) before merging. With both, our tokenizer gives tiktoken's ids:

# %% tags=["headline"]
from zero_to_hero.tokenizer import GPT4Tokenizer

start = time.perf_counter()
ours = GPT4Tokenizer()
print(f"{len(ours.merges):,} merges recovered in {time.perf_counter() - start:.1f} s")
print("byte_shuffle:", [ours.byte_shuffle[b] for b in range(0, 256, 32)], "...")

texts = [
    "hello123!!!? (안녕하세요!) 😉",
    "hello world!!!? (안녕하세요!) lol123 😉",
    code,
    example,
    train_text[:5_000],
    "<|endoftext|>hello world",
]
for t in texts:
    assert ours.encode(t, allowed_special="all") == gpt4.encode(t, allowed_special="all")
    assert ours.decode(ours.encode(t, allowed_special="all")) == t
print(ours.encode(texts[0]))
print(f"equal to tiktoken on {len(texts)} texts ({sum(map(len, texts)):,} characters)")

# %% [markdown]
# ## 10. SentencePiece
#
# Llama 2 and Mistral use Google's [SentencePiece](https://github.com/google/sentencepiece),
# which runs BPE on **code points** rather than bytes. Rare code points (below the
# `character_coverage` fraction) become either an unknown token or, with `byte_fallback`, their
# UTF-8 bytes. It has many options, most inherited from older machine translation practice;
# below are those of the Llama 2 tokenizer, on a toy text of our own with a vocabulary of 400.

# %%
import sentencepiece as spm

toy = (
    "A tokenizer turns text into a sequence of integers, and a detokenizer turns the integers "
    "back into text. Byte pair encoding learns its vocabulary from data: it starts from small "
    "pieces and merges the most frequent neighbours, again and again, until the vocabulary has "
    "the size we asked for. Training a tokenizer is a separate stage, with its own data set, "
    "before the language model is trained. The tokenizer decides how long every sequence is."
)
workdir = Path(tempfile.mkdtemp())
(workdir / "toy.txt").write_text(toy, encoding="utf-8")
options = dict(
    input=str(workdir / "toy.txt"), input_format="text",
    model_prefix=str(workdir / "tok400"), model_type="bpe", vocab_size=400,
    normalization_rule_name="identity", remove_extra_whitespaces=False,
    input_sentence_size=200_000_000, max_sentence_length=4192, seed_sentencepiece_size=1_000_000,
    shuffle_input_sentence=True, character_coverage=0.99995, byte_fallback=True,
    split_digits=True, split_by_unicode_script=True, split_by_whitespace=True,
    split_by_number=True, max_sentencepiece_length=16, add_dummy_prefix=True,
    allow_whitespace_only_pieces=True, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
    num_threads=1, minloglevel=2,  # quiet, and reproducible
)  # fmt: skip
spm.SentencePieceTrainer.train(**options)
sp = spm.SentencePieceProcessor(model_file=str(workdir / "tok400.model"))
pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
print(pieces[:3], pieces[3:6], "...", pieces[256:259], "...", pieces[259:275], "...", pieces[-8:])

# %% [markdown]
# The vocabulary is ordered: the special tokens, the 256 byte-fallback tokens, the merges, then
# the individual code points seen in training. Korean never occurred in training, so it falls
# back to bytes; and `add_dummy_prefix` adds a space in front of the text, so that "text" at the
# start is the same token as "text" after a space:

# %%
ids = sp.encode("hello 안녕하세요")
print(ids)
print([sp.id_to_piece(i) for i in ids])
print(
    [sp.id_to_piece(i) for i in sp.encode("text")],
    [sp.id_to_piece(i) for i in sp.encode("the text")],
)

# %% [markdown]
# ## 11. Choosing the vocabulary size
#
# In the GPT of lecture 7 the vocabulary size appears twice: in the token embedding table and in
# the output layer. A larger vocabulary makes sequences shorter (more text fits in the context)
# but makes those two layers bigger and each token rarer in training, so rare tokens' vectors are
# undertrained; it also squeezes more meaning into one position. Vocabularies of recent models
# range from about 32K (Llama 2: 32,000 tokens, from its paper) through GPT-2's 50,257 and GPT-4's
# 100,277 (both measured above) to about 200K (GPT-4o). A pretrained model's vocabulary can be extended (new rows in both layers, the rest
# often frozen); "gist tokens" compress long prompts into a few new tokens that are trained while
# the model stays fixed. Images, audio and video are tokenized too, into patches or codebook
# entries, so the same transformer can read them.
#
# ## 12. Why LLMs are bad at some things: the tokenizer
#
# Every one of these is a consequence of the tokenizations shown here (GPT-4's unless noted).
#
# **Spelling and counting letters.** A long word can be a single token, and the model never sees
# its letters:

# %%
print(pieces_of(gpt4, ".DefaultCellStyle"), pieces_of(gpt4, " unbelievably"))

# %% [markdown]
# **Reversing a string** asks for a character-level operation on chunks; spelled out one letter
# at a time, the same text becomes many tokens the model can manipulate:

# %%
print(pieces_of(gpt4, "tokenization"), pieces_of(gpt4, "t o k e n i z a t i o n"))

# %% [markdown]
# **Non-English text** needs more tokens for the same meaning, so it fills the context faster
# and each token carries less:

# %%
for s in ["Hello, how are you?", "안녕하세요, 어떻게 지내세요?"]:
    print(f"{len(s):3d} characters, {len(gpt4.encode(s)):2d} tokens: {s}")

# %% [markdown]
# **Arithmetic.** Digits are grouped by the tokenizer, not by place value, so the same digit
# position falls in different tokens from one number to the next (GPT-2 is worse than GPT-4):

# %%
for n in ["1234", "12345", "8000001", "8000002"]:
    print(f"{n:>8}  GPT-2 {pieces_of(gpt2, n)}  GPT-4 {pieces_of(gpt4, n)}")

# %% [markdown]
# **Python in GPT-2.** Each space of the indentation was a token (section 8), so code used up
# GPT-2's context fast.
#
# **`<|endoftext|>`.** If a special token's text reaches the model as a special token, it ends the
# document; a chat interface that does not escape it halts or misbehaves:

# %%
print(gpt4.encode("say <|endoftext|> please", allowed_special="all"))

# %% [markdown]
# **Trailing whitespace.** A space usually begins the next token (" world"); a prompt that ends
# in a space leaves the model with a token it rarely saw at the end of text, hence the API's
# warning:

# %%
print(pieces_of(gpt4, "Here is a tag line for an ice cream shop:"))
print(pieces_of(gpt4, "Here is a tag line for an ice cream shop: "))

# %% [markdown]
# **SolidGoldMagikarp** (GPT-2's tokenizer). Some strings from the tokenizer's training data (here a Reddit user
# name) became single tokens, but hardly occurred in the language model's training data; their
# embeddings were never trained, and prompting with them produced bizarre output:

# %%
print(pieces_of(gpt2, " SolidGoldMagikarp"))

# %% [markdown]
# **YAML versus JSON.** The same data costs different numbers of tokens in different formats;
# YAML is usually denser:

# %%
as_json = json.dumps({"name": "llama", "legs": 4, "likes": ["hay", "carrots"]}, indent=2)
as_yaml = "name: llama\nlegs: 4\nlikes:\n  - hay\n  - carrots\n"
print(f"JSON {len(gpt4.encode(as_json))} tokens, YAML {len(gpt4.encode(as_yaml))} tokens")
assert len(gpt4.encode(as_yaml)) < len(gpt4.encode(as_json))

# %% [markdown]
# ## Exercises
#
# Karpathy's [minbpe exercise](https://github.com/karpathy/minbpe/blob/master/exercise.md) builds
# the package step by step. Stages 1, 3 and 5 are solved in cells below and checked against the
# package (stage 5 against SentencePiece); stages 2 and 4 check the package's tokenizers.
#
# ### Stage 1: a BasicTokenizer
#
# Write `train`, `encode` and `decode` for byte-level BPE; train it on a text and look at the
# merges. Does "aaabdaaabac" with 3 merges give `[258, 100, 258, 97, 99]`?


# %% tags=["solution"]
class MyBasicTokenizer:
    """Byte-level BPE: section 3's training loop and section 4's encode and decode, in a class."""

    def __init__(self):
        self.merges = {}  # (int, int) -> int
        self.vocab = {idx: bytes([idx]) for idx in range(256)}  # int -> bytes

    def train(self, text, vocab_size, verbose=False):
        assert vocab_size >= 256
        ids = list(text.encode("utf-8"))
        for i in range(vocab_size - 256):
            stats = get_stats(ids)
            if not stats:
                break  # nothing left to merge
            pair = max(stats, key=stats.get)
            idx = 256 + i
            ids = merge(ids, pair, idx)
            self.merges[pair] = idx
            self.vocab[idx] = self.vocab[pair[0]] + self.vocab[pair[1]]
            if verbose:
                print(
                    f"merge {i + 1}: {pair} -> {idx} ({self.vocab[idx]}) had {stats[pair]} occurrences"
                )

    def encode(self, text):
        return apply_merges(list(text.encode("utf-8")), self.merges)  # section 4's loop

    def decode(self, ids):
        return b"".join(self.vocab[idx] for idx in ids).decode("utf-8", errors="replace")


mine = MyBasicTokenizer()
mine.train("aaabdaaabac", 256 + 3, verbose=True)
print(mine.encode("aaabdaaabac"))
assert mine.encode("aaabdaaabac") == [258, 100, 258, 97, 99]

# %% tags=["solution"]
wiki = BasicTokenizer()
wiki.train("aaabdaaabac", 256 + 3, verbose=True)
assert wiki.merges == mine.merges and wiki.encode("aaabdaaabac") == mine.encode("aaabdaaabac")

mine, theirs = MyBasicTokenizer(), BasicTokenizer()
mine.train(train_text[:20_000], 256 + 30)
theirs.train(train_text[:20_000], 256 + 30)
print([mine.vocab[idx] for idx in range(256, 266)])
assert mine.merges == theirs.merges and mine.vocab == theirs.vocab
assert mine.encode(heldout) == theirs.encode(heldout)
assert mine.decode(mine.encode(heldout)) == heldout

# %% [markdown]
# ### Stage 2: a RegexTokenizer
#
# Split the text with GPT-4's pattern and train within the pieces. Check that no token of the
# trained vocabulary spans two pieces of the pattern.

# %% tags=["solution"]
crossing = [
    t for idx, t in regex_tok.vocab.items()
    if idx < 512 and len(regex.findall(GPT4_SPLIT_PATTERN, t.decode("utf-8", "replace"))) > 1
]  # fmt: skip
print(f"tokens that span two pieces: {len(crossing)} of {len(regex_tok.merges)} merged")
assert not crossing

# %% [markdown]
# ### Stage 3: load GPT-4's merges
#
# Recover the merges from `cl100k_base`'s ranks and the byte permutation, and match tiktoken on
# `hello world!!!? (안녕하세요!) lol123 😉`.

# %% [markdown]
# As in minbpe: a token of rank $r$ is what BPE makes of its bytes when only merges ranked below
# $r$ are allowed, which stops at exactly two parts (minbpe calls the helper `bpe`; here it is
# `bpe_parts`, since section 6's `bpe` is GPT-2's).


# %% tags=["solution"]
def bpe_parts(mergeable_ranks, token, max_rank):
    # helper function used in recover_merges() to reconstruct the merge forest
    parts = [bytes([b]) for b in token]
    while True:
        min_idx = None
        min_rank = None
        for i, pair in enumerate(zip(parts[:-1], parts[1:])):
            rank = mergeable_ranks.get(pair[0] + pair[1])
            if rank is not None and (min_rank is None or rank < min_rank):
                min_idx = i
                min_rank = rank
        if min_rank is None or (max_rank is not None and min_rank >= max_rank):
            break
        parts = parts[:min_idx] + [parts[min_idx] + parts[min_idx + 1]] + parts[min_idx + 2 :]
    return parts


def recover_merges(mergeable_ranks):
    merges = {}
    for token, rank in mergeable_ranks.items():
        if len(token) == 1:
            continue  # skip raw bytes
        pair = tuple(bpe_parts(mergeable_ranks, token, max_rank=rank))
        assert len(pair) == 2
        # recover the integer ranks of the pair
        ix0 = mergeable_ranks[pair[0]]
        ix1 = mergeable_ranks[pair[1]]
        merges[(ix0, ix1)] = rank
    return merges


mergeable_ranks = gpt4._mergeable_ranks  # bytes -> int
start = time.perf_counter()
gpt4_merges = recover_merges(mergeable_ranks)
print(f"{len(gpt4_merges):,} merges recovered in {time.perf_counter() - start:.1f} s")
byte_shuffle = {i: mergeable_ranks[bytes([i])] for i in range(256)}
assert gpt4_merges == ours.merges and byte_shuffle == ours.byte_shuffle


def gpt4_encode(text):
    ids = []
    for chunk in regex.findall(GPT4_SPLIT_PATTERN, text):
        chunk_ids = [byte_shuffle[b] for b in chunk.encode("utf-8")]  # permute the bytes first
        ids.extend(apply_merges(chunk_ids, gpt4_merges))
    return ids


gpt4_vocab = {rank: token for token, rank in mergeable_ranks.items()}  # int -> bytes


def gpt4_decode(ids):
    return b"".join(gpt4_vocab[idx] for idx in ids).decode("utf-8", errors="replace")


s = "hello world!!!? (안녕하세요!) lol123 😉"
print(gpt4_encode(s))
assert gpt4_encode(s) == gpt4.encode(s) == ours.encode(s) and gpt4_decode(gpt4_encode(s)) == s
assert gpt4_encode(code) == gpt4.encode(code)

# %% [markdown]
# ### Stage 4: special tokens
#
# Match `enc.encode("<|endoftext|>hello world", allowed_special="all")`.

# %% tags=["solution"]
mine = ours.encode("<|endoftext|>hello world", allowed_special="all")
print(mine)
assert (
    mine == gpt4.encode("<|endoftext|>hello world", allowed_special="all") == [100257, 15339, 1917]
)

# %% [markdown]
# ### Stage 5 (stretch): SentencePiece-style BPE on code points
#
# Run BPE on code points rather than bytes, falling back to bytes for rare code points, as
# SentencePiece does for Llama 2, and compare it with SentencePiece itself. A sketch of the idea
# in a few lines: code points that occur at least 5 times become base symbols, every other
# character is replaced by its UTF-8 bytes, and the same `fast_merges` runs on top, within the
# pieces of GPT-4's pattern. The vocabulary has 400 entries in all, as section 10's SentencePiece
# model does (256 bytes + the code points + the merges).

# %% tags=["solution"]
from collections import Counter

corpus = train_text[:200_000] + " 안녕하세요 " * 3
counts = Counter(corpus)
alphabet = sorted(ch for ch, c in counts.items() if c >= 5)  # the rest falls back to bytes
symbol = {ch: 256 + i for i, ch in enumerate(alphabet)}


def to_symbols(text):
    return [i for ch in text for i in ([symbol[ch]] if ch in symbol else ch.encode("utf-8"))]


VOCAB = 400
cp_merges = fast_merges([to_symbols(w) for w in regex.findall(GPT4_SPLIT_PATTERN, corpus)],
                        VOCAB - 256 - len(alphabet), first_id=256 + len(alphabet))  # fmt: skip
cp_ranks = {m.pair: m.new_id for m in cp_merges}
cp_vocab = {i: bytes([i]) for i in range(256)} | {symbol[ch]: ch.encode() for ch in alphabet}
for (a, b), idx in cp_ranks.items():
    cp_vocab[idx] = cp_vocab[a] + cp_vocab[b]


def cp_encode(text):
    ids = []
    for chunk in regex.findall(GPT4_SPLIT_PATTERN, text):
        ids.extend(apply_merges(to_symbols(chunk), cp_ranks))
    return ids


def cp_decode(ids):
    return b"".join(cp_vocab[idx] for idx in ids).decode("utf-8", errors="replace")


print(f"{len(alphabet)} code points as symbols, {len(cp_merges)} merges, {len(cp_vocab)} tokens")
print("'안' falls back to bytes:", to_symbols("안"))
assert to_symbols("안") == list("안".encode()) and len(cp_vocab) == VOCAB
assert cp_decode(cp_encode(heldout)) == heldout

# %% [markdown]
# SentencePiece on the same text with the same vocabulary size, and section 10's Llama 2 options:

# %% tags=["solution"]
(workdir / "corpus.txt").write_text(corpus, encoding="utf-8")
spm.SentencePieceTrainer.train(
    **dict(options, input=str(workdir / "corpus.txt"), model_prefix=str(workdir / "sp400"),
           vocab_size=VOCAB)
)  # fmt: skip
sp400 = spm.SentencePieceProcessor(model_file=str(workdir / "sp400.model"))
assert sp400.get_piece_size() == VOCAB
n_bytes = len(heldout.encode("utf-8"))
ratios = {
    "ours": n_bytes / len(cp_encode(heldout)),
    "SentencePiece": n_bytes / len(sp400.encode(heldout)),
}
for name, ratio in ratios.items():
    print(f"{name:>13}: held-out {n_bytes:,} bytes -> {n_bytes / ratio:,.0f} tokens, {ratio:.2f}X")
assert sp400.decode(sp400.encode(heldout)) == heldout
sp_pieces = [sp400.id_to_piece(i) for i in range(VOCAB)]
sp_merged = [piece for piece in sp_pieces[3 + 256 :] if len(piece) > 1]
sp_code_points = VOCAB - 3 - 256 - len(sp_merged)
print(
    f"SentencePiece: 3 special + 256 bytes + {sp_code_points} code points + {len(sp_merged)} merged"
)
print(
    f"         ours:             256 bytes + {len(alphabet)} code points + {len(cp_merges)} merged"
)
sp_newlines = sp400.encode(heldout, out_type=str).count("<0x0A>")
extra = len(sp400.encode(heldout)) - len(cp_encode(heldout))
print(f"held-out newlines: {heldout.count(chr(10))}, SentencePiece's <0x0A> tokens: {sp_newlines}")
print(f"SentencePiece needs {extra} tokens more than ours")
assert sp_newlines == heldout.count("\n") and ratios["ours"] > ratios["SentencePiece"]


def cp_piece(idx):
    """A token's text, or `<0xNN>` for a byte that is not a whole character (as SentencePiece)."""
    try:
        return cp_vocab[idx].decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{b:02X}>" for b in cp_vocab[idx])


for line in ["First Citizen:", "What say you to the king?", "안녕하세요"]:
    print(f"{line!r}\n   ours {[cp_piece(i) for i in cp_encode(line)]}")
    print(f"     sp {sp400.encode(line, out_type=str)}")

# %% [markdown]
# The two learn nearly the same pieces ("ir", "hat", " you", "ing"), with the space written `▁`
# by SentencePiece, plus one in front of the text (`add_dummy_prefix`). Two differences show in
# the numbers. SentencePiece reads its training file a line at a time, so it never sees a
# newline: every newline of the held-out text costs it a byte-fallback token `<0x0A>`, about as
# many tokens as the whole gap between the two. And `character_coverage` keeps the most frequent
# code points that make up 99.995% of the text, which here keeps three of the five Korean
# syllables (3 occurrences each) and drops two to bytes, where our rule (at least 5 occurrences)
# drops all five; so SentencePiece has a few more code points and a few fewer merges.

# %% [markdown]
# ## Summary
#
# * Text becomes bytes (UTF-8), and BPE merges frequent byte pairs into a vocabulary learned
#   from data; encoding applies the merges, decoding concatenates bytes.
# * A regex pre-split keeps merges inside letters, numbers, punctuation or whitespace; special
#   tokens are matched outside BPE.
# * GPT-4's tokenizer is a BPE with a published rank table: recovering its merges and its byte
#   permutation reproduces tiktoken exactly; GPT-2's `encoder.py` is the same loop on strings.
# * `decode(encode(text)) == text` always; `encode(decode(ids))` need not give `ids` back.
# * GPT-4 saves tokens on code mostly through its vocabulary (tokens for runs of spaces), not its
#   split pattern, which cuts indentation as GPT-2's does.
# * Advice from the lecture: do not brush tokenization off; reuse GPT-4's tokens via tiktoken if
#   you can; if you must train a vocabulary, BPE with SentencePiece works but needs care with its
#   options (or a byte-level BPE like ours, now that training is fast).
