"""Pages written by a script (``docs/generated/``) are checked like the notebooks: each carries
the hash of the code that wrote it, and ``tools/notebooks.py check`` fails when that is stale
(``make test`` runs the check on the committed pages; these tests prove that it bites)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tools import notebooks

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "cli_showcase.py"
RESULTS = ROOT / "docs" / "generated" / "cli-results.md"


def test_a_page_written_from_other_code_is_stale_and_a_missing_one_is_reported(tmp_path):
    page = tmp_path / RESULTS.name
    body = RESULTS.read_text(encoding="utf-8").split("\n", 1)[1]
    page.write_text(notebooks.generated_page(body, SCRIPT))
    assert notebooks.generated_page_problems(page, SCRIPT) == []
    content = hashlib.sha256(body.encode()).hexdigest()
    written_by_other_code = notebooks.GENERATED_HEADER.format("0" * 64, content)
    page.write_text(written_by_other_code + "\n" + body)
    found = notebooks.generated_page_problems(page, SCRIPT)
    assert found == [
        f"{page.name} is stale: cli_showcase.py, the package or the kernel's pinned packages "
        "changed since it was written: run `python tools/cli_showcase.py`"
    ]
    page.unlink()
    assert notebooks.generated_page_problems(page, SCRIPT) == [
        f"{page.name} is missing: run `python tools/cli_showcase.py`"
    ]


def test_a_hand_edited_number_on_a_generated_page_fails(tmp_path):
    page = tmp_path / RESULTS.name
    body = RESULTS.read_text(encoding="utf-8").split("\n", 1)[1]
    page.write_text(notebooks.generated_page(body, SCRIPT))
    loss = re.search(r"\| (\d\.\d{4}) \|", body)
    assert loss is not None, "the results table has a val loss"
    edited = body.replace(loss[0], "| 1.0000 |", 1)
    page.write_text(notebooks.generated_page(body, SCRIPT).replace(body, edited))
    assert notebooks.generated_page_problems(page, SCRIPT) == [
        f"{page.name} was edited by hand (its content hash differs): "
        "run `python tools/cli_showcase.py`"
    ]


@pytest.fixture
def sources(tmp_path):
    """Copies of the showcase script, the package and the lock, to edit."""
    script = tmp_path / "cli_showcase.py"
    shutil.copy(SCRIPT, script)
    package = tmp_path / "zero_to_hero"
    shutil.copytree(ROOT / "src" / "zero_to_hero", package)
    lock = tmp_path / "requirements.txt"
    shutil.copy(ROOT / "requirements.txt", lock)
    return script, package, lock


def test_the_page_hash_follows_the_code_that_writes_it_and_nothing_else(sources):
    script, package, lock = sources

    def digest() -> str:
        return notebooks.script_inputs_sha256(script, package, lock)

    before = digest()
    assert before == notebooks.script_inputs_sha256(SCRIPT), "the copies hash like the originals"

    text = script.read_text(encoding="utf-8")
    script.write_text(text + "\n# a comment changes no page\n")
    assert digest() == before
    script.write_text(text + "\nEXTRA = 1\n")
    assert digest() != before, "the script's own code"
    script.write_text(text)

    # the command the script runs: `zero-to-hero` reaches the model registry
    models = package / "cli" / "models.py"
    code = models.read_text(encoding="utf-8")
    models.write_text(code + "\n# a comment\n")
    assert digest() == before, "a package comment"
    models.write_text(code + "\nEXTRA = 1\n")
    assert digest() != before, "the code of a module the command imports"
    models.write_text(code)

    pins = lock.read_text(encoding="utf-8")
    assert "\nruff==" in pins and "\ntorch==" in pins
    lock.write_text(pins.replace("\nruff==", "\nruff==99.0  # was "))
    assert digest() == before, "a linter's pin"
    lock.write_text(pins.replace("\ntorch==", "\ntorch==99.0  # was "))
    assert digest() != before, "the pin of what the command runs"
