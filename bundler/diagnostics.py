"""Rendering errors rustc-style: `file:line:col: error: message`, the source line, a caret, a hint."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from .errors import EdgeBoxError, SourceSpan


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def code_frame(span: SourceSpan) -> str:
    """The source line of `span` with carets under its columns, or '' when unavailable."""
    if not span.line:
        return ""
    try:
        lines = Path(span.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    if span.line > len(lines):
        return ""
    text = lines[span.line - 1].expandtabs(1)
    start = max(span.column, 1)
    end = span.end_column if span.end_line == span.line and span.end_column > start else start + 1
    end = min(end, max(len(text) + 1, start + 1))
    gutter = str(span.line)
    pad = " " * len(gutter)
    return f"{pad} |\n{gutter} | {text}\n{pad} | " + " " * (start - 1) + "^" * (end - start) + "\n"


def render_error(err: EdgeBoxError, stream: TextIO | None = None) -> str:
    stream = stream or sys.stderr
    colour = _use_colour(stream)
    red, bold, reset = ("\x1b[31;1m", "\x1b[1m", "\x1b[0m") if colour else ("", "", "")
    where = f"{bold}{err.span}:{reset} " if err.span else ""
    out = f"{where}{red}error{reset}: {err.message}\n"
    if err.span:
        out += code_frame(err.span)
    if err.hint:
        out += f"  = hint: {err.hint}\n" if "\n" not in err.hint else err.hint + "\n"
    return out
