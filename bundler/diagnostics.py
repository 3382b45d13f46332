"""Diagnostics and how they print: text (rustc style), JSON, SARIF 2.1.0.

Text: `file:line:col: error[EB002]: message`, the source line with carets under
the exact span, a one-line hint, and a summary count; colour only on a terminal.
Errors raised by any phase (`EdgeBoxError`) print the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TextIO

from .errors import EdgeBoxError, SourceSpan
from .escape import printable
from .version import version

Severity = Literal["error", "warning", "note"]
TOOL_NAME = "edgebox"

# code → (short name, one-line description) for every diagnostic; docs/diagnostics.md has the rest
RULES: dict[str, tuple[str, str]] = {
    "EB000": (
        "build-failure",
        "The build stopped before the checks: a missing module, a syntax error, invalid wasm or a link error.",
    ),
    "EB001": ("unknown-export", "An import or namespace member names something the module does not export."),
    "EB002": ("wrong-argument-count", "A wasm function is called with too few or too many arguments."),
    "EB003": (
        "impossible-argument-type",
        "An argument literal cannot be converted to the parameter's wasm type.",
    ),
    "EB004": (
        "non-integer-argument",
        "A non-integer Number is passed for an i32 parameter and gets truncated.",
    ),
    "EB005": ("integer-out-of-range", "An integer literal is outside the parameter type's range and wraps."),
    "EB006": ("not-a-function", "A memory, global or table export is called."),
    "EB007": ("void-result-used", "The result of a wasm function that returns nothing is used."),
    "EB008": ("unchecked-call", "A call's arguments cannot be checked (spread)."),
    "EB009": ("unused-suppression", "An edgebox-ignore comment suppresses nothing."),
    "EB010": ("uncallable-signature", "A function with a v128 or reference type is called from JS."),
    "EB011": ("js-unusable-export", "An import brings in a v128 or reference-typed export JS cannot use."),
    "EB012": ("outside-project", "An import reaches a file outside the project's directory."),
    "EB013": (
        "dynamic-import-left-out",
        "An import() names a module the bundle cannot hold; it rejects at run time.",
    ),
    "EB014": (
        "typescript-not-erasable",
        "TypeScript that compiles to code (enum, a namespace with values, parameter properties, ...); "
        "EdgeBox only erases types.",
    ),
    "EB015": (
        "source-map-unusable",
        "A module's source map cannot be read or used; its stack frames stay unmapped.",
    ),
}


RULE_LEVELS = {"EB004": "warning", "EB005": "warning", "EB007": "warning", "EB008": "note",
               "EB009": "warning", "EB011": "warning", "EB012": "warning",
               "EB013": "warning", "EB015": "warning"}  # fmt: skip


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: SourceSpan
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "hint": self.hint,
        }


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


_COLOURS = {"error": "\x1b[31;1m", "warning": "\x1b[33;1m", "note": "\x1b[36;1m"}


_JS_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")


def js_lines(text: str) -> list[str]:
    """Lines as JS numbers them: str.splitlines would also break at \\f, \\v and \\x1c-\\x1e,
    which are not line terminators in JS, and so show the wrong line."""
    return _JS_LINE_BREAK.split(text)


FRAME_WIDTH = 100  # characters of a long source line shown around a span


def code_frame(span: SourceSpan, colour: str = "", reset: str = "") -> str:
    """The source line of `span` with carets under its columns, or '' when unavailable."""
    if not span.line:
        return ""
    try:
        lines = js_lines(Path(span.file).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
    if span.line > len(lines):
        return ""
    text = printable(lines[span.line - 1].expandtabs(1))
    start = max(span.column, 1)
    end = span.end_column if span.end_line == span.line and span.end_column > start else len(text) + 1
    end = max(min(end, len(text) + 1), start + 1)
    if len(text) > FRAME_WIDTH:  # a minified line: show a window around the span, as rustc does
        left = max(0, min(start - 1 - FRAME_WIDTH // 3, len(text) - FRAME_WIDTH))
        window = text[left : left + FRAME_WIDTH]
        end = min(end, left + FRAME_WIDTH + 1)
        text = ("…" if left else "") + window + ("…" if left + FRAME_WIDTH < len(text) else "")
        shift = left - (1 if left else 0)
        start, end = start - shift, end - shift
    gutter = str(span.line)
    pad = " " * len(gutter)
    carets = " " * (start - 1) + colour + "^" * (end - start) + reset
    return f"{pad} |\n{gutter} | {text}\n{pad} | {carets}\n"


def _render_one(
    severity: str,
    code: str | None,
    message: str,
    span: SourceSpan | None,
    hint: str | None,
    colour: bool,
    notes: Sequence[str] = (),
) -> str:
    c, bold, reset = (_COLOURS[severity], "\x1b[1m", "\x1b[0m") if colour else ("", "", "")
    # names in messages come from files and wasm modules: nothing in them may drive the terminal
    where = f"{bold}{printable(str(span))}:{reset} " if span else ""
    label = f"{severity}[{code}]" if code else severity
    out = f"{where}{c}{label}{reset}: {printable(message)}\n"
    pad = " " * (len(str(span.line)) + 1 if span and span.line else 2)
    if span:
        out += code_frame(span, c, reset)
    if hint:
        out += f"{pad}= hint: {printable(hint)}\n"
    out += "".join(printable(line) + "\n" for line in notes)
    return out


def render_error(err: EdgeBoxError, stream: TextIO | None = None) -> str:
    colour = _use_colour(stream or sys.stderr)
    return _render_one("error", None, err.message, err.span, err.hint, colour, err.notes)


def summary(diags: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diags if d.severity == s) for s in ("error", "warning", "note")}
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return ", ".join(parts) if parts else "no problems found"


def render_text(diags: Sequence[Diagnostic], stream: TextIO | None = None) -> str:
    colour = _use_colour(stream or sys.stdout)
    body = "".join(_render_one(d.severity, d.code, d.message, d.span, d.hint, colour) + "\n" for d in diags)
    return body + summary(diags) + "\n"


def render_json(diags: Sequence[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diags], indent=2) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def docs_file() -> Path | None:
    """docs/diagnostics.md: the copy installed with the package, else the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_docs" / "diagnostics.md", here.parent / "docs" / "diagnostics.md"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _rule_sections() -> dict[str, str]:
    """Each code's section of the diagnostics reference, as markdown (empty when absent)."""
    path = docs_file()
    if path is None:
        return {}
    sections: dict[str, str] = {}
    code = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^### (EB\d{3})\s*$", line)
        if m:
            code = m.group(1)
            sections[code] = ""
        elif line.startswith("## "):
            code = None
        elif code:
            sections[code] += line + "\n"
    return {k: v.strip() for k, v in sections.items()}


def _first_paragraph(markdown: str) -> str:
    para = markdown.split("\n\n", 1)[0]
    return re.sub(r"\*\*|`", "", " ".join(para.split()))


def _docs_uri(anchor: str = "") -> str:
    path = docs_file()
    base = path.as_uri() if path else Path.cwd().resolve().as_uri()
    return base + (f"#{anchor}" if anchor else "")


def _sarif_rules() -> list[dict[str, Any]]:
    sections = _rule_sections()
    rules = []
    for code, (name, desc) in RULES.items():
        section = sections.get(code, "")
        full = _first_paragraph(section) if section else desc
        rules.append(
            {
                "id": code,
                "name": name,
                "shortDescription": {"text": desc},
                "fullDescription": {"text": full},
                "help": {"text": full, "markdown": section or desc},
                "helpUri": _docs_uri(code.lower()),
                "defaultConfiguration": {"level": RULE_LEVELS.get(code, "error")},
            }
        )
    return rules


def _artifact(file: str, base: Path) -> dict[str, str]:
    try:
        return {"uri": Path(os.path.relpath(Path(file).resolve(), base)).as_posix(), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": Path(file).resolve().as_uri()}


def _fingerprints(diags: Sequence[Diagnostic]) -> list[str]:
    """A stable key per result, as code scanning matches alerts across runs: the rule, the
    file and the text of the line (not its number, which edits above it change), then
    which occurrence of that same key this is."""
    lines: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    out = []
    for d in diags:
        if d.span.file not in lines:
            try:
                lines[d.span.file] = js_lines(Path(d.span.file).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                lines[d.span.file] = []
        text = lines[d.span.file]
        line = text[d.span.line - 1] if 0 < d.span.line <= len(text) else ""
        key = hashlib.sha256(f"{d.code}\0{d.span.file}\0{' '.join(line.split())}".encode()).hexdigest()[:32]
        seen[key] = seen.get(key, 0) + 1
        out.append(f"{key}:{seen[key]}")
    return out


def render_sarif(
    diags: Sequence[Diagnostic], base: Path | None = None, failure: EdgeBoxError | None = None
) -> str:
    """SARIF 2.1.0, as code-scanning services read it: paths relative to the checkout,
    rules with their documentation, results with fingerprints. A build that could not
    be checked at all is still a complete log: an unsuccessful invocation with a
    toolExecutionNotification saying why."""
    base = base or Path.cwd()
    rule_index = {code: i for i, code in enumerate(RULES)}
    results = []
    for d, fingerprint in zip(diags, _fingerprints(diags), strict=True):
        region: dict[str, int] = {"startLine": max(d.span.line, 1), "startColumn": max(d.span.column, 1)}
        if d.span.end_line:
            region["endLine"] = d.span.end_line
            region["endColumn"] = max(d.span.end_column, 1)
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": text},
                "locations": [
                    {"physicalLocation": {"artifactLocation": _artifact(d.span.file, base), "region": region}}
                ],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint},
            }
        )
    invocation: dict[str, Any] = {"executionSuccessful": failure is None}
    if failure is not None:
        notification: dict[str, Any] = {
            "level": "error",
            "message": {"text": failure.message + (f" (hint: {failure.hint})" if failure.hint else "")},
        }
        if failure.span is not None:
            where: dict[str, Any] = {"artifactLocation": _artifact(failure.span.file, base)}
            if failure.span.line:
                where["region"] = {"startLine": failure.span.line, "startColumn": max(failure.span.column, 1)}
            notification["locations"] = [{"physicalLocation": where}]
        invocation["toolExecutionNotifications"] = [notification]
    log = {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": version(),
                        "informationUri": _docs_uri(),
                        "rules": _sarif_rules(),
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def failure_diagnostic(e: EdgeBoxError) -> Diagnostic:
    """A build that stopped before the checks (missing module, syntax error, invalid wasm,
    link error), as a diagnostic of its own code, for the json format."""
    return Diagnostic("EB000", "error", e.message, e.span or SourceSpan(""), e.hint)


def render_failure_json(e: EdgeBoxError) -> str:
    return render_json([failure_diagnostic(e)])


def render_failure_sarif(e: EdgeBoxError) -> str:
    return render_sarif([], failure=e)
