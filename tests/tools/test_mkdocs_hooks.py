"""The MkDocs hook's configuration step: the site's address comes from the environment."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from tools import mkdocs_hooks

ROOT = Path(__file__).resolve().parents[2]


def _config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_site_url_comes_from_zth_site_url(monkeypatch):
    monkeypatch.setenv("ZTH_SITE_URL", "https://example.org/zero-to-hero")
    assert mkdocs_hooks.on_config(_config()).site_url == "https://example.org/zero-to-hero/"


def test_without_zth_site_url_the_committed_setting_stays(monkeypatch):
    monkeypatch.delenv("ZTH_SITE_URL", raising=False)
    config = _config()
    committed = config.site_url
    assert mkdocs_hooks.on_config(config).site_url == committed
