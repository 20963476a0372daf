"""A lecture page's figures, search and header come from its notebook; the site's address from
the environment."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from nbformat.v4 import new_code_cell, new_output

from tests.tools.images import png_base64
from tools import site_pages
from tools.hooks import pages

ROOT = Path(__file__).resolve().parents[3]
LECTURES = {"01_fake": {"video": "abc", "repo": "karpathy/micrograd"}}


def _with_figure(tutorials: Path, data: str, metadata: dict) -> None:
    path = next(tutorials.glob("*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    output = new_output("display_data", data={"image/png": data})
    notebook.cells.append(new_code_cell("plot()", metadata=metadata, outputs=[output]))
    nbformat.write(notebook, path)


def _rendered(data: str) -> str:
    return (
        '<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div>'
        f'<img alt="{site_pages.PLACEHOLDER_ALT}" class="" src="data:image/png;base64,{data}">'
    )


def test_a_lecture_figure_gets_its_description_and_prompts_leave_search(tutorials, lecture_page):
    data = png_base64(30, 20)
    _with_figure(tutorials, data, {"alt": "A flat grey square", "tags": ["scroll-output"]})
    html = pages.on_page_content(_rendered(data), page=lecture_page, config=None, files=None)
    assert site_pages.PLACEHOLDER_ALT not in html
    assert '<img alt="A flat grey square" class="zth-figure zth-figure--wide"' in html
    assert 'style="--zth-natural-width: 30px"' in html
    assert '<div data-search-exclude="true" class="jp-InputPrompt' in html


def test_a_figure_without_a_description_fails_the_build(tutorials, lecture_page):
    data = png_base64(4, 4)
    _with_figure(tutorials, data, {})
    with pytest.raises(PluginError, match=r"01_fake\.ipynb, cell 4"):
        pages.on_page_content(_rendered(data), page=lecture_page, config=None, files=None)


def test_a_hand_written_page_is_left_as_written(hand_written_page):
    html = '<div class="jp-InputPrompt">In [1]:</div>'
    assert pages.on_page_content(html, page=hand_written_page, config=None, files=None) == html


def test_the_header_gets_the_execution_facts_and_the_lecture_links(tutorials, lecture_page):
    config = SimpleNamespace(extra={"lectures": LECTURES})
    pages.on_page_context({}, page=lecture_page, config=config, nav=None)
    assert lecture_page.meta["execution"]["execution_seconds"] == 12.4
    assert lecture_page.meta["machine"] == "Test CPU (2 cores), Python 3.11.7"
    assert lecture_page.meta["lecture"] == LECTURES["01_fake"]


def test_a_hand_written_page_gets_no_header_facts(hand_written_page):
    config = SimpleNamespace(extra={"lectures": LECTURES})
    pages.on_page_context({}, page=hand_written_page, config=config, nav=None)
    assert hand_written_page.meta == {}


def _config():
    return load_config(str(ROOT / "mkdocs.yml"))


def test_site_url_comes_from_zth_site_url(monkeypatch):
    monkeypatch.setenv("ZTH_SITE_URL", "https://example.org/zero-to-hero")
    assert pages.on_config(_config()).site_url == "https://example.org/zero-to-hero/"


def test_without_zth_site_url_the_committed_setting_stays(monkeypatch):
    monkeypatch.delenv("ZTH_SITE_URL", raising=False)
    config = _config()
    committed = config.site_url
    assert pages.on_config(config).site_url == committed
