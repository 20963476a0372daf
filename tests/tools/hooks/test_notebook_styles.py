"""The notebook CSS is served once, as a file every lecture page links, purged of unused rules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tools.hooks import notebook_styles

PADDING = "/* " + "x" * notebook_styles.INLINE_BELOW + " */"
SHARED = f".jp-Cell {{ color: red; }}\n.jp-Toolbar {{ color: blue; }}\n{PADDING}"
SMALL = ".zth-local { color: green; }"


def _page(src_uri: str, url: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), url=url)


def _html(body: str) -> str:
    return f"<html><head><style>{SHARED}</style><style>{SMALL}</style></head>{body}</html>"


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """Each test starts a build of its own."""
    monkeypatch.setattr(notebook_styles, "_styles", {})
    monkeypatch.setattr(notebook_styles, "_notebook_classes", set())


def test_the_shared_block_becomes_one_file_every_lecture_links(tmp_path):
    first, second = (
        notebook_styles.on_post_page(
            _html('<div class="jp-Cell">'), page=_page(f"tutorials/0{n}_x.ipynb", url), config=None
        )
        for n, url in ((1, "tutorials/01_x/"), (2, "tutorials/02_x/"))
    )
    assert len(notebook_styles._styles) == 1
    (name,) = notebook_styles._styles
    link = f'<link rel="stylesheet" href="../../assets/notebook/{name}.css">'
    for page in (first, second):
        assert link in page and SHARED not in page
        assert f"<style>{SMALL}</style>" in page  # small page-specific rules stay inline

    notebook_styles.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    (served,) = (tmp_path / "assets" / "notebook").iterdir()
    assert served.name == f"{name}.css"
    css = served.read_text(encoding="utf-8")
    assert ".jp-Cell" in css and ".jp-Toolbar" not in css  # no page has a toolbar


def test_pages_other_than_notebooks_keep_their_styles():
    html = _html('<div class="jp-Cell">')
    assert notebook_styles.on_post_page(html, page=_page("index.md", ""), config=None) == html
    assert not notebook_styles._styles and not notebook_styles._notebook_classes
