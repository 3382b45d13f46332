"""The fast scan: a module's import and export facts from tree-sitter, without esprima.

esprima, in pure Python, reads ~200-300 KB/s; tree-sitter's JavaScript grammar, in C,
reads several MB/s. Most modules of a large graph (a utility library's 600 files) never
bind a wasm export, so nothing in them is checked: the graph needs only what they import,
re-export and export, and the files they reach by `new URL(..., import.meta.url)`. This
module reads exactly those facts from tree-sitter's tree, with the spans esprima would
give them (1-based lines, UTF-16 columns, JS's line terminators), and marks the facts
`partial`: no call sites, member reads or identifiers were collected.

It declines (returns None, and the caller parses with esprima as before) whenever it
could differ from esprima:
- tree-sitter found an ERROR or MISSING node: its error recovery is not a JS parser's
  error, so esprima says what is wrong, exactly where, as it always did;
- the module has an `import()` (its awaited bindings are scoped; esprima's walk finds
  them), a source-phase import, an `edgebox-ignore` comment (an unused one is reported),
  an escape in a string the facts need, or syntax esprima may not accept (JSX,
  decorators, import attributes).
What tree-sitter accepts and a JS parser does not (an early error such as `let a; let
a;`) is caught when QuickJS compiles the module, and reported with esprima's message
(pipeline.py, `compile_modules`).

A module whose imports reach a wasm export is parsed again with esprima, after the graph
is resolved (checker.py, `with_call_facts`): its calls are checked.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Literal

from .analysis import (
    AssetReference,
    Binding,
    ExportEntry,
    ImportRecord,
    ModuleFacts,
    Span,
    _relative_url,
    _source_phase_candidates,
)

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Query

ValueKind = Literal["function", "class", "value", "unknown"]

# Line terminators as JS counts them (\r\n is one), on the UTF-8 bytes.
_LINE_BREAK = re.compile(rb"\r\n|[\r\n]|\xe2\x80[\xa8\xa9]")  # U+2028, U+2029 in UTF-8
_FUNCTION_TYPES = ("function_expression", "arrow_function", "generator_function", "class")
_DECLINE_QUERY = """
(call_expression function: (import)) @x
(jsx_element) @x
(jsx_self_closing_element) @x
(decorator) @x
(import_attribute) @x
"""
_URL_QUERY = '(new_expression constructor: (identifier) @c (#eq? @c "URL")) @new'


@cache
def _parser() -> tuple[Parser, Query, Query]:
    import tree_sitter
    import tree_sitter_javascript

    language = tree_sitter.Language(tree_sitter_javascript.language())
    return (
        tree_sitter.Parser(language),
        tree_sitter.Query(language, _DECLINE_QUERY),
        tree_sitter.Query(language, _URL_QUERY),
    )


class _Decline(Exception):
    """The scan cannot vouch for this module's facts: esprima reads it."""


class _Positions:
    """tree-sitter's byte offsets as esprima's line and UTF-16 column."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(data))]

    def point(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        start = self.starts[line - 1]
        if self.ascii:
            return line, offset - start + 1
        return line, len(self.data[start:offset].decode("utf-8").encode("utf-16-le")) // 2 + 1

    def span(self, node: Node) -> Span:
        line, column = self.point(node.start_byte)
        end_line, end_column = self.point(node.end_byte)
        return Span(line, column, end_line, end_column)


def _named(node: Node) -> Iterator[Node]:
    """The node's named children, comments left out (tree-sitter keeps them in the tree)."""
    return (c for c in node.named_children if c.type != "comment")


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _string_value(node: Node) -> str:
    """A string literal's value; an escape declines (its cooked value is esprima's job)."""
    if node.type != "string":
        raise _Decline
    parts = []
    for c in _named(node):
        if c.type != "string_fragment":
            raise _Decline
        parts.append(_text(c))
    return "".join(parts)


def _name(node: Node) -> str:
    """An import or export name: an identifier, or a string (`export { a as "a-b" }`)."""
    return _string_value(node) if node.type == "string" else _text(node)


def _pattern_names(node: Node | None) -> Iterator[str]:
    """Names a binding pattern binds, in esprima's order (analysis._pattern_names)."""
    if node is None:
        return
    t = node.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        yield _text(node)
    elif t == "object_pattern" or t == "array_pattern":
        for c in _named(node):
            yield from _pattern_names(c)
    elif t == "pair_pattern":
        yield from _pattern_names(node.child_by_field_name("value"))
    elif t in ("assignment_pattern", "object_assignment_pattern"):
        yield from _pattern_names(node.child_by_field_name("left"))
    elif t == "rest_pattern":
        yield from _pattern_names(next(_named(node), None))
    else:
        raise _Decline  # a shape the scan does not know: esprima reads it


def _literal_kind(node: Node) -> str:
    """What analysis._literal says a declaration's initialiser is (its kind only)."""
    t = node.type
    if t == "parenthesized_expression":
        inner = list(_named(node))
        return _literal_kind(inner[0]) if len(inner) == 1 else "unknown"
    if t == "number":
        text = _text(node)
        if text.endswith("n"):
            try:
                int(text[:-1].replace("_", ""), 0)
            except ValueError:
                return "unknown"
            return "bigint"
        return "number"
    if t in ("string", "template_string"):
        return "string"
    if t == "regex" or t == "object":
        return "object"
    if t == "array":
        return "array"
    if t == "null":
        return "null"
    if t in ("true", "false"):
        return "boolean"
    if t in _FUNCTION_TYPES:
        return "function"
    if t == "undefined" or (t == "identifier" and _text(node) == "undefined"):
        return "undefined"
    if t == "identifier" and _text(node) in ("NaN", "Infinity"):
        return "number"
    if t == "unary_expression":
        op = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if op is None or argument is None or _text(op) not in ("-", "+"):
            return "unknown"
        kind = _literal_kind(argument)
        if kind == "number" or (kind == "bigint" and _text(op) == "-"):
            return kind
    return "unknown"


def _declared_kinds(statement: Node) -> Iterator[tuple[str, ValueKind]]:
    """What each top-level name a declaration binds holds (analysis.analyze's `kinds`)."""
    t = statement.type
    if t in ("function_declaration", "generator_function_declaration"):
        name = statement.child_by_field_name("name")
        if name is not None:
            yield _text(name), "function"
    elif t == "class_declaration":
        name = statement.child_by_field_name("name")
        if name is not None:
            yield _text(name), "class"
    elif t in ("lexical_declaration", "variable_declaration"):
        kind = statement.child_by_field_name("kind")
        const = t == "lexical_declaration" and kind is not None and _text(kind) == "const"
        for d in _named(statement):
            if d.type != "variable_declarator":
                continue
            name = d.child_by_field_name("name")
            if name is None or name.type != "identifier":
                continue
            init = d.child_by_field_name("value")
            while init is not None and init.type == "parenthesized_expression":  # esprima drops them
                inner = list(_named(init))
                init = inner[0] if len(inner) == 1 else None
            if const and init is not None and init.type in ("function_expression", "arrow_function"):
                yield _text(name), "function"
            elif const and init is not None and _literal_kind(init) not in ("unknown", "function"):
                yield _text(name), "value"
            else:
                yield _text(name), "unknown"


def _declared_names(declaration: Node) -> Iterator[str]:
    """Names `export <declaration>` exports."""
    if declaration.type in ("lexical_declaration", "variable_declaration"):
        for d in _named(declaration):
            if d.type == "variable_declarator":
                yield from _pattern_names(d.child_by_field_name("name"))
    else:
        name = declaration.child_by_field_name("name")
        if name is not None:
            yield _text(name)


def _is_asset_url(node: Node) -> str | None:
    """The path of `new URL("<relative path>", import.meta.url)` (analysis._is_asset_url)."""
    args_node = node.child_by_field_name("arguments")
    args = list(_named(args_node)) if args_node is not None else []
    if len(args) != 2 or args[0].type != "string":
        return None
    base = args[1]
    if base.type != "member_expression":
        return None
    obj, prop = base.child_by_field_name("object"), base.child_by_field_name("property")
    if obj is None or prop is None or obj.type != "meta_property" or _text(prop) != "url":
        return None
    if any(c.type == "optional_chain" for c in base.children):  # `import.meta?.url`: esprima's is a chain
        return None
    if not _text(obj).startswith("import"):  # `new.target` is a meta property too
        return None
    value = _string_value(args[0])
    return value if _relative_url(value) else None


def scan(source: str) -> ModuleFacts | None:
    """The module's import and export facts, `partial`; None where esprima must read it."""
    if "edgebox-ignore" in source or _source_phase_candidates(source):
        return None
    data = source.encode("utf-8")
    parser, decline, urls = _parser()
    tree = parser.parse(data)
    root = tree.root_node
    if root.has_error:
        return None
    from tree_sitter import QueryCursor

    if QueryCursor(decline).captures(root):
        return None
    try:
        return _facts(source, data, root, urls)
    except _Decline:
        return None


def _facts(source: str, data: bytes, root: Node, urls: Query) -> ModuleFacts:
    from tree_sitter import QueryCursor

    pos = _Positions(data)
    imports: list[ImportRecord] = []
    bindings: list[Binding] = []
    exports: list[tuple[str, str | None, str | None, str | None]] = []  # exported, spec, imported, local
    stars: list[str] = []
    kinds: dict[str, ValueKind] = {}
    for node in _named(root):
        t = node.type
        if t == "import_statement":
            src = node.child_by_field_name("source")
            if src is None:
                raise _Decline
            spec = _string_value(src)
            imports.append(ImportRecord(spec, "import", pos.span(src)))
            clause = next((c for c in _named(node) if c.type == "import_clause"), None)
            for part in _named(clause) if clause is not None else ():
                if part.type == "identifier":
                    bindings.append(Binding(_text(part), spec, "default", pos.span(part)))
                elif part.type == "namespace_import":
                    bindings.append(Binding(_text(next(_named(part))), spec, "*", pos.span(src)))
                elif part.type == "named_imports":
                    for s in _named(part):
                        name = s.child_by_field_name("name")
                        if s.type != "import_specifier" or name is None:
                            raise _Decline
                        alias = s.child_by_field_name("alias")
                        local = _text(alias) if alias is not None else _name(name)
                        bindings.append(Binding(local, spec, _name(name), pos.span(name)))
                else:
                    raise _Decline
        elif t == "export_statement":
            src = node.child_by_field_name("source")
            from_spec = _string_value(src) if src is not None else None
            declaration = node.child_by_field_name("declaration")
            is_default = any(c.type == "default" for c in node.children)
            if from_spec is not None and src is not None:
                imports.append(ImportRecord(from_spec, "reexport", pos.span(src)))
                namespace = next((c for c in _named(node) if c.type == "namespace_export"), None)
                if namespace is not None:
                    exports.append((_name(list(_named(namespace))[-1]), from_spec, "*", None))
                elif not any(c.type == "export_clause" for c in node.children):
                    stars.append(from_spec)
            if is_default:
                own: str | None = None
                if declaration is not None and declaration.type in (
                    "function_declaration", "generator_function_declaration", "class_declaration",
                ):  # fmt: skip
                    fname = declaration.child_by_field_name("name")
                    own = _text(fname) if fname is not None else None
                exports.append(("default", None, None, own))
            elif declaration is not None:
                for n in _declared_names(declaration):
                    exports.append((n, None, None, n))
            for clause in (c for c in _named(node) if c.type == "export_clause"):
                for s in _named(clause):
                    name = s.child_by_field_name("name")
                    if s.type != "export_specifier" or name is None:
                        raise _Decline
                    alias = s.child_by_field_name("alias")
                    exported = _name(alias) if alias is not None else _name(name)
                    if from_spec is not None:
                        exports.append((exported, from_spec, _name(name), None))
                    else:
                        exports.append((exported, None, None, _name(name)))
            if declaration is not None:
                kinds.update(_declared_kinds(declaration))
        else:
            kinds.update(_declared_kinds(node))
    assets: list[AssetReference] = []
    if b"meta" in data and b"URL" in data:
        for new in QueryCursor(urls).captures(root).get("new", []):
            path = _is_asset_url(new)
            if path is not None:
                args = new.child_by_field_name("arguments")
                assert args is not None
                assets.append(AssetReference(path, pos.span(next(_named(args)))))
    imports.sort(key=lambda r: (r.span.line, r.span.column))
    return ModuleFacts(
        source_sha256=hashlib.sha256(data).hexdigest(),
        imports=tuple(imports),
        bindings=tuple(bindings),
        exports=tuple(
            ExportEntry(e, s, i, loc, kinds.get(loc, "unknown") if loc else "unknown")
            for e, s, i, loc in exports
        ),
        star_exports=tuple(stars),
        calls=(),
        members=(),
        suppressions=(),
        assets=tuple(sorted(assets, key=lambda a: (a.span.line, a.span.column))),
        partial=True,
    )
