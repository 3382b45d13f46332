"""WASI for user modules: printf works; files and environment are denied unless granted."""

from __future__ import annotations

import os

FILES_C = """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static char line[128];
__attribute__((export_name("read_first_line"))) int read_first_line(void) {
    FILE *f = fopen("data/in.txt", "r");
    if (!f) { printf("open for reading failed\\n"); fflush(stdout); return -1; }
    if (!fgets(line, sizeof line, f)) line[0] = 0;
    fclose(f);
    printf("read: %s", line);
    fflush(stdout);
    return (int)strlen(line);
}
__attribute__((export_name("write_file"))) int write_file(void) {
    FILE *f = fopen("data/out.txt", "w");
    if (!f) { printf("open for writing failed\\n"); fflush(stdout); return -1; }
    fputs("written from wasm\\n", f);
    fclose(f);
    return 0;
}
__attribute__((export_name("has_env"))) int has_env(void) { return getenv("EDGEBOX_TEST_VAR") != NULL; }
"""

APP = 'import * as f from "./files.wasm";\nconsole.log(f.read_first_line(), f.write_file(), f.has_env());\n'


def _setup(project):
    project.c("files.wasm", FILES_C, wasi=True)
    (project.root / "data").mkdir()
    (project.root / "data/in.txt").write_text("hello file\n")
    project.write("app.js", APP)
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    return out


def test_files_and_environment_are_denied_by_default(project, monkeypatch):
    monkeypatch.setenv("EDGEBOX_TEST_VAR", "1")
    r = project.exec(_setup(project))
    assert r.code == 0, r.err
    assert r.out == "open for reading failed\nopen for writing failed\n-1 -1 0\n"
    assert not (project.root / "data/out.txt").exists()


def test_allow_read_grants_reading_only(project):
    r = project.exec("--allow-read=data", _setup(project))
    assert r.out == "read: hello file\nopen for writing failed\n11 -1 0\n"
    assert not (project.root / "data/out.txt").exists()


def test_allow_write_and_allow_env(project, monkeypatch):
    monkeypatch.setenv("EDGEBOX_TEST_VAR", "1")
    r = project.exec("--allow-write=data", "--allow-env", _setup(project))
    assert r.out == "read: hello file\n11 0 1\n"
    assert (project.root / "data/out.txt").read_text() == "written from wasm\n"


def test_paths_outside_a_granted_directory_stay_out_of_reach(project):
    project.c(
        "escape.wasm",
        '#include <stdio.h>\n__attribute__((export_name("go"))) int go(void) {\n'
        '  FILE *a = fopen("data/../secret.txt", "r"); FILE *b = fopen("/etc/passwd", "r");\n'
        "  return (a != NULL) * 10 + (b != NULL);\n}\n",
        wasi=True,
    )
    (project.root / "data").mkdir()
    (project.root / "secret.txt").write_text("no")
    project.write("app.js", 'import { go } from "./escape.wasm";\nconsole.log(go());\n')
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    assert project.exec("--allow-read=data", out).out == "0\n"


def test_a_bundle_records_what_it_asks_for_and_info_shows_it(project):
    project.c("files.wasm", FILES_C, wasi=True)
    (project.root / "data").mkdir()
    project.write("app.js", APP)
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--allow-read=data", "--allow-env").code == 0
    info = project.exec("--info", out)
    assert info.code == 0
    assert "permissions asked for: --allow-read=data --allow-env" in info.out
    assert "export read_first_line: () -> i32" in info.out
    assert "WASI: " in info.out and "fd_write" in info.out
    # asking is not granting: the run says what was not granted
    os.chdir(project.root)
    r = project.exec(out)
    assert "asks for --allow-read=data --allow-env; not granted" in r.err
    assert r.out.startswith("open for reading failed")


def test_wasi_unstable_is_refused_at_bundle_time(project):
    """Issue 9, item 2: wasi_unstable imports were bound to preview 1 functions whose layouts
    differ (fd_seek's whence: END is 1 in wasi_unstable, CUR in preview 1), so a module
    appending to a file overwrote its start."""
    project.wat(
        "old.wasm",
        '(module (import "wasi_unstable" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))'
        ' (memory (export "memory") 1))',
    )
    project.write("app.js", 'import "./old.wasm";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1 and not (project.root / "app.ebx").exists()
    assert "old.wasm imports 'fd_seek' from wasi_unstable, the WASI snapshot before preview 1" in r.err
    assert "rebuild the module with a current toolchain" in r.err
