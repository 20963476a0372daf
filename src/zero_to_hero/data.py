"""Find, verify and (if need be) download the course's data files.

Lookup order for a file such as ``names.txt``:

1. an explicit ``path`` argument (used as given: it may be your own word list);
2. the directory named by the ``ZTH_DATA_DIR`` environment variable;
3. the per-user cache directory (``$ZTH_CACHE_DIR``, else ``$XDG_CACHE_HOME/zero-to-hero``,
   else ``~/.cache/zero-to-hero``);
4. otherwise a download from the file's canonical URL into the cache.

Files from 2-4 are checked against their published sha256, so a truncated or corrupt copy is
reported instead of silently training on it. Downloads go to a temporary file that is renamed
into place only after the checksum matches: an interrupted download leaves nothing behind. A
connection that stalls times out (``DOWNLOAD_TIMEOUT_S`` for each read) and is retried a few
times before the error says what to do. A ``ZTH_DATA_DIR`` that is not a directory, or a cache
that cannot be written, is an error that names the path, never a silent fallback.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

Opener = Callable[[str], BinaryIO]


class DataError(RuntimeError):
    """A data file is missing, corrupt or unreadable; the message says what to do."""


@dataclass(frozen=True)
class DataFile:
    """A published data file: where it comes from and how to recognise a good copy."""

    name: str
    url: str
    sha256: str
    description: str


FILES: dict[str, DataFile] = {
    f.name: f
    for f in [
        DataFile(
            "names.txt",
            "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt",
            "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d",
            "32,033 first names, one per line (makemore)",
        ),
        DataFile(
            "tinyshakespeare.txt",
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            "Tiny Shakespeare, 1,115,394 characters (char-rnn)",
        ),
        DataFile(
            "cl100k_base.tiktoken",
            "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            "GPT-4 tokenizer mergeable ranks (tiktoken format)",
        ),
        DataFile(
            "gpt2_vocab.bpe",
            "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/vocab.bpe",
            "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
            "GPT-2 BPE merges",
        ),
        DataFile(
            "gpt2_encoder.json",
            "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/encoder.json",
            "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
            "GPT-2 token-to-id map",
        ),
    ]
}

_CHUNK = 1 << 20
DOWNLOAD_TIMEOUT_S = 30.0
DOWNLOAD_ATTEMPTS = 3
RETRY_DELAY_S = 2.0


def _urlopen(url: str) -> BinaryIO:
    """Open ``url`` with a timeout on the connection and on every read: a stalled server raises
    ``TimeoutError`` (an ``OSError``) instead of hanging forever."""
    return urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S)


def cache_dir() -> Path:
    """The per-user directory where downloaded files are kept."""
    if explicit := os.environ.get("ZTH_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zero-to-hero"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check(path: Path, spec: DataFile, remedy: str) -> Path:
    try:
        actual = sha256_of(path)
    except OSError as err:
        raise DataError(f"cannot read {path} ({err.strerror or err}). {remedy}") from err
    if actual != spec.sha256:
        raise DataError(
            f"{path} does not match the published {spec.name} (sha256 {actual}, expected "
            f"{spec.sha256}); it may be truncated or corrupt. {remedy}"
        )
    return path


def _cache_error(directory: Path, err: OSError) -> DataError:
    return DataError(
        f"cannot write the data cache {directory} ({err.strerror or err}): set ZTH_CACHE_DIR to "
        f"a writable directory, or ZTH_DATA_DIR to a directory that holds the data files."
    )


def _fetch(spec: DataFile, out: BinaryIO, opener: Opener) -> str:
    """Write the file at ``spec.url`` to ``out``; its sha256. Transient network errors (refused,
    reset, timed out) are retried; the last one is raised."""
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        out.seek(0)
        out.truncate()
        digest = hashlib.sha256()
        try:
            with opener(spec.url) as response:
                while chunk := response.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            return digest.hexdigest()
        except OSError:  # URLError, HTTPError, timeouts and socket errors are all OSErrors
            if attempt == DOWNLOAD_ATTEMPTS:
                raise
            time.sleep(RETRY_DELAY_S * attempt)
    raise AssertionError("unreachable")


def download(spec: DataFile, directory: Path, opener: Opener = _urlopen) -> Path:
    """Download ``spec`` into ``directory`` atomically, keeping it only if its sha256 matches."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".part", dir=directory)
    except OSError as err:
        raise _cache_error(directory, err) from err
    target = directory / spec.name
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                actual = _fetch(spec, out, opener)
            except OSError as err:
                raise DataError(
                    f"could not download {spec.name} from {spec.url} after {DOWNLOAD_ATTEMPTS} "
                    f"attempts ({err}). If this machine is offline, copy the file into a directory "
                    f"and set ZTH_DATA_DIR to it, or pass its path explicitly."
                ) from err
        if actual != spec.sha256:
            raise DataError(
                f"the download of {spec.name} from {spec.url} has sha256 {actual}, "
                f"expected {spec.sha256}; it was discarded. Try again later, or fetch the file by "
                f"hand and set ZTH_DATA_DIR."
            )
        try:
            os.replace(tmp, target)
        except OSError as err:
            raise _cache_error(directory, err) from err
    finally:
        tmp.unlink(missing_ok=True)
    return target


def data_path(
    name: str, path: str | os.PathLike[str] | None = None, opener: Opener = _urlopen
) -> Path:
    """The local path of data file ``name``, following the lookup order in the module docstring."""
    if path is not None:
        return _existing(path)
    if name not in FILES:
        raise DataError(f"unknown data file {name!r}; known files: {', '.join(sorted(FILES))}.")
    spec = FILES[name]
    if data_dir := os.environ.get("ZTH_DATA_DIR"):
        if not Path(data_dir).is_dir():
            raise DataError(
                f"ZTH_DATA_DIR is {data_dir!r}, which is not a directory: point it at the "
                f"directory that holds the data files, or unset it to use the cache."
            )
        candidate = Path(data_dir) / name
        if candidate.is_file():
            return _check(candidate, spec, f"Replace it with a fresh copy from {spec.url}.")
    cached = cache_dir() / name
    if cached.is_file():
        try:
            return _check(cached, spec, "It has been deleted; run again to download it afresh.")
        except DataError as bad:
            try:
                cached.unlink()
            except OSError as err:
                raise DataError(
                    f"{bad} It could not be deleted ({err.strerror}): delete it by hand, or set "
                    f"ZTH_CACHE_DIR to a writable directory."
                ) from err
            raise
    return download(spec, cache_dir(), opener)


def _existing(path: str | os.PathLike[str]) -> Path:
    resolved = Path(path)
    if not resolved.is_file():
        raise DataError(f"{resolved} does not exist or is not a file.")
    return resolved


def _utf8(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{path} is not UTF-8 text ({err.reason} at byte {err.start}).") from err


def read_text(name: str, path: str | os.PathLike[str] | None = None) -> str:
    """The contents of a data file as text, with a clear error if it is not UTF-8."""
    return _utf8(data_path(name, path))


def load_words(path: str | os.PathLike[str]) -> list[str]:
    """One word per line from a UTF-8 file, surrounding whitespace and blank lines dropped."""
    resolved = _existing(path)
    words = [line.strip() for line in _utf8(resolved).splitlines() if line.strip()]
    if not words:
        raise DataError(f"{resolved} holds no words: expected one word per line.")
    return words


def load_names(path: str | os.PathLike[str] | None = None) -> list[str]:
    """The 32,033 names of makemore's ``names.txt`` (or your own list at ``path``)."""
    return load_words(data_path("names.txt", path))


def load_tiny_shakespeare(path: str | os.PathLike[str] | None = None) -> str:
    """Tiny Shakespeare as one string of 1,115,394 characters."""
    return read_text("tinyshakespeare.txt", path)
