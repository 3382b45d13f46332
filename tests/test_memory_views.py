"""Live memory views: `memory.buffer` is the wasm module's memory itself (issue 10, part 1).

The mechanism is bundler/engine/memories.py: each user memory is a memfd, mapped for the
module and a second time into a window of the engine's address space; the engine hands JS an
ArrayBuffer over the window and detaches it when the memory grows. tests/conformance/memory
compares the common operations with Node; these are the cases around them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent

GROWER = """(module
  (import "./host.js" "report" (func $report))
  (memory (export "memory") 1 16)
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow_then_report") (param i32)
    (drop (memory.grow (local.get 0)))
    (i32.store8 (i32.const 65536) (i32.const 99))
    (call $report)))"""


def test_a_view_cached_before_wasm_grows_is_detached_when_js_is_called_back(project):
    """wasm-bindgen's glue caches a Uint8Array over memory.buffer and refreshes it when its
    byteLength is 0: a grow inside wasm must detach it before wasm calls back into JS."""
    project.wat("g.wasm", GROWER)
    project.write(
        "host.js",
        """
        import { memory } from "./g.wasm";
        let cached = null;
        export const view = () => (cached === null || cached.byteLength === 0 ? (cached = new Uint8Array(memory.buffer)) : cached);
        export function report() {
          console.log("in the callback: cached", cached.byteLength, "fresh", view().byteLength, "new page", view()[65536]);
        }
        """,
    )
    project.write(
        "app.js",
        """
        import { grow_then_report, store, load } from "./g.wasm";
        import { view } from "./host.js";
        view()[7] = 5;
        store(8, 6);
        const before = view();
        console.log("before", before.byteLength, before[7], before[8]);
        grow_then_report(1);
        console.log("after", before.byteLength, view().byteLength, view()[7], view()[8], load(7));
        """,
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "before 65536 5 6",
        "in the callback: cached 0 fresh 131072 new page 99",
        "after 0 131072 5 6 5",
    ]


def test_the_module_still_traps_past_its_own_size(project):
    """The engine's window maps the memory's maximum; the module's own mapping stays bounded
    by its current size, so a load past it traps as it always did."""
    project.wat("g.wasm", GROWER)
    project.write("host.js", "export function report() {}\n")
    project.write(
        "app.js",
        'import { load, memory } from "./g.wasm";\nnew Uint8Array(memory.buffer)[65535] = 1;\n'
        "console.log(load(65535));\ntry { load(65536); } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    r = project.run("app.js")
    assert r.code == 1 and r.out == "1\n" and "out of bounds memory access" in r.err
    project.bundle(project.root / "app.js", "-o", project.root / "app.ebx", "--trap-mode=exception")
    r = project.exec(project.root / "app.ebx")
    assert r.out.splitlines() == ["1", "RuntimeError memory access out of bounds"], r.err


def test_a_memory_with_no_room_for_a_window_says_so_when_buffer_is_read(project):
    project.wat("m.wasm", '(module (memory (export "memory") 1))')
    project.write(
        "app.js",
        'import { memory } from "./m.wasm";\nmemory.setUint8(0, 42);\nconsole.log(memory.getUint8(0));\n'
        "try { memory.buffer; } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    # a window as large as the memory may grow (4 GiB) cannot fit in the engine's 4 GiB beside its heap
    r = project.exec("--wasm-memory-limit=4GiB", project.root / "app.js")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "42"  # the Memory API still works
    assert (
        lines[1].startswith("TypeError this memory has no live buffer")
        and "lower --wasm-memory-limit" in lines[1]
    )


def test_without_live_memory_buffer_says_why_and_the_api_still_works(project):
    """What a system without memfd gets (here forced with EDGEBOX_LIVE_MEMORY=0)."""
    project.wat("m.wasm", '(module (memory (export "memory") 1))')
    project.write(
        "app.js",
        'import { memory } from "./m.wasm";\nmemory.writeString(0, "hi");\nconsole.log(memory.readString(0, 2));\n'
        "try { memory.buffer; } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    env = {**os.environ, "EDGEBOX_LIVE_MEMORY": "0"}
    r = subprocess.run(
        [BIN / "edgebox-exec", "app.js"], cwd=project.root, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "hi",
        "TypeError live memory buffers need Linux (memfd); use the Memory API's read and write (docs/guide.md)",
    ]


def test_two_imports_of_one_memory_share_one_buffer(project):
    """A memory re-exported by another module (or imported twice) is one memory: one window."""
    project.wat(
        "a.wasm",
        '(module (memory (export "memory") 1) (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))',
    )
    project.wat("b.wasm", '(module (import "./a.wasm" "memory" (memory 1)) (export "shared" (memory 0)))')
    project.write(
        "app.js",
        'import * as a from "./a.wasm";\nimport * as b from "./b.wasm";\n'
        "new Uint8Array(b.shared.buffer)[3] = 33;\n"
        "console.log(a.load(3), new Uint8Array(a.memory.buffer)[3]);\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "33 33\n"), r.err


def _memory_module(pages: int, maximum: int | None) -> str:
    limits = f"{pages} {maximum}" if maximum is not None else f"{pages}"
    return (
        f'(module (memory (export "memory") {limits})\n'
        '  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))'
    )


def test_several_modules_with_growable_memories_each_get_their_own_buffer(project):
    """Windows as large as the default limit (256 MiB) for eight memories: 2 GiB of the engine's
    4 GiB, so most of them start above 2 GiB, where an address read as a signed i32 would be
    negative and reach the wrong place."""
    names = [f"m{i}" for i in range(8)]
    for name in names:
        project.wat(f"{name}.wasm", _memory_module(1, None))
    imports = "".join(f'import * as {n} from "./{n}.wasm";\n' for n in names)
    writes = "".join(f"new Uint8Array({n}.memory.buffer)[5] = {i + 10};\n" for i, n in enumerate(names))
    reads = "console.log([" + ", ".join(f"{n}.load(5)" for n in names) + "].join(' '));\n"
    project.write("app.js", imports + writes + reads)
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "10 11 12 13 14 15 16 17\n"), r.err


def test_a_memory_of_zero_pages_has_an_empty_buffer(project):
    project.wat("z.wasm", _memory_module(0, 0))
    project.write(
        "app.js",
        'import { memory } from "./z.wasm";\nconsole.log(memory.buffer.byteLength, memory.buffer instanceof ArrayBuffer);\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "0 true\n"), r.err


def test_a_large_memory_limit_still_gives_a_live_buffer(project):
    project.wat("m.wasm", _memory_module(1, None))
    project.write(
        "app.js",
        'import { memory, load } from "./m.wasm";\nnew Uint8Array(memory.buffer)[9] = 7;\nconsole.log(load(9));\n',
    )
    for limit in ("600MiB", "1GiB", "2050MiB"):
        r = project.exec(f"--wasm-memory-limit={limit}", project.root / "app.js")
        assert (r.code, r.out) == (0, "7\n"), (limit, r.err)


def test_grow_from_js_detaches_even_by_zero_and_a_grow_before_a_trap_detaches(project):
    """Node's output on the same program; the second case with --trap-mode=exception, where
    the trap is a RuntimeError the program catches and goes on."""
    project.wat(
        "g.wasm",
        '(module (memory (export "memory") 1 4)\n'
        '  (func (export "grow_then_trap") (drop (memory.grow (i32.const 1))) unreachable))',
    )
    project.write(
        "app.js",
        'import { memory, grow_then_trap } from "./g.wasm";\n'
        "const a = memory.buffer;\n"
        "console.log(memory.grow(0), a.byteLength, memory.buffer.byteLength, a === memory.buffer);\n"
        "const b = memory.buffer;\n"
        "try { grow_then_trap(); } catch (e) { console.log(e.constructor.name); }\n"
        "console.log(b.byteLength, memory.buffer.byteLength);\n",
    )
    assert (
        project.bundle(project.root / "app.js", "-o", project.root / "app.ebx", "--trap-mode=exception").code
        == 0
    )
    r = project.exec(project.root / "app.ebx")
    assert r.out.splitlines() == ["1 0 65536 false", "RuntimeError", "0 131072"], r.err


def test_the_memory_api_takes_a_data_view_and_refuses_a_string_past_the_end(project):
    project.wat("m.wasm", '(module (memory (export "memory") 1))')
    project.write(
        "app.js",
        'import { memory } from "./m.wasm";\n'
        "memory.write(0, new DataView(new Uint8Array([9, 104, 105, 0]).buffer, 1, 3));\n"
        "console.log(memory.readString(0));\n"
        "for (const at of [65536, 70000]) {\n"
        "  try { console.log(JSON.stringify(memory.readString(at))); } catch (e) { console.log(e.constructor.name); }\n"
        "}\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, 'hi\n""\nRangeError\n'), r.err
