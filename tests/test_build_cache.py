"""The whole-build cache (bundler/build_cache.py): a warm build of an unchanged graph is the
cached one, and any change a fresh build could see (a module's bytes, a file added where a
lookup found nothing, a file removed, a package.json, edgebox.json, a symbolic link, a wasm
signature) makes the next build a fresh one. Every case bundles real files and compares the
warm build's bundle with the bundle of a build that had no cache entry, and runs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bundler import build_cache, reads
from bundler.cache import cache_dir
from bundler.limits import Limits
from bundler.pipeline import build_bundle


@pytest.fixture
def cached(project, tmp_path_factory, monkeypatch):
    """A project whose cache directory is its own (the engine and machine code shared)."""
    real = cache_dir()
    cache = tmp_path_factory.mktemp("cache")
    for shared in ("engine", "compiled"):
        if (real / shared).is_dir():
            (cache / shared).symlink_to(real / shared)
    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(cache))
    return project


def _key(entry: Path, **options) -> str:
    return build_cache.bundle_key(
        entry, False, options.get("import_map"), ((), (), False), None, Limits().to_json(), None, False
    )


def _fresh(project, entry: Path) -> bytes:
    """The bundle a build without a cache entry writes."""
    shutil.rmtree(cache_dir() / "builds", ignore_errors=True)
    out = project.root / "fresh.ebx"
    r = project.bundle(entry, "-o", out)
    assert r.code == 0, r.err
    data = out.read_bytes()
    out.unlink()
    return data


def _bundle_and_run(project, entry: Path) -> tuple[bytes, str]:
    out = project.root / "app.ebx"
    r = project.bundle(entry, "-o", out)
    assert r.code == 0, r.err
    run = project.exec(out)
    assert run.code == 0, run.err
    return out.read_bytes(), run.out


def _check_invalidated(project, entry: Path, expected: str) -> None:
    """The build after a change is not the cached one: it prints `expected`, and its bundle
    is byte for byte what a build without any cache entry writes."""
    assert build_cache.lookup(_key(entry)) is None
    data, out = _bundle_and_run(project, entry)
    assert out == expected
    assert build_cache.lookup(_key(entry)) is not None
    assert data == _fresh(project, entry)


def test_an_unchanged_graph_is_the_cached_build(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util.js";\nconsole.log(v);\n')
    p.write("util.js", "export const v = 1;\n")
    first, out = _bundle_and_run(p, entry)
    assert out == "1\n"
    hit = build_cache.lookup(_key(entry))
    assert hit is not None and hit.data == first and hit.modules == 2
    again, out = _bundle_and_run(p, entry)
    assert (again, out) == (first, "1\n")
    # the Python API takes the same entry, the whole result with it
    built = build_bundle(entry)
    assert built.data == first and sorted(built.graph.modules) == ["app.js", "util.js"]


def test_a_module_rewritten_at_the_same_size_is_read_again(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util.js";\nconsole.log(v);\n')
    util = p.write("util.js", "export const v = 1;\n")
    assert _bundle_and_run(p, entry)[1] == "1\n"
    util.write_text("export const v = 2;\n")  # the same size, moments later: racily clean
    _check_invalidated(p, entry, "2\n")


def test_a_module_rewritten_long_after_it_was_read_is_seen_by_its_stat(cached, monkeypatch):
    p = cached
    monkeypatch.setattr(reads, "RACY_NS", 0)  # every file counts as written long ago
    entry = p.write("app.js", 'import { v } from "./util.js";\nconsole.log(v);\n')
    util = p.write("util.js", "export const v = 1;\n")
    assert _bundle_and_run(p, entry)[1] == "1\n"
    record = build_cache.lookup(_key(entry))
    assert record is not None
    before = os.stat(util)
    while os.stat(util).st_ctime_ns == before.st_ctime_ns:  # a write in a later clock tick
        util.write_text("export const v = 3;\n")
    _check_invalidated(p, entry, "3\n")


def test_a_file_added_where_a_lookup_found_nothing_changes_the_resolution(cached):
    """`./util` found util/index.js because util.js was not there; now it is."""
    p = cached
    entry = p.write("app.js", 'import { v } from "./util";\nconsole.log(v);\n')
    p.write("util/index.js", 'export const v = "index";\n')
    assert _bundle_and_run(p, entry)[1] == "index\n"
    p.write("util.js", 'export const v = "file";\n')
    _check_invalidated(p, entry, "file\n")


def test_a_file_removed_changes_the_resolution_back(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util";\nconsole.log(v);\n')
    p.write("util/index.js", 'export const v = "index";\n')
    util = p.write("util.js", 'export const v = "file";\n')
    assert _bundle_and_run(p, entry)[1] == "file\n"
    util.unlink()
    _check_invalidated(p, entry, "index\n")


def test_a_removed_module_fails_the_next_build_as_a_fresh_one_would(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util.js";\nconsole.log(v);\n')
    util = p.write("util.js", "export const v = 1;\n")
    assert _bundle_and_run(p, entry)[1] == "1\n"
    util.unlink()
    r = p.bundle(entry, "-o", p.root / "app.ebx")
    assert r.code != 0
    assert "app.js:1:19: error: cannot find module './util.js'" in r.err


def test_a_package_json_exports_change_is_seen(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "pkg";\nconsole.log(v);\n')
    p.write("node_modules/pkg/a.js", 'export const v = "a";\n')
    p.write("node_modules/pkg/b.js", 'export const v = "b";\n')
    pjson = p.write("node_modules/pkg/package.json", '{"name": "pkg", "exports": "./a.js"}')
    assert _bundle_and_run(p, entry)[1] == "a\n"
    pjson.write_text('{"name": "pkg", "exports": "./b.js"}')
    _check_invalidated(p, entry, "b\n")


def test_a_package_installed_nearer_the_importer_is_seen(cached):
    """PACKAGE_RESOLVE walks up from the importer: a node_modules that was not there in a
    nearer directory now holds the package."""
    p = cached
    entry = p.write("src/app.js", 'import { v } from "pkg";\nconsole.log(v);\n')
    p.write("node_modules/pkg/index.js", 'export const v = "outer";\n')
    p.write("node_modules/pkg/package.json", '{"name": "pkg"}')
    assert _bundle_and_run(p, entry)[1] == "outer\n"
    p.write("src/node_modules/pkg/index.js", 'export const v = "inner";\n')
    _check_invalidated(p, entry, "inner\n")


def test_an_import_map_added_beside_the_entry_is_seen(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util.js";\nimport "env";\nconsole.log(v);\n')
    p.write("util.js", "export const v = 1;\n")
    p.write("node_modules/env/index.js", 'console.log("package");\n')
    p.write("node_modules/env/package.json", '{"name": "env"}')
    assert _bundle_and_run(p, entry)[1] == "package\n1\n"
    p.write("env.js", 'console.log("mapped");\n')
    p.write("edgebox.json", '{"imports": {"env": "./env.js"}}')
    _check_invalidated(p, entry, "mapped\n1\n")


def test_a_symbolic_link_pointed_elsewhere_is_seen(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./lib/util.js";\nconsole.log(v);\n')
    p.write("one/util.js", "export const v = 1;\n")
    p.write("two/util.js", "export const v = 2;\n")
    (p.root / "lib").symlink_to("one")
    assert _bundle_and_run(p, entry)[1] == "1\n"
    (p.root / "lib").unlink()
    (p.root / "lib").symlink_to("two")
    _check_invalidated(p, entry, "2\n")


def test_check_sees_a_changed_wasm_signature_at_its_exact_position(cached):
    p = cached
    entry = p.write("app.js", 'import { add } from "./m.wasm";\nconsole.log(add(2, 3));\n')
    wat = '(module (func (export "add") (param {t} {t}) (result {t}) local.get 0 local.get 1 {t}.add))'
    p.wat("m.wasm", wat.format(t="i32"))
    first = p.bundle("--check", entry)
    assert first.code == 0, first.out
    assert p.bundle("--check", entry).out == first.out
    p.wat("m.wasm", wat.format(t="i64"))
    r = p.bundle("--check", entry)
    assert r.code == 1
    assert "app.js:2:17: error[EB003]" in r.out and "app.js:2:20: error[EB003]" in r.out, r.out
    assert p.bundle("--check", entry).out == r.out  # the cached verdict is the same, position and all


def test_a_cached_build_reports_its_warnings_at_the_same_positions(cached):
    p = cached
    entry = p.write("app.js", 'export async function f() {\n  return import("not-installed");\n}\n')
    out = p.root / "app.ebx"
    first = p.bundle(entry, "-o", out)
    assert first.code == 0 and "app.js:2:17: warning[EB013]" in first.err, first.err
    assert build_cache.lookup(_key(entry)) is not None
    second = p.bundle(entry, "-o", out)
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)


def test_realpath_a_component_at_a_time_is_the_system_s(tmp_path):
    """reads.Reads.realpath answers as os.path.realpath does: links relative and absolute,
    `..` after a link, links to links, missing components and a loop."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.js").write_text("")
    (tmp_path / "rel").symlink_to("a/b")
    (tmp_path / "abs").symlink_to(tmp_path / "a")
    (tmp_path / "chain").symlink_to("rel")
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    record = reads.Reads()
    for rel in (
        "rel/f.js", "abs/b/f.js", "chain/f.js", "rel/../b/f.js", "abs/up/rel/f.js",
        "a/up/a/b/../b/f.js", "missing/x.js", "rel/missing/../f.js", "a/b/f.js/x", "loop1/x",
    ):  # fmt: skip
        path = str(tmp_path / rel)
        assert record.realpath(path) == os.path.realpath(path), rel
    # and every answer it rests on still holds, until a link is pointed elsewhere
    assert record.still_valid()
    (tmp_path / "rel").unlink()
    (tmp_path / "rel").symlink_to("a")
    assert not record.still_valid()


def test_a_damaged_modules_database_is_replaced(cached):
    p = cached
    entry = p.write("app.js", 'import { v } from "./util.js";\nconsole.log(v);\n')
    p.write("util.js", "export const v = 1;\n")
    assert _bundle_and_run(p, entry)[1] == "1\n"
    from bundler import cache

    cache.flush_writes()
    db = cache_dir() / cache.MODULES_DB
    cache._connections.clear()  # as a new process would find it
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"not a database, " * 1000)
    shutil.rmtree(cache_dir() / "builds")
    out = p.root / "app.ebx"
    r = p.bundle(entry, "-o", out)
    assert r.code == 0 and "warning" not in r.err, r.err
    assert p.exec(out).out == "1\n"
    assert db.read_bytes().startswith(b"SQLite format 3\0")
