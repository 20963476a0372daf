import pytest

from zero_to_hero.data import DataError, load_names


@pytest.fixture(scope="session")
def names():
    try:
        return load_names()
    except DataError as err:
        pytest.skip(f"names.txt is not available: {err}")
