"""Values cross JS ↔ wasm exactly as the WebAssembly JS API converts them.

Explicit cases pin the behaviour the issue lists; a hypothesis property runs the
same generated program under EdgeBox and under `node --experimental-wasm-modules`
and requires identical output.
"""

from __future__ import annotations

import math
import struct

from conftest import needs_node, run_node
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

IDENTITY_WAT = """
(module
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
  (func (export "three") (result i32 f64 i64) i32.const 7 f64.const -0 i64.const -1)
  (func (export "nothing") (param i32))
  (func (export "sum3") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 i32.add local.get 2 i32.add)
  (func (export "takes_v128") (param v128))
  (func (export "gives_v128") (result v128) v128.const i32x4 0 0 0 0)
)
"""

# Prints one line per (type, value): the result as typeof:value, or the error's class.
# Numbers print as their float64 bits for the comparison with Node: QuickJS-NG's
# Number-to-String is not always the shortest form (see docs/compatibility.md), and
# that is the engine's formatting, not the conversion under test here.
HARNESS = """
import * as w from "./m.wasm";
const BITS = globalThis.EDGEBOX_BITS;
const num = (x) => {
  if (Object.is(x, -0)) return "-0";
  if (x !== x || !BITS) return String(x);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return "0x" + dv.getBigUint64(0).toString(16);
};
const one = (x) => (typeof x === "number" ? num(x) : String(x));
const show = (r) => typeof r + ":" + (Array.isArray(r) ? "[" + r.map(one).join(",") + "]" : one(r));
// Wrong-typed calls are the point here, so they go through `call`, which the
// bundle-time checker cannot see through (it would refuse to bundle them).
const call = (f, ...args) => f(...args);
const probe = (name, thunk) => {
  let text;
  try { text = show(thunk()); } catch (e) { text = "throws " + e.constructor.name; }
  console.log(name + " " + text);
};
"""


def _run_both(project, body: str, node: bool = True):
    project.wat("m.wasm", IDENTITY_WAT)
    bits = "globalThis.EDGEBOX_BITS = true;\n" if node else ""
    project.write("app.mjs", HARNESS.replace("import * as w", bits + "import * as w", 1) + body)
    ours = project.exec(project.root / "app.mjs")
    assert ours.code == 0, ours.err
    if node:
        theirs = run_node(project.root / "app.mjs")
        assert theirs.code == 0, theirs.err
        return ours.out, theirs.out
    return ours.out, None


def test_i32_arguments_use_ToInt32(project):
    out, _ = _run_both(
        project,
        """
probe("a", () => call(w.i32, 2 ** 31));
probe("b", () => call(w.i32, NaN));
probe("c", () => call(w.i32, undefined));
probe("d", () => call(w.i32, "42"));
probe("e", () => call(w.i32, -1.9));
probe("f", () => call(w.i32, 1n));
probe("g", () => call(w.i32, { valueOf() { return 9; } }));
probe("h", () => call(w.i32));
""",
        node=False,
    )
    assert out.splitlines() == [
        "a number:-2147483648",
        "b number:0",
        "c number:0",
        "d number:42",
        "e number:-1",
        "f throws TypeError",
        "g number:9",
        "h number:0",
    ]


def test_i64_arguments_use_ToBigInt64_and_results_are_bigint(project):
    out, _ = _run_both(
        project,
        """
probe("a", () => call(w.i64, 5n));
probe("b", () => call(w.i64, 5));
probe("c", () => call(w.i64, 2n ** 64n + 1n));
probe("d", () => call(w.i64, -(2n ** 63n) - 1n));
probe("e", () => call(w.i64, "12"));
probe("f", () => call(w.i64, true));
probe("g", () => call(w.i64, undefined));
""",
        node=False,
    )
    assert out.splitlines() == [
        "a bigint:5",
        "b throws TypeError",
        "c bigint:1",
        "d bigint:9223372036854775807",
        "e bigint:12",
        "f bigint:1",
        "g throws TypeError",
    ]


def test_float_conversions_keep_nan_and_negative_zero(project):
    out, _ = _run_both(
        project,
        """
probe("a", () => call(w.f32, 0.1));
probe("b", () => call(w.f64, 0.1));
probe("c", () => call(w.f64, -0));
probe("d", () => call(w.f32, -0));
probe("e", () => call(w.f64, NaN));
probe("f", () => call(w.f64, "1e3"));
probe("g", () => call(w.f32, 1e40));
probe("h", () => call(w.f64, 1n));
""",
        node=False,
    )
    assert out.splitlines() == [
        f"a number:{struct.unpack('f', struct.pack('f', 0.1))[0]!r}",
        "b number:0.1",
        "c number:-0",
        "d number:-0",
        "e number:NaN",
        "f number:1000",
        "g number:Infinity",
        "h throws TypeError",
    ]


def test_multi_value_results_are_arrays_and_arity_is_lenient(project):
    out, _ = _run_both(
        project,
        """
probe("a", () => call(w.swap, 1, 2n));
probe("b", () => call(w.three));
probe("c", () => call(w.nothing, 1));
probe("d", () => call(w.sum3, 1, 2, 3, 4, 5));
probe("e", () => call(w.sum3, 1, 2));
probe("f", () => call(w.takes_v128));
probe("g", () => call(w.gives_v128));
""",
        node=False,
    )
    assert out.splitlines() == [
        "a object:[2,1]",
        "b object:[7,-0,-1]",
        "c undefined:undefined",
        "d number:6",
        "e number:3",
        "f throws TypeError",
        "g throws TypeError",
    ]


@needs_node
def test_explicit_cases_match_node(project):
    body = "\n".join(
        f'probe("{t}{i}", () => call(w.{t}, {v}));'
        for t in ("i32", "i64", "f32", "f64")
        for i, v in enumerate(
            ["0", "-0", "2**53", "'7'", "'x'", "null", "[]", "[3]", "1n", "NaN", "true", "{}"]
        )
    )
    ours, theirs = _run_both(
        project, body + '\nprobe("s", () => call(w.swap, 1, 2n));\nprobe("v", () => call(w.takes_v128));\n'
    )
    assert ours == theirs


def _js_number(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 and math.copysign(1, x) < 0:
        return "-0"
    return repr(x)


js_values = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: f"{n}n"),
    st.floats(allow_nan=True, allow_infinity=True).map(_js_number),
    st.sampled_from(
        ["undefined", "null", "true", "false", "''", "'  12 '", "'0x1F'", "'1e3'", "'abc'", "[]", "[7]", "{}"]
    ),
)


@needs_node
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(js_values, min_size=1, max_size=25))
def test_conversions_match_node_for_generated_values(project, values):
    body = "\n".join(
        f'probe("{t}{i}", () => call(w.{t}, {v}));'
        for i, v in enumerate(values)
        for t in ("i32", "i64", "f32", "f64")
    )
    ours, theirs = _run_both(project, body)
    assert ours == theirs
