"""The .ebx bundle: a zip archive holding manifest.json and the files it lists.

Encoded deterministically (sorted entries, fixed timestamps and permissions), so the
same inputs give the same bytes; output.py writes it so a failed build leaves nothing
behind. Read back with every hash checked
before anything runs. docs/bundle-format.md describes every field.
"""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import IO, Any, NamedTuple

from .digest import sha256_hex
from .errors import BundleError
from .manifest_shape import check_manifest
from .zip_reader import ZipFormatError, read_directory, read_entry

FORMAT = "edgebox-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_ENTRIES = 100_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # inflated, and the archive file itself
# The manifest is parsed into Python objects (~10x its size in memory); a bundle of 50,000
# exports has a manifest of ~12 MiB.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def sha256(data: bytes) -> str:
    return sha256_hex(data)


class Manifest(NamedTuple):  # not a dataclass: see errors.SourceSpan
    """manifest.json as a value; `to_json`/`from_json` round-trip it unchanged."""

    engine: dict[str, str]
    entry: str
    modules: dict[str, dict[str, Any]]
    resolve: dict[str, dict[str, str]]
    link: dict[str, Any]
    files: dict[str, str]  # archive path → sha256
    format_version: int = FORMAT_VERSION
    extra: Mapping[str, Any] = MappingProxyType({})

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "engine": self.engine,
            "entry": self.entry,
            "modules": self.modules,
            "resolve": self.resolve,
            "link": self.link,
            "files": self.files,
            **self.extra,
        }

    @staticmethod
    def from_json(obj: Any, source: str) -> Manifest:
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise BundleError(f"{source}: manifest.json is not an EdgeBox manifest")
        version = obj.get("format_version")
        if not isinstance(version, int):
            raise BundleError(f"{source}: manifest.json has no format_version")
        if version > FORMAT_VERSION:
            raise BundleError(
                f"{source} has bundle format version {version}; this edgebox reads up to "
                f"{FORMAT_VERSION}. Upgrade edgebox or rebuild the bundle with this one."
            )
        try:
            check_manifest(obj)
        except BundleError as e:
            raise BundleError(f"{source}: {e}") from None
        known = {"format", "format_version", "engine", "entry", "modules", "resolve", "link", "files"}
        return Manifest(  # every field's presence and type was checked just above
            engine=obj["engine"],
            entry=obj["entry"],
            modules=obj["modules"],
            resolve=obj["resolve"],
            link=obj["link"],
            files=obj["files"],
            format_version=version,
            extra={k: v for k, v in obj.items() if k not in known},
        )


class Bundle(NamedTuple):
    manifest: Manifest
    files: dict[str, bytes]  # archive path → contents, every hash verified

    def file(self, path: str) -> bytes:
        return self.files[path]


SEAL_PREFIX = b"edgebox manifest sha256 "


def manifest_seal(manifest_bytes: bytes) -> bytes:
    """The archive comment that records manifest.json's hash, as the manifest records every
    other entry's: a damaged or edited manifest is then named as such."""
    return SEAL_PREFIX + sha256(manifest_bytes).encode()


def _check_entry_name(name: str, source: str) -> None:
    p = PurePosixPath(name)
    if (
        name.startswith("/")
        or "\\" in name
        or "\0" in name
        or p.is_absolute()
        or ".." in p.parts
        or name == ""
    ):
        raise BundleError(f"{source}: refusing an archive entry with an unsafe path: {name!r}")


def encode(manifest_without_files: Manifest, files: dict[str, bytes]) -> bytes:
    """The archive bytes for `files`, with the manifest's `files` map filled in."""
    import zipfile  # here: edgebox-exec only reads bundles (zip_reader.py)

    listed = {path: sha256(data) for path, data in sorted(files.items())}
    manifest = manifest_without_files._replace(files=listed)
    body = json.dumps(manifest.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.comment = manifest_seal(body.encode())
        for path, data in [(MANIFEST, body.encode()), *sorted(files.items())]:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def decode(data: bytes, source: str) -> Bundle:
    """Read and verify a bundle held in memory; nothing is written to disk."""
    return _read_archive(io.BytesIO(data), len(data), source)


def read_bundle(path: Path) -> Bundle:
    """Read and verify a bundle file, streaming it: its size and its zip directory are
    checked before any entry is read, so a huge file or a device costs nothing."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise BundleError(f"{path} is not a bundle: it is not a regular file")
            os.set_blocking(fd, True)
            if st.st_size > MAX_TOTAL_BYTES:
                raise BundleError(
                    f"{path} is {st.st_size:,} bytes, over the {MAX_TOTAL_BYTES:,}-byte limit for a bundle"
                )
            return _read_archive(f, st.st_size, str(path))
    except IsADirectoryError:
        raise BundleError(f"{path} is not a bundle: it is a directory") from None
    except OSError as e:
        raise BundleError(f"cannot read {path}: {e.strerror or e}") from None


def _read_archive(f: IO[bytes], size: int, source: str) -> Bundle:
    if f.read(4) != b"PK\x03\x04":
        raise BundleError(f"{source} is not an EdgeBox bundle (not a zip archive)")
    try:
        directory = read_directory(f, size)
    except (ZipFormatError, OSError, ValueError, struct.error) as e:
        raise BundleError(f"{source} is damaged or truncated: {e}") from None
    infos = directory.entries
    if len(infos) > MAX_ENTRIES:
        raise BundleError(f"{source} has {len(infos)} entries, more than the limit of {MAX_ENTRIES}")
    by_name = {i.name: i for i in infos}
    names = [i.name for i in infos]
    name_set = set(names)
    if len(name_set) != len(names):
        counts: dict[str, int] = {}
        for n in names:
            counts[n] = counts.get(n, 0) + 1
        dup = sorted(n for n, c in counts.items() if c > 1)
        raise BundleError(f"{source} has duplicate archive entries: {', '.join(dup)}")
    total = 0
    for info in infos:
        _check_entry_name(info.name, source)
        if info.size > MAX_ENTRY_BYTES:
            raise BundleError(
                f"{source}: entry {info.name} declares {info.size} bytes, over the "
                f"{MAX_ENTRY_BYTES}-byte limit per entry"
            )
        total += info.size
    if total > MAX_TOTAL_BYTES:
        raise BundleError(f"{source} declares {total} bytes in all, over the {MAX_TOTAL_BYTES}-byte limit")
    if MANIFEST not in name_set:
        raise BundleError(f"{source} has no manifest.json")

    def read(name: str, limit: int = MAX_ENTRY_BYTES) -> bytes:
        try:
            out = read_entry(f, by_name[name], limit)
        except (ZipFormatError, zlib.error, OSError, ValueError, struct.error) as e:
            raise BundleError(f"{source}: entry {name} is damaged or truncated: {e}") from None
        if len(out) > limit:
            raise BundleError(f"{source}: entry {name} inflates past its limit of {limit:,} bytes")
        return out

    manifest_bytes = read(MANIFEST, MAX_MANIFEST_BYTES)
    comment = directory.comment
    if not comment.startswith(SEAL_PREFIX):
        raise BundleError(f"{source} has no manifest hash (made by an older edgebox?); rebuild it")
    if comment != manifest_seal(manifest_bytes):
        expected = comment[len(SEAL_PREFIX) :].decode(errors="replace")
        raise BundleError(
            f"{source}: manifest.json does not match its recorded hash (expected {expected[:16]}…, "
            f"found {sha256(manifest_bytes)[:16]}…); the bundle was altered"
        )
    try:
        manifest_obj = json.loads(manifest_bytes)
    except (ValueError, UnicodeDecodeError) as e:
        raise BundleError(f"{source}: manifest.json is not valid JSON: {e}") from None
    except RecursionError:
        raise BundleError(f"{source}: manifest.json nests too deeply to be a manifest") from None
    manifest = Manifest.from_json(manifest_obj, source)
    files: dict[str, bytes] = {}
    inflated = 0
    for name in names:
        if name == MANIFEST:
            continue
        if name not in manifest.files:
            raise BundleError(f"{source}: archive entry {name} is not listed in the manifest")
    for name, expected in sorted(manifest.files.items()):
        if name not in name_set:
            raise BundleError(f"{source}: the manifest lists {name} but the archive lacks it")
        content = read(name)
        inflated += len(content)
        if inflated > MAX_TOTAL_BYTES:
            raise BundleError(f"{source} inflates past the {MAX_TOTAL_BYTES}-byte limit in all")
        if sha256(content) != expected:
            raise BundleError(
                f"{source}: {name} does not match its hash in the manifest "
                f"(expected {expected[:16]}…, found {sha256(content)[:16]}…); the bundle was altered"
            )
        files[name] = content
    return Bundle(manifest, files)
