"""Figures the package returns render as pictures in any kernel, pyplot imported or not."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from matplotlib.figure import Figure

from zero_to_hero import figures


@pytest.fixture
def shell():
    """A fresh IPython shell with no figure formatter registered (as in a kernel that never
    imported matplotlib.pyplot)."""
    shell = InteractiveShell.instance()
    png = shell.display_formatter.formatters["image/png"]
    png.type_printers.pop(Figure, None)
    yield shell
    png.type_printers.pop(Figure, None)
    InteractiveShell.clear_instance()


def test_a_bare_figure_shows_as_text_without_the_formatter(shell):
    data, _ = shell.display_formatter.format(Figure())
    assert set(data) == {"text/plain"} and data["text/plain"].startswith("<Figure size")


def test_new_figure_shows_as_a_png(shell):
    fig = figures.new_figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1])
    data, _ = shell.display_formatter.format(fig)
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_an_existing_formatter_is_kept(shell):
    png = shell.display_formatter.formatters["image/png"]

    def mine(fig):
        return b"mine"

    png.for_type(Figure, mine)
    figures.new_figure()
    assert png.lookup_by_type(Figure) is mine


def test_outside_ipython_it_is_a_plain_figure():
    InteractiveShell.clear_instance()
    assert isinstance(figures.new_figure(), Figure)
