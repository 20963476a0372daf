"""The GPT: parameter counts, both attention paths, causality, generation."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from zero_to_hero.gpt import GPT, LECTURE, GPTConfig
from zero_to_hero.gpt.model import rotary

SMALL = GPTConfig(vocab_size=11, block_size=8, n_embd=12, n_head=3, n_layer=2, dropout=0.0)


def small(fused=True, seed=0):
    torch.manual_seed(seed)
    return GPT(dataclasses.replace(SMALL, fused=fused))


def test_the_lecture_config_has_the_lectures_parameter_count():
    model_config, train_config = LECTURE
    assert GPT(model_config).num_params() == 10_788_929
    assert (train_config.batch_size, train_config.learning_rate) == (64, 3e-4)
    assert train_config.max_iters == 5000 and model_config.dropout == 0.2


def test_fused_attention_equals_the_explicit_heads():
    explicit, fused = small(fused=False), small(fused=True)
    fused.load_state_dict(explicit.state_dict())
    idx = torch.randint(0, 11, (4, 8))
    targets = torch.randint(0, 11, (4, 8))
    logits_e, loss_e = explicit(idx, targets)
    logits_f, loss_f = fused(idx, targets)
    assert torch.allclose(logits_e, logits_f, atol=1e-5)
    loss_e.backward()
    loss_f.backward()
    for (name, pe), pf in zip(explicit.named_parameters(), fused.parameters()):
        assert torch.allclose(pe.grad, pf.grad, atol=1e-5), name


@pytest.mark.parametrize("fused", [False, True])
def test_attention_is_causal(fused):
    model = small(fused).eval()
    a = torch.randint(0, 11, (1, 8))
    b = a.clone()
    b[0, 5:] = (b[0, 5:] + 1) % 11
    la, _ = model(a)
    lb, _ = model(b)
    assert torch.allclose(la[:, :5], lb[:, :5], atol=1e-6)
    assert not torch.allclose(la[:, 5], lb[:, 5])


def test_loss_at_init_is_near_uniform():
    model = small()
    _, loss = model(torch.randint(0, 11, (8, 8)), torch.randint(0, 11, (8, 8)))
    assert loss.item() == pytest.approx(torch.log(torch.tensor(11.0)).item(), abs=0.1)


def test_dropout_is_active_only_in_training():
    torch.manual_seed(0)
    model = GPT(dataclasses.replace(SMALL, dropout=0.5))
    idx = torch.randint(0, 11, (2, 8))
    model.eval()
    assert torch.equal(model(idx)[0], model(idx)[0])
    model.train()
    assert not torch.equal(model(idx)[0], model(idx)[0])


def test_too_long_a_sequence_is_refused():
    with pytest.raises(ValueError, match="block_size"):
        small()(torch.zeros(1, 9, dtype=torch.long))


def test_n_embd_must_split_into_heads():
    with pytest.raises(ValueError, match="divisible"):
        GPTConfig(n_embd=10, n_head=3)


def test_generate_is_deterministic_under_a_seed_and_crops_the_context():
    model = small()
    start = torch.zeros(2, 1, dtype=torch.long)
    a = model.generate(start, 20, generator=torch.Generator().manual_seed(1))
    b = model.generate(start, 20, generator=torch.Generator().manual_seed(1))
    c = model.generate(start, 20, generator=torch.Generator().manual_seed(2))
    assert a.shape == (2, 21) and torch.equal(a, b) and not torch.equal(a, c)
    assert model.training  # restored


def test_top_k_1_and_low_temperature_are_greedy():
    model = small()
    start = torch.zeros(1, 1, dtype=torch.long)
    idx = start
    for _ in range(10):
        logits, _ = model.eval()(idx[:, -8:])
        idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    greedy = idx
    g = torch.Generator().manual_seed(0)
    assert torch.equal(model.generate(start, 10, top_k=1, generator=g), greedy)
    assert torch.equal(model.generate(start, 10, temperature=1e-4, generator=g), greedy)
    with pytest.raises(ValueError, match="temperature"):
        model.generate(start, 1, temperature=0)


def test_top_k_samples_only_the_k_likeliest():
    model = small()
    start = torch.zeros(200, 1, dtype=torch.long)
    out = model.generate(start, 1, top_k=3, generator=torch.Generator().manual_seed(0))
    logits, _ = model.eval()(start[:1])
    allowed = set(torch.topk(logits[0, -1], 3).indices.tolist())
    assert set(out[:, 1].tolist()) <= allowed


def test_rotary_scores_depend_on_the_offset_only_and_keep_norms():
    torch.manual_seed(0)
    q, k = torch.randn(16), torch.randn(16)
    # the same query and key placed at every position of a sequence of 12
    rq, rk = rotary(q.expand(12, 16)), rotary(k.expand(12, 16))
    scores = rq @ rk.T  # scores[t, s]: query at t against key at s
    for offset in range(-3, 4):
        diagonal = torch.diagonal(scores, offset)
        assert torch.allclose(diagonal, diagonal[0].expand_as(diagonal), atol=1e-5)
    assert not torch.allclose(scores[0, 0], scores[0, 5])
    assert torch.allclose(rq.norm(dim=-1), q.norm().expand(12))
    assert torch.equal(rq[0], q)  # position 0 is not rotated


def test_rope_model_has_no_position_table_and_both_paths_agree():
    rope = dataclasses.replace(SMALL, rope=True)
    torch.manual_seed(0)
    explicit = GPT(dataclasses.replace(rope, fused=False))
    fused = GPT(rope)
    fused.load_state_dict(explicit.state_dict())
    assert fused.position_embedding_table is None
    assert fused.num_params() == small().num_params() - SMALL.block_size * SMALL.n_embd
    idx = torch.randint(0, 11, (4, 8))
    assert torch.allclose(explicit(idx)[0], fused(idx)[0], atol=1e-5)
    # positions matter: at positions 1 and 3 of "3 5 3 5 ..." the tokens seen are the same in
    # the same proportions, so only the distances to them can tell the two apart
    logits, _ = fused(torch.tensor([[3, 5, 3, 5, 3, 5, 3, 5]]))
    assert not torch.allclose(logits[0, 1], logits[0, 3], atol=1e-4)


@pytest.mark.parametrize("fused", [False, True])
def test_rope_attention_is_causal(fused):
    torch.manual_seed(0)
    model = GPT(dataclasses.replace(SMALL, rope=True, fused=fused)).eval()
    a = torch.randint(0, 11, (1, 8))
    b = a.clone()
    b[0, 4:] = (b[0, 4:] + 1) % 11
    assert torch.allclose(model(a)[0][:, :4], model(b)[0][:, :4], atol=1e-6)


def test_rope_needs_an_even_head_size():
    with pytest.raises(ValueError, match="even"):
        GPTConfig(n_embd=12, n_head=4, rope=True)


def test_targets_of_minus_one_are_not_scored():
    model = small()
    idx = torch.randint(0, 11, (2, 8))
    targets = torch.randint(0, 11, (2, 8))
    masked = targets.clone()
    masked[:, :5] = -1
    logits, loss = model(idx, masked)
    expected = torch.nn.functional.cross_entropy(
        logits[:, 5:].reshape(-1, 11), targets[:, 5:].reshape(-1)
    )
    assert torch.allclose(loss, expected)
