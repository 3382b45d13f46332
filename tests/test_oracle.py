"""Differential tests: the wasm build of QuickJS-NG against the native build of the same version.

The `quickjs-ng` wheel is QuickJS-NG 0.17 compiled natively; our engine.wasm is the same
sources compiled to wasm32-wasi with ziglang. Any difference on pure JS is a miscompilation
or a glue bug (number formatting in dtoa.c and regexps are the usual suspects).
"""

from __future__ import annotations

import json
import math

import quickjs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROGRAMS = {
    "numbers": "[0.1 + 0.2, 1e21, 1/3, -0, 2**53 + 1, (123.456).toFixed(2), (0.000001234).toPrecision(2), Number.MAX_VALUE, Number.MIN_VALUE, parseFloat('1e-7'), (255).toString(16), Math.round(-2.5)].map(String)",
    "bigint": "[2n ** 200n, -(3n ** 99n) / 7n, (2n ** 64n) % 1000003n, BigInt.asIntN(64, 2n ** 63n), BigInt.asUintN(8, -1n)].map(String)",
    "strings": "['ß'.toUpperCase(), 'İ'.toLowerCase().length, 'a-b_c d'.split(/[-_ ]/), '😀'.codePointAt(0), 'abc'.localeCompare('abd'), ' x '.trim(), 'é'.normalize('NFD').length, 'x'.padStart(4, 'ab')]",
    "regexp": "[/(\\d+)-(?<m>\\d+)/.exec('2024-11').groups.m, 'aaa'.replace(/a/g, (m, i) => i), /\\p{L}+/u.exec('½ñandú')[0], 'A1b2'.match(/[a-z]\\d/gi), /^.$/su.test('\\n')]",
    "json": "JSON.parse(JSON.stringify({a: [1, {b: null}], 'k\\u2028': '\\ud83d\\ude00', n: -0}))",
    "sort_and_collections": "[[3, 1, 10, 2].sort(), [3, 1, 10, 2].sort((a, b) => a - b), [...new Set([3, 3, 1])], Object.entries({b: 1, a: 2, 1: 3}), Array.from(new Map([[1, 2]]).keys())]",
    "dates": "[new Date(0).toISOString(), new Date(Date.UTC(2024, 1, 29, 12)).getUTCDay(), Date.parse('2001-02-03T04:05:06Z'), new Date(8.64e15 + 1).getTime()]",
    "typed_arrays": "[Array.from(new Float32Array([0.1, 1e40])), Array.from(new Int8Array([200, -200])), new DataView(new Uint8Array([1, 2, 3, 4]).buffer).getUint32(0), Array.from(new Uint8ClampedArray([300, -5]))]",
    "math": "[Math.sin(1), Math.exp(10), Math.log1p(1e-10), Math.atan2(-0, -1), Math.hypot(3, 4, 12), Math.cbrt(-8.5), Math.fround(5.05), Math.clz32(1)].map(String)",
    "closures_and_classes": "(() => { class A { #x = 1; get x() { return this.#x; } static s = 'S'; } class B extends A { constructor() { super(); this.y = 2; } } const b = new B(); const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); return [b.x, b.y, B.s, fs.map(f => f()), typeof A, b instanceof A]; })()",
    "generators_and_iterators": "(() => { function* g(n) { for (let i = 0; i < n; i++) yield i * i; } const [a, ...rest] = g(5); return [a, rest, Array.from({length: 3}, (_, i) => i), Object.fromEntries([['k', 1]])]; })()",
}


def _ours(project, expr: str) -> str:
    project.write("app.js", f"console.log(JSON.stringify({expr}));\n")
    r = project.exec(project.root / "app.js")
    assert r.code == 0, r.err
    return r.out.rstrip("\n")


def _native(expr: str) -> str:
    return quickjs.Context().eval(f"JSON.stringify({expr})")


def test_every_program_gives_the_same_result_as_native_quickjs(project):
    for name, expr in PROGRAMS.items():
        assert _ours(project, expr) == _native(expr), name


def test_libm_differences_favour_the_exact_answer(project):
    """The one difference found so far is the native wheel's libm, not our build.

    Math.cbrt(-27) is exactly -3 (as in Node); the native wheel's libm gives
    -3.0000000000000004, wasi-libc's (musl) gives -3.
    """
    assert _ours(project, "[Math.cbrt(-27), Math.cbrt(27), Math.cbrt(-8)]") == "[-3,3,-2]"
    assert _native("Math.cbrt(-27)") == "-3.0000000000000004"


def _js_number(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    floats=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30),
    ints=st.lists(st.integers(min_value=-(2**130), max_value=2**130), min_size=1, max_size=10),
    digits=st.integers(min_value=0, max_value=20),
)
def test_number_formatting_and_bigint_arithmetic_match_native(project, floats, ints, digits):
    xs = "[" + ", ".join(_js_number(f) for f in floats) + "]"
    bs = "[" + ", ".join(f"{i}n" for i in ints) + "]"
    expr = (
        f"[{xs}.map(x => [String(x), x.toFixed({digits}), x.toExponential({digits}), "
        f"x.toPrecision({max(digits, 1)}), String(Math.fround(x)), parseFloat(String(x)) === x || x !== x]), "
        f"{bs}.map(b => [String(b * b - 7n), String(b / 3n), String(b % 1000000007n), String(b >> 5n), b.toString(36)])]"
    )
    ours = json.loads(_ours(project, expr))
    native = json.loads(_native(expr))
    assert ours == native


def _json_number_texts() -> list[str]:
    """Number texts for JSON.parse: each path of fast_paths.c's edgebox_json_number and its edges."""
    import random

    texts = [
        "0", "-0", "0.0", "-0.0", "0e5", "1", "-1", "0.1", "0.2", "0.3", "748.75", "1.25e2", "5e-324",
        "4.9e-324", "2.2250738585072014e-308", "2.2250738585072011e-308", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e308", "1e309", "1e-400", "123456789012345", "1234567890123456",
        "9007199254740993", "9007199254740992.5", "1e22", "1e23", "1E22", "1e+22", "1e-22", "1e-23",
        "0.30000000000000004", "0.000001234", "100000000000000000000000", "12345678901234567890123",
        "3.14159265358979323846264338327950288419716939937510", "0.1e1", "1.000000000000000000001",
        "99999999999999999999999999999999999999", "999999999999999999999999999999999999999",
        "0.0000000000000000000000000000000000000001", "1" + "0" * 40 + ".5e-20",
    ]  # fmt: skip
    rng = random.Random(13)
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 24))).lstrip("0") or "0"
        text = ("-" if rng.random() < 0.3 else "") + digits
        if rng.random() < 0.6:
            text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 24)))
        if rng.random() < 0.5:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 330))
        texts.append(text)
    return texts


def test_json_parse_reads_every_number_as_the_nearest_double(project):
    """JSON.parse gives the correctly rounded double (Python's float() is): the engine parses
    JSON numbers with its own fast path and js_atod rather than wasi-libc's strtod."""
    import struct

    texts = _json_number_texts()
    program = (
        f"const xs = JSON.parse({json.dumps('[' + ','.join(texts) + ']')});\n"
        "const dv = new DataView(new ArrayBuffer(8));\n"
        "console.log(xs.map((x) => (dv.setFloat64(0, x), dv.getBigUint64(0).toString(16))).join(' '));\n"
    )
    project.write("app.js", program)
    r = project.exec(project.root / "app.js")
    assert r.code == 0, r.err
    want = [format(struct.unpack("<Q", struct.pack("<d", float(t)))[0], "x") for t in texts]
    got = r.out.split()
    assert len(got) == len(texts)
    assert [t for t, g, w in zip(texts, got, want, strict=True) if g != w] == []


def test_remainder_of_numbers_matches_native(project):
    """`%` on numbers that are not both int32 (the engine's int64 path for integral doubles,
    fmod otherwise): the same results as native QuickJS, -0 and the edges of 2^53 included."""
    values = (
        "[0, -0, 1, -1, 5, -5, 7.5, -7.5, 2**53, -(2**53), 2**53 + 2, 2**53 - 1, 1e300, -1e300, 4294967295,"
        " 3000000000, -3000000000, Infinity, -Infinity, NaN, 0.1, 123456789.5, 1e-310, 2**31, -(2**31), 2**63]"
    )
    expr = f"(() => {{ const xs = {values}; return xs.flatMap((a) => xs.map((b) => {{ const r = a % b; return Object.is(r, -0) ? '-0' : String(r); }})); }})()"
    assert _ours(project, expr) == _native(expr)


def test_maps_and_sets_keep_their_keys_and_order_as_native_does(project):
    """Map and Set file keys in buckets by the engine's mixed hash (fast_paths.c): lookups,
    deletions, SameValueZero (NaN, -0) and insertion order are what native QuickJS gives."""
    expr = (
        "(() => { const m = new Map(); const objs = []; const out = [];"
        " for (let i = 0; i < 3000; i++) m.set(i, i * 2);"
        " for (let i = 0; i < 1000; i++) m.set(i * 0.25 + 1e9, 'f' + i);"
        " for (let i = 0; i < 500; i++) { const o = { i }; objs.push(o); m.set(o, i); }"
        " for (let i = 0; i < 200; i++) m.set(BigInt(i) << 70n, i); m.set(NaN, 'nan'); m.set(-0, 'zero');"
        " for (let i = 0; i < 3000; i += 3) m.delete(i); m.set(3, 'back');"
        " out.push(m.size, m.get(0), m.get(+0), m.get(NaN), m.get(3), m.get(4), m.get(1e9 + 2.5), m.get(objs[7]), m.get(5n << 70n), m.has({}));"
        " const s = new Set(); for (let i = 0; i < 2000; i++) s.add('k' + (i % 700)); for (let i = 0; i < 700; i += 2) s.delete('k' + i);"
        " out.push(s.size, [...s].slice(0, 5), [...m.keys()].slice(0, 8).map(String), [...m.keys()].slice(-4).map(String));"
        " return out; })()"
    )
    assert _ours(project, expr) == _native(expr)


def test_growing_arrays_and_strings_keep_their_contents(project):
    """Blocks past QuickJS's arenas grow through the engine's realloc (fast_paths.c), which
    moves them with one memory.copy or leaves them in place: every element and character
    must survive each of the moves a 300,000-element array and a 2 MB string go through."""
    expr = (
        "(() => { const a = []; for (let i = 0; i < 300000; i++) a.push(i * 7 % 1009);"
        " let h = 0; for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + a[i]) | 0;"
        " const parts = []; for (let i = 0; i < 200000; i++) parts.push(String.fromCharCode(97 + (i % 26)) + i % 10);"
        " const s = parts.join(''); let g = 0; for (let i = 0; i < s.length; i += 97) g = (g * 33 + s.charCodeAt(i)) | 0;"
        " const t = JSON.stringify(a.slice(0, 50000)); const back = JSON.parse(t);"
        " return [a.length, h, s.length, g, s.slice(-12), t.length, back[49999], back.reduce((x, y) => x + y, 0)]; })()"
    )
    assert _ours(project, expr) == _native(expr)


def test_json_stringify_matches_native_in_output_and_in_what_a_program_sees(project):
    """JSON.stringify walks plain objects, arrays and strings on the engine's own path
    (fast_json.h), everything else on QuickJS's: the text, the errors, and the order in which
    getters, toJSON, replacers and proxy traps run (logged) are native QuickJS's."""
    expr = r"""(() => {
  const log = [];
  const out = [];
  const run = (f) => { try { out.push(f()); } catch (e) { out.push(e.constructor.name + ': ' + e.message); } };
  const wide = 'wide \u00e9\u4e2d \ud83d\ude00 lone \ud800 \udc00 end\u2028';
  run(() => JSON.stringify({ a: 1, b: 'x"y\\z\n\t\r\b\f\u0001\u001f\u007f', c: [1, 'two', null, true, -0, 1.5e300, NaN, Infinity] }));
  run(() => JSON.stringify([wide, { [wide]: wide }, 'caf\u00e9', '\u00ff\u0080']));
  run(() => JSON.stringify({ b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'm', '01': 'z', [Symbol('s')]: 3, u: undefined, f() {}, 4294967295: 'big' }));
  run(() => { const o = Object.create({ inherited: 1 }); o.own = 2; Object.defineProperty(o, 'hidden', { value: 3 }); return JSON.stringify(o); });
  run(() => JSON.stringify({ get g() { log.push('get g'); return { toJSON(k) { log.push('toJSON ' + typeof k + ' ' + k); return 'G'; } }; }, n: 1 }));
  run(() => JSON.stringify([{ toJSON(k) { log.push('elem key ' + typeof k + ' ' + k); return k; } }, 5n === 5n, [[], {}]]));
  run(() => { const a = [1, 2, { toJSON() { a.length = 1; a.push('late'); return 'x'; } }, 4, 5]; return JSON.stringify(a); });
  run(() => { const o = { a: { toJSON() { delete o.b; o.c = 3; return 'A'; } }, b: 2 }; return JSON.stringify(o); });
  run(() => { const a = [1, , 3]; a.length = 5; return JSON.stringify(a); });
  run(() => { Array.prototype[1] = 'proto'; try { return JSON.stringify([0, , 2]); } finally { delete Array.prototype[1]; } });
  run(() => JSON.stringify({ a: [1, { b: 2 }], c: 'd' }, null, 2));
  run(() => JSON.stringify({ a: [1, { b: 2 }], c: [] }, null, '--'));
  run(() => JSON.stringify({ a: 1, b: [1, 2], c: { d: 3 } }, (k, v) => { log.push('rep ' + JSON.stringify(k)); return typeof v === 'number' ? v * 10 : v; }));
  run(() => JSON.stringify({ a: 1, b: 2, c: { a: 3, z: 4 } }, ['a', 'c', 1, 'a']));
  run(() => { const o = {}; o.self = o; return JSON.stringify(o); });
  run(() => { const a = []; a.push({ back: a }); return JSON.stringify(a); });
  run(() => JSON.stringify({ big: 10n }));
  run(() => { BigInt.prototype.toJSON = function (k) { return 'big ' + k + ' ' + this; }; try { return JSON.stringify({ big: 10n, list: [1n] }); } finally { delete BigInt.prototype.toJSON; } });
  run(() => JSON.stringify([new Number(3), new String('s'), new Boolean(false), Object(1n) === 1 ? 0 : 'skip', new Date(0), /re/g, new Map([[1, 2]]), new Uint8Array([1, 2])]));
  run(() => JSON.stringify(new Proxy({ a: 1, b: { c: 2 } }, { ownKeys(t) { log.push('ownKeys'); return Reflect.ownKeys(t); }, getOwnPropertyDescriptor(t, k) { log.push('gopd ' + k); return Reflect.getOwnPropertyDescriptor(t, k); }, get(t, k, r) { log.push('get ' + String(k)); return Reflect.get(t, k, r); } })));
  run(() => JSON.stringify(new Proxy([1, [2]], {})));
  run(() => { const o = { toJSON: 'not a function', a: 1 }; return JSON.stringify(o); });
  run(() => { Object.prototype.toJSON = function (k) { log.push('proto toJSON ' + k); return k === '' ? { x: 1 } : 'P'; }; try { return JSON.stringify({ y: [1] }); } finally { delete Object.prototype.toJSON; } });
  run(() => { let d = []; for (let i = 0; i < 200; i++) d = [d, { i }]; return JSON.stringify(d).length; });
  run(() => JSON.stringify(Object.assign(Object.create(null), { x: 1, 10: 2, 9: 3 })));
  run(() => JSON.stringify('top \u0000 level'));
  run(() => JSON.stringify({ s: 'abc'.repeat(3) + 'd'.padEnd(40, 'e'), r: ['x' + 'y'.repeat(100)] }));
  run(() => JSON.stringify({ get boom() { throw new RangeError('from a getter'); } }));
  run(() => JSON.stringify([{ toJSON() { throw new TypeError('from toJSON'); } }]));
  return [out, log];
})()"""
    assert _ours(project, expr) == _native(expr)


def test_case_conversion_of_every_latin1_character_matches_native(project):
    """toLowerCase and toUpperCase of one-byte strings take the engine's one-pass path
    (fast_case.h), except for the three Latin-1 characters whose upper case leaves Latin-1 or
    grows (µ, ß, ÿ): every character alone and in a run, strings that do not change, and a
    two-byte string, as native QuickJS converts them."""
    expr = r"""(() => {
  const all = Array.from({ length: 256 }, (_, c) => String.fromCharCode(c));
  const out = [];
  for (const s of [...all, all.join(''), 'plain ascii 123', 'ALREADY UPPER', 'already lower', 'Stra\u00dfe', 'na\u00efve caf\u00c9 \u00ff \u00b5', '\u00c0\u00de\u00d7\u00e0\u00fe\u00f7', 'wide \u03a3 \u0130 \u00c9', ''])
    out.push(s.toLowerCase(), s.toUpperCase(), s.toLocaleLowerCase(), s.toLocaleUpperCase());
  const same = 'unchanged';
  return [out, same.toLowerCase() === same, 'ΑΣ'.toLowerCase()];
})()"""
    assert _ours(project, expr) == _native(expr)


def test_arrays_built_element_by_element_match_native(project):
    """An element defined at the end of a fast array is appended without JSDefineProperty's
    lookups (build.FAST_PATH_PATCHES): arrays from regexp matches, Array.from, map, filter,
    split, JSON.parse and concat, next to the cases that must not take that path (a length
    that cannot grow, a frozen array, setters on Array.prototype, an array subclass), as
    native QuickJS builds them."""
    expr = r"""(() => {
  const out = [];
  const run = (f) => { try { out.push(f()); } catch (e) { out.push(e.constructor.name + ': ' + e.message); } };
  const m = /(\w)(\d)?(?<rest>x*)/.exec('a1xx b');
  run(() => [m.length, [...m], m.index, m.input, m.groups.rest, Object.keys(m)]);
  run(() => 'a1 b2 c3'.match(/\w\d/g));
  run(() => [...'a1b2c3'.matchAll(/([a-z])(\d)/g)].map((r) => [r[0], r[1], r[2], r.index]));
  run(() => [Array.from({ length: 5 }, (_, i) => i * i), Array.from('héllo'), Array.from(new Set([3, 1, 3]))]);
  run(() => [[1, 2, 3].map((x) => x * 2), [1, 2, 3, 4].filter((x) => x & 1), 'a,b,,c'.split(','), [1, [2, [3]]].flat(2)]);
  run(() => JSON.parse('[1,[2,3],{"a":[4,5]},[]]'));
  run(() => [[1].concat([2, 3], 4), Array.of(7, 8), [3, 1, 2].toSorted(), [1, 2, 3].slice(1)]);
  run(() => { const a = [1, 2]; Object.defineProperty(a, 'length', { writable: false }); return Array.prototype.map.call(a, (x) => x); });
  run(() => { const a = [1, 2]; Object.defineProperty(a, 'length', { writable: false }); Object.defineProperty(a, 2, { value: 3, writable: true, enumerable: true, configurable: true }); return a; });
  run(() => { const a = Object.freeze([1]); Object.defineProperty(a, 1, { value: 2 }); return a; });
  run(() => { const a = [1]; Object.preventExtensions(a); return Reflect.defineProperty(a, 1, { value: 2, writable: true, enumerable: true, configurable: true }); });
  run(() => { const a = [0]; Object.defineProperty(a, 1, { value: 1, enumerable: false, writable: true, configurable: true }); return [a.length, Object.keys(a), JSON.stringify(Object.getOwnPropertyDescriptor(a, 1))]; });
  run(() => { let hits = 0; Object.defineProperty(Array.prototype, 3, { set() { hits++; }, configurable: true }); try { const r = [0, 1, 2].map((x) => x); r.push(9); return [r, hits, Array.from({ length: 5 }, (_, i) => i)]; } finally { delete Array.prototype[3]; } });
  run(() => { class MyArray extends Array {} const r = MyArray.from([1, 2, 3]).map((x) => x + 1); return [r instanceof MyArray, [...r]]; });
  run(() => { const a = []; a.length = 3; Object.defineProperty(a, 0, { value: 'x', writable: true, enumerable: true, configurable: true }); return [a.length, a[0], 1 in a]; });
  run(() => { const a = [1, 2, 3]; a.length = 5; return [Array.prototype.map.call(a, (x) => x), a.length]; });
  run(() => { const big = []; for (let i = 0; i < 5000; i++) big.push(i); return Array.from(big, (x) => x * 2).reduce((s, x) => s + x, 0); });
  return out;
})()"""
    assert _ours(project, expr) == _native(expr)
