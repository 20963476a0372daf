"""The training loop, the loss estimate, the learning-rate schedule and the named configs."""

from __future__ import annotations

import pytest
import torch

from zero_to_hero.gpt import CPU, GPT, GPTConfig, TrainConfig, estimate_loss, train


def test_schedule_warms_up_then_decays_along_a_cosine_to_a_tenth():
    config = TrainConfig(learning_rate=1e-3, max_iters=1100, warmup_iters=100, cosine=True)
    assert config.lr_at(0) == pytest.approx(1e-5)
    assert config.lr_at(99) == pytest.approx(1e-3)
    assert config.lr_at(100) == pytest.approx(1e-3)
    assert config.lr_at(600) == pytest.approx(0.55e-3)
    assert config.lr_at(1100) == pytest.approx(1e-4)
    assert TrainConfig(learning_rate=3e-4).lr_at(4000) == 3e-4  # the lecture's: constant


def test_cpu_config_is_the_pages():
    model_config, train_config = CPU
    assert GPT(model_config).num_params() == 816_705
    assert train_config.max_iters == 3000 and model_config.dropout == 0.0


def test_training_learns_a_repeating_sequence_and_reports_estimates():
    torch.manual_seed(0)
    data = torch.tensor([0, 1, 2, 3, 4, 5, 6] * 60)
    model = GPT(GPTConfig(vocab_size=7, block_size=8, n_embd=16, n_head=2, n_layer=1, dropout=0))
    config = TrainConfig(batch_size=8, learning_rate=1e-2, max_iters=60, eval_interval=20,
                         eval_iters=4)  # fmt: skip
    lines = []
    history = train(model, data, data, config, torch.Generator().manual_seed(0), log=lines.append)
    assert [h["step"] for h in history] == [0, 20, 40, 60]
    assert len(lines) == 4 and lines[0].startswith("step     0: train loss")
    assert history[0]["val"] > 1.5 and history[-1]["val"] < 0.2
    assert model.training


def test_estimate_loss_is_in_eval_mode_and_restores_the_mode():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=5, block_size=4, n_embd=8, n_head=2, n_layer=1, dropout=0.5))
    data = torch.randint(0, 5, (100,))
    a = estimate_loss(model, {"x": data}, 4, 3, torch.Generator().manual_seed(1))
    b = estimate_loss(model, {"x": data}, 4, 3, torch.Generator().manual_seed(1))
    assert a == b  # no dropout noise
    assert model.training


def test_estimate_loss_takes_a_block_size_for_models_without_a_config():
    class Uniform(torch.nn.Module):  # predicts nothing: loss ln(5) on every batch
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(5))

        def forward(self, idx, targets):
            logits = self.w.expand(*idx.shape, 5)
            return logits, torch.nn.functional.cross_entropy(
                logits.flatten(0, 1), targets.flatten()
            )

    losses = estimate_loss(Uniform(), {"x": torch.randint(0, 5, (50,))}, 4, 2, block_size=8)
    assert losses["x"] == pytest.approx(torch.log(torch.tensor(5.0)).item())


def test_estimate_loss_needs_block_size_for_a_model_without_a_config():
    model = torch.nn.Linear(1, 1)
    with pytest.raises(TypeError, match="pass block_size"):
        estimate_loss(model, {"val": torch.zeros(100, dtype=torch.long)}, 4, 1)
