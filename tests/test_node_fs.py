"""Files and standard input (issue 12, point 4): node:fs, node:fs/promises, node:process and
process.stdin, reaching only what --allow-read/--allow-write grant. The same programs run under
Node give the same output; what the sandbox refuses says which flag grants it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import NODE, needs_node

BIN = Path(sys.executable).parent


def _edgebox(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "edgebox-exec", *args], cwd=root, capture_output=True, text=True, input=stdin, timeout=120
    )


def _node(root: Path, entry: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, entry], cwd=root, capture_output=True, text=True, input=stdin, timeout=60)


def _same(root: Path, entry: str, *flags: str, stdin: str | None = None) -> str:
    ours = _edgebox(root, *flags, entry, stdin=stdin)
    node = _node(root, entry, stdin=stdin)
    assert ours.returncode == 0 and node.returncode == 0, ours.stderr + node.stderr
    assert ours.stdout == node.stdout
    return ours.stdout


def _data(root: Path) -> None:
    (root / "data/sub").mkdir(parents=True)
    (root / "data/b.txt").write_text("second\n")
    (root / "data/a.txt").write_text("hello\nwörld €\n")
    (root / "data/Z.bin").write_bytes(bytes(range(256)))


READING = """\
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import * as fsp from "node:fs/promises";
import fs from "fs";
import { readFile } from "fs/promises";
const show = (x) => console.log(JSON.stringify(x));
show(readFileSync("data/a.txt", "utf8"));
show(readFileSync("./data/../data/a.txt", { encoding: "utf-8" }));
show(readFileSync(new URL("file://ROOT/data/a.txt"), "utf8"));
for (const enc of ["hex", "base64", "base64url", "latin1", "ascii"]) show(readFileSync("data/a.txt", enc));
const bytes = readFileSync("data/Z.bin");
show([bytes instanceof Uint8Array, bytes.length, bytes[0], bytes[255]]);
show(readdirSync("data"));
show(readdirSync("data", { withFileTypes: true }).map((d) => [d.name, d.isFile(), d.isDirectory()]));
const st = statSync("data/a.txt");
show([st.size, st.isFile(), st.isDirectory(), st.mtime instanceof Date, statSync("data").isDirectory()]);
show([existsSync("data/a.txt"), existsSync("data/nope"), existsSync("data")]);
for (const f of [() => readFileSync("data/nope.txt"), () => readFileSync("data"), () => readdirSync("data/a.txt"),
                 () => statSync("data/nope"), () => readFileSync("data/a.txt", "klingon")]) {
  try { f(); } catch (e) { show([e.message, e.code, e.errno, e.syscall, e.path]); }
}
show(await fsp.readFile("data/b.txt", "utf8"));
show(await readFile("data/b.txt", "utf8"));
show((await fsp.readdir("data")).length);
show((await fsp.stat("data/b.txt")).size);
show(await fsp.access("data/b.txt"));
await fsp.readFile("data/nope").catch((e) => show(["rejected", e.code]));
show([typeof fs.readFileSync, fs.promises === fsp.default, typeof fs.constants.R_OK]);
"""


@needs_node
def test_reading_files_is_nodes(project):
    _data(project.root)
    project.write("read.mjs", READING.replace("ROOT", project.root.as_posix()))
    out = _same(project.root, "read.mjs", "--allow-read=data")
    assert (
        '"hello\\nwörld €\\n"' in out
        and "[\"ENOENT: no such file or directory, open 'data/nope.txt'\"" in out
    )
    # the absolute path of a granted directory reaches it too
    absolute = f"--allow-read={project.root / 'data'}"
    assert _edgebox(project.root, absolute, "read.mjs").stdout == out


WRITING = """\
import { writeFileSync, appendFileSync, readFileSync } from "node:fs";
import { writeFile, appendFile } from "node:fs/promises";
writeFileSync("out/a.txt", "one\\n");
appendFileSync("out/a.txt", new TextEncoder().encode("two\\n"));
await appendFile("out/a.txt", "74687265650a", "hex");
await writeFile("out/b.txt", new Uint8Array([104, 105]));
console.log(JSON.stringify([readFileSync("out/a.txt", "utf8"), readFileSync("out/b.txt", "latin1")]));
writeFileSync("out/a.txt", "replaced");
console.log(readFileSync("out/a.txt", "utf8"));
"""


@needs_node
def test_writing_files_is_nodes(project):
    project.write("write.mjs", WRITING)
    (project.root / "out").mkdir()
    out = _same(project.root, "write.mjs", "--allow-write=out")
    assert out == '["one\\ntwo\\nthree\\n","hi"]\nreplaced\n'


DENIED = """\
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
for (const f of [() => readFileSync("data/a.txt"), () => readFileSync("../secret.txt"),
                 () => readFileSync("/etc/passwd"), () => readdirSync("/"),
                 () => writeFileSync("data/new.txt", "x")]) {
  try { f(); console.log("allowed"); } catch (e) { console.log(e.code, e.permission, e.message); }
}
"""


def test_what_is_not_granted_is_refused_saying_which_flag_grants_it(project):
    _data(project.root)
    project.write("denied.mjs", DENIED)
    need_read = (
        "needs edgebox-exec --allow-read=DIR, DIR a directory holding it (the sandbox reaches no other file)"
    )
    refused = [
        f"ERR_ACCESS_DENIED FileSystemRead reading '{p}' {need_read}"
        for p in ["data/a.txt", "../secret.txt", "/etc/passwd"]
    ]
    r = _edgebox(project.root, "denied.mjs")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        *refused,
        f"ERR_ACCESS_DENIED FileSystemRead reading '/' {need_read}",
        "ERR_ACCESS_DENIED FileSystemWrite writing 'data/new.txt' needs edgebox-exec --allow-write=DIR, "
        "DIR a directory holding it (the sandbox reaches no other file)",
    ]
    # reading granted: the file reads, the rest stays refused, and the read-only directory
    # is not written
    r = _edgebox(project.root, "--allow-read=data", "denied.mjs")
    lines = r.stdout.splitlines()
    assert (
        lines[0] == "allowed"
        and lines[1:3] == refused[1:]
        and lines[4].startswith("ERR_ACCESS_DENIED FileSystemWrite")
    )
    assert not (project.root / "data/new.txt").exists()


URL_TRICKS = """\
import { readFileSync, writeFileSync, existsSync } from "node:fs";
const at = (name) => new URL("file://ROOT/" + name);
for (const f of [() => readFileSync(at("data/a.txt%00.json"), "utf8"), () => writeFileSync(at("data/n.txt%00x"), "x"),
                 () => readFileSync(at("data/sub%2F..%2Fa.txt"), "utf8"), () => readFileSync(at("data%2fa.txt"), "utf8")]) {
  try { console.log("allowed", JSON.stringify(f())); } catch (e) { console.log(e.code); }
}
console.log(existsSync(at("data/a.txt%00")), existsSync(at("data/a.txt")));
"""


@needs_node
def test_a_file_url_with_a_nul_or_an_encoded_slash_is_refused(project):
    # a NUL from %00 once ended the C string: "data/n.txt%00x" wrote data/n.txt
    _data(project.root)
    project.write("tricks.mjs", URL_TRICKS.replace("ROOT", project.root.as_posix()))
    out = _same(project.root, "tricks.mjs", "--allow-read=data", "--allow-write=data")
    assert out.splitlines() == [
        "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_FILE_URL_PATH",
        "ERR_INVALID_FILE_URL_PATH", "false true",
    ]  # fmt: skip
    assert not (project.root / "data/n.txt").exists()


def test_a_directory_granted_both_ways_under_two_spellings_is_writable(project):
    # the read-only preopen of "data" once shadowed the writable one of "./data"
    (project.root / "data").mkdir()
    project.write("w.mjs", 'import { writeFileSync } from "node:fs"; writeFileSync("data/x.txt", "ok");\n')
    for flags in (
        ("--allow-read=data", "--allow-write=./data"),
        ("--allow-write=data/", "--allow-read=./data"),
    ):
        r = _edgebox(project.root, *flags, "w.mjs")
        assert r.returncode == 0, r.stderr
        assert (project.root / "data/x.txt").read_text() == "ok"
        (project.root / "data/x.txt").unlink()


STDIN = """\
let chunks = 0, bytes = 0;
for await (const chunk of process.stdin) { chunks++; bytes += chunk.length; }
console.log(bytes, chunks > 0);
"""

STDIN_TEXT = """\
process.stdin.setEncoding("utf8");
let text = "";
for await (const chunk of process.stdin) text += chunk;
console.log(text.length, text.slice(0, 3), [...new Set(text)].join(""));
"""

STDIN_ALL = """\
import { readFileSync } from "node:fs";
const all = readFileSync(0, "utf8");
console.log(all.split("\\n").length, JSON.stringify(all.slice(-6)));
"""


@needs_node
def test_standard_input(project):
    project.write("count.mjs", STDIN)
    project.write("text.mjs", STDIN_TEXT)
    project.write("all.mjs", STDIN_ALL)
    # 3-byte characters over several 64 KiB reads: some split between two reads
    euros = "€" * 50_000
    assert _same(project.root, "count.mjs", stdin=euros) == "150000 true\n"
    assert _same(project.root, "text.mjs", stdin=euros) == "50000 €€€ €\n"
    assert _same(project.root, "all.mjs", stdin="a\nb\nlast €\n") == '4 "ast €\\n"\n'
    assert _same(project.root, "count.mjs", stdin="") == "0 false\n"


def test_node_process_is_the_global_process(project):
    project.write(
        "app.mjs",
        'import process, { argv, exit } from "node:process";\n'
        'import p2 from "process";\n'
        "console.log(process === globalThis.process, p2 === process, argv.slice(2).join(' '));\n"
        "exit(5);\n",
    )
    r = _edgebox(project.root, "app.mjs", "x", "y")
    assert (r.returncode, r.stdout) == (5, "true true x y\n"), r.stderr


def test_an_import_map_or_an_installed_package_still_wins(project):
    project.write("shim.mjs", "export const readFileSync = () => 'from the shim';\n")
    project.write("app.mjs", 'import { readFileSync } from "node:fs";\nconsole.log(readFileSync("x"));\n')
    r = project.exec("--import-map", "node:fs=./shim.mjs", project.root / "app.mjs")
    assert (r.code, r.out) == (0, "from the shim\n"), r.err
    # an unknown name from a built-in fails as a missing export does in Node
    project.write("bad.mjs", 'import { nope } from "node:fs";\n')
    r = project.exec(project.root / "bad.mjs")
    assert r.code == 1 and "nope" in r.err


def test_granting_the_working_directory_does_not_make_absolute_paths_relative(project):
    """wasi-libc would read "/etc/hostname" under `--allow-read=.` as etc/hostname in the working
    directory: an absolute path is granted only under a directory's absolute name."""
    (project.root / "etc").mkdir()
    (project.root / "etc/hostname").write_text("not the host's\n")
    (project.root / "mine.txt").write_text("mine\n")
    project.write(
        "abs.mjs",
        'import { readFileSync, readdirSync } from "node:fs";\n'
        f'console.log(readFileSync("{project.root.resolve().as_posix()}/mine.txt", "utf8").trim());\n'
        'console.log(readFileSync("mine.txt", "utf8").trim(), readFileSync("etc/hostname", "utf8").trim());\n'
        'for (const f of [() => readFileSync("/etc/hostname"), () => readdirSync("/")]) {\n'
        "  try { f(); console.log('allowed'); } catch (e) { console.log(e.code); }\n"
        "}\n",
    )
    r = _edgebox(project.root, "--allow-read=.", "abs.mjs")
    assert (r.returncode, r.stdout) == (
        0,
        "mine\nmine not the host's\nERR_ACCESS_DENIED\nERR_ACCESS_DENIED\n",
    ), r.stderr


def test_a_big_directory_is_listed_in_one_or_two_passes(project):
    """wasi-libc's readdir asked for 4 KiB of entries at a time and wasmtime lists the whole
    directory for each ask: 10,000 entries took 13 s and 30,000 two minutes. The order and the
    kinds are still Node's (names sorted, directories told apart)."""
    big = project.root / "big"
    (big / "sub").mkdir(parents=True)
    for i in range(3000):
        (big / f"f{i:05}").touch()
    project.write(
        "list.mjs",
        'import { readdirSync } from "node:fs";\n'
        'const all = readdirSync("big", { withFileTypes: true });\n'
        "console.log(all.length, all[0].name, all[2999].name, all[3000].name, all[3000].isDirectory());\n",
    )
    r = _edgebox(project.root, "--allow-read=big", "list.mjs")
    assert (r.returncode, r.stdout) == (0, "3001 f00000 f02999 sub true\n"), r.stderr
