"""Cranelift against Winch (wasmtime's baseline compiler): compile time and run speed.

    python bench/compile_strategies.py [--runs N] [WASM ...]

Issue 13 asks whether a first run should compile with Winch where it compiles faster.
Winch refuses some of what EdgeBox's wasmtime configuration turns on (typed function
references and GC, which externref's crossing uses; see link.py REF_HELPERS), and the
compiler is chosen per wasmtime Engine, which every instance of a Store shares: this
measures what Winch would buy on the wasm alone, with those proposals off in both columns.

Compile: each module (the JS engine, and the given WASM files or, where the npm corpus
cache has them, loro-crdt's and tiktoken's modules), best of N. Run: QuickJS itself
(engine.wasm, instantiated bare) interpreting a JS loop, and math.wasm's `fibonacci`
loop, each compiled by both. Then whether Winch takes EdgeBox's own configuration.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import wasmtime  # noqa: E402
from wasmtime import _bindings  # noqa: E402

WINCH = 2  # WASMTIME_STRATEGY_WINCH in wasmtime's C API (wasmtime-py names only auto and cranelift)
JS_LOOP = b"let s = 0; for (let i = 0; i < 3e6; i++) { s = (s + i * 7) % 1000003; } console.log(s);\n"


def engine_for(strategy: str) -> wasmtime.Engine:
    config = wasmtime.Config()
    config.wasm_multi_memory = True
    if strategy == "winch":
        _bindings.wasmtime_config_strategy_set(config.ptr(), WINCH)
    else:
        config.cranelift_opt_level = "speed"
    return wasmtime.Engine(config)


def best_ms(fn: object, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - t0) * 1e3)
    return best


def _corpus_modules() -> list[Path]:
    from bundler.cache import cache_dir

    found: dict[str, Path] = {}
    for pattern in ("loro-crdt/bundler/loro_wasm_bg.wasm", "tiktoken/tiktoken_bg.wasm"):
        for path in sorted((cache_dir() / "npm-corpus").glob(f"*/node_modules/{pattern}")):
            found.setdefault(pattern, path)
    return list(found.values())


def run_js(engine: wasmtime.Engine, module: wasmtime.Module) -> float:
    """ms for QuickJS (engine.wasm) to run JS_LOOP, its host imports stubbed: the loop calls none."""
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    memory_type = next(i.type for i in module.imports if i.name == "memory")
    assert isinstance(memory_type, wasmtime.MemoryType)
    memory = wasmtime.Memory(store, memory_type)
    linker.define(store, "env", "memory", memory)
    i32 = wasmtime.ValType.i32()
    linker.define_func("edgebox_adapter", "invoke", wasmtime.FuncType([i32, i32], [i32]), lambda *a: 0)
    linker.define_func("edgebox_host", "request", wasmtime.FuncType([i32] * 4, [i32]), lambda *a: 0)
    instance = linker.instantiate(store, module)
    ex = instance.exports(store)

    def call(name: str, *args: int) -> int:
        f = ex[name]
        assert isinstance(f, wasmtime.Func)
        return int(f(store, *args) or 0)

    def put(data: bytes) -> int:
        ptr = call("edgebox_alloc", len(data) + 1) & 0xFFFFFFFF
        memory.write(store, data + b"\0", ptr)
        return ptr

    call("_initialize")
    config = b'{"resolve": {}, "unbundled": {}, "args": [], "time_limit_ms": 0, "env": false}'
    assert call("edgebox_init", put(config), len(config), 256 << 20, 0) == 0
    call("edgebox_add_module", put(b"loop.js"), put(JS_LOOP), len(JS_LOOP), 0)
    t0 = time.perf_counter()
    call("edgebox_run", put(b"loop.js"))
    return (time.perf_counter() - t0) * 1e3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("wasm", nargs="*", type=Path)
    args = ap.parse_args()
    from bundler.engine.build import ensure_engine

    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True, capture_output=True)
    engine_path = ensure_engine().path
    modules = [engine_path, *(args.wasm or _corpus_modules())]
    engines = {s: engine_for(s) for s in ("cranelift", "winch")}
    print(f"compile, ms, best of {args.runs} (wasm proposals Winch lacks turned off in both)\n")
    print(f"| {'module':<28} | {'wasm KB':>8} | {'Cranelift':>9} | {'Winch':>7} | {'code KB C / W':>15} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 11}|{'-' * 9}|{'-' * 17}|")
    for path in modules:
        data = path.read_bytes()
        ms = {
            s: best_ms(lambda e=e, data=data: wasmtime.Module(e, data), args.runs) for s, e in engines.items()
        }
        size = {s: len(wasmtime.Module(e, data).serialize()) // 1024 for s, e in engines.items()}
        name = path.name if path != engine_path else "engine.wasm (QuickJS-NG)"
        print(
            f"| {name:<28} | {len(data) // 1024:>8,} | {ms['cranelift']:>9.0f} | {ms['winch']:>7.0f} "
            f"| {size['cranelift']:>6,} / {size['winch']:<6,} |"
        )
    print(f"\nrun, ms, best of {args.runs}\n")
    print(f"| {'workload':<44} | {'Cranelift':>9} | {'Winch':>7} | {'Winch / C':>9} |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 9}|{'-' * 11}|")
    engine_wasm = engine_path.read_bytes()
    js = {}
    for s, e in engines.items():
        compiled = wasmtime.Module(e, engine_wasm)
        js[s] = min(run_js(e, compiled) for _ in range(args.runs))
    math_wasm = (ROOT / "samples/math/math.wasm").read_bytes()
    fib = {}
    for s, e in engines.items():
        store = wasmtime.Store(e)
        f = wasmtime.Instance(store, wasmtime.Module(e, math_wasm), []).exports(store)["fibonacci"]
        assert isinstance(f, wasmtime.Func)
        fib[s] = best_ms(lambda f=f, store=store: f(store, 300_000_000), args.runs)
    for name, r in (
        ("QuickJS interpreting a 3e6-iteration JS loop", js),
        ("math.wasm fibonacci(3e8), a wasm loop", fib),
    ):
        print(
            f"| {name:<44} | {r['cranelift']:>9.0f} | {r['winch']:>7.0f} | {r['winch'] / r['cranelift']:>9.2f} |"
        )
    probe = (
        "import wasmtime; from wasmtime import _bindings; c = wasmtime.Config(); "
        "c.wasm_function_references = True; c.wasm_gc = True; c.wasm_exceptions = True; "
        f"_bindings.wasmtime_config_strategy_set(c.ptr(), {WINCH}); wasmtime.Engine(c)"
    )
    probe_run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    refused = next((ln for ln in probe_run.stderr.splitlines() if "not supported" in ln), "")
    verdict = (
        "takes it" if probe_run.returncode == 0 else f"refuses it: {refused.strip() or probe_run.returncode}"
    )
    print(f"\nWinch with EdgeBox's configuration (function references, GC, exceptions): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
