"""Publishing the tutorials: their files, the copies for another address, "Run it yourself"."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import Files

from tools import downloads
from tools.hooks import lectures, tutorials

EXAMPLE = "https://github.com/example-org/zero-to-hero"
RUN = {"wheel": "zero_to_hero-0.1.0-py3-none-any.whl", "command": "pip install zero_to_hero"}


def _config(tmp_path: Path, repo_url: str) -> SimpleNamespace:
    return SimpleNamespace(
        extra={"run": {**RUN, "repo_url": repo_url}},
        site_dir=str(tmp_path / "site"),
        use_directory_urls=True,
    )


def tutorials_on_files(tmp_path: Path, repo_url: str) -> Files:
    return tutorials.on_files(Files([]), _config(tmp_path, repo_url))


def _is_setup(cell: dict) -> bool:
    return downloads.SETUP_TAG in cell["metadata"].get("tags", [])


def _setup_source(notebook: dict) -> str:
    return lectures.text(next(c for c in notebook["cells"] if _is_setup(c))["source"])


@pytest.fixture
def retargeted(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "build" / "retargeted" / "tutorials"
    monkeypatch.setattr(tutorials, "RETARGETED", folder)
    return folder


def test_another_address_publishes_copies_that_install_from_it(tutorials, retargeted, tmp_path):
    committed = {p.name: p.read_bytes() for p in tutorials.iterdir()}
    files = tutorials_on_files(tmp_path, EXAMPLE)
    assert sorted(f.src_uri for f in files) == ["tutorials/01_fake.ipynb", "tutorials/01_fake.py"]
    assert {Path(f.abs_src_path).parent for f in files} == {retargeted}
    copy = json.loads((retargeted / "01_fake.ipynb").read_text(encoding="utf-8"))
    assert f"REPO_URL = {json.dumps(EXAMPLE)}" in _setup_source(copy)
    script = (retargeted / "01_fake.py").read_text(encoding="utf-8")
    assert f"REPO_URL = {json.dumps(EXAMPLE)}" in script
    # the committed files, and the notebook the other hooks share, are untouched
    assert {p.name: p.read_bytes() for p in tutorials.iterdir()} == committed
    shared = lectures.notebook(tutorials / "01_fake.ipynb")
    assert 'REPO_URL = ""' in _setup_source(shared)
    # everything but the setup cell is copied as it is
    others = [c for c in copy["cells"] if not _is_setup(c)]
    assert others == [c for c in shared["cells"] if not _is_setup(c)] and len(others) == 3


def test_the_committed_address_publishes_the_committed_files(tutorials, retargeted, tmp_path):
    assert downloads.committed_repository_url() == ""
    files = tutorials_on_files(tmp_path, "")
    assert {Path(f.abs_src_path).parent for f in files} == {tutorials}
    assert not retargeted.exists()


def test_run_it_yourself_links_the_wheel_and_gives_the_command(tmp_path, hand_written_page):
    markdown = f"# Home\n\n{tutorials.RUN_IT_YOURSELF}\n"
    page = tutorials.on_page_markdown(
        markdown, page=hand_written_page, config=_config(tmp_path, ""), files=None
    )
    assert tutorials.RUN_IT_YOURSELF not in page
    assert f'<a href="downloads/{RUN["wheel"]}"><code>{RUN["wheel"]}</code></a>' in page
    assert '<a href="downloads/requirements.txt">' in page
    assert "```text\npip install zero_to_hero\n```" in page
    assert "Colab" not in page and "clone the repository and run `make site`" in page


def test_run_it_yourself_with_an_address_offers_colab_and_links_the_repository(tmp_path):
    text = tutorials.run_it_yourself_markdown(_config(tmp_path, EXAMPLE))
    assert "or open it in Colab with the button on its page" in text
    assert f"clone [the repository]({EXAMPLE}) and run `make site`" in text


def test_a_page_without_the_marker_is_left_alone(tmp_path, hand_written_page):
    markdown = "# Results\n"
    config = _config(tmp_path, EXAMPLE)
    assert tutorials.on_page_markdown(markdown, hand_written_page, config, None) == markdown


def test_a_lecture_page_gets_its_downloads_folder_and_colab(tmp_path, lecture_page):
    tutorials.on_page_context({}, page=lecture_page, config=_config(tmp_path, EXAMPLE), nav=None)
    assert lecture_page.meta["downloads"] == "../../downloads"
    assert lecture_page.meta["colab"] == downloads.colab_url(EXAMPLE, "01_fake.ipynb")
    lecture_page.meta.clear()
    tutorials.on_page_context({}, page=lecture_page, config=_config(tmp_path, ""), nav=None)
    assert lecture_page.meta["colab"] is None


def test_the_configuration_carries_the_address_and_the_install_command(monkeypatch):
    monkeypatch.setenv("ZTH_REPO_URL", EXAMPLE + "/")
    config = SimpleNamespace(extra={}, repo_url=None)
    tutorials.on_config(config)
    assert config.repo_url == EXAMPLE
    assert config.extra["run"] == {
        "repo_url": EXAMPLE,
        "wheel": downloads.wheel_name(),
        "command": downloads.install_command(),
    }
