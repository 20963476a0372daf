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
import inspect
import json
import tempfile
import time
from pathlib import Path

import regex
from IPython.display import HTML, Code, display

from zero_to_hero.data import data_path, read_text
from zero_to_hero.tokenizer import get_stats, merge
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


def tokens(enc, text):
    """The pieces of text that ``enc`` (a tiktoken encoding) cuts ``text`` into."""
    return [enc.decode_single_token_bytes(t).decode("utf-8", "replace") for t in enc.encode(text)]


# %% [markdown]
# ## 1. Tokenization by example
#
# GPT-2's tokenizer cuts text into pieces like this (each coloured box is one token; the numbers are
# the token ids the model actually sees):

# %%
example = "Tokenization is at the heart of much weirdness of LLMs. 127 + 677 = 804\negg Egg EGG"
show(tokens(gpt2, example))

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
# characters and 15 bytes, and a transformer's context (lecture 7) is a budget of positions. We
# want a bigger vocabulary and shorter sequences, learned from the data. (Models that read raw
# bytes, such as the MEGABYTE proposal, would delete tokenization altogether, but need a different
# architecture; not yet standard.)
#
# ## 3. Byte-pair encoding
#
# BPE starts from the bytes and repeatedly replaces the most frequent adjacent pair with a new
# token. The Wikipedia example, `aaabdaaabac`: "aa" is most frequent, becomes Z: `ZabdZabac`; then
# "Za" becomes Y: `YbdYbac`; then "Yb" becomes X: `XdXac`. Five tokens instead of eleven, with a
# vocabulary three symbols bigger. On byte ids, the new tokens get ids 256, 257, ... Two helpers
# do all the work:

# %%
Code(inspect.getsource(get_stats) + "\n\n" + inspect.getsource(merge), language="python")

# %%
print(merge([5, 6, 6, 7, 9, 1], (6, 7), 99))
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
# of lecture 7's Tiny Shakespeare. The training loop, as in the lecture, recounts all pairs
# before each merge:

# %%
from zero_to_hero.tokenizer.training import plain_merges

shakespeare = read_text("tinyshakespeare.txt")
sample = shakespeare[:100_000]
raw = sample.encode("utf-8")
start = time.perf_counter()
merges = plain_merges([raw], num_merges=20)
print(f"20 merges on {len(raw):,} bytes in {time.perf_counter() - start:.1f} s")
for m in merges[:6]:
    print(m)

# %% [markdown]
# The merges build on each other: a merged token can be part of a later pair. To see what a
# token means we build the **vocabulary**, id to bytes, in merge order:

# %%
vocab = {idx: bytes([idx]) for idx in range(256)}
for (a, b), idx, _ in merges:
    vocab[idx] = vocab[a] + vocab[b]
print([vocab[m.new_id] for m in merges])

# %% [markdown]
# How much shorter does the text get? Each merge replaced `count` pairs by one token:

# %% tags=["headline"]
length = len(raw) - sum(m.count for m in merges)
print(f"{len(raw):,} bytes -> {length:,} tokens, compression {len(raw) / length:.2f}X")
print("Karpathy, 20 merges on Nathan Reed's Unicode blog post: 24,597 -> 19,438 tokens, 1.27X")

# %% [markdown]
# ### Faster training
#
# Recounting every pair before every merge costs a pass over the whole text per merge. But a
# merge only changes the pairs around the occurrences it replaces. `fast_merges` keeps every
# pair's count and positions, and at each merge visits only that pair's occurrences, fixing the
# counts of their neighbours. It gives exactly the plain loop's merges, ties included (the
# package's tests check this on random sequences full of ties and overlapping runs like `aaaa`,
# and `benchmarks/bpe_training.py` times both on 1M characters):

# %%
from zero_to_hero.tokenizer.training import fast_merges

start = time.perf_counter()
fast = fast_merges([raw], num_merges=20)
print(f"20 merges in {time.perf_counter() - start:.2f} s, same merges: {fast == merges}")
assert fast == merges

# %% [markdown]
# ## 4. The tokenizer: encode and decode
#
# `BasicTokenizer` packages this: `train(text, vocab_size)`, `encode`, `decode`, and the attributes
# `merges` and `vocab`, as in minbpe. **Decoding** joins the tokens' bytes and decodes UTF-8.
# Not every byte sequence is valid UTF-8 (byte 128 alone is not), so decoding replaces bad bytes
# with `�` rather than failing. **Encoding** starts from the bytes and applies merges, always the
# earliest-learned pair present, until no pair can be merged.
#
# We train on the first 90% of Tiny Shakespeare with a vocabulary of 512 (256 merges) and
# measure on text it did not see, the first 20,000 characters of the last 10%:

# %%
from zero_to_hero.tokenizer import BasicTokenizer, RegexTokenizer

split = int(0.9 * len(shakespeare))
train_text, heldout = shakespeare[:split], shakespeare[split : split + 20_000]
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
# 50,257 = 256 byte tokens + 50,000 merges + 1 special token. (The odd characters such as `Ġ` in
# the file are GPT-2's printable stand-ins for bytes, its `bytes_to_unicode` layer: `Ġ` is the
# space byte.) Same text, two generations of tokenizer:

# %%
for enc in (gpt2, gpt4):
    print(f"{enc.name:>12}: {enc.encode('    hello world!!!')}")

# %% [markdown]
# ## 7. Special tokens
#
# Some tokens are not made by BPE at all: they are inserted to mark structure, and the tokenizer
# matches their exact strings before anything else. GPT-2 has one, `<|endoftext|>` (50256), put
# between documents in the training data so the model learns where a document ends. GPT-4 adds
# fill-in-the-middle tokens, and chat models add tokens that delimit the turns of a conversation.
# Adding a special token to a trained model means adding a row to its embedding table and to its
# output layer.

# %%
print(gpt4.encode("<|endoftext|>hello world", allowed_special="all"))
print(gpt4.encode("<|endoftext|>hello world", disallowed_special=()))  # as ordinary text

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
# ## 8. GPT-2 versus GPT-4 on code and numbers
#
# GPT-4's vocabulary is twice as large (100,277 tokens) and has tokens for runs of spaces. On
# Python code the difference is large: both patterns cut the indentation into the same chunks, but
# GPT-2's vocabulary has no token for a run of spaces, so it spends one on every space:

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
display(show(tokens(gpt2, code)), show(tokens(gpt4, code)))
print(f"GPT-2: {len(gpt2.encode(code))} tokens, GPT-4: {len(gpt4.encode(code))} tokens")

# %% [markdown]
# Which of the two changes saves the tokens, the vocabulary or the split pattern? Swap them:
# each vocabulary with each pattern, on the same code.

# %%
import tiktoken

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
# Numbers: GPT-2's merges cut them wherever its training data happened to make a pair frequent;
# GPT-4's pattern cuts them into groups of three digits from the left, then BPE works inside those.

# %%
for number in ["127", "677", "804", "1234567", "3.14159", "2024-11-23"]:
    print(f"{number:>12}  GPT-2 {tokens(gpt2, number)}  GPT-4 {tokens(gpt4, number)}")

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
# undertrained; it also squeezes more meaning into one position. Frontier models use roughly 30K
# to 200K. A pretrained model's vocabulary can be extended (new rows in both layers, the rest
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
print(tokens(gpt4, ".DefaultCellStyle"), tokens(gpt4, " unbelievably"))

# %% [markdown]
# **Reversing a string** asks for a character-level operation on chunks; spelled out one letter
# at a time, the same text becomes many tokens the model can manipulate:

# %%
print(tokens(gpt4, "tokenization"), tokens(gpt4, "t o k e n i z a t i o n"))

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
    print(f"{n:>8}  GPT-2 {tokens(gpt2, n)}  GPT-4 {tokens(gpt4, n)}")

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
print(tokens(gpt4, "Here is a tag line for an ice cream shop:"))
print(tokens(gpt4, "Here is a tag line for an ice cream shop: "))

# %% [markdown]
# **SolidGoldMagikarp** (GPT-2's tokenizer). Some strings from the tokenizer's training data (here a Reddit user
# name) became single tokens, but hardly occurred in the language model's training data; their
# embeddings were never trained, and prompting with them produced bizarre output:

# %%
print(tokens(gpt2, " SolidGoldMagikarp"))

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
# the package step by step. Each stage below has a solution that uses, and checks, the package.
#
# ### Stage 1: a BasicTokenizer
#
# Write `train`, `encode` and `decode` for byte-level BPE; train it on a text and look at the
# merges. Does "aaabdaaabac" with 3 merges give `[258, 100, 258, 97, 99]`?

# %% tags=["solution"]
from zero_to_hero.tokenizer import Tokenizer

Code(inspect.getsource(BasicTokenizer.train) + "\n" + inspect.getsource(Tokenizer._merge_chunk),
     language="python")  # fmt: skip

# %% tags=["solution"]
wiki = BasicTokenizer()
wiki.train("aaabdaaabac", 256 + 3, verbose=True)
print(wiki.encode("aaabdaaabac"))
assert wiki.encode("aaabdaaabac") == [258, 100, 258, 97, 99]

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

# %% tags=["solution"]
from zero_to_hero.tokenizer.gpt4 import recover_merges

Code(inspect.getsource(recover_merges), language="python")

# %% tags=["solution"]
s = "hello world!!!? (안녕하세요!) lol123 😉"
print(ours.encode(s))
assert ours.encode(s) == gpt4.encode(s)

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
# SentencePiece does for Llama 2. A sketch of the idea in a few lines: code points that occur at
# least `min_count` times become base symbols, every other character is replaced by its UTF-8
# bytes, and the same `fast_merges` runs on top.

# %% tags=["solution"]
from collections import Counter

corpus = train_text[:200_000] + " 안녕하세요 " * 3
counts = Counter(corpus)
alphabet = sorted(ch for ch, c in counts.items() if c >= 5)  # the rest falls back to bytes
symbol = {ch: 256 + i for i, ch in enumerate(alphabet)}


def to_symbols(text):
    return [i for ch in text for i in ([symbol[ch]] if ch in symbol else ch.encode("utf-8"))]


cp_merges = fast_merges([to_symbols(w) for w in regex.findall(GPT4_SPLIT_PATTERN, corpus)], 100,
                        first_id=256 + len(alphabet))  # fmt: skip
print(f"{len(alphabet)} code points as symbols, {len(cp_merges)} merges")
print("'안' falls back to bytes:", to_symbols("안"))
assert to_symbols("안") == list("안".encode()) and len(cp_merges) == 100

# %% [markdown]
# ## Summary
#
# * Text becomes bytes (UTF-8), and BPE merges frequent byte pairs into a vocabulary learned
#   from data; encoding applies the merges, decoding concatenates bytes.
# * A regex pre-split keeps merges inside letters, numbers, punctuation or whitespace; special
#   tokens are matched outside BPE.
# * GPT-4's tokenizer is a BPE with a published rank table: recovering its merges and its byte
#   permutation reproduces tiktoken exactly.
# * Advice from the lecture: do not brush tokenization off; reuse GPT-4's tokens via tiktoken if
#   you can; if you must train a vocabulary, BPE with SentencePiece works but needs care with its
#   options (or a byte-level BPE like ours, now that training is fast).
