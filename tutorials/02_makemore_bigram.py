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
# # Lecture 2: makemore, a bigram language model
#
# *makemore* makes more of what you give it. Given 32,033 first names, it learns to produce new
# ones that sound like names. In this lecture the model is a **bigram** model: it predicts the
# next character from the current one alone. We build it twice, first by counting and then as a
# one-layer neural network trained by gradient descent, and find that both arrive at the same
# model.
#
# *Follows Andrej Karpathy's video
# [The spelled-out intro to language modeling: building makemore](https://www.youtube.com/watch?v=PaCmpygFfXo)
# and his repository [karpathy/makemore](https://github.com/karpathy/makemore).*
#
# What you will build: the table of bigram counts and its heatmap; sampling names by hand from a
# seeded generator; the loss of a language model (the average negative log-likelihood) and model
# smoothing; the neural-network version with one-hot inputs, softmax and regularisation; and the
# proof that both models sample the same names.

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
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from zero_to_hero.data import load_names

# %% [markdown]
# ## 1. The data
#
# `load_names` finds `names.txt` (see the README: a local copy, the cache, or a checksummed
# download) and returns one name per line.

# %%
words = load_names()
print(
    len(words),
    "names, from",
    min(len(w) for w in words),
    "to",
    max(len(w) for w in words),
    "characters",
)
words[:10]

# %% [markdown]
# Each name packs several examples: in *isabella*, an **i** is likely to start a name, **s**
# likely follows **i**, and the name is likely to end after **a**. To model starts and ends too,
# we wrap every name in special markers `<S>` and `<E>`, and count every pair of neighbouring
# characters, a **bigram**.

# %%
b = {}
for w in words:
    chs = ["<S>", *w, "<E>"]
    for ch1, ch2 in zip(chs, chs[1:]):
        b[(ch1, ch2)] = b.get((ch1, ch2), 0) + 1
sorted(b.items(), key=lambda kv: (-kv[1], kv[0]))[:10]

# %% [markdown]
# Names end in **n** and **a** most often, and **a** is the most common first letter.
#
# ## 2. Counts in a tensor
#
# A dictionary is awkward to compute with; a 2-D array is not. One marker is enough (`.`), since
# a start marker never appears as a second character nor an end marker as a first. We map `.` to 0
# and the letters to 1..26 (taken from the data, not typed in), and count into a 27 x 27 tensor:
# `N[i, j]` is how often character `j` follows character `i`.

# %%
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}

N = torch.zeros((27, 27), dtype=torch.int32)
for w in words:
    chs = [".", *w, "."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
print("bigrams:", N.sum().item(), " cells that are zero:", (N == 0).sum().item(), "of", N.numel())

# %% [markdown]
# The whole model at a glance: row `i` lists what follows character `i`. The first row shows how
# names start, the first column how they end; the empty cells are pairs that never occur (such as
# *qx*).

# %% alt="27 by 27 grid of bigram counts from names.txt, one cell per pair of characters (rows the first character, columns the second, '.' the start or end of a name), each labelled with the pair and its count and shaded darker blue for larger counts; the darkest cells are names ending in n (n. 6763) and starting with a (.a 4410) and ending in a (a. 6640)." dark="keep-colours"
plt.figure(figsize=(14, 14))
plt.imshow(N, cmap="Blues")
for i in range(27):
    for j in range(27):
        plt.text(j, i, itos[i] + itos[j], ha="center", va="bottom", color="gray", fontsize=8)
        plt.text(j, i, N[i, j].item(), ha="center", va="top", color="gray", fontsize=8)
plt.axis("off")
plt.show()

# %% [markdown]
# ## 3. Sampling by hand
#
# To generate a name, start at `.`, draw the next character from row 0 normalised into
# probabilities, then from that character's row, and so on until we draw `.` again.
# `torch.multinomial` draws from a distribution; a `torch.Generator` with a fixed seed makes the
# draws reproducible. First, the mechanism on a toy distribution of three outcomes:

# %%
g = torch.Generator().manual_seed(2147483647)
p = torch.rand(3, generator=g)
p = p / p.sum()
print(p)
torch.multinomial(p, num_samples=100, replacement=True, generator=g)

# %% [markdown]
# About 60% of the draws are 0, 30% are 1 and 10% are 2, as `p` says. Now the first character of
# a name:

# %%
p = N[0].float()
p = p / p.sum()
print(f"p(first = 'a') = {p[stoi['a']]:.4f}")
g = torch.Generator().manual_seed(2147483647)
ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
itos[ix]

# %% [markdown]
# ## 4. All rows at once: broadcasting, and the keepdim bug
#
# Rather than normalising a row at every step, normalise the whole matrix once. We also add one
# to every count first (we come back to why in section 6). `P.sum(1, keepdim=True)` has shape
# (27, 1); dividing the (27, 27) matrix by it **broadcasts**: the column is copied across the 27
# columns, so every row is divided by its own sum.

# %%
P = (N + 1).float()
P /= P.sum(1, keepdim=True)
print(P.shape, P.sum(1, keepdim=True).shape)
print("every row sums to 1:", torch.allclose(P.sum(1), torch.ones(27)))

# %% [markdown]
# Broadcasting aligns shapes **from the right**. Without `keepdim` the sum has shape (27,), which
# lines up with the *last* dimension and is treated as a row (1, 27): entry `[i, j]` is then divided
# by the sum of row `j`, not row `i`. No error is raised; the model is silently wrong:

# %%
wrong = (N + 1).float()
wrong /= wrong.sum(1)
print("rows sum to 1:", torch.allclose(wrong.sum(1), torch.ones(27)))
print("row sums:", wrong.sum(1)[:5])

# %% [markdown]
# With the right `P`, sampling five names:


# %%
def sample_from_counts(P, count, seed=2147483647):
    g = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(count):
        out, ix = [], 0
        while True:
            ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        samples.append("".join(out))
    return samples


count_samples = sample_from_counts(P, 5)
count_samples

# %% [markdown]
# These are terrible names, but they are recognisably better than characters drawn uniformly at
# random, which is what an untrained model would produce:

# %%
g = torch.Generator().manual_seed(2147483647)
uniform = torch.ones(27) / 27
out = []
while len(out) < 20:
    ix = torch.multinomial(uniform, num_samples=1, replacement=True, generator=g).item()
    out.append(itos[ix])
"".join(out)

# %% [markdown]
# (The video shows *mor., axx., minaymoryles., kondlaisah., anchshizarie.* for the same seed:
# `torch.multinomial` draws differently in the torch version used here, 2.13. Same seed, same
# model, different stream of random numbers.)
#
# ## 5. How good is the model? The likelihood
#
# A model is good if it gives high probability to the data it should model. The **likelihood** is
# the product of the probabilities it assigns to every bigram of the training set. It is a product
# of 228,146 numbers below one, so we work with its logarithm (a sum), negate it so that lower is
# better, and average it:
#
# $$\text{loss} = -\frac{1}{n}\sum_{k=1}^{n} \log P(c_{k+1} \mid c_k)$$
#
# A perfect model would score 0; the uniform model scores $-\ln(1/27) = 3.2958$. This loop is the
# lecture's, accumulating in float32 as it does:

# %% tags=["headline"]
log_likelihood = 0.0
n = 0
for w in words:
    chs = [".", *w, "."]
    for ch1, ch2 in zip(chs, chs[1:]):
        log_likelihood += torch.log(P[stoi[ch1], stoi[ch2]])
        n += 1
nll = -log_likelihood
print(f"log likelihood {log_likelihood.item():.4f}, average NLL {(nll / n).item():.6f}")
print("Karpathy (video): log likelihood -559951.5625, average NLL 2.454356")
assert abs((nll / n).item() - 2.4543561935424805) < 1e-6

# %% [markdown]
# In the video Karpathy gets 2.4543561935424805 for this model (his reference number; the stored
# cell of his notebook shows 2.4765, from an earlier state of his kernel); ours is the same
# computation, to every printed digit. It is the number the neural network below should reproduce.
#
# ## 6. Smoothing
#
# Why the `+ 1`? Without it, any bigram the training set never saw gets probability zero, and a
# single such pair makes the likelihood of a whole word zero and its loss infinite. Take *andrejq*:
# *jq* never occurs in the data.

# %%
P_raw = N.float() / N.sum(1, keepdim=True)
for name, model in [("raw counts", P_raw), ("counts + 1", P)]:
    chs = [".", *"andrejq", "."]
    logp = [torch.log(model[stoi[a], stoi[b]]).item() for a, b in zip(chs, chs[1:])]
    print(f"{name:10s}: average NLL of 'andrejq' = {-sum(logp) / len(logp):.4f}")
raw_nll = (-torch.xlogy(N.float(), P_raw).sum() / N.sum()).item()  # 0 * log 0 counts as 0
smoothed_nll = (-(N * P.log()).sum() / N.sum()).item()
print(f"average NLL on the training set: raw counts {raw_nll:.4f}, counts + 1 {smoothed_nll:.4f}")
assert 0 < smoothed_nll - raw_nll < 1e-3

# %% [markdown]
# Adding fake counts is **smoothing**: the more we add, the closer every row gets to uniform. One
# fake count barely changes the loss on the training set (the last line above: less than a
# thousandth of a nat) but removes the infinities.
#
# ## 7. The same model as a neural network
#
# Now the other road: a neural network that reads a character and outputs a probability for every
# next character, with its parameters found by gradient descent on the same loss. First the
# training set of (input, target) pairs, shown for *emma* alone:

# %%
xs, ys = [], []
for w in words[:1]:
    chs = [".", *w, "."]
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
xs, ys

# %% [markdown]
# A network cannot take the integer 13 as an input meaningfully (13 is not "more" than 5 here), so
# we encode each character as a **one-hot** vector of 27 numbers, a single 1 at its index. The
# encoding must be float to be multiplied by weights.

# %% alt="Image of the one-hot encoding of the five inputs of '.emma': a 5 by 27 grid, dark purple except one bright yellow cell per row, at columns 0, 5, 13, 13 and 1." dark="keep-colours"
xenc = F.one_hot(xs, num_classes=27).float()
print(xenc.shape, xenc.dtype)
plt.imshow(xenc)
plt.show()

# %% [markdown]
# The five rows above are the five inputs of *emma*, each lit at one position.
#
# The network is a single linear layer of 27 neurons, one per possible next character, with no
# bias and no nonlinearity: `xenc @ W`. We read its 27 outputs as **log-counts** ("logits"):
# exponentiate to get something like counts, normalise each row to get probabilities. Those two
# steps together are the **softmax**.

# %%
g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)

logits = xenc @ W
counts = logits.exp()
probs = counts / counts.sum(1, keepdim=True)
print(probs.shape, "rows sum to 1:", torch.allclose(probs.sum(1), torch.ones(5)))

# %% [markdown]
# What the random network thinks of each bigram of *emma*:

# %%
nlls = torch.zeros(5)
for i in range(5):
    x, y = xs[i].item(), ys[i].item()
    p = probs[i, y]
    nlls[i] = -torch.log(p)
    print(
        f"{itos[x]}{itos[y]}: p = {p.item():.6f}, log p = {torch.log(p).item():.4f}, nll = {nlls[i].item():.4f}"
    )
print("average negative log-likelihood, i.e. loss =", nlls.mean().item())
assert nlls.mean().item() > math.log(27)

# %% [markdown]
# The lecture's reference number is 3.7693049907684326 for this seed. A random `W` is *worse* than
# uniform guessing (3.2958): its random logits make confident guesses, most of them wrong.
#
# ## 8. Gradient descent
#
# The loss in one vectorised line: pick, in each row, the probability of the correct next
# character. Then backward and a step, exactly as in micrograd, now on tensors.

# %%
for k in range(3):
    logits = xenc @ W
    probs = logits.exp() / logits.exp().sum(1, keepdim=True)
    loss = -probs[torch.arange(5), ys].log().mean()
    print(f"step {k}: loss {loss.item():.4f}")
    W.grad = None
    loss.backward()
    W.data += -0.1 * W.grad

# %% [markdown]
# Now on all 228,146 bigrams. Two changes: the learning rate is large (50), which this small convex
# problem tolerates (the lecture found 50 works); and we add **regularisation**, a penalty
# $0.01 \cdot \text{mean}(W^2)$ that pulls every weight toward zero, that is every row of
# probabilities toward uniform. It plays the role that the fake counts played: the stronger it is,
# the smoother the model.

# %%
xs, ys = [], []
for w in words:
    chs = [".", *w, "."]
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
num = xs.nelement()
xenc = F.one_hot(xs, num_classes=27).float()
print("examples:", num)

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)

# %% tags=["tolerance-float"]
for k in range(300):
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdim=True)
    data_loss = -probs[torch.arange(num), ys].log().mean()
    loss = data_loss + 0.01 * (W**2).mean()
    if k % 50 == 0 or k == 299:
        print(f"step {k:3d}: loss {loss.item():.4f} (data {data_loss.item():.4f})")
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad

# %% [markdown]
# The data loss approaches the counting model's 2.4544 from above, within a hundredth of a nat
# after 300 steps. Neither can go below the raw counts' 2.4540 of section 6: the unsmoothed counts
# *are* the maximum-likelihood bigram model of this data, and the network can at best rediscover
# them; its regulariser, like the fake counts, keeps it a little above.

# %% tags=["tolerance-float"]
print(f"neural net: {data_loss.item():.4f}   counts: {(nll / n).item():.4f}   "
      f"maximum likelihood: {raw_nll:.4f}")  # fmt: skip
assert raw_nll < (nll / n).item() < data_loss.item() < (nll / n).item() + 0.01

# %% [markdown]
# Two observations make the equivalence plain:
#
# * **A one-hot vector times `W` selects a row of `W`.** Row `i` of `W` holds the logits of the
#   character after `i`, so `W.exp()` plays the role of `N`: the network learns log-counts.
# * **Regularisation is smoothing.** Pulling `W` toward zero pulls `W.exp()` toward equal counts in
#   each row, like adding fake counts.
#
# So sampling from the network with the same generator should give the same names as the counting
# model. A sampler that feeds the network one character at a time:


# %%
def sample_from_network(W, count, seed=2147483647):
    g = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(count):
        out, ix = [], 0
        while True:
            xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
            logits = xenc @ W
            p = logits.exp() / logits.exp().sum(1, keepdim=True)
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        samples.append("".join(out))
    return samples


print("network:", sample_from_network(W.detach(), 5))
print("counts: ", count_samples)

# %% [markdown]
# Nearly: the network has not finished training, and its regulariser is not exactly one fake
# count. (The lecture gets 4 of 5 names identical at this point, too.) Training it to convergence
# with the lecture's loop would take minutes, but there is a shortcut worth knowing. The 228,146
# one-hot rows contain only **27 distinct inputs**, and the loss of each bigram is the same every
# time it occurs. So the average over all examples equals an average over the 27 x 27 table,
# weighted by how often each bigram occurs, which is `N`:
#
# $$-\frac{1}{n}\sum_{k} \log p_W(y_k \mid x_k) = -\frac{1}{n}\sum_{i,j} N_{ij} \log \operatorname{softmax}(W)_{ij}$$
#
# Same loss, same gradient, and about 8,500 times less work per step (27 rows instead of 228,146):


# %%
def table_loss(W):
    return -(N * F.log_softmax(W, dim=1)).sum() / N.sum()


logits = xenc @ W
probs = logits.exp() / logits.exp().sum(1, keepdim=True)
data_loss = -probs[torch.arange(num), ys].log().mean()
print(f"over all examples {data_loss.item():.5f}, from the table {table_loss(W).item():.5f}")
assert abs(table_loss(W).item() - data_loss.item()) < 1e-5

# %% [markdown]
# With that, we continue from the current `W` for 5,000 more steps, with a weaker regulariser
# (0.001, closer to a single fake count), until the loss stops moving:

# %% tags=["tolerance-float"]
for _ in range(5000):
    loss = table_loss(W) + 0.001 * (W**2).mean()
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad
print(f"data loss after convergence: {table_loss(W).item():.5f}")
assert abs(table_loss(W).item() - (nll / n).item()) < 1e-3

# %% [markdown]
# And now the network, sampled with the same seed, writes exactly the counting model's names,
# twenty of them:

# %%
count_samples_20 = sample_from_counts(P, 20)
net_samples = sample_from_network(W.detach(), 20)
print(" ".join(net_samples))
assert net_samples == count_samples_20
assert count_samples_20[:5] == count_samples

# %% [markdown]
# ## 9. The tested version: zero_to_hero.makemore
#
# The pieces later lectures reuse now live in the package: the character `Vocabulary` (built from
# the data, with a clear error for a character it has never seen), `build_dataset` (context
# windows of any length; here 1), `NgramCounts` (here of order 2, a bigram), and `sample_words`,
# which drives any model that returns next-character probabilities. The package gives the same
# counts and samples, and the more accurate loss:

# %%
from zero_to_hero.makemore import NgramCounts, Vocabulary, sample_words

vocab = Vocabulary.from_words(words)
bigram = NgramCounts.fit(words, vocab)
assert torch.equal(bigram.counts, N) and vocab.stoi == stoi
print(f"average NLL: {bigram.nll(words):.7f}   (the loop above: {(nll / n).item():.7f})")
assert abs(bigram.nll(words) - 2.4545768) < 1e-6

g = torch.Generator().manual_seed(2147483647)
names = sample_words(lambda context: bigram.probs()[context[-1]], vocab, 5, g)
print(names)
assert [name + "." for name in names] == count_samples

# %% [markdown]
# The two losses differ in the fourth decimal, and the package is the accurate one. The loop in
# section 5 adds 228,146 float32 numbers one at a time into a running total near $-5.6 \times 10^5$,
# where float32 can only represent steps of 0.0625; the rounding errors pile up to $2 \times 10^{-4}$.
# The package sums in float64 and lands on the exact value, 2.4545768 (asserted to within $10^{-6}$).
# (Karpathy's 2.4543561935 carries the same float32 drift.)
#
# Asking the vocabulary for a character it has never seen is an error that says which character:

# %%
try:
    vocab.encode("zoë")
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ## Exercises
#
# The lecture's exercises (from the video description), each followed by a worked solution that
# ran when this page was built. They add a few seconds to the page. Try them first: the solutions
# are folded.
#
# ### E01: a trigram model
#
# Train a trigram language model: take two characters as input to predict the third, by counting
# or with a neural network. What loss does it achieve? Does it improve over the bigram model?

# %% [markdown] tags=["solution"]
# By counting, with `NgramCounts` of order 3: a 27 x 27 x 27 table indexed by the two previous
# characters. Compared on the training data, with one fake count for the bigram and, since the
# trigram's 729 contexts (19,683 counts) are much sparser, a smaller 0.1 for the trigram (E03 tunes this
# properly):

# %% tags=["solution"]
trigram = NgramCounts.fit(words, vocab, order=3)
print(f"bigram  NLL on all names: {bigram.nll(words):.4f}")
print(f"trigram NLL on all names: {trigram.nll(words, smoothing=0.1):.4f}")
assert trigram.nll(words, smoothing=0.1) < bigram.nll(words) - 0.2

# %% [markdown] tags=["solution"]
# Yes: the second character of context lowers the loss by about a quarter of a nat. Measured on
# the data it was counted from, though, which flatters the model with more parameters; E02 fixes
# that.

# %% [markdown]
# ### E02: train, dev and test
#
# Split the names randomly into 80% train, 10% dev and 10% test. Train the bigram and trigram
# models on the training set only and evaluate them on dev and test. What do you see?

# %% tags=["solution"]
from zero_to_hero.makemore import split_words

train_words, dev_words, test_words = split_words(words)
bigram_tr = NgramCounts.fit(train_words, vocab)
trigram_tr = NgramCounts.fit(train_words, vocab, order=3)
for name, model, smoothing in [("bigram", bigram_tr, 1.0), ("trigram", trigram_tr, 0.1)]:
    losses = [model.nll(part, smoothing) for part in (train_words, dev_words, test_words)]
    print(f"{name:7s}: train {losses[0]:.4f}  dev {losses[1]:.4f}  test {losses[2]:.4f}")
assert trigram_tr.nll(dev_words, 0.1) < bigram_tr.nll(dev_words)

# %% [markdown] tags=["solution"]
# The bigram scores about the same on all three splits: 729 probabilities estimated from 180,000
# examples generalise well. The trigram's training loss is lower than its dev and test losses:
# with 729 contexts and 19,683 counts, some are seen only a few times, and the model has partly memorised them.
# It is still better than the bigram on names it has never seen.

# %% [markdown]
# ### E03: tune the smoothing on dev
#
# Use the dev set to tune the strength of smoothing (or regularisation) of the trigram model: try
# many values, pick the best, and evaluate it once on the test set. What patterns do the train
# and dev losses show as the smoothing changes?

# %% tags=["solution"]
strengths = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
sweep = [(k, trigram_tr.nll(train_words, k), trigram_tr.nll(dev_words, k)) for k in strengths]
for k, tr, dv in sweep:
    print(f"smoothing {k:6.3f}: train {tr:.4f}  dev {dv:.4f}")
best = min(sweep, key=lambda row: row[2])[0]
print(
    f"best on dev: {best}; test loss with it, measured once: {trigram_tr.nll(test_words, best):.4f}"
)
train_curve = [tr for _, tr, _ in sweep]
assert train_curve == sorted(train_curve), "more smoothing always costs training loss"
assert strengths[0] < best < strengths[-1]

# %% [markdown] tags=["solution"]
# The training loss only gets worse with more smoothing: fake counts pull the model away from the
# data it was counted from. The dev loss is U-shaped: too little smoothing and rare contexts keep
# their overconfident estimates; too much and every context drifts toward uniform. The minimum is
# the value to use, and the test set, touched once, confirms it generalises.

# %% [markdown]
# ### E04: indexing instead of one-hot
#
# The neural network multiplies one-hot vectors by `W`. Skip the one-hot encoding and index the
# rows of `W` directly.

# %% tags=["solution"]
xs_all = torch.tensor([stoi[ch] for w in words for ch in [".", *w]])
by_matmul = F.one_hot(xs_all, num_classes=27).float() @ W.detach()
by_indexing = W.detach()[xs_all]
print(by_matmul.shape, "equal:", torch.equal(by_matmul, by_indexing))
assert torch.equal(by_matmul, by_indexing)

# %% [markdown] tags=["solution"]
# Exactly equal, since multiplying by a one-hot vector adds up one row times 1 and 26 rows times
# 0, and without building the 228,146 x 27 one-hot matrix or doing the multiplication. This is what an
# embedding layer (`nn.Embedding`, lecture 3's `C[X]`) does.

# %% [markdown]
# ### E05: F.cross_entropy
#
# Use `F.cross_entropy` instead of computing the softmax and the log-likelihood by hand. Do you
# get the same result? Why is it preferable?

# %% tags=["solution", "tolerance-float"]
ys_all = torch.tensor([stoi[ch] for w in words for ch in [*w, "."]])
logits = W.detach()[xs_all]
by_hand = (
    -(logits.exp() / logits.exp().sum(1, keepdim=True))[torch.arange(len(ys_all)), ys_all]
    .log()
    .mean()
)
fused = F.cross_entropy(logits, ys_all)
print(f"by hand {by_hand.item():.6f}, F.cross_entropy {fused.item():.6f}")
assert abs(by_hand.item() - fused.item()) < 1e-5

# %% [markdown] tags=["solution"]
# The same loss. `F.cross_entropy` is preferable because it skips the separate `counts`, sum,
# division and `log` tensors (it computes a log-softmax and picks the targets' entries), its
# backward pass is simpler, and it subtracts
# each row's largest logit before exponentiating, so large logits cannot overflow to `inf`
# (lecture 3 shows the overflow).

# %% [markdown]
# ### E06: an exercise of our own: how name-like are the samples?
#
# A lower loss should mean more name-like samples. Test that: draw 1,000 names from the bigram and
# from the trigram (both trained on the training split, the trigram with the smoothing chosen in
# E03), and measure how many are real names from the data set and how long they are, next to the
# real names' average length.


# %% tags=["solution"]
def sample_report(next_probs, block, label):
    g = torch.Generator().manual_seed(2147483647)
    names = sample_words(next_probs, vocab, 1000, g, block_size=block)
    real = sum(name in set(words) for name in names) / len(names)
    mean_length = sum(map(len, names)) / len(names)
    print(f"{label:7s}: {real:5.1%} of samples are real names; mean length {mean_length:.2f}")
    return real, mean_length


P_bi, P_tri = bigram_tr.probs(), trigram_tr.probs(best)
bi_real, bi_len = sample_report(lambda c: P_bi[c[-1]], 1, "bigram")
tri_real, tri_len = sample_report(lambda c: P_tri[c[-2], c[-1]], 2, "trigram")
data_len = sum(map(len, words)) / len(words)
print(f"real names: mean length {data_len:.2f}")
assert tri_real > 1.5 * bi_real

# %% [markdown] tags=["solution"]
# The trigram writes real names about twice as often as the bigram. Both get the length about
# right, because both model the end of a name as one more character to predict: a model that
# predicts `.` with the right probability after each context reproduces the length distribution.

# %% [markdown]
# ## Summary
#
# * A bigram language model is a table of next-character probabilities. Counting gives it directly;
#   a one-layer network with a softmax learns the same table by gradient descent on the average
#   negative log-likelihood.
# * Sampling from a model, one character at a time with a seeded generator, is reproducible on a
#   given torch version, and both roads give the same names.
# * Smoothing (fake counts) and regularisation (weights pulled toward zero) are the same idea.
#
# The bigram model looks at one character of context. Lecture 3 widens the context with an MLP,
# where counting would need a table of $27^3$ rows.
