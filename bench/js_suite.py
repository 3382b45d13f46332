"""JS speed: the workloads of bench/js_workloads.js in EdgeBox and in native QuickJS-NG, Node, Deno.

    python bench/js_suite.py [--rounds N] [--reps R] [--runtimes a,b,...] [--variants v,w,...]
                             [--workloads w,...]

Each workload is timed inside the program with performance.now() (start-up excluded): once
to warm up, then R times; a process's figure is the median of its R. The runtimes run as
separate processes, interleaved (A, B, C, A, B, C, ...) for N rounds, because this 2-core
machine is shared and its speed drifts; the table gives the median of the N process figures
and their range, and EdgeBox's ratio to native QuickJS-NG per workload and as a geometric mean.

Runtimes: edgebox (the engine as build.py and sandbox.py make it), native (the `quickjs-ng`
wheel: the same QuickJS-NG 0.17.0 compiled natively, GCC -O3, driven through its eval),
native-clang (the same pinned sources built natively with `python -m ziglang cc -O2`, the
compiler the wasm build uses, driven by bench/qjs_native.c), node-jitless, node, deno.

--variants measures engine builds and wasmtime settings other than the current ones, each
as a runtime of its own (`edgebox:o3`, ...); VARIANTS below says what each changes. A variant
patches build.py's flags or sandbox.py's wasmtime Config in its own process only, so its
engine is built and cached under its own key and its machine code under its own config key.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKLOADS_JS = ROOT / "bench" / "js_workloads.js"
NATIVE_DRIVER = ROOT / "bench" / "qjs_native.c"


@dataclass(frozen=True)
class Variant:
    """One change to the engine's build or to wasmtime's settings, against the current ones."""

    about: str
    add_cflags: tuple[str, ...] = ()  # compile and link
    drop_cflags: tuple[str, ...] = ()
    add_ldflags: tuple[str, ...] = ()
    drop_ldflags: tuple[str, ...] = ()
    patches: tuple[tuple[str, str, str], ...] = ()  # extra SOURCE_PATCHES entries
    config: Callable[[Any], None] | None = None  # applied to the wasmtime.Config
    config_key: str = ""  # what `config` changes, for the compiled-code cache key
    exec_flags: tuple[str, ...] = ()  # edgebox-exec options
    upstream_paths: bool = False  # build without build.FAST_PATH_PATCHES


def _cranelift(**settings: str) -> Callable[[Any], None]:
    def apply(config: Any) -> None:
        for name, value in settings.items():
            config.cranelift_flag_set(name, value)

    return apply


def _set(**attrs: Any) -> Callable[[Any], None]:
    def apply(config: Any) -> None:
        for name, value in attrs.items():
            setattr(config, name, value)

    return apply


WASM_FEATURES = (
    "-mbulk-memory", "-msign-ext", "-mnontrapping-fptoint", "-mmutable-globals", "-mmultivalue",
)  # fmt: skip

VARIANTS: dict[str, Variant] = {
    "o3": Variant("-O3 instead of -O2", add_cflags=("-O3",), drop_cflags=("-O2",)),
    "lto": Variant("link-time optimisation (-flto)", add_cflags=("-flto",)),
    "features": Variant("wasm features: " + " ".join(WASM_FEATURES), add_cflags=WASM_FEATURES),
    "no-bulk-memory": Variant(
        "-mno-bulk-memory -mno-bulk-memory-opt: memcpy/memset as wasi-libc's C loops, not "
        "memory.copy/memory.fill (which wasmtime runs as calls into its runtime)",
        add_cflags=("-mno-bulk-memory", "-mno-bulk-memory-opt"),
    ),
    "tail-call": Variant("-mtail-call", add_cflags=("-mtail-call",)),
    "simd": Variant(
        "-msimd128: clang may vectorise the string, JSON and copy loops", add_cflags=("-msimd128",)
    ),
    "switch": Variant(
        "the interpreter dispatches through a plain switch (DIRECT_DISPATCH 0)",
        patches=(
            (
                "quickjs.c",
                "#if defined(EMSCRIPTEN) || defined(_MSC_VER)\n#define DIRECT_DISPATCH  0",
                "#if defined(EMSCRIPTEN) || defined(_MSC_VER) || defined(__wasi__)\n#define DIRECT_DISPATCH  0",
            ),
        ),
    ),
    "upstream-paths": Variant(
        "QuickJS-NG's own code paths where the engine has faster ones (build.FAST_PATH_PATCHES: "
        "JSON numbers through strtod, % through fmod, Map hash buckets, large reallocs, "
        "JSON.stringify's walk, Latin-1 case conversion, appends to fast arrays): what those are worth",
        upstream_paths=True,
    ),
    "symbols": Variant(
        "the name section kept, and wasmtime writing /tmp/perf-PID.map, for `perf record`",
        drop_ldflags=("-s",),
        config=_set(profiler="perfmap"),
        config_key="perfmap",
    ),
    "no-spectre": Variant(
        "Cranelift without Spectre mitigations on heap and table accesses",
        config=_cranelift(
            enable_heap_access_spectre_mitigation="false", enable_table_access_spectre_mitigation="false"
        ),
        config_key="nospectre",
    ),  # fmt: skip
    "opt-none": Variant(
        "Cranelift opt level none (to see what its optimiser is worth)",
        config=_set(cranelift_opt_level="none"),
        config_key="optnone",
    ),
    "time-limit": Variant(
        "run with --time-limit (epoch interruption checks)", exec_flags=("--time-limit=3600",)
    ),
    "bounds-checks": Variant(
        "explicit bounds checks: a 64 MiB reservation and no guard (what guard pages save)",
        config=_set(memory_reservation=64 << 20, memory_guard_size=0),
        config_key="boundschecks",
    ),
}


def apply_variant(name: str) -> None:
    """Patch build.py's flags and sandbox.py's engine settings in this process only."""
    import wasmtime

    from bundler.engine import build, sandbox

    v = VARIANTS[name]
    build.CFLAGS = (*(f for f in build.CFLAGS if f not in v.drop_cflags), *v.add_cflags)
    build.LDFLAGS = (*(f for f in build.LDFLAGS if f not in v.drop_ldflags), *v.add_ldflags)
    build.SOURCE_PATCHES = (*build.SOURCE_PATCHES, *v.patches)
    if v.upstream_paths:
        build.FAST_PATH_PATCHES = ()
    if v.config is not None:
        new_engine = wasmtime.Engine
        key = sandbox._config_key
        configure = v.config

        def engine(config: Any = None) -> Any:
            if config is not None:  # wasmtime.Engine() for other work (bundling) keeps its defaults
                configure(config)
            return new_engine(config)

        wasmtime.Engine = engine  # type: ignore[misc,assignment]
        sandbox._config_key = lambda epoch: f"{key(epoch)}/{v.config_key}"  # type: ignore[assignment]


def program(names: list[str], reps: int, out: str) -> str:
    """The suite as a script whose last line hands the results to the runtime's `out`."""
    call = f"runSuite({json.dumps(names)}, {reps})"
    return WORKLOADS_JS.read_text(encoding="utf-8") + "\n" + out.replace("RESULT", call) + "\n"


def _deno() -> str | None:
    for root in (ROOT, Path("/work/main")):
        candidate = root / ".tools" / "node_modules" / ".bin" / "deno"
        if candidate.exists():
            return str(candidate)
    return shutil.which("deno")


def native_clang(work: Path) -> Path:
    """qjs-native built from the engine's own pinned sdist with `python -m ziglang cc -O2`."""
    from bundler.cache import cache_dir
    from bundler.engine import build

    key = (
        build.QUICKJS_NG_SHA256[:16]
        + "-"
        + __import__("hashlib").sha256(NATIVE_DRIVER.read_bytes()).hexdigest()[:16]
    )
    exe = cache_dir() / "tools" / f"qjs-native-{key}"
    if exe.exists():
        return exe
    src = work / "native-src"
    src.mkdir()
    tar_dir = cache_dir() / "engine"
    sdist = build._fetch_sdist(tar_dir)
    import tarfile

    prefix = f"quickjs_ng-{build.QUICKJS_NG_VERSION}/upstream-quickjs/"
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            name = member.name[len(prefix) :] if member.name.startswith(prefix) else ""
            if name and "/" not in name and member.isfile():
                f = tar.extractfile(member)
                assert f is not None
                (src / name).write_bytes(f.read())
    shutil.copy(NATIVE_DRIVER, src / "qjs_native.c")
    exe.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "ziglang", "cc", "-O2", "-o", str(exe) + ".tmp",
           "qjs_native.c", *build.QUICKJS_SOURCES, "-lm"]  # fmt: skip
    subprocess.run(cmd, cwd=src, check=True)
    os.replace(str(exe) + ".tmp", exe)
    return exe


def runner(name: str, work: Path, names: list[str], reps: int) -> list[str] | None:
    """The command that runs the suite under `name` and prints its JSON, or None if absent."""
    printed = program(names, reps, "console.log(RESULT);")
    if name == "edgebox" or name.startswith("edgebox:"):
        path = work / "suite.mjs"
        path.write_text(printed)
        variant = name.partition(":")[2]
        flags = list(VARIANTS[variant].exec_flags) if variant else []
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); sys.argv[1:2] = []\n"
            + (f"import js_suite; js_suite.apply_variant({variant!r})\n" if variant else "")
            + "from bundler.cli import exec_main; sys.exit(exec_main(sys.argv[1:]))"
        )
        return [sys.executable, "-c", code, str(ROOT / "bench"), *flags, str(path)]
    if name == "native":
        path = work / "suite.js"
        path.write_text(program(names, reps, "RESULT"))
        code = "import quickjs, sys; print(quickjs.Context().eval(open(sys.argv[1]).read()))"
        return [sys.executable, "-c", code, str(path)]
    if name == "native-clang":
        path = work / "suite-native.js"
        path.write_text(printed)
        return [str(native_clang(work)), str(path)]
    path = work / "suite.mjs"
    path.write_text(printed)
    if name in ("node", "node-jitless"):
        node = shutil.which("node")
        if node is None:
            return None
        return [node, *(["--jitless"] if name == "node-jitless" else []), str(path)]
    if name == "deno":
        deno = _deno()
        return [deno, "run", "--quiet", str(path)] if deno else None
    raise SystemExit(f"unknown runtime {name!r}")


def measure(name: str, work: Path, names: list[str], reps: int) -> dict[str, Any] | None:
    cmd = runner(name, work, names, reps)
    if cmd is None:
        return None
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="processes per runtime, interleaved")
    ap.add_argument("--reps", type=int, default=3, help="timed runs of each workload per process")
    ap.add_argument("--runtimes", default="edgebox,native,native-clang,node-jitless,node,deno")
    ap.add_argument(
        "--variants", default="", help="engine variants, as extra runtimes: " + ", ".join(VARIANTS)
    )
    ap.add_argument("--workloads", default="", help="a subset of the workloads (default: all)")
    args = ap.parse_args()
    runtimes = [r for r in args.runtimes.split(",") if r]
    for v in filter(None, args.variants.split(",")):
        if v not in VARIANTS:
            raise SystemExit(f"unknown variant {v!r}; known: {', '.join(VARIANTS)}")
        runtimes.append(f"edgebox:{v}")
    all_names = _workload_names()
    names = [w for w in args.workloads.split(",") if w] or all_names
    samples: dict[str, list[dict[str, Any]]] = {r: [] for r in runtimes}
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(args.rounds):
            # each round starts one runtime later: the first process of a round ran measurably
            # slower on this shared machine, and rotating spreads that over all of them
            for r in runtimes[rnd % len(runtimes) :] + runtimes[: rnd % len(runtimes)]:
                work = Path(tmp) / f"{r.replace(':', '-')}"
                work.mkdir(exist_ok=True)
                got = measure(r, work, names, args.reps)
                if got is not None:
                    samples[r].append(got)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    present = [r for r in runtimes if samples[r]]
    _check_agreement(samples, present, names)
    _print_table(samples, present, names, args)
    return 0


def _workload_names() -> list[str]:
    """The keys of WORKLOADS, in order, read without running JS."""
    import re

    text = WORKLOADS_JS.read_text(encoding="utf-8")
    body = text[text.index("const WORKLOADS = {") :]
    return re.findall(r"^  ([a-z_]+)\(\) \{$", body, re.M)


def _per_process(sample: dict[str, Any], name: str) -> float:
    return float(statistics.median(sample[name]["ms"]))


def _check_agreement(samples: dict[str, list[dict[str, Any]]], present: list[str], names: list[str]) -> None:
    """Every runtime must have computed the same checksums: otherwise the times compare nothing."""
    for name in names:
        checks = {r: {s[name]["check"] for s in samples[r]} for r in present}
        if len({c for cs in checks.values() for c in cs}) != 1:
            raise SystemExit(f"{name}: the runtimes disagree on the checksum: {checks}")


def _print_table(
    samples: dict[str, list[dict[str, Any]]], present: list[str], names: list[str], args: Any
) -> None:
    med = {r: {n: statistics.median(_per_process(s, n) for s in samples[r]) for n in names} for r in present}
    rng = {r: {n: (min(_per_process(s, n) for s in samples[r]), max(_per_process(s, n) for s in samples[r]))
               for n in names} for r in present}  # fmt: skip
    ours = [r for r in present if r.startswith("edgebox")]
    base = "native" if "native" in present else None
    print(
        f"JS workloads, ms: median of {args.rounds} interleaved processes (each the median of "
        f"{args.reps} timed runs after a warm-up), range in brackets\n"
    )
    head = ["workload", *present, *(f"{r} / native" for r in ours if base)]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
    for n in names:
        cells = [n] + [f"{med[r][n]:.1f} ({rng[r][n][0]:.1f}–{rng[r][n][1]:.1f})" for r in present]
        if base:
            cells += [f"{med[r][n] / med[base][n]:.2f}" for r in ours]
        print("| " + " | ".join(cells) + " |")
    if base:
        geo = ["**geometric mean, ratio to native**"] + [
            f"{math.exp(statistics.fmean(math.log(med[r][n] / med[base][n]) for n in names)):.2f}"
            for r in present
        ]
        geo += ["" for _ in ours]
        print("| " + " | ".join(geo) + " |")
    for r in ours:
        v = r.partition(":")[2]
        if v:
            print(f"\n{r}: {VARIANTS[v].about}")


if __name__ == "__main__":
    sys.exit(main())
