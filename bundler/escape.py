"""How a name from the outside becomes text in generated JS, WAT or .d.ts.

Export names, import names and file names are chosen by whoever wrote the wasm
module or named the file: any Unicode, including `*/`, quotes, newlines, NUL.
Pasted raw into a comment or a literal of a generated module they would become
code (an export named `x */ import … /*` once ran as JS). So the templates accept
only `Code`: text that one of the functions below made valid for where it goes,
or that EdgeBox itself composed from such pieces. templates.py refuses anything
else at render time, so a forgotten escape is a build failure, never an injection.
"""

from __future__ import annotations

import json
import re


class Code(str):
    """Text that is already valid where a template puts it."""


# ASCII identifier names only: enough for what wasm toolchains emit; anything else is quoted
IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends "
    "false finally for function if import in instanceof new null return super switch this throw "
    "true try typeof var void while with yield let static implements interface package private "
    "protected public await".split()
)


def js_string(s: str) -> Code:
    """A JS (and JSON) string literal: ASCII only, every control character and lone
    surrogate escaped, so it cannot end early or break a line."""
    return Code(json.dumps(s, ensure_ascii=True))


def is_identifier_name(s: str) -> bool:
    """An IdentifierName: usable after `.` and as a property or import name."""
    return IDENTIFIER.fullmatch(s) is not None


def is_identifier(s: str) -> bool:
    """An identifier name that may also name a binding (not a reserved word)."""
    return is_identifier_name(s) and s not in RESERVED


def js_export_name(s: str) -> Code:
    """A name in `export { x as NAME }` / `import { NAME as x }`: an identifier, or a
    string (ES2022 arbitrary module namespace names)."""
    return Code(s) if is_identifier(s) else js_string(s)


def comment(s: str) -> Code:
    """Text for inside a JS/TS comment (`//`, `/* */`) or a WAT `;;` comment: one line
    of printable ASCII that cannot close the comment it is in."""
    inner = json.dumps(s, ensure_ascii=True)[1:-1]
    return Code(inner.replace("*/", "*\\/"))


def wat_string(s: str) -> Code:
    """A WAT string literal for any name (every byte outside printable ASCII as \\hh)."""
    out = []
    for b in s.encode("utf-8", "surrogatepass"):
        ch = chr(b)
        out.append(ch if 0x20 <= b < 0x7F and ch not in '"\\' else f"\\{b:02x}")
    return Code('"' + "".join(out) + '"')


# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(s: str, keep_newlines: bool = False) -> str:
    """Text for a terminal: no character in it can move the cursor, colour the screen or
    reorder the line (a file or export name holding ESC sequences is shown escaped)."""

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if keep_newlines and ch == "\n":
            return ch
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch) or (
            f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
        )

    return _UNPRINTABLE.sub(escape, s)
