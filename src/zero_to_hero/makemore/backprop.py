"""Lecture 5: the backward pass of the BatchNorm MLP, written by hand.

``forward`` computes the loss of the two-layer network (embedding, Linear, BatchNorm, tanh,
Linear, cross-entropy) in small steps and keeps every intermediate; ``backward`` walks those steps
in reverse, computing the gradient of the loss with respect to each one; ``fused_backward`` does
the same for the parameters with the one-expression gradients of cross-entropy and BatchNorm
derived in the lecture. The names follow the lecture. BatchNorm here uses the unbiased batch
variance (1/(n-1)), as the lecture does.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

Tensors = dict[str, torch.Tensor]
EPS = 1e-5


def init_params(
    vocab_size: int = 27,
    block_size: int = 3,
    n_embd: int = 10,
    n_hidden: int = 64,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
) -> Tensors:
    """The lecture's initialisation: Kaiming W1, and small non-zero biases and BatchNorm
    parameters, so that a wrong gradient cannot hide behind a zero."""
    g = generator if generator is not None else torch.Generator().manual_seed(2147483647)
    fan_in = n_embd * block_size

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(shape, generator=g).to(dtype)

    params = {
        "C": randn(vocab_size, n_embd),
        "W1": randn(fan_in, n_hidden) * (5 / 3) / fan_in**0.5,
        "b1": randn(n_hidden) * 0.1,  # useless before BatchNorm; kept so its gradient is tested
        "W2": randn(n_hidden, vocab_size) * 0.1,
        "b2": randn(vocab_size) * 0.1,
        "bngain": randn(1, n_hidden) * 0.1 + 1.0,
        "bnbias": randn(1, n_hidden) * 0.1,
    }
    for p in params.values():
        p.requires_grad = True
    return params


def forward(params: Tensors, X: torch.Tensor, Y: torch.Tensor) -> tuple[torch.Tensor, Tensors]:
    """The loss, and every intermediate of its computation by name."""
    C, W1, b1, W2, b2 = (params[k] for k in ("C", "W1", "b1", "W2", "b2"))
    bngain, bnbias = params["bngain"], params["bnbias"]
    n = X.shape[0]
    t: Tensors = {}
    t["emb"] = C[X]
    t["embcat"] = t["emb"].view(n, -1)
    t["hprebn"] = t["embcat"] @ W1 + b1
    t["bnmeani"] = t["hprebn"].sum(0, keepdim=True) / n
    t["bndiff"] = t["hprebn"] - t["bnmeani"]
    t["bndiff2"] = t["bndiff"] ** 2
    t["bnvar"] = t["bndiff2"].sum(0, keepdim=True) / (n - 1)
    t["bnvar_inv"] = (t["bnvar"] + EPS) ** -0.5
    t["bnraw"] = t["bndiff"] * t["bnvar_inv"]
    t["hpreact"] = bngain * t["bnraw"] + bnbias
    t["h"] = torch.tanh(t["hpreact"])
    t["logits"] = t["h"] @ W2 + b2
    t["logit_maxes"] = t["logits"].max(1, keepdim=True).values
    t["norm_logits"] = t["logits"] - t["logit_maxes"]
    t["counts"] = t["norm_logits"].exp()
    t["counts_sum"] = t["counts"].sum(1, keepdim=True)
    t["counts_sum_inv"] = t["counts_sum"] ** -1
    t["probs"] = t["counts"] * t["counts_sum_inv"]
    t["logprobs"] = t["probs"].log()
    loss = -t["logprobs"][torch.arange(n), Y].mean()
    return loss, t


@torch.no_grad()
def backward(params: Tensors, X: torch.Tensor, Y: torch.Tensor, t: Tensors) -> Tensors:
    """Gradient of the loss with respect to every intermediate of ``forward`` and every parameter,
    one step at a time, in reverse."""
    n = X.shape[0]
    d: Tensors = {}
    d["logprobs"] = torch.zeros_like(t["logprobs"])
    d["logprobs"][torch.arange(n), Y] = -1.0 / n
    d["probs"] = d["logprobs"] / t["probs"]
    # probs = counts * counts_sum_inv: counts_sum_inv is broadcast along each row, so sum back
    d["counts_sum_inv"] = (t["counts"] * d["probs"]).sum(1, keepdim=True)
    d["counts_sum"] = -(t["counts_sum"] ** -2) * d["counts_sum_inv"]
    # counts feeds both probs and counts_sum: the two contributions add
    d["counts"] = t["counts_sum_inv"] * d["probs"] + d["counts_sum"]  # broadcast over the row
    d["norm_logits"] = t["counts"] * d["counts"]
    d["logit_maxes"] = -d["norm_logits"].sum(1, keepdim=True)
    max_positions = t["logits"].max(1).indices
    d["logits"] = (
        d["norm_logits"] + F.one_hot(max_positions, t["logits"].shape[1]) * d["logit_maxes"]
    )
    d["h"] = d["logits"] @ params["W2"].T
    d["W2"] = t["h"].T @ d["logits"]
    d["b2"] = d["logits"].sum(0)
    d["hpreact"] = (1.0 - t["h"] ** 2) * d["h"]
    d["bngain"] = (t["bnraw"] * d["hpreact"]).sum(0, keepdim=True)
    d["bnbias"] = d["hpreact"].sum(0, keepdim=True)
    d["bnraw"] = params["bngain"] * d["hpreact"]
    d["bnvar_inv"] = (t["bndiff"] * d["bnraw"]).sum(0, keepdim=True)
    d["bnvar"] = -0.5 * (t["bnvar"] + EPS) ** -1.5 * d["bnvar_inv"]
    d["bndiff2"] = torch.ones_like(t["bndiff2"]) / (n - 1) * d["bnvar"]
    d["bndiff"] = t["bnvar_inv"] * d["bnraw"] + 2 * t["bndiff"] * d["bndiff2"]
    d["bnmeani"] = -d["bndiff"].sum(0, keepdim=True)
    d["hprebn"] = d["bndiff"] + torch.ones_like(t["hprebn"]) / n * d["bnmeani"]
    d["embcat"] = d["hprebn"] @ params["W1"].T
    d["W1"] = t["embcat"].T @ d["hprebn"]
    d["b1"] = d["hprebn"].sum(0)
    d["emb"] = d["embcat"].view(t["emb"].shape)
    d["C"] = torch.zeros_like(params["C"])
    d["C"].index_add_(0, X.flatten(), d["emb"].view(-1, d["emb"].shape[-1]))
    return d


def cross_entropy_backward(logits: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """d loss / d logits for the mean cross-entropy: (softmax(logits) - one_hot(Y)) / n."""
    dlogits = F.softmax(logits, dim=1)
    dlogits[torch.arange(logits.shape[0]), Y] -= 1
    return dlogits / logits.shape[0]


def batchnorm_backward(
    dhpreact: torch.Tensor, bngain: torch.Tensor, bnvar_inv: torch.Tensor, bnraw: torch.Tensor
) -> torch.Tensor:
    """d loss / d hprebn through BatchNorm with the unbiased batch variance, in one expression."""
    n = dhpreact.shape[0]
    return (
        bngain
        * bnvar_inv
        / n
        * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    )


@torch.no_grad()
def fused_backward(params: Tensors, X: torch.Tensor, Y: torch.Tensor, t: Tensors) -> Tensors:
    """Gradients of the parameters only, through the one-expression cross-entropy and BatchNorm
    backward passes: what a training loop needs."""
    d: Tensors = {}
    dlogits = cross_entropy_backward(t["logits"], Y)
    d["W2"] = t["h"].T @ dlogits
    d["b2"] = dlogits.sum(0)
    dhpreact = (1.0 - t["h"] ** 2) * (dlogits @ params["W2"].T)
    d["bngain"] = (t["bnraw"] * dhpreact).sum(0, keepdim=True)
    d["bnbias"] = dhpreact.sum(0, keepdim=True)
    dhprebn = batchnorm_backward(dhpreact, params["bngain"], t["bnvar_inv"], t["bnraw"])
    d["W1"] = t["embcat"].T @ dhprebn
    d["b1"] = dhprebn.sum(0)
    demb = (dhprebn @ params["W1"].T).view(t["emb"].shape)
    d["C"] = torch.zeros_like(params["C"])
    d["C"].index_add_(0, X.flatten(), demb.view(-1, demb.shape[-1]))
    return d
