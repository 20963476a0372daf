"""Test set-up: point the data loader at the shared data when this checkout has it beside it."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

from zero_to_hero.data import DataError, load_names, read_text

# In CI, property tests explore the same examples on every run: a failure there is reproducible,
# never a coin flip. Locally they keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

if "ZTH_DATA_DIR" not in os.environ and (SHARED_DATA / "names.txt").is_file():
    os.environ["ZTH_DATA_DIR"] = str(SHARED_DATA)


@pytest.fixture(scope="session")
def shakespeare():
    """Tiny Shakespeare (lectures 7 and 8), or a skip where the data cannot be found."""
    try:
        return read_text("tinyshakespeare.txt")
    except DataError as err:
        pytest.skip(f"tinyshakespeare.txt is not available: {err}")


@pytest.fixture(scope="session")
def names():
    """makemore's names.txt (lectures 2-6), or a skip where the data cannot be found."""
    try:
        return load_names()
    except DataError as err:
        pytest.skip(f"names.txt is not available: {err}")
