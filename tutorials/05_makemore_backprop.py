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
# # Lecture 5: becoming a backprop ninja
#
# Since lecture 1 we have let `loss.backward()` compute gradients for us. This lecture takes it
# away. We write out the forward pass of the BatchNorm MLP of lecture 4 in its smallest steps, then
# compute the gradient of the loss with respect to every one of them by hand, tensor by tensor,
# and compare each with PyTorch's. Then we derive compact one-expression gradients for
# cross-entropy and for BatchNorm, and finally train the network with no `loss.backward()` at all.
#
# Why bother? Backpropagation is a **leaky abstraction**: saturated tanh units, dead neurons,
# exploding or vanishing gradients, or a bug such as clipping the loss instead of the gradients
# all make sense only if you know what the backward pass does. (Karpathy's essay
# [Yes you should understand backprop](https://karpathy.medium.com/yes-you-should-understand-backprop-e2f06eab496b)
# makes the case.) Until about 2012 everyone wrote backward passes by hand; it is a skill worth having.
#
# *Follows Andrej Karpathy's video
# [Building makemore Part 4: Becoming a Backprop Ninja](https://www.youtube.com/watch?v=q8SA3rM6ckI)
# and his notebook `makemore_part4_backprop.ipynb` in
# [karpathy/nn-zero-to-hero](https://github.com/karpathy/nn-zero-to-hero).*

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
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from zero_to_hero.data import load_names
from zero_to_hero.makemore import dataset_splits, plot_training_curve, sample_words

torch.set_num_threads(1)  # small matrices train faster on one thread (see lecture 3)

words = load_names()
block_size = 3
splits = dataset_splits(words, block_size)  # lecture 3's 80/10/10 split, after random.seed(42)
vocab, (Xtr, Ytr), (Xdev, Ydev) = splits.vocab, splits.train, splits.dev

# %% [markdown]
# A helper to compare a hand-computed gradient `dt` with the one autograd stored in `t.grad`:
# bit-for-bit equal, equal up to rounding (`allclose`), and the largest difference.

# %%
rows = []


def cmp(name, dt, t):
    exact = torch.all(dt == t.grad).item()
    approx = torch.allclose(dt, t.grad)
    maxdiff = (dt - t.grad).abs().max().item()
    rows.append((name, exact, approx, maxdiff))


# %% [markdown]
# ## 1. The network, and its forward pass in small steps
#
# The lecture-4 network with 64 hidden units. The initialisation is unusual on purpose: small
# random values instead of zeros for the biases and the BatchNorm parameters, so that a wrong
# gradient cannot hide behind a zero. (The lecture draws `bngain` and `bnbias` without its
# generator, so its initial loss changes from run to run; here everything comes from one seeded
# generator.) `init_params` in the package draws exactly these tensors.

# %%
from zero_to_hero.makemore.backprop import init_params

n_embd, n_hidden, vocab_size = 10, 64, len(vocab)
g = torch.Generator().manual_seed(2147483647)
params = init_params(vocab_size, block_size, n_embd, n_hidden, generator=g)
C, W1, b1, W2, b2, bngain, bnbias = params.values()
print(sum(p.nelement() for p in params.values()), "parameters")

n = batch_size = 32
ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
Xb, Yb = Xtr[ix], Ytr[ix]

# %% [markdown]
# The forward pass, one operation per line, so that each line's backward is simple. BatchNorm
# divides the sum of squares by $n - 1$ (see section 3). The softmax is written out too, with the
# maximum subtracted for numerical safety.

# %%
emb = C[Xb]  # (32, 3, 10) embed the characters
embcat = emb.view(emb.shape[0], -1)  # (32, 30) concatenate the vectors
hprebn = embcat @ W1 + b1  # hidden layer pre-activation
bnmeani = 1 / n * hprebn.sum(0, keepdim=True)  # BatchNorm: mean
bndiff = hprebn - bnmeani
bndiff2 = bndiff**2
bnvar = 1 / (n - 1) * bndiff2.sum(0, keepdim=True)  # variance, with Bessel's correction
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = bndiff * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)  # hidden layer
logits = h @ W2 + b2  # output layer
logit_maxes = logits.max(1, keepdim=True).values  # cross-entropy, step by step
norm_logits = logits - logit_maxes
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdim=True)
counts_sum_inv = counts_sum**-1  # (Karpathy found 1.0 / counts_sum not bit-exact in the backward)
probs = counts * counts_sum_inv
logprobs = probs.log()
loss = -logprobs[range(n), Yb].mean()

intermediates = [
    logprobs,
    probs,
    counts,
    counts_sum,
    counts_sum_inv,
    norm_logits,
    logit_maxes,
    logits,
    h,
    hpreact,
    bnraw,
    bnvar_inv,
    bnvar,
    bndiff2,
    bndiff,
    hprebn,
    bnmeani,
    embcat,
    emb,
]
for p in params.values():
    p.grad = None
for t in intermediates:
    t.retain_grad()
loss.backward()
print(f"loss {loss.item():.4f}")

# %% [markdown]
# (Karpathy's stored loss is 3.3377 with his unseeded BatchNorm parameters, his reference number;
# ours comes from a fully seeded initialisation.)
#
# ## 2. Exercise 1: backpropagate through every step
#
# We go backwards, computing `d<name>`, the gradient of the loss with respect to `<name>`, from
# the gradients already known. Two rules do most of the work:
#
# * **Shapes match.** `d<name>` has the shape of `<name>`. If a tensor was **broadcast** in the
#   forward pass (used in several rows or columns), its gradient is the **sum** over those rows or
#   columns: every use contributes.
# * **A matrix product's backward is a matrix product.** For $y = x W$, $dx = dy\,W^\top$ and
#   $dW = x^\top dy$; the transposes are the only arrangement whose shapes fit.
#
# **The loss.** `loss` is minus the mean of 32 entries of `logprobs`, one per row. Each of them gets
# $-1/n$; every other entry does not affect the loss and gets 0.

# %%
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[range(n), Yb] = -1.0 / n
cmp("logprobs", dlogprobs, logprobs)

# %% [markdown]
# **The softmax.** $\frac{d}{dx}\log x = 1/x$. Then `probs = counts * counts_sum_inv`, where
# `counts_sum_inv` (32, 1) is broadcast across the 27 columns: its gradient sums over them.
# `counts` is used twice (in `probs` and in `counts_sum`), so its two contributions add. Summing
# over a row in the forward pass becomes broadcasting over it in the backward pass.

# %%
dprobs = (1.0 / probs) * dlogprobs
dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
dcounts = counts_sum_inv * dprobs
dcounts_sum = (-(counts_sum**-2)) * dcounts_sum_inv
dcounts += torch.ones_like(counts) * dcounts_sum
dnorm_logits = counts * dcounts  # d/dx e^x = e^x, and counts is e^norm_logits
dlogits = dnorm_logits.clone()
dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes
for name, d, t in [
    ("probs", dprobs, probs),
    ("counts_sum_inv", dcounts_sum_inv, counts_sum_inv),
    ("counts_sum", dcounts_sum, counts_sum),
    ("counts", dcounts, counts),
    ("norm_logits", dnorm_logits, norm_logits),
    ("logit_maxes", dlogit_maxes, logit_maxes),
    ("logits", dlogits, logits),
]:
    cmp(name, d, t)

# %% [markdown]
# `dlogit_maxes` deserves a look: subtracting the row maximum does not change the softmax, so the
# loss cannot depend on it, and its gradient should be zero. It is, up to rounding:

# %% tags=["tolerance-float"]
print(f"largest |dlogit_maxes|: {dlogit_maxes.abs().max().item():.1e}")
assert dlogit_maxes.abs().max().item() < 1e-7

# %% [markdown]
# **The output layer** `logits = h @ W2 + b2`: the matrix-product rule, and `b2` is broadcast over
# the 32 rows. **The tanh**: $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$. **The BatchNorm scale and
# shift** `hpreact = bngain * bnraw + bnbias`: `bngain` and `bnbias` (1, 64) are broadcast over
# the batch.

# %%
dh = dlogits @ W2.T
dW2 = h.T @ dlogits
db2 = dlogits.sum(0)
dhpreact = (1.0 - h**2) * dh
dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
dbnraw = bngain * dhpreact
dbnbias = dhpreact.sum(0, keepdim=True)
for name, d, t in [
    ("h", dh, h),
    ("W2", dW2, W2),
    ("b2", db2, b2),
    ("hpreact", dhpreact, hpreact),
    ("bngain", dbngain, bngain),
    ("bnbias", dbnbias, bnbias),
    ("bnraw", dbnraw, bnraw),
]:
    cmp(name, d, t)

# %% [markdown]
# **Inside BatchNorm**, step by step. `bndiff` is used twice (in `bnraw` and in `bndiff2`), and
# `hprebn` twice (in `bndiff` and in the mean): their contributions add.

# %%
dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
dbndiff = bnvar_inv * dbnraw
dbnvar = (-0.5 * (bnvar + 1e-5) ** -1.5) * dbnvar_inv
dbndiff2 = (1.0 / (n - 1)) * torch.ones_like(bndiff2) * dbnvar
dbndiff += (2 * bndiff) * dbndiff2
dhprebn = dbndiff.clone()
dbnmeani = (-dbndiff).sum(0)
dhprebn += 1.0 / n * (torch.ones_like(hprebn) * dbnmeani)
for name, d, t in [
    ("bnvar_inv", dbnvar_inv, bnvar_inv),
    ("bnvar", dbnvar, bnvar),
    ("bndiff2", dbndiff2, bndiff2),
    ("bndiff", dbndiff, bndiff),
    ("bnmeani", dbnmeani, bnmeani),
    ("hprebn", dhprebn, hprebn),
]:
    cmp(name, d, t)

# %% [markdown]
# **The first layer and the embedding.** `view` only reshapes, so its backward reshapes back. The
# embedding lookup `emb = C[Xb]` copied row `Xb[k, j]` of `C` into position `(k, j)`; its backward
# adds each of those 96 gradient rows back into the row of `C` it came from (a character used
# several times collects several contributions).

# %%
dembcat = dhprebn @ W1.T
dW1 = embcat.T @ dhprebn
db1 = dhprebn.sum(0)
demb = dembcat.view(emb.shape)
dC = torch.zeros_like(C)
for k in range(Xb.shape[0]):
    for j in range(Xb.shape[1]):
        dC[Xb[k, j]] += demb[k, j]
for name, d, t in [
    ("embcat", dembcat, embcat),
    ("W1", dW1, W1),
    ("b1", db1, b1),
    ("emb", demb, emb),
    ("C", dC, C),
]:
    cmp(name, d, t)

# %% [markdown]
# Every gradient, against autograd:

# %% tags=["tolerance-float"]
print(f"{'name':15s} | exact | approximate | maxdiff")
for name, exact, approx, maxdiff in rows:
    print(f"{name:15s} | {exact!s:5s} | {approx!s:11s} | {maxdiff:.1e}")
assert len(rows) == 26 and all(approx for _, _, approx, _ in rows)
assert max(maxdiff for *_, maxdiff in rows) < 1e-8

# %% [markdown]
# All 26 agree with autograd. In Karpathy's notebook all of them are *exactly* equal; with torch
# 2.13 on this CPU only the first ones are, and from `hpreact` down the values differ in the last
# bits (every difference below $10^{-8}$; the table shows each). The mathematics is the same; PyTorch's kernels sum in a
# different order than our expressions, and float32 addition is not associative. That is why the
# table's verdict is "approximate", and why the package tests these gradients in float64, where the
# agreement is to $10^{-10}$ relative.
#
# The package's `backward` is this section as one function; it gives the same tensors:

# %%
from zero_to_hero.makemore.backprop import backward, forward

package_loss, cache = forward(params, Xb, Yb)
package_grads = backward(params, Xb, Yb, cache)
assert package_loss.item() == loss.item()
for name, ours in [
    ("C", dC),
    ("W1", dW1),
    ("bngain", dbngain),
    ("logits", dlogits),
    ("hprebn", dhprebn),
]:
    assert torch.allclose(package_grads[name], ours, atol=1e-7), name
print("package backward == notebook backward")

# %% [markdown]
# ## 3. A digression: Bessel's correction
#
# The batch variance above divides by $n - 1$ rather than $n$. Dividing by $n$ underestimates the
# variance of the distribution the batch was drawn from (the batch mean is fitted to the batch);
# $n - 1$ corrects that bias, which matters for a batch of 32. `torch.nn.BatchNorm1d` normalises a
# training batch with the biased estimate ($1/n$) but keeps its running variance with the unbiased
# one, so training and inference use slightly different formulas. Karpathy prefers the unbiased
# estimate throughout, and this lecture follows him. (Lecture 4's `BatchNorm1d` matches PyTorch
# instead, because it is tested against it.)
#
# ## 4. Exercise 2: the cross-entropy backward in one expression
#
# Going through `logprobs`, `probs`, `counts`... one step at a time is instructive but wasteful.
# Derive the gradient of the loss with respect to the logits directly. For one example with logits
# $l$, correct class $y$ and $p = \operatorname{softmax}(l)$:
#
# $$\text{loss} = -\log p_y = -l_y + \log \sum_j e^{l_j}, \qquad
# \frac{\partial\, \text{loss}}{\partial l_i} = -[i = y] + \frac{e^{l_i}}{\sum_j e^{l_j}} = p_i - [i = y].$$
#
# With the mean over $n$ examples, each row of `dlogits` is $(p - \text{one_hot}(y)) / n$.

# %% tags=["tolerance-float"]
loss_fast = F.cross_entropy(logits, Yb)
print(
    f"F.cross_entropy {loss_fast.item():.6f}, step-by-step {loss.item():.6f}, diff {(loss_fast - loss).abs().item():.1e}"
)

dlogits_fast = F.softmax(logits, 1)
dlogits_fast[range(n), Yb] -= 1
dlogits_fast /= n
rows = []
cmp("logits", dlogits_fast, logits)
print(rows[0][:3], f"maxdiff {rows[0][3]:.1e}")
assert rows[0][2]

# %% [markdown]
# What the gradient does, as a picture of `dlogits` (32 examples by 27 characters): each row pulls
# *down* every wrong character in proportion to its probability (light grey) and pushes *up* the
# correct one by $1 - p_y$ (the one dark cell per row). Each row sums to zero: the pushes and
# pulls balance, like forces on the logits.

# %% tags=["tolerance-float"] alt="Grey-scale image of dlogits, 32 examples (rows) by 27 characters (columns): light grey almost everywhere, with one black cell per row at the correct next character, where the gradient is negative." dark="keep-colours"
plt.figure(figsize=(5, 5))
plt.imshow(dlogits_fast.detach(), cmap="gray")
plt.xlabel("character")
plt.ylabel("example")
plt.show()
print(f"largest |row sum|: {dlogits_fast.sum(1).abs().max().item():.1e}")
assert dlogits_fast.sum(1).abs().max().item() < 1e-6

# %% [markdown]
# ## 5. Exercise 3: the BatchNorm backward in one expression
#
# Same idea for BatchNorm. Write $x$ for `hprebn`, $\mu$ and $\sigma^2$ for the batch mean and
# (unbiased) variance, $\hat x_i = (x_i - \mu)/\sqrt{\sigma^2 + \epsilon}$ for `bnraw`, and
# $y_i = \gamma \hat x_i + \beta$. Given $\partial L/\partial y_i$, the chain rule through the three
# paths by which $x_i$ reaches the loss (directly in $\hat x_i$, through $\mu$, through
# $\sigma^2$):
#
# $$\frac{\partial L}{\partial \hat x_i} = \gamma \frac{\partial L}{\partial y_i}, \qquad
# \frac{\partial L}{\partial \sigma^2} = \sum_j \frac{\partial L}{\partial \hat x_j}\,(x_j - \mu)\cdot -\tfrac12(\sigma^2+\epsilon)^{-3/2}, \qquad
# \frac{\partial L}{\partial \mu} = -\sum_j \frac{\partial L}{\partial \hat x_j}\,(\sigma^2+\epsilon)^{-1/2}$$
#
# (the $\mu$ path through $\sigma^2$ vanishes because $\sum_j (x_j - \mu) = 0$), and
#
# $$\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial \hat x_i}(\sigma^2+\epsilon)^{-1/2}
# + \frac{\partial L}{\partial \sigma^2}\frac{2(x_i - \mu)}{n-1} + \frac{\partial L}{\partial \mu}\frac1n.$$
#
# Substituting and collecting terms gives one line:
#
# $$\frac{\partial L}{\partial x_i} = \frac{\gamma\,(\sigma^2+\epsilon)^{-1/2}}{n}
# \Big(n\,\frac{\partial L}{\partial y_i} - \sum_j \frac{\partial L}{\partial y_j}
# - \frac{n}{n-1}\,\hat x_i \sum_j \frac{\partial L}{\partial y_j}\hat x_j\Big).$$
#
# First, BatchNorm's forward pass in one line agrees with the step-by-step version; then the
# backward:

# %% tags=["tolerance-float"]
hpreact_fast = (
    bngain
    * (hprebn - hprebn.mean(0, keepdim=True))
    / torch.sqrt(hprebn.var(0, keepdim=True, unbiased=True) + 1e-5)
    + bnbias
)
print(f"forward max diff: {(hpreact_fast - hpreact).abs().max().item():.1e}")
assert (hpreact_fast - hpreact).abs().max().item() < 1e-5

dhprebn_fast = (
    bngain
    * bnvar_inv
    / n
    * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
)
rows = []
cmp("hprebn", dhprebn_fast, hprebn)
print(rows[0][:3], f"maxdiff {rows[0][3]:.1e}")
assert rows[0][2]

# %% [markdown]
# ## 6. Exercise 4: training with our own backward pass
#
# Everything together: the network with 200 hidden units (12,297 parameters), trained for 200,000
# steps with gradients from the package's `fused_backward`, which is exercises 2 and 3 plus the
# matrix-product and embedding rules above. There is no `loss.backward()` anywhere, and the whole
# loop runs under `torch.no_grad()`.
#
# First, one step's gradients against autograd:

# %% tags=["tolerance-float"]
from zero_to_hero.makemore.backprop import fused_backward

g = torch.Generator().manual_seed(2147483647)
params = init_params(vocab_size, block_size, n_embd, 200, generator=g)
print(sum(p.nelement() for p in params.values()), "parameters")
ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
loss, cache = forward(params, Xtr[ix], Ytr[ix])
loss.backward()
grads = fused_backward(params, Xtr[ix], Ytr[ix], cache)
worst = max((grads[k] - p.grad).abs().max().item() for k, p in params.items())
print(f"step 0: loss {loss.item():.4f}, largest gradient difference from autograd {worst:.1e}")
assert all(torch.allclose(grads[k], p.grad, atol=1e-7) for k, p in params.items())

# %% [markdown]
# Then the training run, with the same learning-rate schedule as lectures 3 and 4:

# %%
start = time.perf_counter()
lossi = []
with torch.no_grad():
    for i in range(200_000):
        if i > 0:
            ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
            loss, cache = forward(params, Xtr[ix], Ytr[ix])
            grads = fused_backward(params, Xtr[ix], Ytr[ix], cache)
        lr = 0.1 if i < 100_000 else 0.01
        for k, p in params.items():
            p.data += -lr * grads[k]
        lossi.append(loss.item())
print(f"200,000 steps in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# For evaluation, BatchNorm needs fixed statistics: we calibrate them once over the whole
# training set (the lecture's choice here; lecture 4 kept running averages instead).

# %%
with torch.no_grad():
    hprebn = params["C"][Xtr].view(Xtr.shape[0], -1) @ params["W1"] + params["b1"]
    bnmean, bnvar = hprebn.mean(0, keepdim=True), hprebn.var(0, keepdim=True, unbiased=True)


@torch.no_grad()
def logits_of(X):
    hprebn = params["C"][X].view(X.shape[0], -1) @ params["W1"] + params["b1"]
    hpreact = params["bngain"] * (hprebn - bnmean) * (bnvar + 1e-5) ** -0.5 + params["bnbias"]
    return torch.tanh(hpreact) @ params["W2"] + params["b2"]


# %% tags=["tolerance-loss", "headline"]
train_loss, val_loss = (
    F.cross_entropy(logits_of(Xtr), Ytr).item(),
    F.cross_entropy(logits_of(Xdev), Ydev).item(),
)
print(f"train {train_loss:.4f}  val {val_loss:.4f}   (Karpathy: train 2.0705, val 2.1099)")
assert val_loss <= 2.12 and abs(val_loss - 2.1099) < 0.01

# %% [markdown]
# Within a few thousandths of Karpathy's run of this same exercise, and within a hundredth of lecture 4's
# BatchNorm network trained with autograd (a slightly different network: this one keeps `b1`,
# randomises the BatchNorm gain and bias, and calibrates its statistics after training). The
# gradients are autograd's, only we wrote them. The loss curve, averaged over 1,000 steps:

# %% alt="Training curve over 200,000 steps with the manual backward pass: the log10 loss averaged over 1,000 steps, falling from 0.40 to about 0.335, then to about 0.32 after the learning-rate decay at step 100,000."
plot_training_curve(lossi)

# %% [markdown]
# And twenty names from it (sampled from a trained model, so their exact letters depend on
# floating-point details of the run):

# %% tags=["exempt-samples"]
g = torch.Generator().manual_seed(2147483647 + 10)
samples = sample_words(
    lambda context: F.softmax(logits_of(torch.tensor([context])), 1)[0],
    vocab,
    20,
    g,
    block_size=block_size,
)
print(" ".join(samples))
assert len(samples) == 20 and all(set(s) <= set(vocab.itos[1:]) for s in samples)

# %% [markdown]
# ## Exercises
#
# This lecture is itself the exercise: the exercise notebook linked from the video (Karpathy's
# Colab) leaves blanks for exercises 1 to 4 (sections 2, 4, 5 and 6 here), and the way to use this page is to download the notebook,
# delete our answers and write them again. One more in the same spirit, of our own:
#
# ### E5: LayerNorm's backward pass in one expression
#
# Lecture 7's transformer normalises each example over its features (LayerNorm) instead of each
# feature over the batch, with the biased variance. Derive the gradient of LayerNorm's input in
# one expression, as section 5 did for BatchNorm, and check it, with the gradients of its gain
# and bias, against `torch.nn.LayerNorm` and autograd.

# %% [markdown] tags=["solution"]
# **Solution.** For one row $x$ of $D$ features, with $\mu$ and $\sigma^2 = \frac1D\sum_j (x_j-\mu)^2$
# its mean and biased variance and $\hat x = (x - \mu)/\sqrt{\sigma^2+\epsilon}$, the derivation of
# section 5 goes through with $n$ replaced by $D$, the sums taken over the row's features, and
# $2/D$ in place of $2/(n-1)$ in the variance path, so the factor $n/(n-1)$ becomes 1. With
# $g_i = \gamma_i\,\partial L/\partial y_i$ (the gain is now one per feature, inside the sums):
#
# $$\frac{\partial L}{\partial x_i} = \frac{(\sigma^2+\epsilon)^{-1/2}}{D}
# \Big(D\,g_i - \sum_j g_j - \hat x_i \sum_j g_j \hat x_j\Big),$$
#
# and, summed over the rows of the batch, $\partial L/\partial\gamma = \sum \hat x \odot \partial L/\partial y$
# and $\partial L/\partial\beta = \sum \partial L/\partial y$. Checked in float64, where rounding
# is about $10^{-16}$:


# %% tags=["solution"]
def layernorm_backward(dy, x, gamma, eps=1e-5):
    """Gradients of x, gamma and beta through y = gamma * normalise(x over its last dim) + beta."""
    D = x.shape[-1]
    var, mean = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
    inv_std = (var + eps).rsqrt()
    xhat = (x - mean) * inv_std
    g = dy * gamma
    dx = inv_std / D * (D * g - g.sum(-1, keepdim=True) - xhat * (g * xhat).sum(-1, keepdim=True))
    return dx, (dy * xhat).sum(0), dy.sum(0)


g = torch.Generator().manual_seed(0)
x = torch.randn(32, 64, dtype=torch.float64, generator=g, requires_grad=True)
ln = torch.nn.LayerNorm(64, dtype=torch.float64)
with torch.no_grad():  # a gain and bias other than 1 and 0, so that they matter
    ln.weight.copy_(torch.randn(64, generator=g, dtype=torch.float64))
    ln.bias.copy_(torch.randn(64, generator=g, dtype=torch.float64))
dy = torch.randn(32, 64, dtype=torch.float64, generator=g)
ln(x).backward(dy)
ours = layernorm_backward(dy, x.detach(), ln.weight.detach())
for name, mine, theirs in zip(("x", "gamma", "beta"), ours, (x.grad, ln.weight.grad, ln.bias.grad)):
    close = torch.allclose(mine, theirs, rtol=1e-12, atol=1e-12)
    print(f"d{name:5s} {tuple(mine.shape)}: equal to autograd within 1e-12: {close}")
    assert close

# %% [markdown] tags=["solution"]
# BatchNorm and LayerNorm are the same normalisation along different axes; so are their backward
# passes, up to Bessel's correction: BatchNorm's $n/(n-1)$ appears because the lecture normalises
# with the unbiased variance, and `nn.LayerNorm` uses the biased one.

# %% [markdown]
# ## Summary
#
# * The backward pass of any expression follows from a few local rules: the derivative of each
#   operation, sums over broadcast dimensions, matrix-product transposes, and adding the
#   contributions of a tensor used more than once.
# * Whole blocks have compact gradients: cross-entropy's is $(\operatorname{softmax} - \text{one_hot})/n$;
#   BatchNorm's is one (longer) line. Deriving them is faster to run and easier to check.
# * Hand-written and autograd gradients agree to rounding, and a network trained with ours lands
#   within a few thousandths of Karpathy's loss for this exercise.
#
# Lecture 6 grows the context and the network into a WaveNet-like hierarchy.
