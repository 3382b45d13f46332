"""Package resolution (bundler/resolve.py): bare specifiers through node_modules.

Each test lays out a small node_modules tree by hand and asserts the file a specifier
resolves to, or the exact error. Where Node would resolve the same way (its conditions,
`node,import`, passed with --conditions), the table test compares with Node's own
`import.meta.resolve`, and an app is run under both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from functools import cmp_to_key
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import NODE, needs_node, run_node

import bundler
from bundler.errors import ModuleNotFound, SourceSpan, UsageError
from bundler.resolve import (
    DEFAULT_CONDITIONS,
    NODE_BUILTINS,
    Conditions,
    PackageResolver,
    Unresolved,
    pattern_key_compare,
)


def lay_out(root: Path, files: dict[str, object]) -> None:
    """Write `files` under `root`: strings as they are, anything else as JSON."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))


def pkg(name: str, manifest: dict | None, *files: str, where: str = "node_modules") -> dict[str, object]:
    """A package directory: its package.json (None: none) and ES module files that export
    their own path as `id`."""
    out: dict[str, object] = {} if manifest is None else {f"{where}/{name}/package.json": manifest}
    for f in files:
        out[f"{where}/{name}/{f}"] = f"export const id = {json.dumps(f'{name}/{f}')};\n"
    return out


def resolve(root: Path, spec: str, importer: str = "app.js", conditions: str | None = None) -> str:
    """Where `spec` leads from `importer`, relative to `root` (the whole resolution, checks
    included, as the bundler does it)."""
    found = PackageResolver(Conditions.parse(conditions)).resolve(
        spec, root / importer, SourceSpan(importer, 1, 1)
    )
    return found.path.relative_to(root.resolve()).as_posix()


def refusal(root: Path, spec: str, importer: str = "app.js", conditions: str | None = None) -> ModuleNotFound:
    with pytest.raises(ModuleNotFound) as e:
        resolve(root, spec, importer, conditions)
    return e.value


@pytest.fixture
def root(project) -> Path:
    """The project directory (the working directory, so messages name paths from it)."""
    return project.root.resolve()


# "exports" ---------------------------------------------------------------------------------


def test_an_exports_string_is_the_whole_package(root):
    lay_out(root, pkg("a", {"name": "a", "exports": "./main.js"}, "main.js", "other.js"))
    assert resolve(root, "a") == "node_modules/a/main.js"
    e = refusal(root, "a/other.js")
    assert e.message == (
        "cannot import 'a/other.js': package 'a' does not export './other.js' "
        '(its "exports" in node_modules/a/package.json has no entry for it)'
    )
    assert e.hint == 'it exports "."'


def test_exports_subpaths_map_each_entry(root):
    exports = {
        ".": "./index.js",
        "./sub": "./lib/sub.js",
        "./data": "./data.json",
        "./package.json": "./package.json",
    }
    lay_out(root, pkg("a", {"name": "a", "exports": exports}, "index.js", "lib/sub.js"))
    lay_out(root, {"node_modules/a/data.json": "[1]"})
    assert resolve(root, "a") == "node_modules/a/index.js"
    assert resolve(root, "a/sub") == "node_modules/a/lib/sub.js"
    assert resolve(root, "a/data") == "node_modules/a/data.json"
    assert resolve(root, "a/package.json") == "node_modules/a/package.json"
    # a file that exists but is not listed stays private
    e = refusal(root, "a/lib/sub.js")
    assert e.message.startswith("cannot import 'a/lib/sub.js': package 'a' does not export './lib/sub.js'")
    assert e.hint == 'it exports ".", "./sub", "./data", "./package.json"'


def test_subpath_patterns_take_the_most_specific_match(root):
    exports = {
        "./features/*.js": "./src/features/*.js",
        "./features/internal/*.js": "./src/internal/*.js",
        "./features/*": "./src/features/*.js",
        "./twice/*": "./twice/*/*.js",
    }
    files = [
        "src/features/a.js",
        "src/features/deep/c.js",
        "src/internal/b.js",
        "src/features/x.js",
        "twice/t/t.js",
    ]
    lay_out(root, pkg("a", {"name": "a", "exports": exports}, *files))
    assert resolve(root, "a/features/a.js") == "node_modules/a/src/features/a.js"
    assert resolve(root, "a/features/internal/b.js") == "node_modules/a/src/internal/b.js"  # longer base wins
    assert resolve(root, "a/features/x") == "node_modules/a/src/features/x.js"  # no trailer: "./features/*"
    assert resolve(root, "a/features/deep/c.js") == "node_modules/a/src/features/deep/c.js"  # "*" spans "/"
    assert resolve(root, "a/twice/t") == "node_modules/a/twice/t/t.js"  # every "*" of the target
    e = refusal(root, "a/features/../../secret.js")
    assert e.message == (
        "invalid specifier: '../../secret', what \"./src/features/*.js\" in node_modules/a/package.json "
        'matched, may not contain ".", ".." or "node_modules" segments'
    )


def test_pattern_key_compare_orders_keys_as_the_spec_does():
    keys = ["./*", "./a/*", "./a/*.js", "./a/b", "./a/*/x.js", "./ab*"]
    # the longer prefix up to "*" first; then patterns before plain keys; then the longer key
    ordered = ["./a/*/x.js", "./a/*.js", "./a/*", "./ab*", "./a/b", "./*"]
    assert sorted(keys, key=cmp_to_key(pattern_key_compare)) == ordered


def test_conditions_are_taken_in_the_packages_order_and_nest(root):
    exports = {
        ".": {
            "node": {"import": "./node.mjs", "require": "./node.cjs"},
            "browser": {"import": "./browser.js", "default": "./browser-default.js"},
            "worker": "./worker.js",
            "default": "./fallback.js",
        }
    }
    files = ["node.mjs", "browser.js", "browser-default.js", "worker.js", "fallback.js"]
    lay_out(root, pkg("a", {"name": "a", "exports": exports}, *files))
    assert resolve(root, "a") == "node_modules/a/browser.js"  # "browser" comes before "worker" in the package
    assert resolve(root, "a", conditions="worker,browser") == "node_modules/a/browser-default.js"
    assert resolve(root, "a", conditions="worker") == "node_modules/a/worker.js"
    assert resolve(root, "a", conditions="node,import") == "node_modules/a/node.mjs"
    assert resolve(root, "a", conditions="custom") == "node_modules/a/fallback.js"  # "default" always matches


def test_arrays_are_fallbacks_past_invalid_targets_and_unmatched_conditions(root):
    exports = {
        ".": ["https://elsewhere/x.js", "./ok.js"],
        "./cond": [{"node": "./node.js"}, "./ok.js"],
        "./null-first": [None, "./ok.js"],
        "./missing": ["./missing.js", "./ok.js"],  # the first valid target is taken, file or not (as Node)
        "./empty": [],
        "./all-invalid": ["../x.js", "x.js"],
    }
    lay_out(root, pkg("a", {"name": "a", "exports": exports}, "ok.js"))
    assert resolve(root, "a") == "node_modules/a/ok.js"
    assert resolve(root, "a/cond") == "node_modules/a/ok.js"
    assert resolve(root, "a/null-first") == "node_modules/a/ok.js"
    e = refusal(root, "a/missing")
    assert e.message == (
        "cannot import 'a/missing': it resolves to node_modules/a/missing.js (the \"exports\" of "
        'node_modules/a/package.json for "./missing"), which does not exist'
    )
    assert refusal(root, "a/empty").message.startswith(
        "cannot import 'a/empty': package 'a' keeps './empty' private"
    )
    e = refusal(root, "a/all-invalid")  # the last error is thrown
    assert e.message.startswith('invalid "exports" target "x.js" in node_modules/a/package.json')


def test_null_targets_keep_subpaths_private(root):
    exports = {"./*": "./*", "./internal/*": None}
    lay_out(root, pkg("a", {"name": "a", "exports": exports}, "x.js", "internal/y.js"))
    assert resolve(root, "a/x.js") == "node_modules/a/x.js"
    e = refusal(root, "a/internal/y.js")
    assert e.message == (
        "cannot import 'a/internal/y.js': package 'a' keeps './internal/y.js' private "
        '(its "exports" in node_modules/a/package.json maps "./internal/*" to null)'
    )
    assert e.hint == 'it exports "./*", "./internal/*"'


START = 'targets start with "./" and name a file inside the package'
SEGMENTS = 'a target may not contain ".", ".." or "node_modules" segments (it must stay inside the package)'


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("../outside.js", START),
        ("dist/x.js", START),
        ("/abs.js", START),
        ("other-package", START),
        ("./a/../../outside.js", SEGMENTS),
        ("./node_modules/dep/x.js", SEGMENTS),
        ("./NODE_MODULES/dep/x.js", SEGMENTS),
        ("./%2e%2e/x.js", SEGMENTS),
        ("./lib/./x.js", SEGMENTS),
    ],
)
def test_invalid_targets_are_refused_as_node_refuses_them(root, target, why):
    lay_out(root, pkg("a", {"name": "a", "exports": {".": target}}))
    e = refusal(root, "a")
    assert e.message == f'invalid "exports" target {json.dumps(target)} in node_modules/a/package.json: {why}'
    assert e.hint == "the package's package.json is at fault; report it to its authors"


def test_invalid_package_configurations_are_named(root):
    lay_out(root, pkg("a", {"name": "a", "exports": {".": "./x.js", "import": "./y.js"}}))
    lay_out(root, pkg("b", {"name": "b", "exports": {".": {"0": "./x.js"}}}))
    lay_out(root, pkg("c", {"name": "c", "exports": {".": 5}}))
    lay_out(root, {"node_modules/d/package.json": "{not json"})
    assert refusal(root, "a").message == (
        'invalid "exports" in node_modules/a/package.json: it mixes subpaths (keys starting with ".") '
        "and conditions (other keys) in one object"
    )
    assert refusal(root, "b").message == (
        'invalid "exports" in node_modules/b/package.json: condition objects cannot have numeric keys ("0")'
    )
    assert refusal(root, "c").message == (
        'invalid "exports" target 5 in node_modules/c/package.json: a target is a string, an object of '
        "conditions, an array or null"
    )
    assert refusal(root, "d").message.startswith("node_modules/d/package.json is not valid JSON: ")


# "imports" and self-reference ---------------------------------------------------------------


def test_hash_imports_resolve_in_the_importers_own_package(root):
    imports = {
        "#util": "./src/util.js",
        "#cond": {"worker": "./src/worker.js", "default": "./src/default.js"},
        "#internal/*.js": "./src/internal/*.js",
        "#dep": "dep",  # a bare target names another package
        "#dep/*": "dep/lib/*.js",
        "#hidden": None,
    }
    lay_out(root, {"package.json": {"name": "app", "imports": imports}})
    lay_out(
        root,
        {
            f"src/{f}": "export {};\n"
            for f in ["util.js", "worker.js", "default.js", "internal/a.js", "app.js"]
        },
    )
    lay_out(
        root,
        pkg(
            "dep",
            {"name": "dep", "exports": {".": "./index.js", "./lib/*": "./lib/*"}},
            "index.js",
            "lib/x.js",
        ),
    )
    # a package has "imports" of its own, which the app's "#util" does not reach
    lay_out(
        root,
        pkg("other", {"name": "other", "imports": {"#util": "./own-util.js"}}, "own-util.js", "index.js"),
    )
    assert resolve(root, "#util", "src/app.js") == "src/util.js"
    assert resolve(root, "#cond", "src/app.js") == "src/worker.js"
    assert resolve(root, "#cond", "src/app.js", conditions="node,import") == "src/default.js"
    assert resolve(root, "#internal/a.js", "src/app.js") == "src/internal/a.js"
    assert resolve(root, "#dep", "src/app.js") == "node_modules/dep/index.js"
    assert resolve(root, "#dep/x", "src/app.js") == "node_modules/dep/lib/x.js"
    assert resolve(root, "#util", "node_modules/other/index.js") == "node_modules/other/own-util.js"
    e = refusal(root, "#nope", "src/app.js")
    assert e.message == (
        "cannot resolve '#nope': the \"imports\" of package.json has no entry for it (conditions: "
        "edgebox, worker, browser, import, module, default)"
    )
    assert e.hint == 'it defines "#util", "#cond", "#internal/*.js", "#dep", "#dep/*", "#hidden"'
    assert "maps it to null" in refusal(root, "#hidden", "src/app.js").message
    assert refusal(root, "#", "src/app.js").message.startswith("invalid specifier '#'")
    assert refusal(root, "#/x", "src/app.js").message.startswith("invalid specifier '#/x'")


def test_hash_imports_outside_any_package_say_so(tmp_path, monkeypatch):
    if any((d / "package.json").exists() for d in tmp_path.resolve().parents):
        pytest.skip("a package.json above the temporary directory puts it in a package")
    monkeypatch.chdir(tmp_path)
    lay_out(tmp_path, {"app.js": "export {};\n"})
    e = refusal(tmp_path.resolve(), "#x")
    assert e.message == (
        'cannot resolve \'#x\': a "#" import names an entry of package.json "imports", and app.js is in '
        "no package (no package.json above it)"
    )
    assert (
        e.hint == 'add "imports" to the package.json of your project, like {"imports": {"#x": "./src/x.js"}}'
    )


def test_a_package_imports_itself_by_its_own_name(root):
    exports = {".": "./index.js", "./util": "./lib/util.js"}
    lay_out(
        root, pkg("self", {"name": "self", "exports": exports}, "index.js", "lib/util.js", "lib/deep/x.js")
    )
    assert resolve(root, "self/util", "node_modules/self/lib/deep/x.js") == "node_modules/self/lib/util.js"
    # the project itself, by the name in its package.json
    lay_out(
        root, {"package.json": {"name": "my-app", "exports": {"./config": "./config.js"}}, "config.js": ""}
    )
    lay_out(root, {"src/app.js": ""})
    assert resolve(root, "my-app/config", "src/app.js") == "config.js"
    # without "exports", a package cannot name itself
    lay_out(root, pkg("plain", {"name": "plain"}, "index.js"))
    lay_out(root, {"package.json": {"name": "plain2"}, "src/app.js": ""})
    assert refusal(root, "plain2", "src/app.js").message.startswith("cannot find package 'plain2'")


# node_modules lookups, names, legacy fields -------------------------------------------------------


def test_scoped_packages(root):
    lay_out(
        root,
        pkg(
            "@scope/name",
            {"name": "@scope/name", "exports": {".": "./i.js", "./sub": "./s.js"}},
            "i.js",
            "s.js",
        ),
    )
    lay_out(root, pkg("@scope/plain", None, "index.js", "lib/x.js"))
    assert resolve(root, "@scope/name") == "node_modules/@scope/name/i.js"
    assert resolve(root, "@scope/name/sub") == "node_modules/@scope/name/s.js"
    assert resolve(root, "@scope/plain/lib/x.js") == "node_modules/@scope/plain/lib/x.js"
    assert (
        refusal(root, "@scope").message
        == "invalid specifier '@scope': a scoped package name is '@scope/name'"
    )
    assert refusal(root, "@scope/missing").message.startswith("cannot find package '@scope/missing'")


def test_invalid_package_names_are_refused(root):
    assert refusal(root, "a\\b").message.startswith("invalid specifier 'a\\b': 'a\\b' is not a package name")
    assert refusal(root, "a%2fb").message.startswith("invalid specifier 'a%2fb'")
    assert (
        refusal(root, "pkg/").message == "invalid specifier 'pkg/': a package subpath may not end with \"/\""
    )


def test_lookups_walk_up_the_directory_tree_and_the_nearest_wins(root):
    lay_out(root, pkg("dep", None, "index.js"))
    lay_out(root, pkg("dep", None, "index.js", where="src/node_modules"))
    lay_out(root, pkg("only-top", None, "index.js"))
    # a package's own dependency comes before a hoisted one
    lay_out(root, pkg("user", None, "index.js"))
    lay_out(root, pkg("dep", None, "index.js", where="node_modules/user/node_modules"))
    lay_out(root, {"src/deep/er/app.js": ""})
    assert resolve(root, "dep", "src/deep/er/app.js") == "src/node_modules/dep/index.js"
    assert resolve(root, "only-top", "src/deep/er/app.js") == "node_modules/only-top/index.js"
    assert resolve(root, "dep", "app.js") == "node_modules/dep/index.js"
    assert resolve(root, "dep", "node_modules/user/index.js") == "node_modules/user/node_modules/dep/index.js"
    e = refusal(root, "nowhere", "src/deep/er/app.js")
    assert (
        e.message
        == "cannot find package 'nowhere' (no node_modules/nowhere in src/deep/er or any directory above it)"
    )
    assert (
        e.hint
        == "install it (npm install nowhere), or map the name to a file with --import-map nowhere=./file.js"
    )


def test_without_exports_module_then_main_then_index(root):
    lay_out(
        root,
        pkg("both", {"module": "./esm/index.js", "main": "./cjs/index.js"}, "esm/index.js", "cjs/index.js"),
    )
    lay_out(root, pkg("main-only", {"main": "lib/main.js"}, "lib/main.js"))
    lay_out(root, pkg("main-ext", {"main": "lib/main"}, "lib/main.js"))
    lay_out(root, pkg("main-dir", {"main": "lib"}, "lib/index.js"))
    lay_out(root, pkg("main-missing", {"main": "gone.js"}, "index.js"))
    lay_out(root, pkg("index-only", None, "index.js"))
    lay_out(root, pkg("module-only", {"module": "m.js"}, "m.js"))
    assert resolve(root, "both") == "node_modules/both/esm/index.js"
    assert resolve(root, "both", conditions="node,import") == "node_modules/both/cjs/index.js"  # as Node
    assert resolve(root, "main-only") == "node_modules/main-only/lib/main.js"
    assert resolve(root, "main-ext") == "node_modules/main-ext/lib/main.js"
    assert resolve(root, "main-dir") == "node_modules/main-dir/lib/index.js"
    assert resolve(root, "main-missing") == "node_modules/main-missing/index.js"
    assert resolve(root, "index-only") == "node_modules/index-only/index.js"
    assert resolve(root, "module-only") == "node_modules/module-only/m.js"
    e = refusal(root, "module-only", conditions="node,import")
    assert e.message == (
        'package node_modules/module-only has no entry point: it has no "exports", and '
        'node_modules/module-only/index.js (no such file) (its "module" field is read only with the '
        '"module" condition)'
    )


def test_subpaths_without_exports_follow_edgebox_extension_rules(root):
    lay_out(root, pkg("p", {"name": "p"}, "sub/file.js", "dir/index.js", "m.mjs"))
    lay_out(root, {"node_modules/p/notes.txt": "hi", "node_modules/p/data.json": "{}"})
    assert resolve(root, "p/sub/file.js") == "node_modules/p/sub/file.js"
    assert resolve(root, "p/sub/file") == "node_modules/p/sub/file.js"
    assert resolve(root, "p/dir") == "node_modules/p/dir/index.js"
    assert resolve(root, "p/m") == "node_modules/p/m.mjs"
    assert resolve(root, "p/data.json") == "node_modules/p/data.json"
    e = refusal(root, "p/nope")
    assert e.message == (
        "cannot find 'p/nope': package 'p' has no file ./nope (looked for node_modules/p/nope, "
        "node_modules/p/nope.js, node_modules/p/nope.mjs, node_modules/p/nope.ts, node_modules/p/nope.mts, "
        "node_modules/p/nope/index.js, node_modules/p/nope/index.mjs, node_modules/p/nope/index.ts, "
        "node_modules/p/nope/index.mts)"
    )


def test_a_package_subpath_never_becomes_an_absolute_path(root):
    lay_out(root, pkg("p", None, "index.js"))
    lay_out(root, pkg("q", {"exports": {"./*": "./*"}}, "index.js"))
    assert refusal(root, "p//etc/hostname").message.startswith("cannot find 'p//etc/hostname': package ")
    assert refusal(root, "q//etc/hostname").message.startswith(
        "cannot import 'q//etc/hostname': it resolves to node_modules/q/etc/hostname"
    )


# conditions -----------------------------------------------------------------------------------


def test_the_default_conditions_pick_the_esm_build_of_wasm_packages(root):
    # wasm-bindgen --target bundler: "module" (and, from newer wasm-pack, "main" to the same file)
    lay_out(
        root, pkg("wb-old", {"name": "wb-old", "module": "wb_old.js", "types": "wb_old.d.ts"}, "wb_old.js")
    )
    lay_out(
        root,
        pkg(
            "wb-new",
            {"name": "wb-new", "type": "module", "main": "wb_new.js", "module": "wb_new.js"},
            "wb_new.js",
        ),
    )
    # a package built for several targets, with a Node build that reads the .wasm with fs
    exports = {
        ".": {
            "node": {"import": "./node/index.mjs", "require": "./node/index.cjs"},
            "browser": "./bundler/index.js",
            "import": "./bundler/index.js",
            "require": "./node/index.cjs",
            "default": "./bundler/index.js",
        }
    }
    lay_out(root, pkg("multi", {"name": "multi", "exports": exports}, "node/index.mjs", "bundler/index.js"))
    lay_out(
        root, pkg("imp", {"name": "imp", "exports": {"require": "./i.cjs", "import": "./i.mjs"}}, "i.mjs")
    )
    assert resolve(root, "wb-old") == "node_modules/wb-old/wb_old.js"
    assert resolve(root, "wb-new") == "node_modules/wb-new/wb_new.js"
    assert resolve(root, "multi") == "node_modules/multi/bundler/index.js"
    assert resolve(root, "imp") == "node_modules/imp/i.mjs"
    assert DEFAULT_CONDITIONS == ("edgebox", "worker", "browser", "import", "module", "default")


def test_conditions_parse_and_replace_the_default_list():
    assert Conditions.parse(None).names == DEFAULT_CONDITIONS
    assert Conditions.parse("node,import").names == ("node", "import")
    assert Conditions.parse(["a,b", "c", "a"]).names == ("a", "b", "c")
    assert "default" in Conditions.parse("x")
    for bad in ["", "a,,b", "a b", ["a", 3], 3, []]:
        with pytest.raises(UsageError) as e:
            Conditions.parse(bad)  # type: ignore[arg-type]
        assert "--conditions" in e.value.message


def test_the_conditions_flag_and_api_option(project, root):
    exports = {".": {"node": "./node.js", "worker": "./worker.js"}}
    lay_out(root, pkg("a", {"name": "a", "type": "module", "exports": exports}))
    lay_out(root, {"node_modules/a/node.js": 'export const who = "node";\n'})
    lay_out(root, {"node_modules/a/worker.js": 'export const who = "worker";\n'})
    lay_out(root, {"app.js": 'import { who } from "a";\nconsole.log(who);\n'})
    r = project.exec(root / "app.js")
    assert (r.code, r.out) == (0, "worker\n"), r.err
    r = project.exec("--conditions", "node,import", root / "app.js")
    assert (r.code, r.out) == (0, "node\n"), r.err
    r = project.bundle(
        root / "app.js", "-o", root / "a.ebx", "--conditions", "node", "--conditions", "import"
    )
    assert r.code == 0, r.err
    assert project.exec(root / "a.ebx").out == "node\n"
    assert bundler.run(root / "app.js", conditions="node", capture_output=True).stdout == "node\n"
    assert (
        bundler.run(bundler.bundle(root / "app.js", conditions=["node"]), capture_output=True).stdout
        == "node\n"
    )
    graph = bundler.check(root / "app.js", conditions=("node", "import")).graph
    assert graph.resolve["app.js"]["a"] == "node_modules/a/node.js"
    r = project.bundle("--check", root / "app.js", "--conditions", "a,,b")
    assert r.code == 2 and "--conditions wants condition names separated by commas" in r.err
    # a package whose entries are all under conditions not in use says which would take it
    r = project.bundle("--check", root / "app.js", "--conditions", "deno")
    assert r.code == 1
    assert (
        "app.js:1:21: error: cannot import 'a': package 'a' exports the package itself only under \"node\" "
        "(node_modules/a/node.js), a condition EdgeBox does not use (conditions: deno)"
    ) in r.err
    assert "hint: if that build runs without Node.js APIs, add the condition: --conditions deno,node" in r.err


def test_a_build_only_for_node_is_named_with_the_flag_that_takes_it(root):
    lay_out(root, pkg("n", {"name": "n", "type": "module", "exports": {"node": "./n.js"}}, "n.js"))
    e = refusal(root, "n")
    assert e.message == (
        "cannot import 'n': package 'n' exports the package itself only under \"node\" (node_modules/n/n.js), "
        "a condition EdgeBox does not use (conditions: edgebox, worker, browser, import, module, default)"
    )
    assert e.hint == (
        "if that build runs without Node.js APIs, add the condition: --conditions "
        "edgebox,worker,browser,import,module,default,node"
    )


def test_a_package_for_other_runtimes_lists_the_conditions_it_offers(root):
    lay_out(
        root,
        pkg("d", {"name": "d", "exports": {".": {"deno": "./d.js", "bun": {"import": "./b.js"}}}}, "d.js"),
    )
    e = refusal(root, "d")
    assert e.message == (
        "cannot import 'd': package 'd' exports the package itself under conditions EdgeBox does not use "
        '(its "exports" in node_modules/d/package.json offers "bun", "deno", "import"; conditions: '
        "edgebox, worker, browser, import, module, default)"
    )
    assert (
        e.hint == "pass --conditions with one that fits, if that build runs in a sandbox without Node.js APIs"
    )


# the import map -----------------------------------------------------------------------------


def test_import_map_prefix_resolution(project, root):
    lay_out(
        root, {f"vendor/lodash-es/{f}": f"export default {json.dumps(f)};\n" for f in ["chunk.js", "sp.js"]}
    )
    lay_out(
        root, {"special.js": 'export default "special";\n', "vendor/other/x.js": 'export default "other";\n'}
    )
    lay_out(root, pkg("lodash-es", {"name": "lodash-es"}, "chunk.js"))
    lay_out(
        root,
        {
            "edgebox.json": {
                "imports": {
                    "lodash-es/": "./vendor/lodash-es/",
                    "lodash-es/sp.js": "./special.js",  # an exact name wins over a prefix
                    "lodash-es/a/": "./vendor/other/",  # the longest prefix wins
                }
            },
            "app.js": 'import c from "lodash-es/chunk.js";\nimport s from "lodash-es/sp.js";\n'
            'import x from "lodash-es/a/x";\nconsole.log(c, s, x);\n',
        },
    )
    graph = bundler.check(root / "app.js").graph
    assert graph.resolve["app.js"] == {
        "lodash-es/chunk.js": "vendor/lodash-es/chunk.js",  # the map comes before node_modules
        "lodash-es/sp.js": "special.js",
        "lodash-es/a/x": "vendor/other/x.js",  # extension rules as for relative paths
    }
    r = project.exec(root / "app.js")
    assert (r.code, r.out) == (0, "chunk.js special other\n"), r.err
    # the same from the command line, relative to the working directory
    (root / "edgebox.json").unlink()
    r = project.exec("--import-map", "lodash-es/=./vendor/lodash-es/", root / "app.js")
    assert r.code == 1
    assert (
        "app.js:3:15: error: cannot find module 'lodash-es/a/x': the import map's prefix 'lodash-es/' maps it to vendor/lodash-es/a/x, which does not exist"
        in r.err
    )


def test_import_map_prefixes_cannot_climb_out_and_need_a_directory(project, root):
    lay_out(root, {"vendor/lib/x.js": "export {};\n", "secret.js": "export {};\n"})
    lay_out(root, {"app.js": 'import "lib/../../secret.js";\n'})
    r = project.bundle("--check", root / "app.js", "--import-map", "lib/=./vendor/lib/")
    assert r.code == 1
    assert (
        "app.js:1:8: error: cannot import 'lib/../../secret.js': the import map's prefix 'lib/' maps to "
        "vendor/lib/, and '../../secret.js' climbs out of it"
    ) in r.err
    r = project.bundle("--check", root / "app.js", "--import-map", "lib/=./vendor/lib")
    assert r.code == 2
    assert (
        "--import-map: 'lib/' ends with '/', so it maps a prefix, and its path must be a directory "
        "ending with '/' too, not './vendor/lib'"
    ) in r.err
    lay_out(root, {"edgebox.json": {"imports": {"lib": "./vendor/lib/"}}})
    r = project.bundle("--check", root / "app.js")
    assert r.code == 1
    assert (
        "edgebox.json: 'lib' maps to './vendor/lib/', a directory; name a file, or map the prefix 'lib/' to it"
        in r.err
    )


def test_the_import_map_comes_before_node_modules(project, root):
    lay_out(root, pkg("env", {"name": "env", "exports": "./index.js"}, "index.js"))
    lay_out(
        root,
        {"shim.js": 'export const id = "shim";\n', "app.js": 'import { id } from "env";\nconsole.log(id);\n'},
    )
    assert project.exec(root / "app.js").out == "env/index.js\n"
    assert project.exec("--import-map", "env=./shim.js", root / "app.js").out == "shim\n"


# what is refused -------------------------------------------------------------------------------


def test_node_builtins_are_refused_with_a_clear_message(project, root):
    lay_out(root, {"app.js": 'import os from "node:os";\n'})
    r = project.bundle("--check", root / "app.js")
    assert r.code == 1
    assert (
        "app.js:1:16: error: cannot import 'node:os': it is a Node.js built-in module, and EdgeBox has only "
        "node:fs, node:fs/promises and node:process (its sandbox offers web-platform APIs)"
    ) in r.err
    assert (
        "hint: use a package that runs in browsers or edge runtimes, or map 'node:os' to a file of your own with --import-map node:os=./os.js"
        in r.err
    )
    for spec in ["os", "dns/promises", "path"]:
        e = refusal(root, spec)
        assert e.message == (
            f"cannot import '{spec}': it is a Node.js built-in module, and EdgeBox has only node:fs, "
            f"node:fs/promises and node:process (its sandbox offers web-platform APIs); no package "
            f"'{spec.split('/')[0]}' is installed either "
            f"(no node_modules/{spec.split('/')[0]} in . or a directory above it)"
        )
    assert refusal(root, "node:test").message.startswith(
        "cannot import 'node:test': it is a Node.js built-in module"
    )
    assert refusal(root, "node:nope").message.startswith(
        "cannot import 'node:nope': 'node:' names Node.js built-in modules"
    )
    # a package of a built-in's name (a browser polyfill) is used: there is no built-in to prefer
    lay_out(root, pkg("events", {"name": "events", "exports": "./events.js"}, "events.js"))
    assert resolve(root, "events") == "node_modules/events/events.js"
    # and a shim through the import map
    lay_out(root, {"fs-shim.js": "export default {};\n"})
    r = project.bundle("--check", root / "app.js", "--import-map", "node:os=./fs-shim.js")
    assert r.code == 0, r.err


def test_a_dynamic_import_of_what_cannot_be_bundled_rejects_at_run_time(project, root):
    """Packages import Node built-ins inside branches that only run under Node
    (`if (isNode) await import("node:zlib")`): that must not stop the build. The
    import() is left out with a warning (EB013) and rejects, catchably, when it runs. A
    relative path that leads nowhere is still an error: that is a typo."""
    lay_out(
        root,
        {
            "app.js": "async function load(name) {\n"
            "  if (name === 'zlib') return import(\"node:zlib\");\n"
            '  return import("not-installed"); // edgebox-ignore EB013\n'
            "}\n"
            "for (const name of ['zlib', 'pkg']) {\n"
            "  try { await load(name); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }\n"
            "}\n"
            "console.log('still running');\n"
        },
    )
    r = project.bundle("--check", root / "app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == (
        "app.js:2:38: warning[EB013]: import('node:zlib') is left out of the bundle, and rejects "
        "when it runs: cannot import 'node:zlib': it is a Node.js built-in module, and EdgeBox "
        "has only node:fs, node:fs/promises and node:process (its sandbox offers web-platform APIs)"
    ), r.out
    assert "1 warning" in r.out and "not-installed" not in r.out  # the second is suppressed
    r = project.exec(root / "app.js")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("TypeError: cannot import 'node:zlib': it is a Node.js built-in module")
    assert lines[0].endswith("(left out of the bundle, EB013)")
    assert lines[1].startswith("TypeError: cannot find package 'not-installed'"), lines[1]
    assert lines[2] == "still running"
    # a static import of the same is an error, and so is a relative import() of no file
    for source, col in [('import "node:zlib";\n', 8), ('await import("./nowhere.js");\n', 14)]:
        lay_out(root, {"app.js": source})
        r = project.bundle("--check", root / "app.js")
        assert r.code == 1 and f"app.js:1:{col}: error: cannot " in r.err, r.err


def test_a_package_reaching_for_a_builtin_gives_no_warning_but_still_rejects(project, root):
    lay_out(
        root,
        {
            "node_modules/pkg/package.json": '{"name": "pkg", "type": "module", "exports": "./index.js"}',
            "node_modules/pkg/index.js": 'export const load = () => import("node:zlib");\n',
            "app.js": 'import { load } from "pkg";\n'
            "try { await load(); } catch (e) { console.log(e.constructor.name); }\n",
        },
    )
    r = project.bundle("--check", root / "app.js")
    assert r.code == 0 and "EB013" not in r.out + r.err, r.out
    r = project.exec(root / "app.js")
    assert (r.code, r.out) == (0, "TypeError\n"), r.err


@needs_node
def test_the_builtin_list_is_nodes():
    out = subprocess.run(
        [NODE, "-p", "JSON.stringify(require('module').builtinModules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert {m for m in json.loads(out) if not m.startswith("_")} <= NODE_BUILTINS


def test_urls_are_refused(root):
    e = refusal(root, "https://example.invalid/x.js")
    assert (
        e.message
        == "cannot import 'https://example.invalid/x.js': EdgeBox bundles files, and a URL names none"
    )


CJS_HINT = (
    'use a version or build of the package that ships ES modules (an "import" condition in its "exports", '
    'or a "module" field), or an ES module alternative'
)


def test_commonjs_packages_are_refused_by_name(root):
    lay_out(root, pkg("main-cjs", {"name": "main-cjs", "main": "index.js"}))
    lay_out(root, {"node_modules/main-cjs/index.js": "const x = require('./x');\nmodule.exports = x;\n"})
    lay_out(root, pkg("exp-cjs", {"name": "exp-cjs"}))
    lay_out(root, {"node_modules/exp-cjs/index.js": "// export default is not here\nexports.f = 1;\n"})
    lay_out(root, pkg("dot-cjs", {"name": "dot-cjs", "main": "./lib.cjs"}))
    lay_out(root, {"node_modules/dot-cjs/lib.cjs": "module.exports = 1;\n"})
    lay_out(root, pkg("req-only", {"name": "req-only", "exports": {".": {"require": "./r.js"}}}))
    lay_out(root, {"node_modules/req-only/r.js": "module.exports = 1;\n"})
    lay_out(
        root,
        pkg("default-cjs", {"name": "default-cjs", "exports": {"node": "./n.mjs", "default": "./d.cjs"}}),
    )
    lay_out(root, {"node_modules/default-cjs/d.cjs": "module.exports = 1;\n"})
    # nested package.json files set the type of a build's own directory
    lay_out(root, pkg("nested", {"name": "nested", "type": "module", "main": "dist/cjs/index.js"}))
    lay_out(root, {"node_modules/nested/dist/cjs/package.json": {"type": "commonjs"}})
    lay_out(
        root,
        {
            "node_modules/nested/dist/cjs/index.js": 'Object.defineProperty(exports, "__esModule", { value: true });\n'
        },
    )
    e = refusal(root, "main-cjs")
    assert e.message == (
        "cannot import 'main-cjs': package 'main-cjs' is CommonJS (node_modules/main-cjs/index.js calls "
        "require()), and EdgeBox bundles ES modules only"
    )
    assert e.hint == CJS_HINT
    assert "(node_modules/exp-cjs/index.js assigns to exports)" in refusal(root, "exp-cjs").message
    assert "(node_modules/dot-cjs/lib.cjs is a .cjs file)" in refusal(root, "dot-cjs").message
    assert refusal(root, "req-only").message == (
        "cannot import 'req-only': package 'req-only' is CommonJS for the package itself: its \"exports\" in "
        'node_modules/req-only/package.json offers only node_modules/req-only/r.js under "require", and '
        "EdgeBox bundles ES modules only"
    )
    assert "(node_modules/default-cjs/d.cjs is a .cjs file)" in refusal(root, "default-cjs").message
    assert refusal(root, "nested").message == (
        "cannot import 'nested': package 'nested' is CommonJS (node_modules/nested/dist/cjs/index.js "
        "assigns to exports), and EdgeBox bundles ES modules only"
    )


def test_es_modules_are_not_mistaken_for_commonjs(root):
    # no "type": "module", as older bundler-targeted packages ship: ES syntax decides
    lay_out(root, pkg("esm", {"name": "esm", "main": "index.js"}))
    lay_out(
        root,
        {
            "node_modules/esm/index.js": "// module.exports = x is how the CommonJS build does it\n"
            'const s = "require(\'x\')";\nexport const f = (require) => require("x");\n'
        },
    )
    lay_out(root, pkg("typed", {"name": "typed", "type": "module", "main": "i.js"}))
    lay_out(root, {"node_modules/typed/i.js": "globalThis.required = typeof require;\n"})
    assert resolve(root, "esm") == "node_modules/esm/index.js"
    assert resolve(root, "typed") == "node_modules/typed/i.js"


def test_a_relative_import_of_commonjs_inside_a_package_is_refused_too(project, root):
    lay_out(root, pkg("w", {"name": "w", "exports": {"import": "./wrapper.mjs"}}))
    lay_out(root, {"node_modules/w/wrapper.mjs": 'import w from "./dist/index.js";\nexport default w;\n'})
    lay_out(root, {"node_modules/w/dist/index.js": "exports.v = 1;\n", "app.js": 'import w from "w";\n'})
    r = project.bundle("--check", root / "app.js")
    assert r.code == 1
    assert (
        "node_modules/w/wrapper.mjs:1:15: error: cannot import './dist/index.js': package 'w' is CommonJS "
        "(node_modules/w/dist/index.js assigns to exports), and EdgeBox bundles ES modules only"
    ) in r.err


# wasm, the project, Node ------------------------------------------------------------------------


def test_wasm_imports_resolve_packages_like_js_imports(project, root):
    lay_out(root, pkg("wasm-host", {"name": "wasm-host", "exports": {".": {"import": "./host.js"}}}))
    lay_out(root, {"node_modules/wasm-host/host.js": "export function twice(x) { return 2 * x; }\n"})
    project.wat(
        "m.wasm",
        '(module (import "wasm-host" "twice" (func $t (param i32) (result i32)))'
        ' (func (export "quad") (param i32) (result i32) (call $t (call $t (local.get 0)))))',
    )
    lay_out(root, {"app.js": 'import { quad } from "./m.wasm";\nconsole.log(quad(5));\n'})
    r = project.exec(root / "app.js")
    assert (r.code, r.out) == (0, "20\n"), r.err
    project.wat(
        "n.wasm", '(module (import "env" "abort" (func)) (import "@odd" "g" (func)) (func (export "f")))'
    )
    lay_out(root, {"app2.js": 'import { f } from "./n.wasm";\n'})
    r = project.bundle("--check", root / "app2.js")
    assert r.code == 1
    assert (
        "n.wasm imports from module names that are not files: 'env' (abort), '@odd' (g); no node_modules "
        "directory holds a package of those names either"
    ) in r.err


def test_files_of_packages_are_inside_the_project(project, root, tmp_path_factory):
    """EB012 warns about files outside the project; packages found through node_modules are
    part of it, including one hoisted above the project (a workspace root) or linked from
    elsewhere (a workspace member), but not a file a package reaches by climbing out of itself."""
    workspace = tmp_path_factory.mktemp("workspace").resolve()
    lay_out(workspace, pkg("hoisted", {"name": "hoisted", "exports": "./i.js"}, "i.js"))
    lay_out(
        workspace,
        {
            "libs/linked/package.json": {"name": "linked", "exports": "./i.js"},
            "libs/linked/i.js": "export {};\n",
        },
    )
    lay_out(workspace, {"outside.js": "export {};\n"})
    app = workspace / "app"
    lay_out(
        app,
        {"package.json": {"name": "app"}, "app.js": 'import "local";\nimport "hoisted";\nimport "linked";\n'},
    )
    lay_out(app, pkg("local", {"name": "local", "exports": "./i.js"}, "i.js"))
    (app / "node_modules" / "linked").symlink_to(workspace / "libs" / "linked")
    os.chdir(app)
    r = project.bundle("--check", app / "app.js")
    assert (r.code, r.out) == (0, "no problems found\n"), r.out + r.err
    graph = bundler.check(app / "app.js").graph
    assert graph.resolve["app/app.js"]["linked"] == "libs/linked/i.js"  # its real path, as Node
    # an import map that points into a hoisted package's files (a build its "exports" hides)
    lay_out(
        workspace,
        {"node_modules/hoisted/build/b.js": 'import "./c.js";\n', "node_modules/hoisted/build/c.js": ""},
    )
    lay_out(
        app,
        {
            "edgebox.json": {"imports": {"hb": "../node_modules/hoisted/build/b.js"}},
            "app.js": 'import "hb";\n',
        },
    )
    r = project.bundle("--check", app / "app.js")
    assert (r.code, r.out) == (0, "no problems found\n"), r.out + r.err
    (app / "edgebox.json").unlink()
    lay_out(app, {"app.js": 'import "local";\n'})
    lay_out(app, {"node_modules/local/i.js": 'import "../../../outside.js";\n'})
    r = project.bundle("--check", app / "app.js")
    assert "warning[EB012]" in r.out and "outside.js, which lies outside the project" in r.out, r.out


# Each case: a specifier imported from app.mjs in this tree, resolved by Node's import.meta.resolve
# and by EdgeBox with Node's conditions (node, import).
NODE_TREE: dict[str, object] = {
    **pkg("str", {"name": "str", "exports": "./main.js"}, "main.js"),
    **pkg(
        "map",
        {
            "name": "map",
            "exports": {
                ".": "./i.js",
                "./sub": "./s.js",
                "./p/*": "./lib/*.js",
                "./p/x/*": "./lib/x-*.js",
                "./hidden/*": None,
                "./n": 5,
            },
        },
        "i.js",
        "s.js",
        "lib/a.js",
        "lib/x-b.js",
    ),
    **pkg(
        "cond",
        {
            "name": "cond",
            "exports": {
                ".": {"browser": "./b.js", "node": {"import": "./n.mjs"}, "default": "./d.js"},
                "./arr": [{"worker": "./w.js"}, None, "./b.js"],
                "./bad": ["../x.js", "./d.js"],
            },
        },
        "b.js",
        "n.mjs",
        "d.js",
        "w.js",
    ),
    **pkg(
        "@sc/pe",
        {"name": "@sc/pe", "exports": {".": "./i.js", "./*.js": "./src/*.js"}},
        "i.js",
        "src/deep/f.js",
    ),
    **pkg(
        "legacy", {"name": "legacy", "main": "lib/m.js", "module": "esm.js"}, "lib/m.js", "esm.js", "sub/f.js"
    ),
    **pkg("noentry", {"name": "noentry"}, "index.js"),
    **pkg(
        "selfy",
        {
            "name": "selfy",
            "exports": {".": "./i.js", "./u": "./u.js"},
            "imports": {"#dep": "str", "#own/*": "./own/*.js"},
        },
        "i.js",
        "u.js",
        "own/o.js",
    ),
    "package.json": {
        "type": "module",
        "imports": {"#u": "./u.js", "#c": {"node": "./u.js", "default": "./v.js"}, "#str/*": "map/p/*"},
    },
    "u.js": "export {};\n",
    "v.js": "export {};\n",
}
NODE_SPECS = [
    "str", "str/main.js", "map", "map/sub", "map/p/a", "map/p/x/b", "map/p/nope", "map/hidden/z", "map/n", "map/i.js",
    "cond", "cond/arr", "cond/bad", "@sc/pe", "@sc/pe/deep/f.js", "@sc/pe/i.js", "legacy", "legacy/sub/f.js",
    "noentry", "#u", "#c", "#str/a", "#nope", "#", "missing", "@sc", "map/../x", "map/p/..%2fx",
    "str/", "map/p/x/", ".hidden", "%x", "@sc/pe/deep/../f.js", "map/p/node_modules/a", "#/x", "noentry/nope.js",
]  # fmt: skip
SELF_SPECS = ["selfy", "selfy/u", "#dep", "#own/o"]
# Where EdgeBox and Node 20 part, on purpose: (Node's answer, EdgeBox's).
NODE_DIFFERS = {
    # The spec refuses a subpath ending in "/"; Node 20 only warns (DEP0155) and goes on.
    "str/": ("error ERR_PACKAGE_PATH_NOT_EXPORTED", "error ERR_INVALID_MODULE_SPECIFIER"),
    "map/p/x/": ("node_modules/map/lib/x/.js", "error ERR_INVALID_MODULE_SPECIFIER"),
    # Without "exports", EdgeBox looks for the file (extension rules) where Node's
    # import.meta.resolve names it unchecked; Node fails the same import when it loads it.
    "noentry/nope.js": ("node_modules/noentry/nope.js", "error ERR_MODULE_NOT_FOUND"),
}


def _node_resolutions(importer: Path, specs: list[str], flags: list[str]) -> dict[str, str]:
    probe = importer.with_name("__probe__.mjs")
    probe.write_text(
        f"for (const s of {json.dumps(specs)}) {{ let r; try {{ r = import.meta.resolve(s); }} "
        "catch (e) { r = 'error ' + e.code; } console.log(JSON.stringify([s, r])); }\n"
    )
    out = subprocess.run(
        [NODE, *flags, str(probe)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    probe.unlink()
    results = dict(json.loads(line) for line in out.splitlines())
    return {
        s: r if r.startswith("error") else str(Path(unquote(urlparse(r).path))) for s, r in results.items()
    }


def _edgebox_resolutions(importer: Path, specs: list[str], conditions: str) -> dict[str, str]:
    resolver = PackageResolver(Conditions.parse(conditions))
    out = {}
    for s in specs:
        try:
            out[s] = str(resolver.locate(s, importer).path)
        except Unresolved as e:
            out[s] = f"error {e.code}"
    return out


@needs_node
@pytest.mark.parametrize(
    ("flags", "conditions"), [([], "node,import"), (["-C", "worker"], "node,import,worker")]
)
def test_resolution_agrees_with_node(root, flags, conditions):
    lay_out(root, NODE_TREE)
    app = root / "app.mjs"
    app.write_text("")
    node = _node_resolutions(app, NODE_SPECS, flags)
    ours = _edgebox_resolutions(app, NODE_SPECS, conditions)
    for spec, answers in NODE_DIFFERS.items():
        assert tuple(a.replace(f"{root}/", "") for a in (node.pop(spec), ours.pop(spec))) == answers, spec
    assert ours == node
    inside = root / "node_modules" / "selfy" / "own" / "o.js"
    assert _edgebox_resolutions(inside, SELF_SPECS, conditions) == _node_resolutions(
        inside, SELF_SPECS, flags
    )
    assert (
        node["cond"].endswith("n.mjs") and node["map/n"] == "error ERR_INVALID_PACKAGE_TARGET"
    )  # it did run


WASM_PACKAGE = {
    # the layout of wasm-bindgen --target bundler (wasm-pack >= 0.12): the JS entry imports the
    # .wasm, which imports its JS glue back (an ESM-integration cycle)
    **pkg(
        "hello-wasm",
        {"name": "hello-wasm", "type": "module", "main": "hello_wasm.js", "module": "hello_wasm.js"},
    ),
    "node_modules/hello-wasm/hello_wasm.js": 'import * as wasm from "./hello_wasm_bg.wasm";\n'
    'export * from "./hello_wasm_bg.js";\nimport { __wbg_set_wasm } from "./hello_wasm_bg.js";\n__wbg_set_wasm(wasm);\n',
    "node_modules/hello-wasm/hello_wasm_bg.js": "let wasm;\nexport function __wbg_set_wasm(val) { wasm = val; }\n"
    "export function add_one(x) { return wasm.add(x, 1); }\nexport function __wbg_log(x) { console.log('log', x); }\n",
}
WASM_BG_WAT = (
    '(module (import "./hello_wasm_bg.js" "__wbg_log" (func $log (param i32)))'
    ' (func (export "add") (param i32 i32) (result i32) (call $log (local.get 0)) (i32.add (local.get 0) (local.get 1))))'
)


@needs_node
def test_an_app_using_packages_runs_as_under_node(project, root):
    lay_out(root, NODE_TREE)
    lay_out(root, WASM_PACKAGE)
    project.wat("node_modules/hello-wasm/hello_wasm_bg.wasm", WASM_BG_WAT)
    lay_out(
        root,
        {
            "app.mjs": 'import { id as a } from "map/p/x/b";\nimport { id as b } from "@sc/pe/deep/f.js";\n'
            'import { id as c } from "cond";\nimport { add_one } from "hello-wasm";\nimport * as u from "#u";\n'
            "console.log(a, b, c, add_one(41), Object.keys(u).length);\n"
        },
    )
    expected = "log 41\nmap/lib/x-b.js @sc/pe/src/deep/f.js cond/n.mjs 42 0\n"
    assert run_node(root / "app.mjs").out == expected
    r = project.exec("--conditions", "node,import", root / "app.mjs")
    assert (r.code, r.out) == (0, expected), r.err
    r = project.exec(root / "app.mjs")  # EdgeBox's own conditions take the browser build
    assert (r.code, r.out) == (0, expected.replace("cond/n.mjs", "cond/b.js")), r.err


# real packages ---------------------------------------------------------------------------------

NPM = shutil.which("npm")
REAL_PACKAGES = ["camelcase@8.0.0", "uuid@9.0.1", "@sindresorhus/slugify@2.2.1"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    if NPM is None:
        pytest.skip("npm is not installed")
    prefix = tmp_path_factory.mktemp("npm")
    cmd = [
        NPM,
        "install",
        "--prefix",
        str(prefix),
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        *REAL_PACKAGES,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=prefix)
    except subprocess.TimeoutExpired:
        pytest.skip("npm install did not finish in 180 s (is the package registry reachable?)")
    if proc.returncode != 0:
        pytest.skip(f"npm install failed (is the package registry reachable?): {proc.stderr.strip()[-300:]}")
    return prefix


@needs_node
def test_real_npm_packages_bundle_and_run(project, installed):
    (installed / "app.mjs").write_text(
        'import camelCase from "camelcase";\nimport slugify from "@sindresorhus/slugify";\n'
        'import { validate, NIL, version } from "uuid";\n'
        'console.log(camelCase("foo-bar_baz"), slugify("Déjà vu, I\'ve just been here"));\n'
        'console.log(validate(NIL), validate("nope"), version("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));\n'
    )
    expected = "fooBarBaz deja-vu-i-ve-just-been-here\ntrue false 1\n"
    assert run_node(installed / "app.mjs").out == expected
    start = time.perf_counter()
    r = project.bundle(installed / "app.mjs", "-o", project.root / "app.ebx")
    assert r.code == 0, r.err
    assert "warning" not in r.err
    r = project.exec(project.root / "app.ebx")
    assert (r.code, r.out) == (0, expected), r.err
    assert time.perf_counter() - start < 60
    # with Node's conditions, uuid's Node build wraps its CommonJS one: refused by name
    r = project.exec("--conditions", "node,import", installed / "app.mjs")
    assert r.code == 1
    assert "error: cannot import './dist/index.js': package 'uuid' is CommonJS" in r.err
