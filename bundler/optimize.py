"""Bundle-time rewrite: `ns.member` on a wasm namespace import becomes a direct import binding.

`import * as math from "./math.wasm"; math.add(1, 2)` is rewritten to call
`math$add`, imported by name. esbuild does the same when it bundles. It matters
here because QuickJS looks a namespace member up on every access: about 15 ns of
a ~75 ns call (bench/call_overhead.py). The replacement has the same length as
the original text (`.` → `$`) and the new import goes at the end of the module,
so every line:column in stacks and diagnostics still points at the user's source.

The rewrite is conservative: it only happens where it cannot change meaning.
The namespace binding must never be shadowed or redeclared in the module, the
member must be an export of the wasm module (a function, which ignores `this`),
the access must be a read on one line, and the alias must be a fresh name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .graph import JSModule, ModuleGraph, WasmModule

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
# Where an Identifier declares a name rather than reads one.
_BINDING_PARENTS = {
    ("VariableDeclarator", "id"), ("FunctionDeclaration", "id"), ("FunctionExpression", "id"),
    ("FunctionDeclaration", "params"), ("FunctionExpression", "params"),
    ("ArrowFunctionExpression", "params"), ("ClassDeclaration", "id"), ("ClassExpression", "id"),
    ("CatchClause", "param"), ("ImportSpecifier", "local"), ("ImportDefaultSpecifier", "local"),
    ("ImportNamespaceSpecifier", "local"), ("LabeledStatement", "label"),
}  # fmt: skip
_PATTERNS = {"ObjectPattern", "ArrayPattern", "RestElement", "AssignmentPattern"}
# A member expression in these places is written, not read.
_WRITE_PARENTS = {
    ("AssignmentExpression", "left"), ("UpdateExpression", "argument"), ("ForInStatement", "left"),
    ("ForOfStatement", "left"),
}  # fmt: skip


def _children(node: Any) -> Iterator[tuple[str, Any]]:
    for key, value in vars(node).items():
        if key in ("loc", "range", "type"):
            continue
        if isinstance(value, list):
            for item in value:
                if hasattr(item, "type"):
                    yield key, item
        elif hasattr(value, "type"):
            yield key, value


def _walk(node: Any) -> Iterator[tuple[Any, Any, str, str]]:
    """Every node with its parent, the parent's key holding it, and the grandparent's type."""
    stack: list[tuple[Any, Any, str, str]] = [(node, None, "", "")]
    while stack:
        n, p, k, gp = stack.pop()
        yield n, p, k, gp
        ptype = p.type if p is not None else ""
        stack.extend((child, n, ck, ptype) for ck, child in reversed(list(_children(n))))


def _member_name(node: Any) -> str | None:
    """The constant property name of `ns.x` or `ns["x"]`, else None."""
    prop = node.property
    if not node.computed and prop.type == "Identifier":
        return str(prop.name)
    if node.computed and prop.type == "Literal" and isinstance(prop.value, str):
        return prop.value
    return None


def rewrite_namespace_calls(mod: JSModule, resolve: dict[str, str], graph: ModuleGraph) -> str:
    """The module's source with wasm namespace member reads turned into direct bindings."""
    namespaces: dict[str, tuple[str, set[str]]] = {}  # local → (specifier, function exports)
    for decl in mod.ast.body:
        if decl.type != "ImportDeclaration":
            continue
        target = graph.modules.get(resolve.get(decl.source.value, ""))
        if not isinstance(target, WasmModule):
            continue
        funcs = {e.name for e in target.interface.exports if e.kind == "func"}
        for spec in decl.specifiers:
            if spec.type == "ImportNamespaceSpecifier":
                namespaces[spec.local.name] = (decl.source.value, funcs)
    if not namespaces:
        return mod.source
    names: set[str] = set()
    declared: dict[str, int] = {}
    members: list[tuple[Any, Any, str]] = []
    for node, parent, key, grandparent in _walk(mod.ast):
        if node.type == "Identifier":
            names.add(node.name)
            if parent is not None and (
                (parent.type, key) in _BINDING_PARENTS
                or parent.type in _PATTERNS
                or (parent.type == "Property" and key == "value" and grandparent == "ObjectPattern")
            ):
                declared[node.name] = declared.get(node.name, 0) + 1
        elif node.type == "MemberExpression" and node.object.type == "Identifier":
            if node.object.name in namespaces:
                members.append((node, parent, key))
    source = mod.source
    edits: list[tuple[int, int, str]] = []
    imports: dict[str, dict[str, str]] = {}
    for node, parent, key in members:
        ns = node.object.name
        if declared.get(ns, 0) != 1:  # shadowed or redeclared somewhere: leave it alone
            continue
        if parent is not None and (
            (parent.type, key) in _WRITE_PARENTS
            or (parent.type == "UnaryExpression" and parent.operator == "delete")
        ):
            continue
        name = _member_name(node)
        specifier, funcs = namespaces[ns]
        if name is None or name not in funcs or not IDENTIFIER.match(name):
            continue
        if node.loc.start.line != node.loc.end.line:
            continue
        start, end = node.range
        alias = f"{ns}${name}"
        original = source[start:end]
        if not original.startswith(ns) or len(alias) > len(original):
            continue
        if alias in names and alias not in imports.get(specifier, {}).values():
            continue
        edits.append((start, end, alias.ljust(len(original))))
        imports.setdefault(specifier, {})[name] = alias
    if not edits:
        return source
    parts = []
    last = 0
    for start, end, text in sorted(edits):
        parts.append(source[last:start])
        parts.append(text)
        last = end
    parts.append(source[last:])
    tail = "".join(
        "\nimport { " + ", ".join(f"{n} as {a}" for n, a in sorted(m.items())) + f" }} from {_js_string(s)};"
        for s, m in sorted(imports.items())
    )
    return "".join(parts) + tail + "\n"


def _js_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
