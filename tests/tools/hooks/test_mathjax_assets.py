"""The site's own MathJax: copied into the site, loaded only where a page has formulas."""

from __future__ import annotations

from types import SimpleNamespace

import nbformat

from tools.hooks import mathjax_assets


def test_the_parts_the_loader_needs_are_copied_into_the_site(tmp_path):
    mathjax_assets.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    served = tmp_path / "assets" / "mathjax"
    for part in mathjax_assets.MATHJAX_PARTS:
        assert (served / part).exists(), part
    assert (served / "input" / "tex" / "extensions").is_dir()  # loaded on demand
    assert not (served / "ui").exists()  # the menu is not served


def test_a_lecture_has_math_when_its_markdown_has_tex(tutorials, lecture_page):
    mathjax_assets.on_page_content("", page=lecture_page, config=None, files=None)
    assert lecture_page.meta["math"] is True

    path = next(tutorials.glob("*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = "# 1. A fake lecture\n\nNo formulas."
    nbformat.write(notebook, path)
    mathjax_assets.on_page_content("", page=lecture_page, config=None, files=None)
    assert lecture_page.meta["math"] is False


def test_a_hand_written_page_has_math_when_arithmatex_wrote_some(hand_written_page):
    html = '<p><span class="arithmatex">\\(x\\)</span></p>'
    mathjax_assets.on_page_content(html, page=hand_written_page, config=None, files=None)
    assert hand_written_page.meta["math"] is True
    mathjax_assets.on_page_content("<p>x</p>", page=hand_written_page, config=None, files=None)
    assert hand_written_page.meta["math"] is False
