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
# # Lecture 3: makemore, a multilayer perceptron
#
# The bigram model of lecture 2 sees one character of context, and its names show it. Here we give
# the model three characters of context with the neural language model of Bengio et al. (2003): a
# learned embedding for every character, a hidden layer, and a softmax over the next character.
# Along the way: the embedding lookup, `view` and tensor internals, why `F.cross_entropy`,
# minibatches, finding a learning rate, and the train/dev/test discipline.
#
# *Follows Andrej Karpathy's video
# [Building makemore Part 2: MLP](https://www.youtube.com/watch?v=TCH_1BHY58I) and his notebook
# `makemore_part2_mlp.ipynb` in [karpathy/nn-zero-to-hero](https://github.com/karpathy/nn-zero-to-hero).*

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
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from zero_to_hero.data import load_names
from zero_to_hero.makemore import Vocabulary

torch.set_num_threads(1)  # see below
words = load_names()
vocab = Vocabulary.from_words(words)
stoi, itos = vocab.stoi, vocab.itos
print(len(words), "names;", len(vocab), "characters:", "".join(itos))

# %% [markdown]
# ## 1. Why counting stops working
#
# The bigram table has one row per context: 27 rows. With two characters of context it would need
# $27^2 = 729$ rows, with three $27^3 = 19{,}683$, most of them seen a handful of times or never.
# The counts get too sparse to estimate, and nothing learnt about one context helps another.
#
# ## 2. The idea of Bengio et al. (2003)
#
# *A Neural Probabilistic Language Model* modelled words (a vocabulary of 17,000) rather than
# characters, but the idea carries over. Give every token a learned vector, an **embedding**, here
# 30 numbers, stored as the rows of a shared table $C$. To predict the next token, look up the
# embeddings of the previous three, concatenate them, pass them through a hidden $\tanh$ layer and a
# softmax over the whole vocabulary, and train everything (embeddings included) by maximising the
# likelihood of the training text. Tokens that behave alike end up with nearby embeddings, so what
# the model learns about "a dog was running" transfers to "the cat was running", a context it may
# never have seen. That transfer is what counting cannot do.
#
# ## 3. The data set: three characters of context
#
# Each example is the three previous characters (padded with `.` at the start of a name) and the
# character that follows. The first name, *emma*, gives five examples:

# %%
block_size = 3
X, Y = [], []
for w in words[:5]:
    context = [0] * block_size
    for ch in [*w, "."]:
        ix = stoi[ch]
        X.append(context)
        Y.append(ix)
        if w == words[0]:
            print("".join(itos[i] for i in context), "--->", itos[ix])
        context = [*context[1:], ix]
X = torch.tensor(X)
Y = torch.tensor(Y)
print(X.shape, X.dtype, Y.shape, Y.dtype)

# %% [markdown]
# ## 4. The embedding lookup
#
# We start with the smallest possible embedding, 2 numbers per character, so we can plot it later.
# Looking up row 5 of `C` is the same as multiplying a one-hot vector by `C` (the lecture-2
# observation again), and indexing with a whole tensor of integers looks up every entry at once:
# `C[X]` has one 2-vector for each of the 3 positions of each of the 32 examples.

# %%
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 2), generator=g)
assert torch.allclose(C[5], F.one_hot(torch.tensor(5), num_classes=27).float() @ C)
emb = C[X]
emb.shape

# %% [markdown]
# ## 5. The hidden layer, and view
#
# The hidden layer takes the three embeddings side by side, $3 \times 2 = 6$ inputs, into 100
# neurons. Concatenating them with `torch.cat` works but allocates a new tensor. `view` does the
# same for free: a tensor is a flat block of memory (its *storage*) plus a shape and strides that
# say how to walk it, and `view` only changes the shape and strides.

# %%
W1 = torch.randn((6, 100), generator=g)
b1 = torch.randn(100, generator=g)

by_cat = torch.cat(torch.unbind(emb, 1), 1)
by_view = emb.view(-1, 6)
print(by_cat.shape, torch.equal(by_cat, by_view))
print("same memory:", emb.untyped_storage().data_ptr() == by_view.untyped_storage().data_ptr())

h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
h.shape

# %% [markdown]
# Adding `b1` broadcasts correctly: `(32, 100) + (100,)` aligns on the right, so the bias vector is
# added to every row. (For how tensors are laid out, Edward Yang's
# [PyTorch internals](http://blog.ezyang.com/2019/05/pytorch-internals/) is the reference the
# lecture points to.)
#
# ## 6. Output layer and loss
#
# The output layer maps the 100 hidden units to 27 logits. The loss is the lecture-2 recipe:
# exponentiate, normalise, take the probability of the correct character, average the negative
# logs.

# %%
W2 = torch.randn((100, 27), generator=g)
b2 = torch.randn(27, generator=g)
logits = h @ W2 + b2
counts = logits.exp()
prob = counts / counts.sum(1, keepdim=True)
loss = -prob[torch.arange(32), Y].log().mean()
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters), "parameters; loss", loss.item())
assert sum(p.nelement() for p in parameters) == 3481
assert math.isclose(loss.item(), 17.769710540771484, rel_tol=1e-6)

# %% [markdown]
# In the video Karpathy gets 17.7697 for this network and seed (his reference number; his stored
# notebook draws these weights unseeded), the same computation as ours. `F.cross_entropy` computes the same number:

# %%
assert math.isclose(F.cross_entropy(logits, Y).item(), loss.item(), rel_tol=1e-6)
F.cross_entropy(logits, Y)

# %% [markdown]
# Prefer it anyway. It skips the separate `exp`, sum, division and `log` tensors (it computes a
# log-softmax and picks the targets' entries), its backward pass is simpler, and it is
# numerically safe. `exp` of a large logit overflows float32
# to `inf`, and `inf / inf` is `nan`. Since softmax does not change when the same number is
# subtracted from every logit, `F.cross_entropy` subtracts the largest one first:

# %%
big = torch.tensor([-100.0, -3.0, 0.0, 100.0])
print("by hand:      ", big.exp() / big.exp().sum())
print("F.softmax:    ", F.softmax(big, dim=0))
shifted = big - big.max()
print("shifted:      ", shifted.exp() / shifted.exp().sum())

# %% [markdown]
# ## 7. Training, first on one batch
#
# Thirty-two examples and 3,481 parameters: the network should be able to memorise them.

# %% tags=["tolerance-loss"]
for p in parameters:
    p.requires_grad = True
for _ in range(1000):
    emb = C[X]
    h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Y)
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
print(f"loss after 1000 steps on one batch: {loss.item():.4f}")
assert loss.item() < 0.3

# %% [markdown]
# The lecture reaches 0.2561 here. Not zero, and it cannot be: the context `...` starts all five
# names, followed by *e*, *o*, *a*, *i* and *s*. No model can predict all five with certainty.
#
# ## 8. The full data set, in minibatches
#
# All names give 228,146 examples. A forward and backward pass over all of them for every step is
# wasteful: the gradient of a random **minibatch** of 32 examples points roughly the same way and
# costs 7,000 times less, so we can take many more (noisier) steps. `build_dataset` in the
# package is the loop of section 3, for any block size:

# %%
from zero_to_hero.makemore import build_dataset

X, Y = build_dataset(words, block_size, vocab)
print(X.shape, Y.shape)

# %% [markdown]
# ## 9. Finding a learning rate
#
# Too small a learning rate crawls, too large diverges. The lecture's trick: during one run of 1,000
# steps, raise the learning rate exponentially from $10^{-3}$ to $10^{0}$, and record the loss at
# each step. Where the loss falls fastest before blowing up is a good learning rate.


# %%
def fresh_parameters(n_embd=2, n_hidden=100, seed=2147483647):
    g = torch.Generator().manual_seed(seed)
    params = [
        torch.randn((27, n_embd), generator=g),
        torch.randn((block_size * n_embd, n_hidden), generator=g),
        torch.randn(n_hidden, generator=g),
        torch.randn((n_hidden, 27), generator=g),
        torch.randn(27, generator=g),
    ]
    for p in params:
        p.requires_grad = True
    return params


def step(params, Xb, Yb, lr):
    C, W1, b1, W2, b2 = params
    emb = C[Xb]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Yb)
    for p in params:
        p.grad = None
    loss.backward()
    for p in params:
        p.data += -lr * p.grad
    return loss.item()


params = fresh_parameters()
batches = torch.Generator().manual_seed(1)
lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
lossi = []
for i in range(1000):
    ix = torch.randint(0, X.shape[0], (32,), generator=batches)
    lossi.append(step(params, X[ix], Y[ix], lrs[i].item()))

# %% tags=["tolerance-loss"]
smoothed = torch.tensor(lossi).unfold(0, 51, 1).mean(1)  # mean of each 51 consecutive steps
best = lre[25:-25][smoothed.argmin()].item()
# at exponent 0 the run diverges, and where a diverging run lands varies with the CPU's rounding
print(f"smoothed loss {smoothed[0]:.2f} at exponent -3, lowest {smoothed.min():.2f} at {best:.2f}, "
      "more than 1 above the lowest at 0")  # fmt: skip
assert -1.5 < best < -0.5 and smoothed[-1] > smoothed.min() + 1

# %% [markdown]
# The loss falls steeply while the exponent climbs from -3 to about -1.5, is lowest and flat around
# -1 (the smoothed minimum printed above), and turns noisy and upward past about -0.5, where the
# steps overshoot. We take $10^{-1} = 0.1$, and decay it to 0.01 late in training.

# %% tags=["tolerance-loss"] alt="Minibatch loss against the learning-rate exponent x (lr = 10^x) from -3 to 0: noisy, falling from about 20 at x = -3 to a minimum around 3 between x = -1.2 and -0.7, then rising again to about 8 at x = 0."
plt.figure(figsize=(6, 3.5))
plt.plot(lre, lossi, lw=0.8)
plt.xlabel("learning-rate exponent (lr = 10^x)")
plt.ylabel("minibatch loss")
plt.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ## 10. Train, dev, test
#
# A model big enough can memorise its training set: a low training loss then says nothing about
# new names. So we split the names, shuffled with a fixed seed, into 80% **train** (to fit the
# parameters), 10% **dev** (also called validation: to choose hyperparameters such as sizes and
# learning rates) and 10% **test** (touched once, at the very end, to report how good the final
# model is). `split_words` does exactly the lecture's `random.seed(42); random.shuffle(words)` and
# cuts at 80% and 90%.

# %%
from zero_to_hero.makemore import split_words

train_words, dev_words, test_words = split_words(words)
Xtr, Ytr = build_dataset(train_words, block_size, vocab)
Xdev, Ydev = build_dataset(dev_words, block_size, vocab)
Xte, Yte = build_dataset(test_words, block_size, vocab)
print(len(train_words), len(dev_words), len(test_words), "names")
print(Xtr.shape[0], Xdev.shape[0], Xte.shape[0], "examples")
assert (Xtr.shape[0], Xdev.shape[0], Xte.shape[0]) == (182_625, 22_655, 22_866)

# %% [markdown]
# (The lecture's notebook prints 182,441 / 22,902 / 22,803 because its kernel had already shuffled
# the list once before; from a fresh start the split is the one above, as in lectures 4 to 6.)
#
# ## 11. A bigger hidden layer, and a 2-D embedding
#
# From here on, training uses the package: `MLPLanguageModel` holds the same five tensors, and
# `train` is the loop of `step` above with minibatches drawn from a seeded generator.
#
# A practical note: this page runs PyTorch on one thread (`torch.set_num_threads(1)` at the top).
# A minibatch step multiplies matrices of a few thousand numbers, and splitting such small work
# across cores costs more than it saves: one thread was faster on the machine that builds this
# page when we measured it (the machine and thread count are in the page header).
#
# First, 300 hidden neurons on 2-D embeddings (10,281 parameters), 30,000 steps:

# %%
from zero_to_hero.makemore import MLPLanguageModel, split_loss, step_decay, train

model2d = MLPLanguageModel(27, block_size, n_embd=2, n_hidden=300)
print(sum(p.nelement() for p in model2d.parameters()), "parameters")
start = time.perf_counter()
losses = train(
    model2d, Xtr, Ytr, 30_000, learning_rate=step_decay(0.1, after=20_000),
    generator=torch.Generator().manual_seed(2147483647),
)  # fmt: skip
print(f"trained in {time.perf_counter() - start:.1f} s")

# %% tags=["tolerance-loss"]
train2d, dev2d = split_loss(model2d, Xtr, Ytr), split_loss(model2d, Xdev, Ydev)
print(f"train {train2d:.4f}  dev {dev2d:.4f}")
assert abs(train2d - dev2d) < 0.05 and dev2d < 2.45

# %% [markdown]
# Train and dev losses are nearly equal: the model is not overfitting, it is **underfitting**. It
# is too small to use what the data offers, and the suspect is the 2-D bottleneck: 27 characters
# squeezed into two numbers each. With two dimensions we can at least look at what it learnt:

# %% tags=["tolerance-loss"] alt="Scatter plot of the 27 two-dimensional character embeddings after training, each a blue circle labelled with its character: most consonants cluster near (-0.1, 0.3), the vowels a, e, i, o and y sit apart below them, and q, u, g and '.' are outliers."
C2 = model2d.C.detach()
plt.figure(figsize=(6, 6))
plt.scatter(C2[:, 0], C2[:, 1], s=200)
for i in range(C2.shape[0]):
    plt.text(C2[i, 0].item(), C2[i, 1].item(), itos[i], ha="center", va="center", color="white")
plt.grid(alpha=0.3)
plt.show()

# %% [markdown]
# In this run the vowels *a, e, i, o* sit close together (the distances are printed below): the
# network learnt, from the data alone, that they are largely interchangeable as far as the next
# character is concerned. *u* does not join them, and *q* and the `.` marker sit apart too, each
# behaving like little else. (One run, one seed: another seed draws another map.)

# %% tags=["tolerance-loss"]
position = {itos[i]: C2[i] for i in range(C2.shape[0])}
distance = lambda a, b: (position[a] - position[b]).norm().item()  # noqa: E731
vowel_spread = max(distance(a, b) for a in "aeio" for b in "aeio")
u_gap = min(distance("u", v) for v in "aeio")
print(f"a, e, i, o lie within {vowel_spread:.2f} of each other; u is {u_gap:.2f} from the nearest")
assert u_gap > vowel_spread

# %% [markdown]
#
# ## 12. The full run: 10-D embeddings, 200 hidden units
#
# The lecture's final network: 10-dimensional embeddings (30 inputs to the hidden layer), 200 hidden
# neurons, 11,897 parameters, 200,000 steps of batch 32, learning rate 0.1 then 0.01 after
# 100,000 steps.

# %%
model = MLPLanguageModel(27, block_size, n_embd=10, n_hidden=200)
print(sum(p.nelement() for p in model.parameters()), "parameters")
assert sum(p.nelement() for p in model.parameters()) == 11_897
start = time.perf_counter()
losses = train(model, Xtr, Ytr, 200_000, generator=torch.Generator().manual_seed(2147483647))
print(f"200,000 steps in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# The curve of minibatch losses (log10, as in the lecture) is thick because each minibatch is a
# different sample; the line through it is the average over 1,000 steps. The step down at 100,000
# is the learning-rate decay.

# %% tags=["tolerance-loss"] alt="Training curve over 200,000 steps: the log10 loss of each step as a pale band between about 0.2 and 0.5, and its mean over 1,000 steps in orange, falling fast from 0.75 to 0.4, then slowly to 0.36, with a drop to 0.33 at step 100,000 where the learning rate decays."
from zero_to_hero.makemore import plot_training_curve

plot_training_curve(losses, raw=True)

# %% tags=["tolerance-loss", "headline"]
train_loss, dev_loss = split_loss(model, Xtr, Ytr), split_loss(model, Xdev, Ydev)
print(f"train {train_loss:.4f}  dev {dev_loss:.4f}   (Karpathy: train 2.1260, dev 2.1701)")
assert dev_loss <= 2.20
assert 0 < dev_loss - train_loss < 0.1

# %% [markdown]
# Karpathy's run reached train 2.1260, dev 2.1701 (his reference numbers; his minibatches were not
# seeded, so no two runs agree exactly). In this seeded run ours lands within a few thousandths of his.
# The dev loss is
# now close to the training loss but a little above it: the model has started to fit the training
# names specifically, and a bigger model would need more care.
#
# ## 13. Sampling
#
# To sample, feed the last three characters, draw from the softmax, shift the window, repeat until
# `.`. `sample_words` does this for any model that gives next-character probabilities:

# %% tags=["exempt-samples"]
from zero_to_hero.makemore import sample_words

g = torch.Generator().manual_seed(2147483647 + 10)
samples = sample_words(model.next_probs, vocab, 20, g, block_size=block_size)
print(" ".join(samples))

# %% [markdown]
# These come from a trained model, so their exact letters depend on floating-point details of the
# training run; the page checks them for what must hold instead:

# %% tags=["exempt-samples"]
assert len(samples) == 20 and all(set(s) <= set(itos[1:]) for s in samples)
print(
    f"{sum(s in words for s in samples)} of 20 samples are names from the data set; the rest are new"
)

# %% [markdown]
# They sound far more like names than the bigram's: three characters of context go a long way.
#
# ## Exercises
#
# The lecture's exercises (from the video description), each followed by a worked solution that
# ran when this page was built. Try them first: the solutions are folded.
#
# ### E01: beat the dev loss by tuning
#
# Tune the hyperparameters (sizes, context length, learning rate, initialisation, batch size,
# steps) to beat Karpathy's best validation loss. He reached 2.17 (the video description says
# "beat 2.2"); our target is a dev loss of at most 2.12, using the dev set only for the choices.

# %% [markdown] tags=["solution"]
# One combination, chosen on the dev set only (a single run of it; each change was not measured
# on its own):
#
# * **A sane initialisation** (see E02 below and lecture 4): the initial loss drops from about 26 to
#   3.3 (measured in E02), so the first thousands of steps are not wasted undoing a bad start.
# * A longer context (block 4) and larger embeddings (12-D).
#
# Everything else as in the full run above: batch 32, 200,000 steps, learning rate 0.1 then 0.01.


# %% tags=["solution"]
def sane_init(model):
    """Small output weights (uniform initial predictions), tanh inputs scaled to stay unsaturated."""
    fan_in = model.W1.shape[0]
    with torch.no_grad():
        model.W1 *= (5 / 3) / fan_in**0.5
        model.b1 *= 0.01
        model.W2 *= 0.01
        model.b2 *= 0.0
    return model


E01_BLOCK, E01_EMBD, E01_HIDDEN = 4, 12, 200
Xtr4, Ytr4 = build_dataset(train_words, E01_BLOCK, vocab)
Xdev4, Ydev4 = build_dataset(dev_words, E01_BLOCK, vocab)
tuned = sane_init(MLPLanguageModel(27, E01_BLOCK, E01_EMBD, E01_HIDDEN))
start = time.perf_counter()
train(tuned, Xtr4, Ytr4, 200_000, generator=torch.Generator().manual_seed(2147483647))
print(
    f"E01: block {E01_BLOCK}, n_embd {E01_EMBD}, hidden {E01_HIDDEN}: trained in {time.perf_counter() - start:.1f} s"
)

# %% tags=["solution", "tolerance-loss", "headline"]
tuned_dev = split_loss(tuned, Xdev4, Ydev4)
print(f"E01 dev {tuned_dev:.4f}  (the full run above: {dev_loss:.4f}; Karpathy's: 2.1701)")
assert tuned_dev <= 2.12

# %% [markdown]
# ### E02: the loss of a uniform prediction, and an initialisation that gets it
#
# What would the initial loss be if the untrained network predicted every character with equal
# probability? Compare it with the initial loss of the lecture's network, and change the
# initialisation to get close to the ideal.

# %% [markdown] tags=["solution"]
# Equal probabilities 1/27 give a loss of $-\ln(1/27)$:

# %% tags=["solution"]
uniform_loss = -math.log(1 / 27)
fresh = MLPLanguageModel(27, block_size, 10, 200)
sane = sane_init(MLPLanguageModel(27, block_size, 10, 200))
print(f"uniform prediction: {uniform_loss:.4f}")
print(f"lecture's initialisation: {split_loss(fresh, Xtr, Ytr):.4f}")
print(f"small output layer:       {split_loss(sane, Xtr, Ytr):.4f}")
assert abs(split_loss(sane, Xtr, Ytr) - uniform_loss) < 0.02

# %% [markdown] tags=["solution"]
# The lecture's initialisation starts above 20: random logits of size ~10 make the network
# confidently wrong. Scaling the output weights by 0.01 and zeroing its bias makes every logit
# nearly 0, so the softmax is nearly uniform and the loss starts within 0.02 of the ideal. Lecture 4
# explains this in depth.

# %% [markdown]
# ### E03: an idea from the paper
#
# Read Bengio et al. (2003), implement one of its ideas that the lecture left out, and report
# whether it helps.

# %% [markdown] tags=["solution"]
# **Direct connections.** Bengio et al. also feed the concatenated embeddings **directly** to the output layer, next to the
# path through the hidden layer: $y = b + W x + U \tanh(d + H x)$. The paper treats them as optional
# and compares models with and without. We add the matrix $W$ (30 x 27, 810 parameters, initialised
# small) to the full-run network and train it identically (same initialisation of the shared
# tensors, same minibatches):


# %% tags=["solution"]
class DirectMLP(MLPLanguageModel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        g = torch.Generator().manual_seed(0)
        self.Wd = (
            torch.randn((self.W1.shape[0], self.W2.shape[1]), generator=g) * 0.01
        ).requires_grad_()

    def parameters(self):
        return [*super().parameters(), self.Wd]

    def __call__(self, X):
        x = self.C[X].view(X.shape[0], -1)
        return torch.tanh(x @ self.W1 + self.b1) @ self.W2 + self.b2 + x @ self.Wd


direct = DirectMLP(27, block_size, 10, 200)
start = time.perf_counter()
train(direct, Xtr, Ytr, 200_000, generator=torch.Generator().manual_seed(2147483647))
print(
    f"E03: {sum(p.nelement() for p in direct.parameters())} parameters, trained in {time.perf_counter() - start:.1f} s"
)

# %% tags=["solution", "tolerance-loss"]
direct_train, direct_dev = split_loss(direct, Xtr, Ytr), split_loss(direct, Xdev, Ydev)
print(f"with direct connections: train {direct_train:.4f}  dev {direct_dev:.4f}")
print(f"without (section 12):    train {train_loss:.4f}  dev {dev_loss:.4f}")
assert abs(direct_dev - dev_loss) < 0.01

# %% [markdown] tags=["solution"]
# Which way the comparison goes is the experiment's result, printed above; the page asserts only
# that the two land within 0.01 of each other. This is one seeded run of each and we did not
# measure how much the dev loss moves from seed to seed, so a difference of a few thousandths is
# no evidence either way: on this network and budget the direct connections show no clear gain
# for their 810 parameters. The direct path gives the output layer a linear view of the context that bypasses the
# hidden layer; whether that helps depends on how well the hidden layer already uses it.

# %% [markdown]
# ## The test set, once
#
# Only now, with every choice made on the dev set, do we look at the test set, once, for the full
# run's model:

# %% tags=["tolerance-loss"]
test_loss = split_loss(model, Xte, Yte)
print(f"test {test_loss:.4f}")
assert abs(test_loss - dev_loss) < 0.05

# %% [markdown]
# ## Summary
#
# * An MLP over learned character embeddings beats lecture 2's bigram and trigram counting models
#   by sharing what it learns across contexts; `C[X]` and `view` make it a few lines of tensor code.
# * Use `F.cross_entropy`: the same number, a simpler backward pass, and safe from overflow.
# * Minibatches trade gradient accuracy for many more steps; a learning-rate sweep finds the step
#   size; train, dev and test keep us honest about generalisation.
#
# Lecture 4 looks inside this network while it trains: activations, gradients, and BatchNorm.
