"""Reading a bundle's zip archive: its central directory, then one entry at a time.

edgebox-exec reads every bundle it runs, and `zipfile` costs a start ~3 ms of imports
(shutil, bz2, lzma, threading, importlib.util: docs/performance.md, start-up) for what a
bundle needs of the format: entries stored or deflated, a comment, at most zip64's
directory record. Anything else (encryption, a split archive, an entry past 4 GiB) is
refused as a damaged bundle; `zipfile` still writes bundles (ebx.encode).

APPNOTE.TXT, the format's specification, names the records read here.
"""

from __future__ import annotations

import struct
import zlib
from typing import IO, NamedTuple

END_OF_DIRECTORY = struct.Struct("<4s4H2LH")  # signature, disks, entries, size, offset, comment length
ZIP64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, the zip64 record's offset, disks
ZIP64_END_OF_DIRECTORY = struct.Struct("<4sQ2H2L4Q")
DIRECTORY_ENTRY = struct.Struct("<4s4B4HL2L5H2L")
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
MAX_COMMENT = 0xFFFF
STORED, DEFLATED = 0, 8
FLAG_ENCRYPTED, FLAG_UTF8 = 0x1, 0x800


class ZipFormatError(Exception):
    """The archive is not one this reader takes: the message says what is wrong."""


class ZipEntry(NamedTuple):
    name: str
    raw_name: bytes
    method: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int


class ZipDirectory(NamedTuple):
    entries: list[ZipEntry]
    comment: bytes


def read_directory(f: IO[bytes], file_size: int) -> ZipDirectory:
    """The archive's entries, in its directory's order, and its comment."""
    tail_size = min(file_size, END_OF_DIRECTORY.size + MAX_COMMENT)
    f.seek(file_size - tail_size)
    tail = f.read(tail_size)
    end = _end_of_directory(tail)
    if end is None:
        raise ZipFormatError("no end-of-directory record: the file is cut short or not a zip archive")
    end_at = file_size - tail_size + end
    _, disk, directory_disk, _, count, directory_size, directory_offset, comment_size = (
        END_OF_DIRECTORY.unpack_from(tail, end)
    )
    comment = tail[end + END_OF_DIRECTORY.size : end + END_OF_DIRECTORY.size + comment_size]
    if disk or directory_disk:
        raise ZipFormatError("a zip archive split across disks")
    directory_end = end_at
    if count == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        count, directory_size, directory_offset, directory_end = _zip64_directory(f, end_at)
    if directory_offset + directory_size != directory_end:
        raise ZipFormatError("the directory is not where the end record says")
    f.seek(directory_offset)
    directory = f.read(directory_size)
    if len(directory) != directory_size:
        raise ZipFormatError("the directory is cut short")
    entries = []
    at = 0
    for _ in range(count):
        if at + DIRECTORY_ENTRY.size > len(directory):
            raise ZipFormatError("the directory holds fewer entries than the end record says")
        fields = DIRECTORY_ENTRY.unpack_from(directory, at)
        signature, flags, method, crc, compressed_size, size = fields[0], *fields[5:7], *fields[9:12]
        name_size, extra_size, comment_size, header_offset = fields[12], fields[13], fields[14], fields[18]
        if signature != b"PK\x01\x02":
            raise ZipFormatError("a directory entry has a bad signature")
        raw_name = directory[at + DIRECTORY_ENTRY.size : at + DIRECTORY_ENTRY.size + name_size]
        at += DIRECTORY_ENTRY.size + name_size + extra_size + comment_size
        if at > len(directory):
            raise ZipFormatError("a directory entry runs past the directory")
        if flags & FLAG_ENCRYPTED:
            raise ZipFormatError("an encrypted entry")
        if 0xFFFFFFFF in (compressed_size, size, header_offset):
            raise ZipFormatError("an entry past 4 GiB")
        # cp437 (the format's default) agrees with ASCII below 128, and its codec is an import
        codec = "utf-8" if flags & FLAG_UTF8 else "ascii" if raw_name.isascii() else "cp437"
        name = raw_name.decode(codec)
        entries.append(ZipEntry(name, raw_name, method, crc, compressed_size, size, header_offset))
    return ZipDirectory(entries, comment)


def read_entry(f: IO[bytes], entry: ZipEntry, limit: int, check_crc: bool = True) -> bytes:
    """The entry's contents, checked against its size and (with `check_crc`) its CRC-32; at
    most `limit` + 1 bytes (the caller refuses more)."""
    f.seek(entry.header_offset)
    header = f.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ZipFormatError("its local header is missing")
    name_size, extra_size = LOCAL_HEADER.unpack(header)[-2:]
    if f.read(name_size) != entry.raw_name:
        raise ZipFormatError("its local header names another file")
    f.seek(extra_size, 1)
    # bounded before reading: deflate adds at most 5 bytes per 64 KiB block to what it stores
    if entry.method == STORED and entry.compressed_size != entry.size:
        raise ZipFormatError("it is stored, yet its two sizes differ")
    if entry.compressed_size > limit + limit // 8192 + 64:
        raise ZipFormatError(f"its {entry.compressed_size:,} compressed bytes are more than its limit allows")
    data = f.read(entry.compressed_size)
    if len(data) != entry.compressed_size:
        raise ZipFormatError("its data is cut short")
    if entry.method == STORED:
        out = data
    elif entry.method == DEFLATED:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        out = inflate.decompress(data, limit + 1)
        if len(out) > limit:
            return out
        if not inflate.eof:
            raise ZipFormatError("its compressed data ends early")
    else:
        raise ZipFormatError(f"compression method {entry.method} (a bundle's entries are stored or deflated)")
    if len(out) != entry.size or (check_crc and zlib.crc32(out) != entry.crc):
        raise ZipFormatError("its size or CRC-32 does not match the directory")
    return out


def _end_of_directory(tail: bytes) -> int | None:
    """Where the end-of-directory record starts in `tail`: the last signature whose comment
    length reaches exactly the end of the file."""
    at = len(tail)
    while (at := tail.rfind(b"PK\x05\x06", 0, at)) >= 0:
        if at + END_OF_DIRECTORY.size <= len(tail):
            comment_size = END_OF_DIRECTORY.unpack_from(tail, at)[-1]
            if at + END_OF_DIRECTORY.size + comment_size == len(tail):
                return at
    return None


def _zip64_directory(f: IO[bytes], end_at: int) -> tuple[int, int, int, int]:
    """Entry count, directory size and offset from the zip64 records (more than 65,535
    entries), and where the directory must end: at the zip64 record."""
    if end_at < ZIP64_LOCATOR.size:
        raise ZipFormatError("no zip64 locator before the end record")
    f.seek(end_at - ZIP64_LOCATOR.size)
    signature, _, record_at, _ = ZIP64_LOCATOR.unpack(f.read(ZIP64_LOCATOR.size))
    if signature != b"PK\x06\x07" or record_at > end_at - ZIP64_LOCATOR.size:
        raise ZipFormatError("no zip64 locator before the end record")
    f.seek(record_at)
    record = f.read(ZIP64_END_OF_DIRECTORY.size)
    if len(record) != ZIP64_END_OF_DIRECTORY.size:
        raise ZipFormatError("the zip64 end record is cut short")
    signature, _, _, _, disk, directory_disk, _, count, directory_size, directory_offset = (
        ZIP64_END_OF_DIRECTORY.unpack(record)
    )
    if signature != b"PK\x06\x06" or disk or directory_disk:
        raise ZipFormatError("a bad zip64 end record")
    return count, directory_size, directory_offset, record_at
