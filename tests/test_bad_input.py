"""Every bad input: a clear message with file and line:column, a non-zero exit, nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

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
    assert "app.js:1:15: error: cannot find package 'lodash' (no node_modules/lodash in . or any" in r.err
    assert "hint: install it (npm install lodash), or map the name to a file with --import-map" in r.err


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


def _manifest_edit(change):
    """An entry transform for _rewrite that applies `change` to the parsed manifest."""

    def edit(n, c):
        if n != "manifest.json":
            return n, c
        m = json.loads(c)
        change(m)
        return n, json.dumps(m).encode()

    return edit


def test_an_edited_manifest_is_refused_by_its_hash(project):
    out, data = _bundle(project)

    def loosen_manifest(m):
        m["limits"]["heap"] *= 16  # valid JSON, valid shape: only the hash can tell

    loosen = _manifest_edit(loosen_manifest)

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

    def bump_manifest(m):
        m["format_version"] = 99

    bump = _manifest_edit(bump_manifest)

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

    def retarget_manifest(m):
        m["files"]["wasm/m.wasm"] = "0" * 64

    retarget = _manifest_edit(retarget_manifest)

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


def _rewritten(data: bytes, compress_type: int, flag_bits: int = 0) -> bytes:
    """The same bundle, every entry written with `compress_type` and `flag_bits` set."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.comment = src.comment
        for info in src.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = compress_type
            z.writestr(copy, src.read(info.filename))
    out = bytearray(buf.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = out.find(signature)
        while pos != -1:
            out[pos + flags_at] |= flag_bits
            pos = out.find(signature, pos + 4)
    return bytes(out)


def test_the_bundle_reader_takes_stored_entries_and_refuses_what_bundles_never_hold(project):
    """edgebox-exec reads bundles with its own zip reader (bundler/zip_reader.py), not zipfile:
    stored entries are read as deflated ones are; encryption, other compression methods and
    a damaged CRC are refused by name, with no traceback."""
    out, data = _bundle(project)
    out.write_bytes(_rewritten(data, zipfile.ZIP_STORED))
    r = project.exec(out)
    assert (r.code, r.out) == (0, "1\n"), r.err
    out.write_bytes(_rewritten(data, zipfile.ZIP_BZIP2))
    r = project.exec(out)
    assert r.code == 1 and "entry manifest.json is damaged or truncated: compression method 12" in r.err
    out.write_bytes(_rewritten(data, zipfile.ZIP_STORED, flag_bits=0x1))
    r = project.exec(out)
    assert r.code == 1 and "is damaged or truncated: an encrypted entry" in r.err
    stored = _rewritten(data, zipfile.ZIP_STORED)
    # a stored entry that declares fewer bytes than it holds is refused before it is read
    out.write_bytes(_declare_size(stored, "wasm/m.wasm", 3))
    r = project.exec(out)
    assert (
        r.code == 1 and "wasm/m.wasm is damaged or truncated: it is stored, yet its two sizes differ" in r.err
    )
    # the manifest's CRC-32 is checked (the other entries are checked by the sha256 it records)
    at = stored.index(b'"format"')
    out.write_bytes(stored[:at] + b"'" + stored[at + 1 :])
    r = project.exec(out)
    assert r.code == 1 and "manifest.json is damaged or truncated: its size or CRC-32 does not match" in r.err
    assert "Traceback" not in r.err and r.out == ""


def test_an_archive_past_65535_entries_is_read_through_its_zip64_directory(tmp_path):
    """More than 65,535 entries need zip64's end records (ebx allows 100,000): they are read,
    and the archive then fails the bundle's own checks, not the zip reader's."""
    from bundler.ebx import decode
    from bundler.errors import BundleError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(65_540):
            z.writestr(f"js/{i}.js", b"")
    with pytest.raises(BundleError, match="has no manifest.json"):
        decode(buf.getvalue(), "big.ebx")


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


# ---------------------------------------------------------------------------------------------
# Found by attacking EdgeBox and by installing it as a new user would (issue 9), and fixed.
# Every case: a clear message, the documented exit code, nothing lost or half-written.
# ---------------------------------------------------------------------------------------------


BIN = Path(sys.executable).parent  # the venv's edgebox-bundle and edgebox-exec


def _app(project) -> Path:
    project.wat("m.wasm", '(module (func (export "f") (result i32) i32.const 1))')
    return project.write("app.js", 'import { f } from "./m.wasm";\nconsole.log(f());\n')


def test_output_over_an_input_is_refused(project):
    """Item 6: `-o app.js` replaced the source it was built from."""
    app = _app(project)
    before = app.read_bytes()
    for target in (app, project.root / "m.wasm", project.root / "." / "app.js"):
        r = project.bundle(app, "-o", target)
        assert r.code == 1 and "that is an input of this build" in r.err, r.err
    assert app.read_bytes() == before and (project.root / "m.wasm").read_bytes()[:4] == b"\0asm"
    (project.root / "link.js").symlink_to(app)  # the same file under another name
    r = project.bundle(app, "-o", project.root / "link.js")
    assert r.code == 1 and "that is an input of this build" in r.err
    assert app.read_bytes() == before


def test_output_onto_a_device_fifo_or_directory_is_refused(project):
    """Item 6: `-o /dev/null` (as root) replaced the device with a regular file."""
    app = _app(project)
    fifo = project.root / "pipe"
    os.mkfifo(fifo)
    (project.root / "dir").mkdir()
    for target, says in (
        ("/dev/null", "it leads to /dev/null, a special file"),
        (fifo, "it is a FIFO; EdgeBox only replaces regular files"),
        (project.root / "dir", "it is a directory; EdgeBox only replaces regular files"),
    ):
        r = project.bundle(app, "-o", target)
        assert r.code == 1 and says in r.err, r.err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("flag", ["--allow-read", "--allow-write"])
def test_an_empty_permission_directory_is_refused(project, flag):
    """Item 7: `--allow-read=$DIR` with DIR unset granted the working directory."""
    app = _app(project)
    r = project.exec(f"{flag}=", app)
    assert r.code == 2 and f"{flag}: the directory is empty" in r.err and r.out == ""
    r = project.bundle(app, "-o", project.root / "a.ebx", f"{flag}=")
    assert r.code == 2 and not (project.root / "a.ebx").exists()


def test_a_bundle_path_that_is_not_a_regular_file_is_refused_without_reading(project):
    """Item 14: the .ebx was read whole before any check: /dev/zero never ended (MemoryError)."""
    fifo = project.root / "pipe.ebx"
    os.mkfifo(fifo)  # opening it to read would wait for a writer for ever
    for path in ("/dev/zero", fifo, project.root):
        r = project.exec(path)
        assert r.code == 1 and "is not a bundle: it is" in r.err, r.err


def test_a_huge_bundle_file_is_refused_by_its_size(project):
    """Item 14: an 8 GiB file was read into memory first (MemoryError under a ulimit)."""
    big = project.root / "big.ebx"
    with open(big, "wb") as f:
        f.truncate(8 * 1024**3)  # sparse: costs no disk
    r = project.exec(big)
    assert r.code == 1 and "8,589,934,592 bytes, over the 1,073,741,824-byte limit" in r.err


def test_a_manifest_that_inflates_past_its_cap_is_refused(project):
    """Item 25: a 250 KB bundle whose manifest inflated to 1.6 GB of RAM."""
    out, data = _bundle(project)

    def pad_manifest(m):
        m["padding"] = " " * (20 * 1024 * 1024)  # deflates to almost nothing

    pad = _manifest_edit(pad_manifest)

    bomb = _rewrite(data, pad)
    assert len(bomb) < 100_000
    out.write_bytes(bomb)
    r = project.exec(out)
    assert r.code == 1 and "entry manifest.json inflates past its limit of 16,777,216 bytes" in r.err


def test_info_escapes_control_characters_from_the_manifest(project):
    """Item 25: --info printed manifest strings raw, terminal escape sequences included."""
    out, data = _bundle(project)

    def inject_manifest(m):
        m["permissions"] = {"read": ["\x1b]0;pwned\x07\x1b[2J"], "write": [], "env": False}

    inject = _manifest_edit(inject_manifest)

    out.write_bytes(_rewrite(data, inject))
    r = project.exec("--info", out)
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x07" not in r.out
    assert "--allow-read=\\x1b]0;pwned\\x07\\x1b[2J" in r.out


@pytest.mark.parametrize(
    "flag, value, message",
    [
        ("--time-limit", "inf", "not a positive, finite number of seconds"),
        ("--time-limit", "nan", "not a positive, finite number of seconds"),
        ("--time-limit", "1e-300", "outside 0.01..1e+06 seconds"),
        ("--time-limit", "1e300", "outside 0.01..1e+06 seconds"),
        ("--heap-limit", "4GiB", "--heap-limit 4GiB is outside 1MiB..4032MiB"),
        ("--heap-limit", "5GiB", "--heap-limit 5GiB is outside 1MiB..4032MiB"),
        ("--heap-limit", "1", "--heap-limit 1B is outside 1MiB..4032MiB"),
        ("--heap-limit", "100KiB", "--heap-limit 100KiB is outside 1MiB..4032MiB"),
        ("--heap-limit", "64KiB", "--heap-limit 64KiB is outside 1MiB..4032MiB"),
        ("--wasm-memory-limit", "8GiB", "--wasm-memory-limit 8GiB is outside 64KiB..4GiB"),
    ],
)
def test_limit_values_outside_their_range_are_usage_errors(project, flag, value, message):
    """Item 16: these gave exit 70, an instant limit or a wrong blame."""
    app = _app(project)
    r = project.exec(f"{flag}={value}", app)
    assert r.code == 2 and message in r.err, r.err
    r = project.bundle(app, "-o", project.root / "a.ebx", f"{flag}={value}")
    assert r.code == 2 and message in r.err and not (project.root / "a.ebx").exists()


def test_limits_read_from_a_manifest_are_held_to_the_same_ranges(project):
    """Item 16: `edgebox-bundle --time-limit inf` wrote Infinity, and that bundle always failed."""
    out, data = _bundle(project)
    for limits in (
        {"wasm_memory": 1 << 40, "heap": 1 << 28, "time": None},
        {"wasm_memory": 1 << 25, "heap": 1 << 28, "time": float("inf")},
    ):

        def set_limits_manifest(m, limits=limits):
            m["limits"] = limits

        set_limits = _manifest_edit(set_limits_manifest)

        out.write_bytes(_rewrite(data, set_limits))
        r = project.exec(out)
        assert r.code == 1 and "the limits in its manifest are not usable" in r.err, r.err


@pytest.mark.parametrize(
    "where, reason",
    [
        ("", "the output path is empty"),
        ("/proc/edgebox.ebx", "a special file; EdgeBox writes bundles to regular files"),
        ("afile/app.ebx", "a part of the path is a file, not a directory"),
        ("x" * 300 + ".ebx", "the name is too long"),
    ],
)
def test_output_failures_say_what_they_are(project, where, reason):
    """Item 17: these were internal errors (exit 70)."""
    app = _app(project)
    (project.root / "afile").write_text("a file, not a directory")
    r = project.bundle(app, "-o", where)
    assert r.code == (2 if where == "" else 1) and reason in r.err and "internal error" not in r.err, r.err


def test_a_file_too_large_for_the_ulimit_is_reported(project):
    """Item 17: EFBIG under `ulimit -f`, in a real process (the limit is per process)."""
    import resource

    app = _app(project)
    r = subprocess.run(
        [BIN / "edgebox-bundle", str(app), "-o", "app.ebx"],
        capture_output=True, text=True, cwd=project.root,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024)),
    )  # fmt: skip
    assert r.returncode == 1 and "the file would be larger than allowed (ulimit -f)" in r.stderr, r.stderr
    assert not (project.root / "app.ebx").exists() and not list(project.root.glob(".app.ebx.*"))


def test_emit_types_onto_a_file_is_reported(project):
    app = _app(project)
    (project.root / "types").write_text("a file")
    r = project.bundle(app, "--emit-types", project.root / "types")
    assert r.code == 1 and "--emit-types" in r.err and "it is a file, not a directory" in r.err


def test_a_rebuilt_bundle_keeps_its_mode_and_a_new_one_follows_the_umask(project):
    app = _app(project)
    out = project.root / "app.ebx"
    old = os.umask(0o027)
    try:
        assert project.bundle(app, "-o", out).code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        out.chmod(0o600)
        assert project.bundle(app, "-o", out).code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_temporaries_left_by_a_killed_build_are_removed_by_the_next(project):
    """Item 17: a SIGKILLed build left `.app.ebx.*.tmp` behind for ever."""
    app = _app(project)
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that is no longer running
    stale = project.root / f".app.ebx.{dead.pid}.abcd1234.tmp"
    stale.write_bytes(b"half a bundle")
    mine = project.root / f".app.ebx.{os.getpid()}.live.tmp"  # a running build's: kept
    mine.write_bytes(b"in progress")
    assert project.bundle(app, "-o", project.root / "app.ebx").code == 0
    assert not stale.exists() and mine.exists()


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_stdout_or_stderr_is_not_a_crash(project, closed):
    """Item 17: a closed stream was an AttributeError (None.write)."""
    app = _app(project)
    for cmd in (["edgebox-bundle", str(app), "-o", "app.ebx"], ["edgebox-exec", "app.ebx"]):
        r = subprocess.run(
            [BIN / cmd[0], *cmd[1:]],
            capture_output=True, text=True, cwd=project.root, preexec_fn=lambda: os.close(closed),
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr + r.stdout and "internal error" not in r.stderr + r.stdout


def test_an_entry_whose_name_is_not_utf8_is_refused_clearly(project):
    """Item 18: a UnicodeEncodeError, exit 70."""
    name = os.fsdecode(b"\xffapp.js")
    (project.root / name).write_text("console.log(1);\n")
    r = project.bundle(project.root / name, "-o", project.root / "a.ebx")
    assert r.code == 1 and "\\xffapp.js: the file name is not UTF-8" in r.err, r.err
    assert "internal error" not in r.err


def test_import_map_targets_must_be_modules(project):
    """Item 24: an import-map target of any kind was bundled (an extensionless .env file
    ended up in the bytecode; /etc/passwd was quoted in a code frame)."""
    project.write(".env", "SECRET=hunter2\n")
    project.write("app.js", 'import env from "config";\nconsole.log(env);\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx", "--import-map", "config=./.env")
    assert r.code == 1 and "is an extensionless file, not a module EdgeBox can bundle" in r.err
    r = project.bundle(
        project.root / "app.js", "-o", project.root / "a.ebx", "--import-map", "config=/etc/passwd"
    )
    assert r.code == 1 and "root:" not in r.err and not (project.root / "a.ebx").exists()


def test_versions_usage_and_counts_read_right(project):
    """Item 28: --version from the package metadata; optional program arguments; "1 module"."""
    from importlib.metadata import version

    for main in (project.bundle, project.exec):
        r = main("--version")
        assert r.code == 0 and r.out.split()[-1] == version("edgebox")
    r = project.exec("--help")
    assert "usage: edgebox-exec [options] BUNDLE [ARGS ...]" in r.out
    project.write("solo.js", "console.log(1);\n")
    r = project.bundle(project.root / "solo.js", "-o", project.root / "solo.ebx")
    assert r.code == 0 and "bytes, 1 module)" in r.err


# Found by a second adversarial round (issue 9), and fixed.


def test_a_lone_surrogate_in_a_crafted_manifest_is_a_bundle_error(project):
    out, data = _bundle(project)

    def rename_manifest(m):
        m["entry"] = "a\ud800.js"

    out.write_bytes(_rewrite(data, _manifest_edit(rename_manifest)))
    for argv in ((out,), ("--info", out)):
        r = project.exec(*argv)
        assert r.code == 1 and "entry is not valid Unicode (a lone surrogate)" in r.err, r.err


def test_a_permission_directory_that_is_not_utf8_is_a_usage_error(project):
    app = _app(project)
    bad = os.fsdecode(b"bad\xff")
    (project.root / bad).mkdir()
    r = project.exec(f"--allow-read={bad}", app)
    assert r.code == 2 and "bad\\xff: a directory name must be UTF-8 to be granted" in r.err
    r = project.bundle(app, "-o", project.root / "a.ebx", f"--allow-write={bad}")
    assert r.code == 2 and "internal error" not in r.err


def test_output_through_a_symlink_writes_the_file_it_names(project):
    """-o replaced a symbolic link with a regular file; through /proc/self/fd it wrote nowhere."""
    app = _app(project)
    real = project.root / "real.ebx"
    real.write_bytes(b"old")
    (project.root / "link.ebx").symlink_to("real.ebx")
    assert project.bundle(app, "-o", project.root / "link.ebx").code == 0
    assert (project.root / "link.ebx").is_symlink() and real.read_bytes()[:2] == b"PK"
    (project.root / "out").symlink_to("/proc/self/fd/1")
    for target in ("/dev/stdout", project.root / "out"):
        r = project.bundle(app, "-o", target)
        assert r.code == 1 and "a special file; EdgeBox writes bundles to regular files" in r.err, r.err
    assert (project.root / "out").is_symlink()


def test_a_full_stdout_is_an_error_and_a_full_stderr_keeps_the_exit_code(project):
    """Writing to a full stdout was an internal error (exit 70); a full stderr changed a run's
    exit code (6 became 1)."""
    app = _app(project)
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [BIN / "edgebox-bundle", "--version"],
            stdout=full,
            capture_output=False,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert r.returncode == 1 and "cannot write to standard output: No space left on device" in r.stderr
        project.write("deep.js", "function f() { return f() + 1; }\nf();\n")
        r = subprocess.run(
            [BIN / "edgebox-exec", "deep.js"], cwd=project.root, stderr=full, stdout=subprocess.PIPE
        )
        assert r.returncode == 6
    assert app.exists()


def test_a_failed_write_is_a_failure_document_in_json(project):
    """--format json printed `[]` (no problems) when writing -o then failed."""
    app = _app(project)
    (project.root / "afile").write_text("a file, not a directory")
    r = project.bundle(app, "-o", project.root / "afile" / "app.ebx", "--format", "json")
    assert r.code == 1
    doc = json.loads(r.out)
    assert [d["code"] for d in doc] == ["EB000"] and "cannot write" in doc[0]["message"]


def test_a_nul_in_an_import_map_name_is_refused(project):
    """The engine's module names are C strings: `a\\0b` was looked up as `a`."""
    project.write("x.js", "export const v = 'x';\n")
    project.write("edgebox.json", json.dumps({"imports": {"a\u0000b": "./x.js"}}))
    project.write("app.js", 'import { v } from "a\\u0000b";\nconsole.log(v);\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1 and "cannot contain a NUL character" in r.err


def test_a_huge_edgebox_json_is_refused_before_reading(project):
    app = _app(project)
    with open(project.root / "edgebox.json", "wb") as f:
        f.truncate(1536 * 1024 * 1024)  # sparse
    r = project.bundle(app, "-o", project.root / "a.ebx")
    assert r.code == 1 and "an edgebox.json may have at most 1,048,576" in r.err


def test_names_in_messages_cannot_fake_lines(project):
    """A wasm import module name with a newline printed a fake 'error:' line in the hint."""
    project.wat("i.wasm", '(module (import "env\\0a error: lies" "f" (func)))')
    project.write("app.js", 'import "./i.wasm";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1
    assert not any(line.startswith("error: lies") for line in r.err.splitlines()), r.err
    assert "env\\n error: lies" in r.err


def test_code_frames_count_lines_as_js_does(project):
    """A form feed (not a JS line break) made the frame show the wrong line."""
    project.wat("m.wasm", '(module (func (export "add") (param i32 i32) (result i32) local.get 0))')
    project.write(
        "app.js",
        'import * as m from "./m.wasm"; // a form feed: \f here\nconsole.log(m.add(1)); // the bad call\n',
    )
    r = project.bundle("--check", project.root / "app.js")
    assert r.code == 1 and "2 | console.log(m.add(1)); // the bad call" in r.out, r.out


def test_a_backslash_in_a_file_name_bundles(project):
    """The bundler refused its own bundle: the module id became an archive entry name."""
    project.write("a\\b.js", "export const v = 'backslash';\n")
    project.write("app.js", 'import { v } from "./a\\\\b.js";\nconsole.log(v);\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "backslash\n"), r.err
