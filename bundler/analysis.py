"""Per-module facts: everything later phases need from a JS module's syntax tree.

Parsing is the expensive step (esprima in pure Python reads ~100-150 KB/s), and
everything here depends on the module's text alone, so `ModuleFacts` is a plain
value keyed by the sha256 of the source and cached on disk as JSON. A re-check of
a project where one file changed parses one file. Most modules of a large graph are
not parsed here at all: scan.py reads their imports and exports with tree-sitter.

The walk is scope-aware: a reference counts as a use of an import only when no
enclosing function, block or catch clause declares the same name, and an
`await import()` bound inside a function or block is followed inside that scope.

Source-phase imports (`import source m from "./x.wasm"`, `import.source("./x.wasm")`)
are a syntax esprima does not know: the parser is given the text with `source` (and
`.source`) blanked to spaces, so it reads a default import and an `import()`, and every
offset, line and column of everything else stays where it was.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import esprima

from .cache import entry, put_entry_later
from .diagnostics import js_lines
from .errors import JSSyntaxError, SourceSpan

ANALYSIS_VERSION = "8"  # bump when ModuleFacts changes shape or meaning
SLOW_PARSE_CHARS = 512 * 1024  # a module this big gets a progress message while it is parsed

ImportKind = Literal["import", "reexport", "dynamic"]
# "source": `import source x from`, `import.source()`: the module's source, not its instance
ImportPhase = Literal["evaluation", "source"]
# What an argument is, as far as a literal can tell: "unknown" when it is not a literal.
ArgKind = Literal[
    "number", "bigint", "string", "boolean", "null", "undefined", "object", "array", "function",
    "unknown",
]  # fmt: skip


@dataclass(frozen=True)
class Span:
    """1-based line and column; the end column is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def at(self, file: str) -> SourceSpan:
        return SourceSpan(file, self.line, self.column, self.end_line, self.end_column)


@dataclass(frozen=True)
class ImportRecord:
    specifier: str
    kind: ImportKind
    span: Span
    phase: ImportPhase = "evaluation"


@dataclass(frozen=True)
class AssetReference:
    """`new URL("./x.wasm", import.meta.url)`: a file the module reaches by URL (to fetch it,
    as wasm-pack's `--target web` and Emscripten's output do), which the bundle carries."""

    specifier: str
    span: Span


@dataclass(frozen=True)
class SourceImport:
    """A source-phase import, which QuickJS cannot parse: the bundle rewrites it.

    `local` is the binding of `import source local from "..."`, None for `import.source()`;
    `range` is the whole statement (or the whole `import.source(...)` call) in the source."""

    specifier: str
    local: str | None
    range: tuple[int, int]
    span: Span  # of the specifier


@dataclass(frozen=True)
class Binding:
    """A local name bound to an import: `imported` is an export name, or "*" for a namespace.

    `scope` is 0 for a module-level binding; a binding made inside a function or block
    (`const m = await import("./m.wasm")` in an async function) gets 1 + the source offset
    of its declaration, which tells it apart from other bindings of the same name."""

    local: str
    specifier: str
    imported: str
    span: Span  # of the imported name (or the whole specifier for namespaces)
    dynamic: bool = False  # bound from `await import(...)` rather than an import declaration
    scope: int = 0


@dataclass(frozen=True)
class ExportEntry:
    """One name the module exports.

    `specifier` set: re-exported from there (`imported` "*" is `export * as name`).
    `local` set: the module's own binding of that name (which may itself be an import).
    """

    exported: str
    specifier: str | None = None
    imported: str | None = None
    local: str | None = None
    value_kind: Literal["function", "class", "value", "unknown"] = "unknown"  # what a local export holds


@dataclass(frozen=True)
class Arg:
    kind: ArgKind
    span: Span
    value: float | int | None = None  # numbers: the value; bigints: the value
    text: str = ""  # the literal as written, for messages


@dataclass(frozen=True)
class CallSite:
    """A call of an imported binding: `callee()` or `ns.member()`."""

    binding: str  # local name of the import (or dynamic-import binding)
    member: str | None  # for namespace calls
    args: tuple[Arg, ...]
    spread: bool
    result_used: bool
    span: Span  # the whole call
    callee_span: Span
    scope: int = 0  # the binding's scope (Binding.scope)


@dataclass(frozen=True)
class MemberRead:
    """`ns.member` on a namespace binding, called or not."""

    binding: str
    member: str
    span: Span  # of the member name
    range: tuple[int, int]  # of the whole member expression, in the source string
    single_line: bool
    written: bool  # assigned, updated or deleted
    scope: int = 0  # the binding's scope (Binding.scope)


@dataclass(frozen=True)
class Suppression:
    line: int  # the line it applies to
    codes: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class ModuleFacts:
    source_sha256: str
    imports: tuple[ImportRecord, ...]
    bindings: tuple[Binding, ...]
    exports: tuple[ExportEntry, ...]
    star_exports: tuple[str, ...]  # specifiers of `export * from`
    calls: tuple[CallSite, ...]
    members: tuple[MemberRead, ...]
    suppressions: tuple[Suppression, ...]
    shadowed: tuple[str, ...] = field(default=())  # import names redeclared in some inner scope
    identifiers: tuple[str, ...] = field(default=())  # every identifier name in the module
    source_imports: tuple[SourceImport, ...] = field(default=())
    assets: tuple[AssetReference, ...] = field(default=())
    # True when only the import and export facts were read (scan.py): calls, members,
    # identifiers, shadowed names and suppressions were not collected, and are empty.
    partial: bool = False

    def to_json(self) -> dict[str, Any]:
        out = _plain(self)
        assert isinstance(out, dict)
        return out

    @staticmethod
    def from_json(obj: dict[str, Any]) -> ModuleFacts:
        def span(d: dict[str, int]) -> Span:
            return Span(**d)

        return ModuleFacts(
            source_sha256=obj["source_sha256"],
            imports=tuple(
                ImportRecord(i["specifier"], i["kind"], span(i["span"]), i["phase"]) for i in obj["imports"]
            ),
            bindings=tuple(
                Binding(b["local"], b["specifier"], b["imported"], span(b["span"]), b["dynamic"], b["scope"])
                for b in obj["bindings"]
            ),
            exports=tuple(ExportEntry(**e) for e in obj["exports"]),
            star_exports=tuple(obj["star_exports"]),
            calls=tuple(
                CallSite(
                    c["binding"],
                    c["member"],
                    tuple(Arg(a["kind"], span(a["span"]), a["value"], a["text"]) for a in c["args"]),
                    c["spread"],
                    c["result_used"],
                    span(c["span"]),
                    span(c["callee_span"]),
                    c["scope"],
                )
                for c in obj["calls"]
            ),
            members=tuple(
                MemberRead(
                    m["binding"],
                    m["member"],
                    span(m["span"]),
                    tuple(m["range"]),
                    m["single_line"],
                    m["written"],
                    m["scope"],
                )
                for m in obj["members"]
            ),
            suppressions=tuple(
                Suppression(s["line"], tuple(s["codes"]), span(s["span"])) for s in obj["suppressions"]
            ),
            shadowed=tuple(obj["shadowed"]),
            identifiers=tuple(obj["identifiers"]),
            source_imports=tuple(
                SourceImport(i["specifier"], i["local"], tuple(i["range"]), span(i["span"]))
                for i in obj["source_imports"]
            ),
            assets=tuple(AssetReference(a["specifier"], span(a["span"])) for a in obj["assets"]),
            partial=obj["partial"],
        )


def _plain(value: Any) -> Any:
    """A facts value as JSON-ready dicts and lists, as `dataclasses.asdict` makes it, at a
    fifth of its cost (asdict deep-copies every leaf; these leaves are immutable)."""
    if type(value) is tuple:
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    return value


def _is_asset_url(node: Any) -> bool:
    """`new URL("<relative path>", import.meta.url)`: the form bundlers (esbuild, Vite,
    webpack) take for a file the module needs at run time."""
    if node.callee.type != "Identifier" or node.callee.name != "URL" or len(node.arguments) != 2:
        return False
    first, base = node.arguments
    return (
        first.type == "Literal"
        and isinstance(first.value, str)
        and _relative_url(first.value)
        and base.type == "MemberExpression"
        and not base.computed
        and base.property.name == "url"
        and base.object.type == "MetaProperty"
        and base.object.meta.name == "import"
    )


def _relative_url(text: str) -> bool:
    """A path relative to the module (`./x.wasm`, `x_bg.wasm` as wasm-pack writes it), not an
    absolute URL, a path from the root, or only a query or fragment."""
    return (
        bool(text)
        and not text.startswith(("/", "?", "#"))
        and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) is None
    )


def _span(node: Any) -> Span:
    loc = node.loc
    return Span(loc.start.line, loc.start.column + 1, loc.end.line, loc.end.column + 1)


# ---- scopes -------------------------------------------------------------------------------

_FUNCTIONS = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
_BLOCKS = (
    "BlockStatement",
    "ForStatement",
    "ForInStatement",
    "ForOfStatement",
    "SwitchStatement",
    "StaticBlock",
)


def _pattern_names(node: Any) -> Iterator[str]:
    """Names bound by a binding pattern."""
    if node is None:
        return
    t = node.type
    if t == "Identifier":
        yield node.name
    elif t == "ObjectPattern":
        for p in node.properties:
            yield from _pattern_names(p.argument if p.type == "RestElement" else p.value)
    elif t == "ArrayPattern":
        for e in node.elements:
            yield from _pattern_names(e)
    elif t == "RestElement":
        yield from _pattern_names(node.argument)
    elif t == "AssignmentPattern":
        yield from _pattern_names(node.left)


def _children(node: Any) -> Iterator[tuple[str, Any]]:
    for key, value in vars(node).items():
        if key in ("loc", "range", "type", "leadingComments", "trailingComments"):
            continue
        if isinstance(value, list):
            for item in value:
                if item is not None and hasattr(item, "type"):
                    yield key, item
        elif value is not None and hasattr(value, "type"):
            yield key, value


def _var_names(body: Any) -> set[str]:
    """`var` names declared anywhere in a function body, not inside nested functions."""
    names: set[str] = set()
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "VariableDeclaration" and n.kind == "var":
            for d in n.declarations:
                names.update(_pattern_names(d.id))
        for _, child in _children(n):
            if child.type not in _FUNCTIONS and child.type not in ("ClassDeclaration", "ClassExpression"):
                stack.append(child)
    return names


def _lexical_names(statements: list[Any]) -> set[str]:
    """let/const/class/function declared directly in a statement list."""
    names: set[str] = set()
    for s in statements:
        if s is None:
            continue
        if s.type in ("ExportNamedDeclaration", "ExportDefaultDeclaration") and getattr(
            s, "declaration", None
        ):
            s = s.declaration
        if s.type == "VariableDeclaration" and s.kind != "var":
            for d in s.declarations:
                names.update(_pattern_names(d.id))
        elif s.type in ("FunctionDeclaration", "ClassDeclaration") and s.id is not None:
            names.add(s.id.name)
    return names


def _scope_names(node: Any) -> set[str] | None:
    """Names a node declares for its own scope, or None when it opens no scope."""
    t = node.type
    if t in _FUNCTIONS:
        names: set[str] = set()
        for p in node.params:
            names.update(_pattern_names(p))
        if t == "FunctionExpression" and node.id is not None:
            names.add(node.id.name)
        if node.body.type == "BlockStatement":
            names |= _var_names(node.body) | _lexical_names(node.body.body)
            names.add("arguments")
        return names
    if t in ("ClassExpression",) and node.id is not None:
        return {node.id.name}
    if t == "BlockStatement" or t == "StaticBlock":
        return _lexical_names(node.body)
    if t == "SwitchStatement":
        return _lexical_names([s for case in node.cases for s in case.consequent])
    if t == "ForStatement":
        init = node.init
        if init is not None and init.type == "VariableDeclaration" and init.kind != "var":
            return set(n for d in init.declarations for n in _pattern_names(d.id))
        return set()
    if t in ("ForInStatement", "ForOfStatement"):
        left = node.left
        if left.type == "VariableDeclaration" and left.kind != "var":
            return set(n for d in left.declarations for n in _pattern_names(d.id))
        return set()
    if t == "CatchClause":
        return set(_pattern_names(node.param))
    return None


# ---- literals -----------------------------------------------------------------------------


def _literal(
    node: Any, consts: dict[str, Arg], shadowed_here: Any
) -> tuple[ArgKind, float | int | None, str]:
    """What a node is if it is a (simple constant) literal."""
    t = node.type
    if t == "Literal":
        if getattr(node, "bigint", None) is not None:
            try:
                return "bigint", int(node.bigint.replace("_", ""), 0), node.raw
            except ValueError:
                return "unknown", None, node.raw
        v = node.value
        if v is None:
            if getattr(node, "regex", None) is not None:
                return "object", None, node.raw
            return "null", None, "null"
        if isinstance(v, bool):
            return "boolean", None, node.raw
        if isinstance(v, int | float):
            return "number", v, node.raw
        if isinstance(v, str):
            return "string", None, node.raw
        return "unknown", None, ""
    if t == "UnaryExpression" and node.operator in ("-", "+"):
        kind, value, text = _literal(node.argument, consts, shadowed_here)
        if kind in ("number", "bigint") and value is not None:
            if node.operator == "-":
                return kind, -value, "-" + text
            if kind == "number":
                return kind, value, "+" + text
        return "unknown", None, ""
    if t == "TemplateLiteral":
        return "string", None, "`…`"
    if t == "ObjectExpression":
        return "object", None, "{…}"
    if t == "ArrayExpression":
        return "array", None, "[…]"
    if t in ("FunctionExpression", "ArrowFunctionExpression", "ClassExpression"):
        return "function", None, "function"
    if t == "Identifier":
        if shadowed_here(node.name):
            return "unknown", None, ""
        if node.name == "undefined":
            return "undefined", None, "undefined"
        if node.name in ("NaN", "Infinity"):
            return "number", float(node.name.lower() == "infinity" and "inf" or "nan"), node.name
        c = consts.get(node.name)
        if c is not None:
            return c.kind, c.value, c.text
    return "unknown", None, ""


# ---- the walk -----------------------------------------------------------------------------

_SUPPRESS = re.compile(r"^\s*edgebox-ignore((?:\s+EB\d{3})+)\s*$")
_WRITE_PARENTS = {
    ("AssignmentExpression", "left"),
    ("UpdateExpression", "argument"),
    ("ForInStatement", "left"),
    ("ForOfStatement", "left"),
}


def _unused_result(parent: Any, key: str, node: Any) -> bool:
    if parent is None:
        return False
    if parent.type == "ExpressionStatement":
        return True
    if parent.type == "UnaryExpression" and parent.operator == "void":
        return True
    if parent.type == "SequenceExpression":
        return parent.expressions[-1] is not node
    if parent.type == "ForStatement" and key in ("init", "update"):
        return True
    if parent.type == "ArrowFunctionExpression" and key == "body":
        return True  # `() => log(x)`: a callback's result is rarely the point; do not flag it
    return False


def _member_name(node: Any) -> str | None:
    prop = node.property
    if not node.computed and prop.type == "Identifier":
        return str(prop.name)
    if node.computed and prop.type == "Literal" and isinstance(prop.value, str):
        return prop.value
    return None


def _literal_specifier(src: Any) -> str | None:
    """The specifier of `import(src)` when it is a string literal (or a template without
    substitutions), else None."""
    if src.type == "Literal" and isinstance(src.value, str):
        return src.value
    if src.type == "TemplateLiteral" and not src.expressions:
        return str(src.quasis[0].value.cooked)
    return None


def _dynamic_import_target(init: Any, source_phase: frozenset[int]) -> str | None:
    """The specifier of `await import("./x")` (or `import("./x")`), else None.
    `source_phase`: where the `import.source()` calls start, which bind no namespace."""
    if init is None:
        return None
    if init.type == "AwaitExpression":
        init = init.argument
    if init is not None and init.type == "ImportExpression" and init.range[0] not in source_phase:
        return _literal_specifier(init.source)
    return None


def _dynamic_bindings(declaration: Any, scope: int, source_phase: frozenset[int]) -> list[Binding]:
    """What a `const` declaration binds from `await import(...)`: a namespace
    (`const m = await import("./m.wasm")`) or exports (`const { add } = ...`)."""
    out: list[Binding] = []
    if declaration.type != "VariableDeclaration" or declaration.kind != "const":
        return out
    for d in declaration.declarations:
        spec = _dynamic_import_target(d.init, source_phase)
        if spec is None:
            continue
        if d.id.type == "Identifier":
            out.append(Binding(d.id.name, spec, "*", _span(d.init), dynamic=True, scope=scope))
        elif d.id.type == "ObjectPattern":
            for p in d.id.properties:
                if p.type == "Property" and p.value.type == "Identifier" and not p.computed:
                    key = p.key.name if p.key.type == "Identifier" else p.key.value
                    out.append(Binding(p.value.name, spec, key, _span(p.key), dynamic=True, scope=scope))
    return out


def _statement_list(node: Any) -> list[Any]:
    """The statements whose declarations a block-like node scopes."""
    if node.type in ("BlockStatement", "StaticBlock"):
        return list(node.body)
    if node.type == "SwitchStatement":
        return [s for case in node.cases for s in case.consequent]
    return []


def _scoped_dynamic_bindings(node: Any, source_phase: frozenset[int]) -> list[Binding]:
    """`await import()` bindings declared directly in a block inside the module (a function
    body is one): each with a scope of its own, 1 + its declaration's source offset."""
    out: list[Binding] = []
    for statement in _statement_list(node):
        if statement.type == "VariableDeclaration" and statement.kind == "const":
            out += _dynamic_bindings(statement, statement.range[0] + 1, source_phase)
    return out


# ---- source-phase imports -----------------------------------------------------------------

# `import source x from "..."` and `import.source(`: found by pattern (cheap, on every
# module), then confirmed by the parse: a match inside a string or a comment has no
# import node where it starts, and is left as it was.
_SOURCE_STATIC = re.compile(r"(?<![\w$.])import\s+(source)\s+[\w$]+\s+from\s*[\"']")
_SOURCE_DYNAMIC = re.compile(r"(?<![\w$.])import\s*(\.\s*source)\s*\(")
LINE_TERMINATORS = "\n\r\u2028\u2029"


def blank(text: str) -> str:
    """`text` as spaces, its line terminators kept, so lines and columns after it hold."""
    return "".join(c if c in LINE_TERMINATORS else " " for c in text)


def _source_phase_candidates(source: str) -> dict[int, tuple[int, int]]:
    """Where each candidate `import` keyword starts → the span of `source` / `.source`."""
    if "source" not in source:
        return {}
    found = {m.start(): m.span(1) for m in _SOURCE_STATIC.finditer(source)}
    found.update({m.start(): m.span(1) for m in _SOURCE_DYNAMIC.finditer(source)})
    return found


def _for_parser(source: str, candidates: dict[int, tuple[int, int]]) -> str:
    """The source as esprima can read it: each candidate's `source` / `.source` blanked."""
    parts, last = [], 0
    for start, end in sorted(candidates.values()):
        parts += [source[last:start], blank(source[start:end])]
        last = end
    parts.append(source[last:])
    return "".join(parts)


def _source_phase_nodes(ast: Any, candidates: dict[int, tuple[int, int]]) -> frozenset[int]:
    """The candidates that are import nodes: a static source import is a default import
    declaration at the top level, a dynamic one an import() call anywhere."""
    found = {
        n.range[0]
        for n in ast.body
        if n.type == "ImportDeclaration"
        and n.range[0] in candidates
        and [s.type for s in n.specifiers] == ["ImportDefaultSpecifier"]
    }
    stack = [ast]
    while stack:
        n = stack.pop()
        if n.type == "ImportExpression" and n.range[0] in candidates:
            found.add(n.range[0])
        stack.extend(child for _, child in _children(n))
    return frozenset(found)


PARSE_STACK = 256 * 1024 * 1024  # the parser's thread: deep nesting recurses in Python and in C
PARSE_RECURSION = 100_000  # ~12 frames per level of nesting: about 8,000 levels


_parser_thread: ThreadPoolExecutor | None = None
_parser_lock = threading.Lock()


def _parser() -> ThreadPoolExecutor:
    """The one thread esprima runs on, made once with a 256 MiB stack: a thread per module
    cost ~2 ms each to start (a third of parsing lodash's 640 small modules)."""
    global _parser_thread
    with _parser_lock:
        if _parser_thread is None:
            old_stack = threading.stack_size(PARSE_STACK)
            try:
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edgebox-parse")
                pool.submit(lambda: None).result()  # the thread starts now, with this stack size
            finally:
                threading.stack_size(old_stack)
            _parser_thread = pool
        return _parser_thread


def _parse_deep(source: str) -> Any:
    """esprima's parse, on a thread with room to recurse: under the default recursion limit
    (1,000 frames) an object literal nested 80 deep was refused as too deep."""

    def body() -> Any:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, PARSE_RECURSION))
        try:
            return esprima.parseModule(source, {"loc": True, "range": True, "comment": True})
        finally:
            sys.setrecursionlimit(old)

    return _parser().submit(body).result()


def _code_point_ranges(ast: Any, source: str) -> Any:
    """esprima counts offsets in UTF-16 code units, as JS does; Python indexes strings by code
    point. Past a character outside the BMP (an emoji) every range would point one unit per
    such character too far into `source`, so the ranges are moved back to code points here.
    (Columns in `loc` stay in UTF-16 units: that is how Node and V8 count them.)"""
    if source.isascii() or all(ord(c) < 0x10000 for c in source):
        return ast
    to_index: list[int] = []  # UTF-16 offset → code point index
    for i, c in enumerate(source):
        to_index.append(i)
        if ord(c) >= 0x10000:
            to_index.append(i)  # the low surrogate's unit: the same character
    to_index.append(len(source))
    stack, seen = [ast], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:  # a node reachable twice (a shorthand property's key and value)
            continue
        seen.add(id(n))
        if getattr(n, "range", None):
            n.range = [to_index[n.range[0]], to_index[n.range[1]]]
        stack.extend(child for _, child in _children(n))  # comments included: the Program's list
    return ast


def _parse(source: str, file: str) -> Any:
    try:
        return _code_point_ranges(_parse_deep(source), source)
    except esprima.Error as e:
        message = str(getattr(e, "description", None) or e)
        message = message.split(": ", 1)[1] if message.startswith("Line ") else message
        line = getattr(e, "lineNumber", 0) or 0
        col = getattr(e, "column", 0) or 0
        raise JSSyntaxError(f"syntax error: {message}", SourceSpan(file, line, col, line, col + 1)) from None
    except RecursionError:
        raise JSSyntaxError(
            "syntax error: the module nests too deeply for the parser", SourceSpan(file)
        ) from None


def analyze(source: str, file: str) -> ModuleFacts:
    """Parse `source` and extract its facts. `file` is only for error messages."""
    candidates = _source_phase_candidates(source)
    ast = _parse(_for_parser(source, candidates), file)
    source_phase = _source_phase_nodes(ast, candidates) if candidates else frozenset()
    if len(source_phase) < len(candidates):  # some were in strings or comments: leave those be
        ast = _parse(_for_parser(source, {k: v for k, v in candidates.items() if k in source_phase}), file)
    imports: list[ImportRecord] = []
    source_imports: list[SourceImport] = []
    assets: list[AssetReference] = []
    bindings: list[Binding] = []
    exports: list[ExportEntry] = []
    stars: list[str] = []
    module_names = _lexical_names(ast.body) | _var_names(ast)
    for node in ast.body:
        t = node.type
        if t == "ImportDeclaration" and node.range[0] in source_phase:
            spec = node.source.value
            local = node.specifiers[0].local.name
            imports.append(ImportRecord(spec, "import", _span(node.source), "source"))
            source_imports.append(
                SourceImport(spec, local, (node.range[0], node.range[1]), _span(node.source))
            )
            module_names.add(local)
        elif t == "ImportDeclaration":
            spec = node.source.value
            imports.append(ImportRecord(spec, "import", _span(node.source)))
            for s in node.specifiers:
                module_names.add(s.local.name)
                if s.type == "ImportNamespaceSpecifier":
                    bindings.append(Binding(s.local.name, spec, "*", _span(node.source)))
                elif s.type == "ImportDefaultSpecifier":
                    bindings.append(Binding(s.local.name, spec, "default", _span(s)))
                else:
                    imported = s.imported.name if s.imported.type == "Identifier" else s.imported.value
                    bindings.append(Binding(s.local.name, spec, imported, _span(s.imported)))
        elif t == "ExportAllDeclaration":
            spec = node.source.value
            imports.append(ImportRecord(spec, "reexport", _span(node.source)))
            if node.exported is not None:
                name = node.exported.name if node.exported.type == "Identifier" else node.exported.value
                exports.append(ExportEntry(name, specifier=spec, imported="*"))
            else:
                stars.append(spec)
        elif t == "ExportNamedDeclaration":
            spec = node.source.value if node.source else None
            if spec is not None:
                imports.append(ImportRecord(spec, "reexport", _span(node.source)))
            if node.declaration is not None:
                d = node.declaration
                if d.type == "VariableDeclaration":
                    for decl in d.declarations:
                        for n in _pattern_names(decl.id):
                            exports.append(ExportEntry(n, local=n))
                elif d.id is not None:
                    exports.append(ExportEntry(d.id.name, local=d.id.name))
            for s in node.specifiers:
                exported = s.exported.name if s.exported.type == "Identifier" else s.exported.value
                local = s.local.name if s.local.type == "Identifier" else s.local.value
                if spec is not None:
                    exports.append(ExportEntry(exported, specifier=spec, imported=local))
                else:
                    exports.append(ExportEntry(exported, local=local))
        elif t == "ExportDefaultDeclaration":
            d = node.declaration
            local = d.id.name if d.type in ("FunctionDeclaration", "ClassDeclaration") and d.id else None
            exports.append(ExportEntry("default", local=local))

    # what each top-level name holds, as far as its declaration tells
    kinds: dict[str, Literal["function", "class", "value", "unknown"]] = {}
    for node in ast.body:
        d = (
            node.declaration
            if node.type in ("ExportNamedDeclaration", "ExportDefaultDeclaration") and node.declaration
            else node
        )
        if d.type == "FunctionDeclaration" and d.id is not None:
            kinds[d.id.name] = "function"
        elif d.type == "ClassDeclaration" and d.id is not None:
            kinds[d.id.name] = "class"
        elif d.type == "VariableDeclaration":
            for decl in d.declarations:
                if decl.id.type != "Identifier":
                    continue
                init = decl.init
                if (
                    d.kind == "const"
                    and init is not None
                    and init.type in ("FunctionExpression", "ArrowFunctionExpression")
                ):
                    kinds[decl.id.name] = "function"
                elif (
                    d.kind == "const"
                    and init is not None
                    and _literal(init, {}, lambda n: False)[0] not in ("unknown", "function")
                ):
                    kinds[decl.id.name] = "value"
                else:
                    kinds[decl.id.name] = "unknown"
    exports = [
        ExportEntry(
            e.exported,
            e.specifier,
            e.imported,
            e.local,
            kinds.get(e.local, "unknown") if e.local else "unknown",
        )
        for e in exports
    ]

    # module-level `const x = <literal>` values stand in for literals at call sites
    consts: dict[str, Arg] = {}
    for node in ast.body:
        decl = node.declaration if node.type == "ExportNamedDeclaration" and node.declaration else node
        if decl.type == "VariableDeclaration" and decl.kind == "const":
            for d in decl.declarations:
                if d.id.type == "Identifier" and d.init is not None:
                    kind, value, text = _literal(d.init, {}, lambda n: False)
                    if kind != "unknown":
                        consts[d.id.name] = Arg(kind, _span(d.init), value, text)
            bindings += _dynamic_bindings(decl, 0, source_phase)

    tracked = {b.local for b in bindings}
    const_names = set(consts)
    interesting = tracked | const_names | {"undefined", "NaN", "Infinity"}
    calls: list[CallSite] = []
    members: list[MemberRead] = []
    identifiers: set[str] = set()
    shadowed: set[str] = set()

    # Iterative walk; each entry carries the names that enclosing non-module scopes declare
    # (of those that matter here): name → the scope of the import binding it is there
    # (`const m = await import(...)` in that function or block), or None where the name
    # is something else there and hides the module's binding or constant.
    Frame = tuple[Any, Any, str, dict[str, int | None]]
    stack: list[Frame] = [(ast, None, "", {})]
    while stack:
        node, parent, key, inner = stack.pop()
        t = node.type
        if t == "Identifier":
            identifiers.add(node.name)
        declared = _scope_names(node) if node is not ast else None
        if declared:
            scoped = _scoped_dynamic_bindings(node, source_phase)
            bindings += scoped
            bound = {b.local: b.scope for b in scoped}
            hits = declared & (interesting | inner.keys()) | bound.keys()
            if hits:
                shadowed |= hits & tracked
                inner = {**inner, **{n: bound.get(n) for n in hits}}

        def hidden(name: str, scope: dict[str, int | None] = inner) -> bool:
            return name in scope

        def import_scope(name: str, scope: dict[str, int | None] = inner) -> int | None:
            """The scope of the import binding `name` names here, or None if it names none."""
            if name in scope:
                return scope[name]
            return 0 if name in tracked else None

        if t == "CallExpression":
            callee = node.callee
            binding = member = None
            binding_scope: int | None = None
            callee_span = _span(callee)
            if callee.type == "Identifier" and (binding_scope := import_scope(callee.name)) is not None:
                binding = callee.name
            elif (
                callee.type == "MemberExpression"
                and callee.object.type == "Identifier"
                and (binding_scope := import_scope(callee.object.name)) is not None
            ):
                name = _member_name(callee)
                if name is not None:
                    binding, member = callee.object.name, name
                    callee_span = _span(callee.property)
            if binding is not None and binding_scope is not None:
                args = []
                spread = False
                for a in node.arguments:
                    if a.type == "SpreadElement":
                        spread = True
                        args.append(Arg("unknown", _span(a)))
                        continue
                    kind, value, text = _literal(a, consts, hidden)
                    args.append(Arg(kind, _span(a), value, text))
                real_parent, real_key = parent, key
                if parent is not None and parent.type == "ChainExpression":
                    real_parent, real_key = None, ""  # the chain's own parent is not known here
                calls.append(
                    CallSite(
                        binding,
                        member,
                        tuple(args),
                        spread,
                        not _unused_result(real_parent, real_key, node),
                        _span(node),
                        callee_span,
                        binding_scope,
                    )  # fmt: skip
                )
        elif t == "MemberExpression" and node.object.type == "Identifier":
            obj = node.object.name
            if (obj_scope := import_scope(obj)) is not None:
                name = _member_name(node)
                if name is not None:
                    written = parent is not None and (
                        (parent.type, key) in _WRITE_PARENTS
                        or (parent.type == "UnaryExpression" and parent.operator == "delete")
                    )
                    members.append(
                        MemberRead(
                            obj,
                            name,
                            _span(node.property),
                            (node.range[0], node.range[1]),
                            node.loc.start.line == node.loc.end.line,
                            written,
                            obj_scope,
                        )  # fmt: skip
                    )
        elif t == "NewExpression" and _is_asset_url(node):
            assets.append(AssetReference(node.arguments[0].value, _span(node.arguments[0])))
        elif t == "ImportExpression":
            spec = _literal_specifier(node.source)
            if node.range[0] in source_phase:
                if spec is None:
                    raise JSSyntaxError(
                        "import.source() needs a string literal: the bundle holds the wasm modules "
                        "it names, so which one must be known when it is built",
                        _span(node.source).at(file),
                        hint='name the module: import.source("./module.wasm")',
                    )
                imports.append(ImportRecord(spec, "dynamic", _span(node.source), "source"))
                source_imports.append(
                    SourceImport(spec, None, (node.range[0], node.range[1]), _span(node.source))
                )
            elif spec is not None:
                imports.append(ImportRecord(spec, "dynamic", _span(node.source)))
        for ck, child in reversed(list(_children(node))):
            stack.append((child, node, ck, inner))

    suppressions = []
    lines: list[str] | None = None
    for c in getattr(ast, "comments", None) or []:
        m = _SUPPRESS.match(c.value)
        if m:
            codes = tuple(m.group(1).split())
            # a comment alone on its line covers the next line; after code, its own line
            lines = lines if lines is not None else js_lines(source)
            own_line = lines[c.loc.start.line - 1][: c.loc.start.column].strip() == ""
            target = c.loc.end.line + 1 if own_line else c.loc.start.line
            suppressions.append(Suppression(target, codes, _span(c)))
    imports.sort(key=lambda r: (r.span.line, r.span.column))
    return ModuleFacts(
        source_sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        imports=tuple(imports),
        bindings=tuple(bindings),
        exports=tuple(exports),
        star_exports=tuple(stars),
        calls=tuple(calls),
        members=tuple(members),
        suppressions=tuple(suppressions),
        shadowed=tuple(sorted(shadowed)),
        identifiers=tuple(sorted(identifiers)),
        source_imports=tuple(sorted(source_imports, key=lambda i: i.range)),
        assets=tuple(sorted(assets, key=lambda a: (a.span.line, a.span.column))),
    )


def _cached(kind: str, digest: str) -> ModuleFacts | None:
    """The facts in a cache entry: a pickle (a tenth of the time JSON took to write, which a
    cold build of 1,000 modules does 1,000 times) after the sha256 of its bytes."""
    try:
        data = entry(kind, digest)
        if data is None or hashlib.sha256(data[32:]).digest() != data[:32]:
            return None  # damaged: analyse again and rewrite it
        facts = pickle.loads(data[32:])
    except Exception:  # absent, or written by other code
        return None
    return facts if isinstance(facts, ModuleFacts) and facts.source_sha256 == digest else None


def _serialised(facts: ModuleFacts) -> Callable[[], bytes]:
    def make() -> bytes:
        data = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(data).digest() + data

    return make


@cache
def _scan_key() -> str:
    """The scan's facts depend on the grammar too: its version is part of their key."""
    from importlib.metadata import version

    return f"{ANALYSIS_VERSION}-tsjs{version('tree-sitter-javascript')}"


def analyze_cached(source: str, path: Path, file: str, scan: bool = False) -> ModuleFacts:
    """`analyze`, memoised on disk by the source's sha256.

    With `scan`, the facts may be `partial`: tree-sitter's scan (scan.py) where it can
    vouch for them, at ~20x esprima's speed."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    kind = f"facts-{ANALYSIS_VERSION}"
    if scan:  # the scan's entry first: most modules have one, and one read is the warm cost
        scan_kind = f"facts-{_scan_key()}"
        facts = _cached(scan_kind, digest)
        if facts is not None:
            return facts
        from .scan import scan as scan_module

        facts = scan_module(source)  # cheaper than looking for esprima's entry first
        if facts is not None:
            put_entry_later(scan_kind, digest, _serialised(facts))
            return facts
    facts = _cached(kind, digest)
    if facts is not None:
        return facts
    if len(source) >= SLOW_PARSE_CHARS:
        print(
            f"edgebox: parsing {file} ({len(source) / 1e6:.1f} MB); the parser reads ~60 KB/s, "
            f"so about {len(source) / 60_000:.0f} s (cached for next time)",
            file=sys.stderr,
            flush=True,
        )
    facts = analyze(source, file)
    put_entry_later(kind, digest, _serialised(facts))
    return facts
