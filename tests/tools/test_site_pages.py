"""The notebook-page rewrites of the site build: figures described from the notebook, search
noise excluded, math detected, and the notebook stylesheet trimmed to what the pages use."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.tools.images import png_base64
from tools import notebook_css, site_pages

ROOT = Path(__file__).resolve().parents[2]


def _notebook(*cells: dict) -> dict:
    return {"cells": list(cells)}


def _figure_cell(pngs: list[str], **metadata) -> dict:
    outputs = [{"output_type": "display_data", "data": {"image/png": p}} for p in pngs]
    return {"cell_type": "code", "metadata": metadata, "outputs": outputs, "source": ""}


def _placeholder_img(data: str) -> str:
    return (
        f'<img alt="{site_pages.PLACEHOLDER_ALT}" class="" src="data:image/png;base64,{data}\n"/>'
    )


def test_each_figure_gets_its_cells_description_and_natural_width():
    wide, small = png_base64(1716, 10), png_base64(400, 10)
    notebook = _notebook(
        _figure_cell([wide], alt="A graph: a feeds b.", tags=["scroll-output"]),
        _figure_cell([small], alt=["A heat map & its <scale>."], dark="keep-colours"),
    )
    page = site_pages.describe_figures(
        _placeholder_img(wide) + _placeholder_img(small),
        site_pages.figures(notebook, "nb.ipynb"),
        "nb.ipynb",
    )
    assert site_pages.PLACEHOLDER_ALT not in page
    assert 'alt="A graph: a feeds b." class="zth-figure zth-figure--wide"' in page
    assert 'style="--zth-natural-width: 1716px"' in page
    assert (
        'alt="A heat map &amp; its &lt;scale&gt;." class="zth-figure zth-figure--keep-colours"'
        in page
    )
    assert 'style="--zth-natural-width: 400px"' in page


@pytest.mark.parametrize("metadata", [{}, {"alt": ""}, {"alt": ["one", "two"]}])
def test_a_figure_without_exactly_one_description_fails_with_the_cell(metadata):
    notebook = _notebook(_figure_cell([png_base64(10, 10)], **metadata))
    with pytest.raises(ValueError, match=r"nb.ipynb, cell 0: 1 figure\(s\)"):
        site_pages.figures(notebook, "nb.ipynb")


def test_every_published_figure_has_a_description():
    for path in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for figure in site_pages.figures(notebook, path.name).values():
            assert len(figure.alt) > 40, f"{path.name}: {figure.alt!r} is too short to describe"


def test_prompts_copy_buttons_and_outputs_are_kept_out_of_search():
    page = (
        '<div class="jp-InputPrompt jp-InputArea-prompt">In [2]:</div>'
        '<div class="zeroclipboard-container"><span>Copied!</span></div>'
        '<div class="jp-OutputArea jp-Cell-outputArea">3</div>'
        '<div class="jp-RenderedMarkdown">prose</div>'
    )
    marked = site_pages.exclude_from_search(page)
    assert marked.count('data-search-exclude="true"') == 3
    assert '<div class="jp-RenderedMarkdown">prose</div>' in marked


def test_math_is_found_in_markdown_cells_only():
    def markdown(text: str) -> dict:
        return {"cell_type": "markdown", "source": text}

    code = {"cell_type": "code", "source": "price = '$5 and $6'"}
    assert site_pages.notebook_has_math(_notebook(markdown("the loss $L$ falls")))
    assert site_pages.notebook_has_math(_notebook(markdown("$$\\sum_i x_i$$")))
    assert not site_pages.notebook_has_math(_notebook(markdown("no formulas here"), code))


def test_the_notebook_stylesheet_keeps_only_rules_the_pages_can_match():
    css = (
        "/* c */:root{--used:1px;--unused:2px;--chain:var(--gone)}"
        ".jupyter-wrapper .jp-Cell{margin:var(--used)}"
        ".jupyter-wrapper .bp3-dialog{color:red}"
        ".jp-Cell:not(.jp-mod-active){opacity:.5}"
        "@media (max-width:10px){.bp3-menu{x:y}.jp-Cell{a:b}}"
        "@media print{.bp3-menu{x:y}}"
        "@font-face{font-family:X;src:url('data:font/woff;base64,AA==')}"
    )
    used = notebook_css.classes_in('<div class="jupyter-wrapper"><p class="jp-Cell x">')
    purged = notebook_css.drop_unused_variables(notebook_css.purge(css, used))
    assert "bp3" not in purged and "print" not in purged
    assert ".jupyter-wrapper .jp-Cell{margin:var(--used)}" in purged
    assert ".jp-Cell:not(.jp-mod-active){opacity:.5}" in purged
    assert "@media (max-width:10px){.jp-Cell{a:b}}" in purged
    assert "@font-face" in purged
    assert "--used:1px" in purged and "--unused" not in purged and "--chain" not in purged


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_each_code_cell_is_written_once_and_its_copy_button_reads_the_highlighted_code():
    code = (
        '<span></span><span class="n">x</span><span class="w"> </span><span class="o">=</span> '
        '<span class="nb">len</span><span class="p">(</span><span class="s2">&quot;a&lt;b&quot;'
        '</span><span class="p">)</span>  <span class="c1"># (B, T)</span>\n'
    )
    cell = (
        '<clipboard-copy for="cell-3"></clipboard-copy>'
        f'<div tabindex="0" class="highlight-ipynb hl-python"><pre>{code}</pre></div>\n'
        '<div class="clipboard-copy-txt" id="cell-3">x = len(&quot;a&lt;b&quot;)  # (B, T)</div>'
    )
    page = site_pages.lighter_code(cell + cell.replace("cell-3", "cell-4"))
    assert "clipboard-copy-txt" not in page
    for cell_id in ("cell-3", "cell-4"):  # each button's target is its own cell's code
        pre = re.search(f'<pre id="{cell_id}">(.*?)</pre>', page, re.DOTALL)
        assert _text(pre.group(1)) == 'x = len("a<b")  # (B, T)\n' == _text(code)
        # the coloured tokens keep their spans; names and spaces are plain text
        assert '<span class="o">=</span>' in pre.group(1)
        assert '<span class="c1"># (B, T)</span>' in pre.group(1)
        assert 'class="n"' not in pre.group(1) and 'class="w"' not in pre.group(1)
        assert "<span></span>" not in pre.group(1)


def test_the_built_lecture_pages_keep_no_hidden_copy_of_their_code():
    site = ROOT / "site" / "tutorials"
    if not site.is_dir():
        pytest.skip("no built site: run mkdocs build first")
    for page in sorted(site.glob("[0-9][0-9]_*/index.html")):
        text = page.read_text(encoding="utf-8")
        buttons = re.findall(r'<clipboard-copy[^>]* for="(cell-\d+)"', text)
        assert buttons, page
        assert "clipboard-copy-txt" not in text, page
        for cell_id in buttons:
            assert f'<pre id="{cell_id}">' in text, f"{page}: the copy button of {cell_id}"
