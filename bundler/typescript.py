"""TypeScript modules (`.ts`, `.mts`) made JavaScript by erasing their types, and nothing else.

Type syntax becomes spaces; line breaks stay. Every token that is left is where it was in the
`.ts` file, so everything after this step (esprima, the call-site checks, QuickJS's bytecode
and its stack traces) reports positions in the TypeScript source, without a source map.

What can be erased is TypeScript's "erasable syntax" (`erasableSyntaxOnly` in tsc 5.8, the
rule of Node's `--experimental-strip-types`): annotations, interfaces, type aliases, `declare`,
`import type`/`export type` and `type` specifiers, `as`, `satisfies`, `!`, generics, `this`
parameters, overloads, `abstract`, `implements`, modifiers (`public`, `readonly`, `override`)
and namespaces holding only types. What needs code generated for it is refused (EB014), each
place named: `enum`, a namespace with values, parameter properties, `<T>x`, `import x =`,
`export =`, and decorators (which QuickJS does not run either). Imports keep TypeScript's
`verbatimModuleSyntax` meaning: `import { type A } from "./a"` still loads "./a".

Erasing must never join what TypeScript reads as two statements: an erased declaration
leaves a `;` where it began, a field that loses its annotation ends with one, an `as`
expression followed by `(`, `[` or a template on the next line is closed with one, and an
arrow function whose return type spans lines gets its `=>` moved up next to the `)`. Each
`;` and `=>` is written into blanked space, so no position moves.

The parser is tree-sitter's TypeScript grammar (the `tree-sitter` and
`tree-sitter-typescript` packages), loaded only when a TypeScript file is bundled.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .errors import CheckFailed, JSSyntaxError, SourceSpan

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

__all__ = ["TS_EXTENSIONS", "TypeScriptError", "Erasure", "erase_types", "to_javascript", "unsupported_file"]

TS_EXTENSIONS = (".ts", ".mts")
REFUSED_CODE = "EB014"

# What each refused construct is called in messages, and what to write instead.
_REFUSED: dict[str, tuple[str, str]] = {
    "enum": (
        "`enum` is TypeScript that compiles to code",
        "use an object: `const Color = { Red: 0, Green: 1 } as const;` and "
        "`type Color = (typeof Color)[keyof typeof Color];`",
    ),
    "namespace": (
        "a `namespace` with values compiles to code",
        "make it a module of its own and import it, or a plain object; a namespace that holds "
        "only types is erased",
    ),
    "parameter property": (
        "a parameter property (a constructor parameter with `public`, `private`, `protected`, "
        "`readonly` or `override`) compiles to code",
        "declare the field in the class body and assign it in the constructor: "
        "`x: number; constructor(x: number) { this.x = x; }`",
    ),
    "type assertion": (
        "an angle-bracket type assertion `<T>value` is not erasable syntax",
        "write `value as T`",
    ),
    "import =": (
        "`import x = ...` compiles to code",
        'write `import x from "y"` (or `const x = A.B` for an alias)',
    ),
    "export =": ("`export =` is CommonJS", "write `export default value`"),
    "decorator": (
        "decorators compile to code, and QuickJS does not run them",
        "call the decorating function on the class or method yourself",
    ),
}

# Nodes that are types and nothing else: erased wherever they occur outside a type.
_TYPE_ONLY = frozenset(
    {
        "type_annotation", "asserts_annotation", "type_predicate_annotation", "omitting_type_annotation",
        "adding_type_annotation", "opting_type_annotation", "type_parameters", "type_arguments",
        "implements_clause", "accessibility_modifier", "override_modifier",
    }
)  # fmt: skip
# Declarations that declare types only: a statement that is one of them is erased whole.
_TYPE_DECLARATIONS = frozenset(
    {"interface_declaration", "type_alias_declaration", "ambient_declaration", "function_signature"}
)
# Class members that exist for the type checker only (overloads, index signatures, abstract).
_TYPE_MEMBERS = frozenset({"abstract_method_signature", "method_signature", "index_signature"})
_MODULES = ("internal_module", "module")
_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")


class TypeScriptError(CheckFailed):
    """TypeScript that cannot be made JavaScript by erasing types: each place is a
    Diagnostic (EB014), all of a file's reported at once."""


@dataclass(frozen=True)
class Erasure:
    """The JavaScript a TypeScript source erases to, or (`js` None) why it cannot."""

    js: str | None
    diagnostics: tuple[Diagnostic, ...] = ()


def unsupported_file(path: Path) -> str | None:
    """Why a TypeScript-like file cannot be a module EdgeBox runs, or None."""
    name = path.name
    if re.search(r"\.d\.([^.]+\.)?[cm]?ts$", name):  # x.d.ts, x.d.mts, x.d.css.ts
        return (
            f"{name} is a declaration file: it describes types and has no code to run "
            "(import its types with `import type`, which is erased)"
        )
    if path.suffix == ".tsx":
        return (
            f"{name} is a .tsx file: its JSX compiles to function calls, a transform EdgeBox does not "
            "do (it only erases types); write the calls, or compile it with tsc or esbuild first"
        )
    if path.suffix == ".cts":
        return f"{name} is a .cts file, CommonJS TypeScript, and EdgeBox bundles ES modules only (.ts, .mts)"
    return None


@cache
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_typescript

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript()))


def to_javascript(source: str, file: str) -> str:
    """The JavaScript `source` erases to; raises TypeScriptError (every refused construct)
    or JSSyntaxError (it does not parse as TypeScript)."""
    erased = erase_types(source, file)
    if erased.js is None:
        n = len(erased.diagnostics)
        raise TypeScriptError(
            erased.diagnostics,
            f"{file}: {n} TypeScript construct{'s' if n != 1 else ''} EdgeBox cannot erase",
        )
    return erased.js


def erase_types(source: str, file: str) -> Erasure:
    """Erase the types of a TypeScript module (`file` names it in diagnostics)."""
    data = source.encode("utf-8", "surrogatepass")
    tree = _parser().parse(data)
    eraser = _Eraser(data, file)
    eraser.check_postfix_types(tree.root_node)
    eraser.walk(tree.root_node)
    if eraser.refusals:
        return Erasure(None, tuple(eraser.refusals))
    js = eraser.output()
    if tree.root_node.has_error and not eraser.errors_are_erased(tree.root_node):
        # tree-sitter recovers from an error and says little about it; the JS parser, reading
        # what is left after erasing, names the token and its place (the same as in the .ts)
        from .analysis import _parse

        _parse(js, file)
        eraser.syntax_error(tree.root_node)  # it parsed: then say where tree-sitter stopped
    return Erasure(js)


def _children(node: Node) -> Iterator[tuple[str | None, Node]]:
    for i, child in enumerate(node.children):
        yield node.field_name_for_child(i), child


def _token(node: Node, kind: str) -> Node | None:
    """The first anonymous child token `kind` (`'type'`, `'?'`, `'!'`) of `node`."""
    return next((c for c in node.children if not c.is_named and c.type == kind), None)


class _Eraser:
    def __init__(self, data: bytes, file: str):
        self.data = data
        self.file = file
        self.mask = bytearray(len(data))  # 1: blanked
        self.inserts: dict[int, str] = {}  # byte offset (inside a blanked run) → one ASCII char
        self.refusals: list[Diagnostic] = []

    # -- positions ---------------------------------------------------------------------

    def span(self, start: int, end: int) -> SourceSpan:
        """1-based JS line and column, the column in UTF-16 units as esprima and V8 count it."""
        before = self.data[:start].decode("utf-8", "replace")
        breaks = list(_LINE_BREAK.finditer(before))
        line = len(breaks) + 1
        column = _units(before[breaks[-1].end() if breaks else 0 :]) + 1
        text = self.data[start:end].decode("utf-8", "replace")
        first = _LINE_BREAK.split(text, maxsplit=1)[0]
        return SourceSpan(self.file, line, column, line, column + max(_units(first), 1))

    # -- edits ---------------------------------------------------------------------------

    def blank(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

    def blank_node(self, node: Node) -> None:
        self.blank(node.start_byte, node.end_byte)

    def blank_token(self, node: Node, kind: str) -> None:
        """Erase `node`'s token `kind` where it has one (`x?: T`, `let x!: T`, `abstract`)."""
        token = _token(node, kind)
        if token is not None:
            self.blank_node(token)

    def blank_statement(self, node: Node) -> None:
        """Erase a whole statement or class member, leaving a `;` where it began: what came
        before must not run on into what comes after (`let x = 1` / `type T = 2` / `(f)()`)."""
        self.blank_node(node)
        self.inserts[node.start_byte] = ";"

    def blank_with_comma(self, node: Node) -> None:
        """Erase a list item (a `type` specifier, a `this` parameter) and the comma after it."""
        self.blank_node(node)
        after = node.next_sibling
        if after is not None and after.type == ",":
            self.blank_node(after)

    def refuse(self, node: Node, construct: str) -> None:
        what, hint = _REFUSED[construct]
        message = f"{what}; EdgeBox runs TypeScript by erasing its types, so it cannot run this"
        self.refusals.append(
            Diagnostic(REFUSED_CODE, "error", message, self.span(node.start_byte, node.end_byte), hint)
        )

    def errors_are_erased(self, root: Node) -> bool:
        """True when every place tree-sitter could not parse lies inside erased type syntax
        (its grammar lacks a few type forms, such as `keyof readonly T[]`), which leaves
        nothing of it in the JS. A token it had to make up (MISSING) never counts as erased."""
        for bad in _errors(root):
            if bad.is_missing or bad.end_byte <= bad.start_byte:
                return False
            if b"\x00" in self.mask[bad.start_byte : bad.end_byte]:
                return False
        return True

    def syntax_error(self, root: Node) -> None:
        bad = _first_error(root)
        if bad is None:
            return
        start = bad.start_byte
        if bad.is_missing:
            message = f"TypeScript syntax error: expected '{bad.type}'"
        else:
            text = self.data[bad.start_byte : bad.end_byte].decode("utf-8", "replace")
            token = _LINE_BREAK.split(text.strip(), maxsplit=1)[0][:40] or "end of file"
            message = f"TypeScript syntax error: unexpected '{token}'"
            first = next((c for c in bad.children if c.end_byte > c.start_byte), None)
            start = first.start_byte if first is not None else start
        raise JSSyntaxError(message, self.span(start, max(bad.end_byte, start + 1)))

    def check_postfix_types(self, root: Node) -> None:
        """TypeScript never continues a type with `[` on a new line (`a as T` + newline +
        `[1].map(f)` is two statements); tree-sitter's grammar reads `T[1]`, and erasing that
        would swallow code. Such a place is refused, asking for the `;` that says it."""
        for node in _postfix_types(root):
            bracket = _token(node, "[")
            first = node.children[0] if node.children else None
            if bracket is None or first is None:
                continue
            if _LINE_BREAK.search(self.data[first.end_byte : bracket.start_byte].decode("utf-8", "replace")):
                where = self.span(first.start_byte, first.end_byte)
                raise JSSyntaxError(
                    "TypeScript ends this type at the line break, before the `[` on the next line, "
                    "where the parser EdgeBox uses for TypeScript would read them as one type",
                    where,
                    hint=f"end the statement with a `;` on line {where.line}",
                )

    # -- the walk ------------------------------------------------------------------------

    def walk(self, root: Node) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            if self.visit(node):
                stack.extend(reversed(node.children))

    def visit(self, node: Node) -> bool:
        """Erase or refuse what `node` is; True to go on into its children."""
        kind = node.type
        if kind in _TYPE_ONLY:
            self.blank_node(node)
            return False
        handler = _HANDLERS.get(kind)
        return handler(self, node) if handler is not None else True

    def output(self) -> str:
        """The source with blanked runs made spaces, line breaks kept: one space per UTF-16
        unit (two for a character outside the BMP), so columns hold as JS counts them."""
        out: list[str] = []
        at = 0
        inserts = sorted(self.inserts.items())
        for run in re.finditer(b"\x01+", self.mask):
            start, end = run.span()
            out.append(self.data[at:start].decode("utf-8", "surrogatepass"))
            blanked = _blank(self.data[start:end].decode("utf-8", "surrogatepass"))
            first = bisect.bisect_left(inserts, (start, ""))
            if first < len(inserts) and inserts[first][0] < end:
                chars = list(blanked)
                for offset, char in inserts[first : bisect.bisect_left(inserts, (end, ""))]:
                    i = len(_blank(self.data[start:offset].decode("utf-8", "surrogatepass")))
                    assert chars[i] == " ", "an insertion lands on a line break"
                    chars[i] = char
                blanked = "".join(chars)
            out.append(blanked)
            at = end
        out.append(self.data[at:].decode("utf-8", "surrogatepass"))
        return "".join(out)


_NOT_LINE_BREAK = re.compile("[^\n\r\u2028\u2029\U00010000-\U0010ffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _blank(text: str) -> str:
    return _ASTRAL.sub("  ", _NOT_LINE_BREAK.sub(" ", text))


def _units(text: str) -> int:
    """Length in UTF-16 code units."""
    return len(text) + len(_ASTRAL.findall(text))


@cache
def _postfix_query() -> Any:
    import tree_sitter
    import tree_sitter_typescript

    language = tree_sitter.Language(tree_sitter_typescript.language_typescript())
    return tree_sitter.Query(language, "[(array_type) (lookup_type)] @postfix")


def _postfix_types(root: Node) -> list[Node]:
    import tree_sitter

    return tree_sitter.QueryCursor(_postfix_query()).captures(root).get("postfix", [])


def _errors(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            yield n
        elif n.has_error:
            stack.extend(reversed(n.children))


def _first_error(node: Node) -> Node | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


# -- handlers, one per node kind ----------------------------------------------------------


def _statement_declaration(e: _Eraser, node: Node) -> bool:
    e.blank_statement(node)
    return False


def _type_only_module(node: Node) -> bool:
    """A namespace TypeScript does not instantiate: it holds types and nothing else."""
    body = node.child_by_field_name("body")
    if body is None:
        return True
    for child in body.named_children:
        if child.type == "expression_statement" and child.named_children:
            child = child.named_children[0]
        if child.type == "export_statement":
            if _token(child, "type") is not None:
                continue
            decl = child.child_by_field_name("declaration")
            if decl is None:
                return False
            child = decl
        if child.type in _TYPE_DECLARATIONS or child.type in ("comment", "empty_statement"):
            continue
        if child.type == "import_statement" and _token(child, "type") is not None:
            continue
        if child.type in _MODULES and _type_only_module(child):
            continue
        return False
    return True


def _module(e: _Eraser, node: Node, statement: Node) -> bool:
    if _type_only_module(node):
        e.blank_statement(statement)
    else:
        e.refuse(node, "namespace")
    return False


def _expression_statement(e: _Eraser, node: Node) -> bool:
    # tree-sitter reads `namespace N { }` as an expression statement
    inner = node.named_children[0] if node.named_children else None
    if inner is not None and inner.type == "internal_module":
        return _module(e, inner, node)
    return True


def _module_statement(e: _Eraser, node: Node) -> bool:
    return _module(e, node, node)


def _export_statement(e: _Eraser, node: Node) -> bool:
    if _token(node, "type") is not None:  # export type { A }; export type * from "./x"
        e.blank_statement(node)
        return False
    if _token(node, "=") is not None:
        e.refuse(node, "export =")
        return False
    if _token(node, "namespace") is not None:  # export as namespace Lib (a .d.ts's UMD global)
        e.blank_statement(node)
        return False
    decl = node.child_by_field_name("declaration")
    if decl is not None:
        if decl.type in _TYPE_DECLARATIONS:
            e.blank_statement(node)
            return False
        if decl.type in _MODULES:
            return _module(e, decl, node)
        if decl.type == "import_alias":
            e.refuse(node, "import =")
            return False
    return True


def _import_statement(e: _Eraser, node: Node) -> bool:
    if _token(node, "type") is not None:  # import type { A } from "./a"
        e.blank_statement(node)
        return False
    if any(c.type == "import_require_clause" for c in node.children):
        e.refuse(node, "import =")
        return False
    return True


def _specifier(e: _Eraser, node: Node) -> bool:
    if _token(node, "type") is not None:  # import { type A, b }: `type A` goes, the import stays
        e.blank_with_comma(node)
        return False
    return True


def _refuser(construct: str) -> Any:
    def handler(e: _Eraser, node: Node) -> bool:
        e.refuse(node, construct)
        return False

    return handler


def _parameter(e: _Eraser, node: Node) -> bool:
    if any(
        c.type in ("accessibility_modifier", "override_modifier") or (c.type == "readonly" and not c.is_named)
        for c in node.children
    ):
        e.refuse(node, "parameter property")
        return False
    pattern = node.child_by_field_name("pattern")
    if pattern is not None and pattern.type == "this":  # function f(this: Window, ...)
        e.blank_with_comma(node)
        return False
    e.blank_token(node, "?")
    return True


def _field(e: _Eraser, node: Node) -> bool:
    if _token(node, "declare") is not None or _token(node, "abstract") is not None:
        e.blank_statement(node)  # a declared or abstract field has no value to define
        return False
    last: Node | None = None
    for field, child in _children(node):
        if child.type in _TYPE_ONLY:
            e.blank_node(child)
            last = child
        elif not child.is_named and child.type in ("readonly", "?", "!"):
            e.blank_node(child)
            last = child
        elif field == "value":
            return True
    # No initializer: `get: number` / `foo() {}` must stay two members, as TypeScript reads
    # them, not become `get foo() {}`; a `;` in the erased annotation ends the field.
    after = node.next_sibling
    if last is not None and last.end_byte == node.end_byte and (after is None or after.type != ";"):
        e.inserts[last.start_byte] = ";"
    return True


def _method(e: _Eraser, node: Node) -> bool:
    e.blank_token(node, "?")
    return True


def _type_member(e: _Eraser, node: Node) -> bool:
    e.blank_statement(node)
    return False


def _abstract_class(e: _Eraser, node: Node) -> bool:
    e.blank_token(node, "abstract")
    return True


def _declarator(e: _Eraser, node: Node) -> bool:
    e.blank_token(node, "!")  # let x!: number
    return True


def _non_null(e: _Eraser, node: Node) -> bool:
    last = node.children[-1]
    if not last.is_named and last.type == "!":
        e.blank_node(last)
    return True


def _assertion(e: _Eraser, node: Node) -> bool:
    """`value as T`, `value satisfies T`: the operator and the type go."""
    operator = next(c for c in node.children if not c.is_named and c.type in ("as", "satisfies"))
    e.blank(operator.start_byte, node.end_byte)
    parent = node.parent
    # tree-sitter reads `a as T` + newline + `(b)` as a call of `a as T`; TypeScript ends the
    # statement at the line break (a type cannot be called) and reads `(b)` as the next one.
    if parent is not None and parent.type in ("call_expression", "subscript_expression"):
        callee = parent.child_by_field_name("function") or parent.child_by_field_name("object")
        if callee is not None and callee.id == node.id:
            between = e.data[node.end_byte : parent.named_children[-1].start_byte]
            if b"\n" in between or b"\r" in between or "\u2028".encode() in between:
                e.inserts[operator.start_byte] = ";"
            else:
                raise JSSyntaxError(
                    f"TypeScript syntax error: `{operator.type}` expression called or indexed "
                    "without parentheses",
                    e.span(node.start_byte, parent.end_byte),
                    hint=f"write `(value {operator.type} T)(...)`",
                )
    return True


def _arrow(e: _Eraser, node: Node) -> bool:
    """`(a): T => a` loses `: T`. If that leaves a line break between `)` and `=>`, which
    JavaScript forbids, `=>` moves up into the erased space right after `)`."""
    params = node.child_by_field_name("parameters")
    returns = node.child_by_field_name("return_type")
    arrow = _token(node, "=>")
    if params is None or returns is None or arrow is None:
        return True
    between = e.data[params.end_byte : arrow.start_byte].decode("utf-8", "surrogatepass")
    if not _LINE_BREAK.search(between):
        return True
    e.blank_node(returns)
    slots: list[int] = []
    at = returns.start_byte
    for char in e.data[returns.start_byte : returns.end_byte].decode("utf-8", "surrogatepass"):
        if _LINE_BREAK.match(char) or len(slots) == 2:
            break
        slots.append(at)
        at += len(char.encode("utf-8", "surrogatepass"))
    blank_before = e.data[params.end_byte : returns.start_byte].strip(b" \t") == b""
    if len(slots) < 2 or not blank_before:
        raise JSSyntaxError(
            "an arrow function's return type that starts on a new line cannot be erased without "
            "moving the code after it (JavaScript allows no line break before `=>`)",
            e.span(returns.start_byte, returns.end_byte),
            hint="start the return type on the line of the `)`",
        )
    e.blank_node(arrow)
    e.inserts[slots[0]] = "="
    e.inserts[slots[1]] = ">"
    return True


def _binary(e: _Eraser, node: Node) -> bool:
    """TypeScript reads ``tag<T>`x` `` as a tagged template with type arguments; tree-sitter's
    grammar reads `(tag < T) > `x``, comparisons that would run without a word. Refused."""
    operator = node.child_by_field_name("operator")
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if (
        operator is not None
        and operator.type == ">"
        and right is not None
        and right.type == "template_string"
        and left is not None
        and left.type == "binary_expression"
        and (inner := left.child_by_field_name("operator")) is not None
        and inner.type == "<"
    ):
        raise JSSyntaxError(
            "TypeScript reads this as a tagged template with type arguments (tag<T>`...`), which "
            "the parser EdgeBox uses for TypeScript reads as two comparisons",
            e.span(node.start_byte, node.end_byte),
            hint="drop the type arguments (tag`...`), or write the comparisons in parentheses",
        )
    return True


_HANDLERS: dict[str, Any] = {
    **dict.fromkeys(_TYPE_DECLARATIONS, _statement_declaration),
    **dict.fromkeys(_TYPE_MEMBERS, _type_member),
    "expression_statement": _expression_statement,
    "internal_module": _module_statement,
    "module": _module_statement,
    "export_statement": _export_statement,
    "import_statement": _import_statement,
    "import_specifier": _specifier,
    "export_specifier": _specifier,
    "import_alias": _refuser("import ="),
    "enum_declaration": _refuser("enum"),
    "type_assertion": _refuser("type assertion"),
    "decorator": _refuser("decorator"),
    "required_parameter": _parameter,
    "optional_parameter": _parameter,
    "public_field_definition": _field,
    "method_definition": _method,
    "abstract_class_declaration": _abstract_class,
    "variable_declarator": _declarator,
    "non_null_expression": _non_null,
    "as_expression": _assertion,
    "satisfies_expression": _assertion,
    "arrow_function": _arrow,
    "binary_expression": _binary,
}
