"""The data loader: lookup order, checksums, downloads, and clear errors. No internet needed:
downloads come from a local HTTP server or an injected opener."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import threading
import urllib.error
from pathlib import Path

import pytest

from zero_to_hero import data
from zero_to_hero.data import DataError, DataFile

CONTENT = b"emma\nolivia\nava\n"
SPEC = DataFile(
    "tiny.txt", "http://example.invalid/tiny.txt", hashlib.sha256(CONTENT).hexdigest(), ""
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A registry holding only SPEC, an empty cache, and no ZTH_DATA_DIR."""
    monkeypatch.setattr(data, "FILES", {SPEC.name: SPEC})
    monkeypatch.delenv("ZTH_DATA_DIR", raising=False)
    monkeypatch.setenv("ZTH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def offline(url):
    raise urllib.error.URLError("no network")


def serving(payload: bytes, calls: list[str]):
    def opener(url):
        calls.append(url)
        return io.BytesIO(payload)

    return opener


def test_explicit_path_is_used_as_given(env):
    mine = env / "mine.txt"
    mine.write_text("anything\n")
    assert data.data_path("tiny.txt", mine, opener=offline) == mine


def test_explicit_path_missing(env):
    with pytest.raises(DataError, match="does not exist"):
        data.data_path("tiny.txt", env / "nope.txt")


def test_data_dir_is_checked_and_never_deleted(env, monkeypatch):
    monkeypatch.setenv("ZTH_DATA_DIR", str(env))
    good = env / "tiny.txt"
    good.write_bytes(CONTENT)
    assert data.data_path("tiny.txt", opener=offline) == good
    good.write_bytes(CONTENT[:-3])  # truncated
    with pytest.raises(DataError, match=r"tiny\.txt.*truncated or corrupt"):
        data.data_path("tiny.txt", opener=offline)
    assert good.read_bytes() == CONTENT[:-3], "a file the user placed must not be deleted"


def test_data_dir_without_the_file_falls_back_to_download(env, monkeypatch):
    (env / "empty").mkdir()
    monkeypatch.setenv("ZTH_DATA_DIR", str(env / "empty"))
    calls: list[str] = []
    path = data.data_path("tiny.txt", opener=serving(CONTENT, calls))
    assert path == env / "cache" / "tiny.txt"
    assert calls == [SPEC.url]


def test_download_once_then_cache(env):
    calls: list[str] = []
    first = data.data_path("tiny.txt", opener=serving(CONTENT, calls))
    second = data.data_path("tiny.txt", opener=serving(CONTENT, calls))
    assert first == second and first.read_bytes() == CONTENT
    assert len(calls) == 1


def test_corrupt_cache_is_deleted_with_a_clear_error(env):
    cached = env / "cache" / "tiny.txt"
    cached.parent.mkdir()
    cached.write_bytes(b"garbage")
    with pytest.raises(DataError, match="deleted; run again"):
        data.data_path("tiny.txt", opener=offline)
    assert not cached.exists()


def test_offline_download_says_what_to_do_and_leaves_nothing(env):
    with pytest.raises(DataError, match=r"could not download tiny\.txt.*ZTH_DATA_DIR"):
        data.data_path("tiny.txt", opener=offline)
    assert list((env / "cache").iterdir()) == []


def test_wrong_checksum_download_is_discarded(env):
    with pytest.raises(DataError, match="discarded"):
        data.data_path("tiny.txt", opener=serving(CONTENT + b"extra\n", []))
    assert list((env / "cache").iterdir()) == []


def test_interrupted_download_leaves_no_partial_file(env):
    class Broken(io.BytesIO):
        def read(self, n=-1):
            raise ConnectionResetError("connection reset")

    with pytest.raises(DataError, match="connection reset"):
        data.data_path("tiny.txt", opener=lambda url: Broken())
    assert list((env / "cache").iterdir()) == []


def test_download_from_a_local_http_server(env, monkeypatch):
    served = env / "www"
    served.mkdir()
    (served / "tiny.txt").write_bytes(CONTENT)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tiny.txt"
        monkeypatch.setattr(data, "FILES", {SPEC.name: DataFile("tiny.txt", url, SPEC.sha256, "")})
        path = data.data_path("tiny.txt")
        assert path.read_bytes() == CONTENT
        missing = DataFile("tiny.txt", url.replace("tiny", "gone"), SPEC.sha256, "")
        path.unlink()
        with pytest.raises(DataError, match="404"):
            data.download(missing, env / "cache")
    finally:
        server.shutdown()


def test_unknown_name(env):
    with pytest.raises(DataError, match=r"unknown data file 'nope\.txt'"):
        data.data_path("nope.txt")


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ZTH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data.cache_dir() == tmp_path / "zero-to-hero"


def test_load_words(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("  emma \n\nolivia\n", encoding="utf-8")
    assert data.load_words(words) == ["emma", "olivia"]


def test_empty_word_list(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    with pytest.raises(DataError, match="holds no words"):
        data.load_words(empty)


def test_not_utf8(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"emma\n\xff\xfe\x00olivia\n")
    with pytest.raises(DataError, match="not UTF-8"):
        data.load_words(binary)


needs_shared = pytest.mark.skipif(
    "ZTH_DATA_DIR" not in os.environ, reason="the course data is not available here"
)


@needs_shared
def test_names_txt():
    names = data.load_names()
    assert len(names) == 32_033
    assert names[:3] == ["emma", "olivia", "ava"]
    assert (min(map(len, names)), max(map(len, names))) == (2, 15)


@needs_shared
def test_tiny_shakespeare():
    text = data.load_tiny_shakespeare()
    assert len(text) == 1_115_394
    assert len(set(text)) == 65


@needs_shared
def test_every_registered_file_is_verified():
    for name in data.FILES:
        assert Path(data.data_path(name, opener=offline)).is_file()


def test_a_failed_connection_is_retried(env, monkeypatch):
    monkeypatch.setattr(data, "RETRY_DELAY_S", 0.0)
    calls = []

    def flaky(url):
        calls.append(url)
        if len(calls) < data.DOWNLOAD_ATTEMPTS:
            raise ConnectionRefusedError("refused")
        return io.BytesIO(CONTENT)

    assert data.data_path("tiny.txt", opener=flaky).read_bytes() == CONTENT
    assert len(calls) == data.DOWNLOAD_ATTEMPTS


def test_a_stalled_server_times_out_with_a_clear_error_and_no_partial_file(env, monkeypatch):
    """A server that sends headers and then nothing: the read times out, the retries too."""
    release = threading.Event()

    class Stalling(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"emma\n")
            self.wfile.flush()
            release.wait(10)  # never sends the rest while the client waits

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT_S", 0.3)
    monkeypatch.setattr(data, "RETRY_DELAY_S", 0.0)
    url = f"http://127.0.0.1:{server.server_port}/tiny.txt"
    monkeypatch.setattr(data, "FILES", {SPEC.name: DataFile("tiny.txt", url, SPEC.sha256, "")})
    try:
        with pytest.raises(DataError, match=r"after 3 attempts \(timed out\).*ZTH_DATA_DIR"):
            data.data_path("tiny.txt")
    finally:
        release.set()
        server.shutdown()
    assert list((env / "cache").iterdir()) == []


def test_a_cache_that_is_not_a_directory_is_a_data_error_naming_it(env, monkeypatch):
    blocker = env / "not-a-dir"
    blocker.write_text("a file where the cache should be")
    monkeypatch.setenv("ZTH_CACHE_DIR", str(blocker))
    with pytest.raises(DataError, match=rf"cannot write the data cache {blocker}.*ZTH_CACHE_DIR"):
        data.data_path("tiny.txt", opener=serving(CONTENT, []))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_cache_is_a_data_error(env, monkeypatch):
    locked = env / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("ZTH_CACHE_DIR", str(locked))
    with pytest.raises(DataError, match="cannot write the data cache"):
        data.data_path("tiny.txt", opener=serving(CONTENT, []))


def test_a_mistyped_data_dir_is_an_error_not_a_silent_fallback(env, monkeypatch):
    monkeypatch.setenv("ZTH_DATA_DIR", str(env / "no-such-dir"))
    calls = []
    with pytest.raises(DataError, match=r"ZTH_DATA_DIR is .*not a directory"):
        data.data_path("tiny.txt", opener=serving(CONTENT, calls))
    assert calls == [], "nothing was downloaded"
