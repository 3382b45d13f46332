"""Source maps (ECMA-426): read a module's map at bundle time, keep a compact table for the run.

A JS module that ends with a `//# sourceMappingURL=` comment (an inline `data:` map, or a
file beside it, as esbuild, tsc and wasm-pack write them) gets its map read here: the JSON,
the Base64 VLQ `mappings`, `sources` and `sourceRoot`, and the `sections` of an index map.
What the run needs of it is re-encoded per module as a `Table`: each generated line's
segments as VLQ again, but with the decoder's state reset at every line, so the engine
decodes only the line a stack frame names, and only when a stack is formatted. A bundle
without maps carries nothing and pays nothing.

A map that cannot be used (JSON that does not parse, a file that is not there, indices out
of range) is a warning (EB015) naming the file and the place; the program is bundled and
runs with the frames it cannot map left as they are.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import reads
from .diagnostics import Diagnostic
from .errors import SourceSpan
from .files import display_path

# The largest map file read (as a JSON module: ebx.MAX_ENTRY_BYTES would be too large to parse).
MAX_MAP_BYTES = 64 * 1024 * 1024
# Generated lines and columns, original lines and columns, offsets: beyond this a value names no
# place in a module the bundler accepts (8 MiB at most), and the engine keeps them as int32.
MAX_POSITION = 2**31 - 1
TABLE_VERSION = 1

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUE = {c: i for i, c in enumerate(_B64)}
_VLQ_CONTINUATION = 32
_JS_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")
_URL_COMMENT = re.compile(r"^\s*//[#@]\s?sourceMappingURL=(\S*)\s*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class MapProblem(ValueError):
    """Why a map, or a segment of one, cannot be used; `span` says where when it can."""

    def __init__(self, message: str, span: SourceSpan | None = None):
        super().__init__(message)
        self.message = message
        self.span = span


# ---- Base64 VLQ (ECMA-426, "Mappings structure") -------------------------------------------


def decode_vlq(text: str, pos: int) -> tuple[int, int]:
    """The signed value of the VLQ starting at `pos`, and where the next one starts.

    Each Base64 digit holds five bits of the value, least significant first, plus a
    continuation bit (32); the lowest bit of the whole is the sign."""
    value = 0
    shift = 0
    while True:
        if pos >= len(text):
            raise MapProblem("a VLQ value is cut off at the end of a segment")
        digit = _B64_VALUE.get(text[pos])
        if digit is None:
            raise MapProblem(f"{text[pos]!r} is not a Base64 digit")
        pos += 1
        value |= (digit & 31) << shift
        if not digit & _VLQ_CONTINUATION:
            break
        shift += 5
        if shift > 60:
            raise MapProblem("a VLQ value is too long")
    return (-(value >> 1) if value & 1 else value >> 1), pos


def encode_vlq(value: int) -> str:
    v = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit = v & 31
        v >>= 5
        out += _B64[digit | (_VLQ_CONTINUATION if v else 0)]
        if not v:
            return out


@dataclass(frozen=True)
class Segment:
    """One mapping, 0-based: a generated column, and the original place (source -1: none)."""

    column: int
    source: int = -1
    line: int = 0
    original_column: int = 0


def decode_mappings(
    mappings: str, sources: int, names: int, max_lines: int = MAX_POSITION
) -> tuple[dict[int, list[Segment]], list[str]]:
    """Generated line (0-based) → its segments sorted by column, and what was wrong with
    the segments left out (out-of-range indices, bad digits), by generated line and segment.
    Only the first `max_lines` generated lines are read: a map's lines past the module's end
    name nothing a stack can show (and a map of only ";" would otherwise make a line each)."""
    lines: dict[int, list[Segment]] = {}
    problems: list[str] = []
    source = line = column = name = 0
    for gen_line, text in enumerate(mappings.split(";", max_lines)):
        if gen_line >= max_lines:
            break
        gen_column = 0
        segments: list[Segment] = []
        for number, seg in enumerate(text.split(",")):
            if not seg:
                continue
            try:
                fields: list[int] = []
                pos = 0
                while pos < len(seg):
                    value, pos = decode_vlq(seg, pos)
                    fields.append(value)
                if len(fields) not in (1, 4, 5):
                    raise MapProblem(f"a segment has {len(fields)} fields (1, 4 or 5 are allowed)")
            except MapProblem as e:
                problems.append(f"generated line {gen_line + 1}, segment {number + 1}: {e.message}")
                continue
            gen_column += fields[0]
            if len(fields) == 1:
                if 0 <= gen_column <= MAX_POSITION:
                    segments.append(Segment(gen_column))
                continue
            source += fields[1]
            line += fields[2]
            column += fields[3]
            if len(fields) == 5:
                name += fields[4]
            where = f"generated line {gen_line + 1}, segment {number + 1}"
            if gen_column < 0:
                problems.append(f"{where}: the generated column is negative")
            elif max(gen_column, line, column) > MAX_POSITION:
                problems.append(f"{where}: a line or column is over {MAX_POSITION:,}")
            elif not 0 <= source < sources:
                problems.append(f"{where}: source index {source} is out of range ({sources} sources)")
            elif line < 0 or column < 0:
                problems.append(f"{where}: the original line or column is negative")
            elif len(fields) == 5 and not 0 <= name < names:
                problems.append(f"{where}: name index {name} is out of range ({names} names)")
            else:
                segments.append(Segment(gen_column, source, line, column))
        if segments:
            segments.sort(key=lambda s: s.column)
            lines[gen_line] = segments
    return lines, problems


# ---- the table the bundle keeps ------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A module's map as the run uses it: source names for display, and per generated line
    (0-based) its segments as VLQ, each field relative to the segment before it on the same
    line (the first relative to 0), so that any one line decodes on its own."""

    sources: tuple[str, ...]
    lines: tuple[str, ...]

    def to_json(self) -> bytes:
        body = {"version": TABLE_VERSION, "sources": list(self.sources), "lines": list(self.lines)}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @staticmethod
    def from_json(data: bytes) -> Table:
        obj = json.loads(data)
        return Table(tuple(obj["sources"]), tuple(obj["lines"]))

    def segments(self, line: int) -> list[Segment]:
        """The segments of generated line `line` (0-based)."""
        if not 0 <= line < len(self.lines):
            return []
        out: list[Segment] = []
        column = source = orig_line = orig_column = 0
        for seg in self.lines[line].split(","):
            if not seg:
                continue
            fields: list[int] = []
            pos = 0
            while pos < len(seg):
                value, pos = decode_vlq(seg, pos)
                fields.append(value)
            column += fields[0]
            if len(fields) == 1:
                out.append(Segment(column))
                continue
            source += fields[1]
            orig_line += fields[2]
            orig_column += fields[3]
            out.append(Segment(column, source, orig_line, orig_column))
        return out

    def lookup(self, line: int, column: int) -> tuple[str, int, int] | None:
        """The original (source, line, column) of generated 1-based `line`:`column`: the
        last segment of that line at or before the column, as Node's lookup takes it."""
        found: Segment | None = None
        for seg in self.segments(line - 1):
            if seg.column > column - 1:
                break
            found = seg
        if found is None or found.source < 0:
            return None
        return self.sources[found.source], found.line + 1, found.original_column + 1


def encode_table(sources: list[str], lines: dict[int, list[Segment]]) -> Table:
    out: list[str] = []
    for gen_line in range(max(lines) + 1 if lines else 0):
        parts: list[str] = []
        column = source = orig_line = orig_column = 0
        for seg in lines.get(gen_line, []):
            text = encode_vlq(seg.column - column)
            column = seg.column
            if seg.source >= 0:
                text += encode_vlq(seg.source - source) + encode_vlq(seg.line - orig_line)
                text += encode_vlq(seg.original_column - orig_column)
                source, orig_line, orig_column = seg.source, seg.line, seg.original_column
            parts.append(text)
        out.append(",".join(parts))
    return Table(tuple(sources), tuple(out))


# ---- finding and reading a module's map ----------------------------------------------------


@dataclass(frozen=True)
class MapURL:
    url: str
    line: int  # of the comment, 1-based
    column: int


def find_map_url(source: str) -> MapURL | None:
    """The URL of the last `//# sourceMappingURL=` comment, when only blank lines and other
    line comments follow it (so a string in the code that looks like one is not taken)."""
    lines = _JS_LINE_BREAK.split(source)
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i]
        m = _URL_COMMENT.match(text)
        if m:
            return MapURL(m.group(1), i + 1, text.index("//") + 1)
        stripped = text.strip()
        if stripped and not stripped.startswith("//"):
            return None
    return None


@dataclass
class LoadedMap:
    table: Table | None
    map_path: Path | None  # the file read, when the map is not inline
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _warn(message: str, span: SourceSpan, hint: str | None = None) -> Diagnostic:
    return Diagnostic("EB015", "warning", message, span, hint)


def _read_url(url: MapURL, module: Path, span: SourceSpan) -> tuple[Any, str, Path | None]:
    """The map's JSON text, what to call it in messages, and the file read (None if inline)."""
    if url.url.startswith("data:"):
        header, comma, payload = url.url[5:].partition(",")
        if not comma:
            raise MapProblem("the data: URL has no comma before its data", span)
        try:
            raw = (
                base64.b64decode(payload, validate=True)
                if header.endswith(";base64")
                else unquote(payload).encode()
            )
        except (binascii.Error, ValueError):
            raise MapProblem("the inline map's base64 does not decode", span) from None
        return raw, f"the inline map of {span.file}", None
    if _SCHEME.match(url.url) and not url.url.startswith("file:"):
        raise MapProblem(f"the map is at {url.url}, which is not fetched at bundle time", span)
    rel = unquote(url.url.split("?", 1)[0].split("#", 1)[0])
    if "\0" in rel:
        raise MapProblem("the map's URL holds a NUL character", span)
    path = Path(rel.removeprefix("file://")) if url.url.startswith("file:") else module.parent / rel
    try:
        path = reads.resolve(path)
        # not blocking on a FIFO at open, and only a regular file read: a map named
        # /dev/zero, /dev/stdin or a FIFO would otherwise never end (or never start)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as f:
            st = os.fstat(f.fileno())
            reads.note_file(path, st)
            if not stat.S_ISREG(st.st_mode):
                raise MapProblem(f"the source map {display_path(path)} is not a regular file", span)
            data = f.read(MAX_MAP_BYTES + 1)  # the size read, not the size stat gave: it may grow
            reads.note_file(path, st, data)
            if len(data) > MAX_MAP_BYTES:
                size = max(st.st_size, len(data))
                raise MapProblem(
                    f"{display_path(path)} is {size:,} bytes, over the {MAX_MAP_BYTES:,}-byte limit for a map",
                    span,
                )
            return data, display_path(path), path
    except (OSError, RuntimeError) as e:  # RuntimeError: a symbolic link loop, on Python < 3.13
        reads.note_failed(path)
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise MapProblem(f"cannot read the source map {display_path(path)}: {why}", span) from None


def _parse_json(raw: bytes, name: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise MapProblem(f"{name} is not UTF-8 text (byte {e.start})", SourceSpan(name)) from None
    # a map may start with )]}' to stop it being run as a script (ECMA-426)
    if text.startswith(")]}'"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise MapProblem(
            f"{name} is not valid JSON: {e.msg}", SourceSpan(name, e.lineno, e.colno, e.lineno, e.colno + 1)
        ) from None
    except RecursionError:
        raise MapProblem(f"{name} nests too deeply to be a source map", SourceSpan(name)) from None
    except ValueError as e:  # an integer of more digits than Python converts (sys.set_int_max_str_digits)
        raise MapProblem(f"{name} is not a usable source map: {e}", SourceSpan(name)) from None


class _Display:
    """How each original source is named in a stack: relative to the bundle's root, as module
    ids are, when it lies in the project; as the map gives it when it does not (a path on the
    machine that built a dependency means nothing here, and should not be shown absolute)."""

    def __init__(self, root: Path, project: Path):
        self.root = root
        self.project = project

    def name(self, given: str, source_root: str, map_dir: Path | None, module: Path) -> str:
        joined = given
        if source_root and not _SCHEME.match(given) and not given.startswith("/"):
            joined = source_root + ("" if source_root.endswith("/") else "/") + given
        if _SCHEME.match(joined) and not joined.startswith("file:"):
            return joined  # webpack://, http://: a name, not a file here
        rel = unquote(joined.removeprefix("file://"))
        path = Path(os.path.normpath((map_dir or module.parent) / rel))
        if path.is_relative_to(self.project):
            return Path(os.path.relpath(path, self.root)).as_posix()
        if not Path(rel).is_absolute():
            return rel
        return Path(os.path.relpath(path, self.root)).as_posix()


def _flatten(
    obj: Any, name: str, span: SourceSpan, depth: int = 0
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Each plain map in `obj` with the generated (line, column) it starts at: an index map's
    `sections` give their offsets (ECMA-426 allows them nested)."""
    if not isinstance(obj, dict):
        raise MapProblem(f"{name} is not a source map (not a JSON object)", span)
    if obj.get("version") != 3:
        raise MapProblem(f"{name} has version {obj.get('version')!r}; source maps are version 3", span)
    if "sections" not in obj:
        yield 0, 0, obj
        return
    if depth > 8 or not isinstance(obj["sections"], list):
        raise MapProblem(f"{name}: 'sections' is not a list of sections", span)
    for i, section in enumerate(obj["sections"]):
        offset = section.get("offset") if isinstance(section, dict) else None
        if not (
            isinstance(offset, dict)
            and isinstance(offset.get("line"), int)
            and isinstance(offset.get("column"), int)
        ):
            raise MapProblem(f"{name}: section {i} has no offset with a line and a column", span)
        if not (0 <= offset["line"] <= MAX_POSITION and 0 <= offset["column"] <= MAX_POSITION):
            raise MapProblem(f"{name}: section {i}'s offset is negative or over {MAX_POSITION:,}", span)
        if "map" not in section:
            raise MapProblem(f"{name}: section {i} has no 'map' (a 'url' section is not read)", span)
        for line, column, sub in _flatten(section["map"], name, span, depth + 1):
            yield offset["line"] + line, (offset["column"] if line == 0 else 0) + column, sub


def load_map(module: Path, source: str, file: str, root: Path, project: Path) -> LoadedMap:
    """The table of the map `source` links to, or None and the warnings that say why not."""
    url = find_map_url(source)
    if url is None:
        return LoadedMap(None, None)
    span = SourceSpan(file, url.line, url.column, url.line, url.column + len("//# sourceMappingURL="))
    map_path: Path | None = None
    try:
        raw, name, map_path = _read_url(url, module, span)
        obj = _parse_json(raw, name)
        display = _Display(root, project)
        sources: list[str] = []
        lines: dict[int, list[Segment]] = {}
        problems: list[str] = []
        # the module's generated lines: what a map says of lines past them is never looked up
        module_lines = sum(1 for _ in _JS_LINE_BREAK.finditer(source)) + 1
        for line_offset, column_offset, part in _flatten(obj, name, span):
            if line_offset >= module_lines or column_offset > MAX_POSITION:
                continue
            given = part.get("sources")
            mappings = part.get("mappings")
            source_root = part.get("sourceRoot") or ""
            names = part.get("names", [])
            if (
                not isinstance(given, list)
                or not isinstance(mappings, str)
                or not isinstance(source_root, str)
            ):
                raise MapProblem(f"{name} needs 'sources' (a list) and 'mappings' (a string)", span)
            base = len(sources)
            sources += [
                display.name(s, source_root, map_path.parent if map_path else None, module)
                if isinstance(s, str)
                else "<unknown>"
                for s in given
            ]
            decoded, bad = decode_mappings(
                mappings, len(given), len(names) if isinstance(names, list) else 0, module_lines - line_offset
            )
            problems += bad
            for gen_line, segs in decoded.items():
                shift = column_offset if gen_line == 0 else 0
                moved = [
                    Segment(
                        s.column + shift, s.source + base if s.source >= 0 else -1, s.line, s.original_column
                    )
                    for s in segs
                ]
                lines.setdefault(gen_line + line_offset, []).extend(moved)
        for segs in lines.values():
            segs.sort(key=lambda s: s.column)
        loaded = LoadedMap(encode_table(sources, lines), map_path)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            loaded.diagnostics.append(
                _warn(
                    f"{name}: {problems[0]}{more}; those segments are left out",
                    span,
                    hint="regenerate the map with the tool that built this file",
                )
            )
        return loaded
    except MapProblem as e:
        return LoadedMap(
            None,
            map_path,
            [
                _warn(
                    f"source map not used: {e.message}",
                    e.span or span,
                    hint="stack frames in this file stay unmapped",
                )
            ],
        )


# ---- mapping a stack's text ---------------------------------------------------------------

# QuickJS's frames: "    at NAME (FILE:LINE:COLUMN)"
_FRAME = re.compile(r"^(\s+at .*?\()(.+):(\d+):(\d+)\)$")


def map_stack(text: str, tables: dict[str, Table]) -> str:
    """`text` with every frame in a module that has a table named by its original place."""
    out: list[str] = []
    for line in text.split("\n"):
        m = _FRAME.match(line)
        table = tables.get(m.group(2)) if m else None
        if m and table is not None:
            try:
                found = table.lookup(int(m.group(3)), int(m.group(4)))
            except (MapProblem, IndexError):
                found = None
            if found is not None:
                line = f"{m.group(1)}{found[0]}:{found[1]}:{found[2]})"
        out.append(line)
    return "\n".join(out)
