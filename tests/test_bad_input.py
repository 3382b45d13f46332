"""Every bad input: a clear message with file and line:column, a non-zero exit, nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from bundler.ebx import manifest_seal
from bundler.engine import build
from bundler.errors import EngineBuildError


def _assert_clean_failure(project, result, out_file, *needles):
    assert result.code != 0
    assert "Traceback" not in result.err
    for n in needles:
        assert n in result.err, result.err
    assert not out_file.exists()
    assert not list(project.root.glob(".*.tmp"))  # no half-written temporary left either


def test_missing_import_names_the_importing_line(project):
    project.write("app.js", 'const x = 1;\nimport { y } from "./nope.js";\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    _assert_clean_failure(project, r, out, "app.js:2:19: error: cannot find module './nope.js'")
    assert '2 | import { y } from "./nope.js";' in r.err
    assert "^^^^^^^^^^^" in r.err  # under the specifier


def test_missing_entry(project):
    out = project.root / "x.ebx"
    r = project.bundle(project.root / "missing.js", "-o", out)
    _assert_clean_failure(project, r, out, "cannot find the entry module")


def test_js_syntax_error_has_line_column_and_code_frame(project):
    project.write("lib.js", "export const a = 1;\nexport const b = ;\n")
    project.write("app.js", 'import { a } from "./lib.js";\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    _assert_clean_failure(project, r, out, "lib.js:2:18: error: syntax error: Unexpected token ;")
    assert "2 | export const b = ;" in r.err


def test_invalid_wasm_names_the_file(project):
    (project.root / "bad.wasm").write_bytes(b"\0asm\1\0\0\0\x01\x05garbage")
    project.write("app.js", 'import * as b from "./bad.wasm";\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    _assert_clean_failure(project, r, out, "bad.wasm is not a valid WebAssembly module")


def test_not_wasm_at_all(project):
    (project.root / "text.wasm").write_text("hello")
    project.write("app.js", 'import * as b from "./text.wasm";\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    _assert_clean_failure(project, r, out, "text.wasm is not a WebAssembly module")


def test_a_failed_build_keeps_the_previous_bundle(project):
    project.write("app.js", "console.log(1);\n")
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    before = out.read_bytes()
    project.write("app.js", "console.log(;\n")
    r = project.bundle(project.root / "app.js", "-o", out)
    assert r.code == 1
    assert out.read_bytes() == before


def test_bare_specifier_is_explained(project):
    project.write("app.js", 'import x from "lodash";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1
    assert "app.js:1:15: error: cannot resolve 'lodash'" in r.err


def test_usage_error_exits_2(project):
    r = project.bundle("--no-such-flag")
    assert r.code == 2
    assert "usage" in r.err.lower() or "--help" in r.err


def _bundle(project) -> tuple:
    project.wat("m.wasm", '(module (func (export "f") (result i32) i32.const 1))')
    project.write("app.js", 'import { f } from "./m.wasm";\nconsole.log(f());\n')
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    return out, out.read_bytes()


def _rewrite(data: bytes, change, reseal: bool = True) -> bytes:
    """The bundle with each entry passed through `change`. `reseal` records the (changed)
    manifest's hash again, as a careful tamperer would, so the checks behind it are reached."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.comment = src.comment
        for info in src.infolist():
            name, content = change(info.filename, src.read(info.filename))
            if name is not None:
                z.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
                if name == "manifest.json" and reseal:
                    z.comment = manifest_seal(content)
    return buf.getvalue()


def test_an_edited_manifest_is_refused_by_its_hash(project):
    out, data = _bundle(project)

    def loosen(n, c):
        if n == "manifest.json":
            m = json.loads(c)
            m["limits"]["heap"] *= 16  # valid JSON, valid shape: only the hash can tell
            return n, json.dumps(m).encode()
        return n, c

    out.write_bytes(_rewrite(data, loosen, reseal=False))
    r = project.exec(out)
    assert r.code == 1 and "manifest.json does not match its recorded hash" in r.err and r.out == ""
    out.write_bytes(_rewrite(data, lambda n, c: (n, c)).replace(b"edgebox manifest sha256 ", b"x" * 24))
    r = project.exec(out)
    assert r.code == 1 and "has no manifest hash" in r.err


def test_tampered_module_is_refused(project):
    out, data = _bundle(project)
    out.write_bytes(_rewrite(data, lambda n, c: (n, c + b"\0" if n == "wasm/m.wasm" else c)))
    r = project.exec(out)
    assert r.code == 1
    assert "wasm/m.wasm does not match its hash in the manifest" in r.err
    assert r.out == ""


def test_truncated_bundle_is_refused(project):
    out, data = _bundle(project)
    out.write_bytes(data[: len(data) // 2])
    r = project.exec(out)
    assert r.code == 1
    assert "damaged or truncated" in r.err


def test_a_file_that_is_not_a_bundle_is_refused(project):
    p = project.write("x.ebx", "just text")
    r = project.exec(p)
    assert r.code == 1 and "is not an EdgeBox bundle" in r.err


def test_newer_format_version_is_refused(project):
    out, data = _bundle(project)

    def bump(n, c):
        if n == "manifest.json":
            m = json.loads(c)
            m["format_version"] = 99
            return n, json.dumps(m).encode()
        return n, c

    out.write_bytes(_rewrite(data, bump))
    r = project.exec(out)
    assert r.code == 1 and "format version 99" in r.err


@pytest.mark.parametrize("bad_name", ["../evil", "/etc/evil", "wasm/../../evil", "C:\\evil"])
def test_unsafe_entry_paths_are_refused(project, bad_name):
    out, data = _bundle(project)
    out.write_bytes(_rewrite(data, lambda n, c: (bad_name if n == "wasm/m.wasm" else n, c)))
    r = project.exec(out)
    assert r.code == 1 and "refusing an archive entry with an unsafe path" in r.err, r.err
    assert not (project.root.parent / "evil").exists() and not (project.root / "evil").exists()


def test_duplicate_entries_are_refused(project):
    out, data = _bundle(project)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, pytest.warns(UserWarning, match="Duplicate name"):
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("wasm/m.wasm", b"\0asm\1\0\0\0")  # a second copy, which a reader might pick
    out.write_bytes(buf.getvalue())
    r = project.exec(out)
    assert r.code == 1 and "duplicate archive entries: wasm/m.wasm" in r.err and r.out == ""


def test_an_altered_manifest_is_refused(project):
    """Editing the manifest (its hashes, or what it lists) is caught like editing an entry."""
    out, data = _bundle(project)

    def retarget(n, c):
        if n == "manifest.json":
            m = json.loads(c)
            m["files"]["wasm/m.wasm"] = "0" * 64
            return n, json.dumps(m).encode()
        return n, c

    out.write_bytes(_rewrite(data, retarget))
    r = project.exec(out)
    assert r.code == 1 and "wasm/m.wasm does not match its hash in the manifest" in r.err
    out.write_bytes(_rewrite(data, lambda n, c: (n, c) if n != "wasm/m.wasm" else (None, c)))
    r = project.exec(out)
    assert r.code == 1 and "the manifest lists wasm/m.wasm but the archive lacks it" in r.err
    out.write_bytes(_append(data, "js/smuggled.js", b"console.log('not listed')"))
    r = project.exec(out)
    assert r.code == 1 and "archive entry js/smuggled.js is not listed in the manifest" in r.err


def _append(data: bytes, name: str, content: bytes) -> bytes:
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s declared uncompressed size changed in its central directory."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(out[pos + 28 : pos + 30], "little")
        if out[pos + 46 : pos + 46 + name_len].decode() == name:
            out[pos + 24 : pos + 28] = size.to_bytes(4, "little")
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 46)
    raise AssertionError(name)


def test_zip_bombs_are_refused_by_declared_and_by_actual_size(project, monkeypatch):
    out, data = _bundle(project)
    out.write_bytes(_declare_size(data, "wasm/m.wasm", 0xFFFF_FFF0))
    r = project.exec(out)
    assert r.code == 1 and "entry wasm/m.wasm declares 4294967280 bytes, over the" in r.err
    # An entry that inflates to far more than it declares: 64 MiB of zeros in ~64 KiB.
    from bundler import ebx

    bomb = _append(data, "js/bomb.js", bytes(64 * 1024 * 1024))
    assert len(bomb) < 200_000
    monkeypatch.setattr(ebx, "MAX_ENTRY_BYTES", 1024 * 1024)  # so the test inflates little
    out.write_bytes(bomb)
    r = project.exec(out)
    assert r.code == 1 and "js/bomb.js declares 67108864 bytes, over the 1048576-byte limit" in r.err
    out.write_bytes(_declare_size(bomb, "js/bomb.js", 1000))  # lies about its size
    r = project.exec(out)
    assert r.code == 1 and "Traceback" not in r.err
    assert "js/bomb.js" in r.err and r.out == ""


def test_sdist_with_wrong_hash_is_refused(tmp_path, monkeypatch):
    (tmp_path / build.QUICKJS_NG_SDIST).write_bytes(b"not the real sources")
    with pytest.raises(EngineBuildError, match="expected the pinned"):
        build._fetch_sdist(tmp_path)
    assert not (tmp_path / build.QUICKJS_NG_SDIST).exists()  # the bad file is not kept


def test_engine_is_cached_and_its_hash_verified(engine):
    assert hashlib.sha256(engine.path.read_bytes()).hexdigest() == engine.sha256
    again = build.ensure_engine()
    assert again == engine  # a second call finds the cache, builds nothing


def test_invalid_json_module_has_line_and_column(project):
    project.write("data.json", '{\n  "a": 1,\n  "b": \n}\n')
    project.write("app.js", 'import d from "./data.json" with { type: "json" };\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    _assert_clean_failure(project, r, out, "data.json:4:1: error: invalid JSON: Expecting value")


def test_a_minified_line_shows_a_window_around_the_error(project):
    """A 3 KB line is not printed whole: ~100 characters around the caret, as rustc does."""
    body = "".join(f"const a{i} = {i};" for i in range(200))
    project.write("app.js", body + " const broken = (;\n")
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1
    frame = r.err.splitlines()
    source, carets = frame[2], frame[3]
    assert source.startswith("1 | …") and source.endswith("const broken = (;")
    assert len(source) < 120
    assert carets.index("^") == source.index("(;") + 1  # the caret still points at the error
