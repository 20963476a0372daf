"""Figures that a notebook shows as pictures, whatever the kernel imported before.

The package draws on bare ``matplotlib.figure.Figure`` objects rather than pyplot's: pyplot keeps
every figure it makes alive and shows it again at the end of the cell, so a function that both
draws and returns a figure would show it twice. But Jupyter turns a bare figure into a picture
only once pyplot's inline backend has registered its PNG formatter; in a kernel that never
imported ``matplotlib.pyplot`` the page shows the text ``<Figure size 700x320 with 1 Axes>``.
:func:`new_figure` registers the same formatter when none is there, so every figure the package
returns renders in any kernel.
"""

from __future__ import annotations

import functools
from typing import Any

from matplotlib.figure import Figure


def new_figure(**kwargs: Any) -> Figure:
    """A ``Figure(**kwargs)`` that Jupyter displays as a PNG when a cell returns it."""
    _show_figures_as_png()
    return Figure(**kwargs)


def _show_figures_as_png() -> None:
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:  # not in IPython: nothing displays figures
        return
    shell = get_ipython()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)  # pyplot's inline backend (or an earlier call) did it
    except KeyError:
        # the settings matplotlib-inline uses for its own PNGs
        png.for_type(Figure, functools.partial(print_figure, fmt="png", bbox_inches="tight"))
