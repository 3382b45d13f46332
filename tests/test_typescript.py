"""TypeScript modules (bundler/typescript.py): types erased in place, the rest run as JS.

A program using each erasable construct bundles and prints what Deno 2.9 prints for the same
files (checked by hand with `deno run --sloppy-imports app.ts`; the output is asserted here
literally). Errors thrown in a .ts module, and the call-site checks' diagnostics, point at the
.ts file's own lines and columns, with no source map: erasing keeps every position. What needs
code generated (enum, namespaces with values, parameter properties, `<T>x`, `import =`,
`export =`, decorators) is refused with EB014 at its place; .tsx, .cts and .d.ts files are
refused by name. Resolution follows TypeScript's conventions: `./x.js` finds `x.ts`.
"""

from __future__ import annotations

import json
import re

import pytest

from bundler.diagnostics import js_lines
from bundler.errors import JSSyntaxError
from bundler.typescript import erase_types, to_javascript, unsupported_file

SHAPES_TS = r"""
// Types, abstract classes and modifiers: everything here but the code is erased.
export interface Shape {
  area(): number;
  readonly name: string;
}
export type Point = { x: number; y: number };
export type Pair<T> = [T, T];
export default interface Named { name: string }
export declare const injected: unique symbol;
export abstract class Base<Tag extends string> implements Shape {
  abstract area(): number;
  declare readonly brand: Tag;
  protected static made: number = 0;
  private readonly id: number;
  [extra: string]: unknown;
  constructor() {
    this.id = ++Base.made;
  }
  public get name(): string {
    return `${this.constructor.name}#${this.id}`;
  }
  describe(): string;
  describe(precision: number): string;
  describe(precision?: number): string {
    return `${this.name} ${this.area().toFixed(precision ?? 1)}`;
  }
}
export class Circle extends Base<"circle"> {
  #r: number;
  constructor(r: number) {
    super();
    this.#r = r;
  }
  override area(): number {
    return Math.PI * this.#r ** 2;
  }
}
export class Square extends Base<"square"> {
  side!: number;
  get: number
  set(side: number): this {
    this.side = side;
    return this;
  }
  area() {
    return this.side ** 2;
  }
}
"""

UTIL_MTS = r"""
export function first<T>(xs: readonly T[]): T | undefined {
  return xs[0];
}
export function isString(x: unknown): x is string {
  return typeof x === "string";
}
export function assertNumber(x: unknown): asserts x is number {
  if (typeof x !== "number") throw new TypeError(`not a number: ${String(x)}`);
}
export const pair = <T,>(a: T, b: T): [T, T] => [a, b];
export function overloaded(x: string): string;
export function overloaded(x: number): number;
export function overloaded(x: any): any {
  return x + x;
}
"""

APP_TS = r"""
import type Named from "./shapes.js";
import { Circle, Square, type Shape, type Point, type Pair } from "./shapes.js";
import * as util from "./util.mjs";
export type { Shape };
export { type Point, util };

declare global {
  interface Window { late: number }
}
declare module "./shapes.js" {
  interface Circle { extra?: string }
}
declare enum Hidden { A }
namespace Types {
  export type Id = number;
  export interface Box<T> { value: T }
}

const shapes: Shape[] = [new Circle(1), new Square().set(3)];
for (const s of shapes) console.log((s as Circle).describe(2), s.name satisfies string);

const origin = { x: 0, y: 0 } satisfies Point;
const colours = ["red", "green"] as const;
let count!: number;
count = util.first<number>([7, 8, 9])!;
const box: Types.Box<Types.Id> = { value: count };
const p: Pair<string> = util.pair<string>("a", "b");
console.log(JSON.stringify([origin, colours, box, p]), util.overloaded(21), util.overloaded("ab"));

function greet(this: void, who?: string, ...rest: number[]): string {
  return `hello ${who ?? "nobody"} ${rest.length}`;
}
console.log(greet(), greet("é", 1, 2));

const value: unknown = "text";
if (util.isString(value)) console.log(value.toUpperCase());
try {
  util.assertNumber(value);
} catch (e) {
  console.log((e as Error).message);
}

const named: Named = { name: "n" };
const total = shapes.length as number
(function () { console.log("a new statement, as TypeScript reads it"); })();
type Callback = (n: number) => void
[1, 2].forEach((n): void => console.log("each", n));
const lines = (a: number, b: number): {
  sum: number;
} => ({ sum: a + b });
console.log(named.name, total, lines(2, 3), [...new Map<string, number>([["k", 1]])].join());
class Counter<T> {
  private items: T[] = [];
  add = (item: T): this => {
    this.items.push(item);
    return this;
  };
  get size(): number {
    return this.items.length;
  }
}
console.log(new Counter<number>().add(1).add(2).size);
"""

ERASABLE_OUTPUT = """\
Circle#1 3.14 Circle#1
Square#2 9.00 Square#2
[{"x":0,"y":0},["red","green"],{"value":7},["a","b"]] 42 abab
hello nobody 0 hello é 2
TEXT
not a number: text
a new statement, as TypeScript reads it
each 1
each 2
n 2 { sum: 5 } k,1
2
"""


def utf16_lengths(text: str) -> list[int]:
    return [len(line.encode("utf-16-le")) // 2 for line in js_lines(text)]


def test_a_program_using_every_erasable_construct_runs_as_deno_runs_it(project):
    project.write("shapes.ts", SHAPES_TS)
    project.write("util.mts", UTIL_MTS)
    project.write("app.ts", APP_TS)
    r = project.run("app.ts")
    assert r.code == 0, r.err
    assert r.out == ERASABLE_OUTPUT


def test_a_ts_entry_runs_directly_with_edgebox_exec(project):
    project.write("app.ts", 'const who: string = "ts";\nconsole.log(`hello ${who satisfies string}`);\n')
    r = project.exec(project.root / "app.ts")
    assert (r.code, r.out) == (0, "hello ts\n"), r.err


@pytest.mark.parametrize("source", [SHAPES_TS, UTIL_MTS, APP_TS])
def test_erasing_keeps_every_line_and_its_length(source):
    js = to_javascript(source, "x.ts")
    assert utf16_lengths(js) == utf16_lengths(source)
    # what is not blank in the output is the source's own text, at the same place
    # (the `;` and `=>` written into erased space aside)
    for ts_line, js_line in zip(js_lines(source), js_lines(js), strict=True):
        for i, c in enumerate(js_line):
            assert c in (" ", ts_line[i]) or c in ";=>", (ts_line, js_line)


def test_type_syntax_becomes_spaces_and_the_code_stays():
    source = (
        "import type { A } from './a';\n"
        "import { type B, c } from './b';\n"
        "export { type B, c };\n"
        "let x!: number, z = f<string>(y as any)!;\n"
        "function g(this: Window, a?: number): asserts a is number {}\n"
    )
    assert to_javascript(source, "x.ts") == (
        ";                            \n"
        "import {         c } from './b';\n"
        "export {         c };\n"
        "let x         , z = f        (y       ) ;\n"
        "function g(              a         )                      {}\n"
    )


def test_a_type_specifier_alone_keeps_its_import_as_verbatimModuleSyntax_does():
    assert to_javascript('import { type A } from "./a";\n', "x.ts") == 'import {        } from "./a";\n'


@pytest.mark.parametrize(
    ("source", "js"),
    [
        # an erased declaration leaves a `;`: `1` and `(f)()` stay two statements
        ("let x = 1\ntype T = 2\n(f)()\n", "let x = 1\n;         \n(f)()\n"),
        ("let x = 1\ninterface I {}\n[1].map(f)\n", "let x = 1\n;             \n[1].map(f)\n"),
        # tree-sitter reads `a as T` + `(b)` as a call; TypeScript ends the statement there
        ("const y = a as T\n(b)\n", "const y = a ;   \n(b)\n"),
        ("const y = a satisfies T\n(b)\n", "const y = a ;          \n(b)\n"),
        # a field that loses its annotation ends with `;`: `get` / `foo() {}` is no getter
        ("class A {\n  get: number\n  foo() {}\n}\n", "class A {\n  get;       \n  foo() {}\n}\n"),
        ("class A {\n  static?: number\n  m() {}\n}\n", "class A {\n  static ;       \n  m() {}\n}\n"),
        # no line break may come between `)` and `=>`: the arrow moves up into the erased type
        ("f = (a): {\n  n: number } => a;\n", "f = (a)=> \n                 a;\n"),
    ],
)
def test_erasing_never_joins_what_typescript_reads_as_two_statements(source, js):
    assert to_javascript(source, "x.ts") == js


def test_a_type_followed_by_a_bracket_on_the_next_line_asks_for_a_semicolon():
    # TypeScript reads two statements; tree-sitter's grammar one indexed type `T[1]`
    with pytest.raises(JSSyntaxError) as e:
        to_javascript("let n = 1;\nconst y = a satisfies T\n[1].map(f)\n", "x.ts")
    assert (e.value.span.line, e.value.span.column) == (2, 23)
    assert e.value.hint == "end the statement with a `;` on line 2"


def test_a_tagged_template_with_type_arguments_is_refused_not_run_as_comparisons():
    with pytest.raises(JSSyntaxError) as e:
        to_javascript("const s = tag<string>`x${1}`;\n", "x.ts")
    assert (e.value.span.line, e.value.span.column) == (1, 11)
    assert to_javascript("f((a < b), c > `d`);\n", "x.ts") == "f((a < b), c > `d`);\n"


def test_the_asi_cases_run_as_typescript_means_them(project):
    project.write(
        "app.ts",
        """
        let n = 1
        type T = number
        (() => console.log("second statement"))()
        const m = n as T
        ;[10, 20].forEach((v) => console.log(v))
        const k = m satisfies number
        (() => console.log("third statement"))()
        class A {
          get: number
          foo(): string { return "method"; }
        }
        console.log(Object.getOwnPropertyNames(A.prototype).join(), new A().foo(), "get" in new A())
        const sum = (a: number, b: number): {
          total: number } => ({ total: a + b });
        console.log(sum(2, 3).total, m, k)
        """,
    )
    r = project.run("app.ts")
    assert (r.code, r.out, r.err) == (
        0,
        "second statement\n10\n20\nthird statement\nconstructor,foo method true\n5 1 1\n",
        "",
    )


def test_non_ascii_and_astral_characters_in_types_keep_utf16_columns():
    source = 'let é: "é😀" = "é😀" as "é😀"; f(é!);\n'
    js = to_javascript(source, "x.ts")
    assert js == 'let é        = "é😀"         ; f(é );\n'
    assert utf16_lengths(js) == utf16_lengths(source)


TRACE_TS = """\
interface Options { loud?: boolean }
const label: string = "héllo😀";
export function fail(opts: Options, code: number): never {
  const e: Error = new Error(`${label} ${code as number}`);
  throw e;
}
fail({ loud: true } satisfies Options, 42 as const);
"""


def test_an_uncaught_errors_trace_names_the_ts_file_where_js_with_the_same_positions_does(project):
    project.write("app.ts", TRACE_TS)
    project.write("twin.js", to_javascript(TRACE_TS, "app.ts"))
    ts = project.exec(project.root / "app.ts")
    twin = project.exec(project.root / "twin.js")
    assert ts.code == twin.code == 1
    frames = re.findall(r"\((app\.ts):(\d+):(\d+)\)|at (app\.ts):(\d+):(\d+)", ts.err)
    assert "Error: héllo😀 42" in ts.err
    ts_places = re.findall(r"app\.ts:(\d+):(\d+)", ts.err)
    twin_places = re.findall(r"twin\.js:(\d+):(\d+)", twin.err)
    assert frames and ts_places == twin_places, (ts.err, twin.err)
    assert [line for line, _ in ts_places] == ["4", "7"]


ADD_WAT = """
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "big") (param i64) (result i64) local.get 0))
"""


def test_call_site_checks_point_at_the_ts_file_line_and_column(project):
    project.wat("m.wasm", ADD_WAT)
    project.write(
        "app.ts",
        """
        import * as m from "./m.wasm";
        import { add } from "./m.wasm";
        const s: string = "déjà vu"; const n: number = add(1) as number;
        type Big = bigint;
        const b: Big = m.big(1 as number) satisfies Big;
        """,
    )
    r = project.bundle("--check", "--format", "json", "app.ts")
    assert r.code == 1
    found = [(d["code"], d["file"], d["line"], d["column"], d["end_column"]) for d in json.loads(r.out)]
    assert found == [("EB002", "app.ts", 3, 48, 54), ("EB003", "app.ts", 5, 22, 23)]
    text = project.bundle("--check", "app.ts")
    assert "app.ts:3:48: error[EB002]" in text.out
    assert '3 | const s: string = "déjà vu"; const n: number = add(1) as number;' in text.out


REFUSED = [
    ("enum", "let a = 1;\nenum Color { Red, Green }\n", 2, 1, "`enum`"),
    ("const enum", "const enum Color { Red }\n", 1, 1, "`enum`"),
    ("namespace with values", "namespace N {\n  export const x = 1;\n}\n", 1, 1, "namespace"),
    ("exported namespace", "export namespace N { export function f() {} }\n", 1, 8, "namespace"),
    (
        "parameter property",
        "class P {\n  constructor(private x: number) {}\n}\n",
        2,
        15,
        "parameter property",
    ),
    ("readonly parameter", "class P { constructor(readonly x: number) {} }\n", 1, 23, "parameter property"),
    ("type assertion", "const v = <number>input;\n", 1, 11, "<T>value"),
    ("import require", 'import fs = require("fs");\n', 1, 1, "import x ="),
    ("import alias", "import A = B.C;\n", 1, 1, "import x ="),
    ("export =", "export = value;\n", 1, 1, "export ="),
    ("decorator", "@sealed\nclass C {}\n", 1, 1, "decorators"),
    ("decorator on a method", "class C {\n  @log m() {}\n}\n", 2, 3, "decorators"),
]


@pytest.mark.parametrize(
    ("source", "line", "column", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_each_construct_that_needs_code_generated_is_refused_at_its_place(
    project, source, line, column, words
):
    project.write("app.ts", source)
    r = project.bundle("--check", "--format", "json", "app.ts")
    assert r.code == 1
    [d] = json.loads(r.out)
    assert (d["code"], d["severity"], d["file"], d["line"], d["column"]) == (
        "EB014",
        "error",
        "app.ts",
        line,
        column,
    )
    assert words in d["message"] and d["hint"]


def test_every_refused_construct_of_a_file_is_reported_with_a_code_frame(project):
    project.write(
        "app.ts", "enum A { X }\nconst ok: number = 1;\nclass P { constructor(public p: string) {} }\n"
    )
    r = project.bundle("app.ts", "-o", "app.ebx")
    assert r.code == 1 and not (project.root / "app.ebx").exists()
    assert "app.ts:1:1: error[EB014]: `enum` is TypeScript that compiles to code" in r.err
    assert "1 | enum A { X }" in r.err and "  | ^^^^^^^^^^^^" in r.err
    assert "app.ts:3:23: error[EB014]: a parameter property" in r.err
    assert "= hint: use an object: `const Color = { Red: 0, Green: 1 } as const;`" in r.err
    assert r.err.rstrip().endswith("2 errors")


def test_ambient_enums_and_namespaces_of_types_only_are_erased_not_refused():
    source = (
        "declare enum E { A }\ndeclare namespace N { const x: number }\nnamespace T { export type X = 1 }\n"
    )
    assert erase_types(source, "x.ts").diagnostics == ()


def test_a_type_form_the_grammar_lacks_is_erased_when_nothing_of_it_is_left_in_the_code():
    # tree-sitter's grammar cannot parse `keyof readonly T[]`; the whole type is erased anyway
    source = "let x: { [K in keyof readonly any[]]: 1 } = f(1);\n"
    assert to_javascript(source, "x.ts") == "let x                                     = f(1);\n"


def test_a_typescript_syntax_error_is_reported_where_it_is(project):
    project.write("app.ts", 'const s: string = "é";\nlet y: = 2;\n')
    r = project.bundle("--check", "--format", "json", "app.ts")
    [d] = json.loads(r.out)
    assert (d["code"], d["line"], d["column"]) == ("EB000", 2, 6)
    assert "syntax error" in d["message"]
    with pytest.raises(JSSyntaxError):
        to_javascript("let x = (1 +;\n", "x.ts")


# -- resolution -------------------------------------------------------------------------


def test_a_js_specifier_finds_the_ts_module_tsc_would_compile_it_from(project):
    project.write("lib/math.ts", "export const twice = (n: number): number => n * 2;\n")
    project.write("lib/names.mts", 'export const name: string = "mts";\n')
    project.write("lib/index.ts", 'export const index: string = "index.ts";\n')
    project.write("plain.ts", 'export const plain: string = "extensionless";\n')
    project.write(
        "app.ts",
        """
        import { twice } from "./lib/math.js";
        import { name } from "./lib/names.mjs";
        import { index } from "./lib";
        import { plain } from "./plain";
        import { twice as again } from "./lib/math.ts";
        console.log(twice(2), name, index, plain, again === twice);
        """,
    )
    r = project.run("app.ts")
    assert (r.code, r.out) == (0, "4 mts index.ts extensionless true\n"), r.err


def test_an_existing_js_file_is_taken_before_the_ts_one(project):
    project.write("x.js", 'export const from = "x.js";\n')
    project.write("x.ts", 'export const from: string = "x.ts";\n')
    project.write(
        "app.ts", 'import { from } from "./x.js";\nimport { from as f } from "./x";\nconsole.log(from, f);\n'
    )
    r = project.run("app.ts")
    assert (r.code, r.out) == (0, "x.js x.js\n"), r.err


def test_a_package_whose_exports_name_ts_files_is_bundled(project):
    project.write(
        "node_modules/tslib-demo/package.json",
        json.dumps(
            {
                "name": "tslib-demo",
                "type": "module",
                "exports": {".": {"types": "./src/index.d.ts", "import": "./src/index.ts"}},
            }
        ),
    )
    project.write(
        "node_modules/tslib-demo/src/index.ts",
        "export function hi(who: string): string { return `hi ${who}`; }\n",
    )
    project.write(
        "node_modules/tslib-demo/src/index.d.ts", "export declare function hi(who: string): string;\n"
    )
    project.write("app.ts", 'import { hi } from "tslib-demo";\nconsole.log(hi("pkg"));\n')
    r = project.run("app.ts")
    assert (r.code, r.out) == (0, "hi pkg\n"), r.err


def test_import_type_from_a_declaration_file_vanishes(project):
    project.write("types.d.ts", "export interface Config { debug: boolean }\n")
    project.write(
        "app.ts",
        'import type { Config } from "./types.js";\nconst c: Config = { debug: true };\nconsole.log(c.debug);\n',
    )
    r = project.run("app.ts")
    assert (r.code, r.out) == (0, "true\n"), r.err


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("./types.js", "types.d.ts is a declaration file"),
        ("./types.d.ts", "types.d.ts is a declaration file"),
        ("./view.tsx", "view.tsx is a .tsx file: its JSX compiles to function calls"),
        ("./old.cts", "old.cts is a .cts file, CommonJS TypeScript"),
    ],
)
def test_modules_that_are_not_erasable_typescript_are_refused_by_name(project, spec, words):
    project.write("types.d.ts", "export interface Config { debug: boolean }\n")
    project.write("view.tsx", "export const v = <div />;\n")
    project.write("old.cts", "module.exports = 1;\n")
    project.write("app.ts", f'import {{ type Config }} from "{spec}";\n')
    r = project.bundle("app.ts", "-o", "app.ebx")
    assert r.code == 1
    assert f"app.ts:1:29: error: cannot import '{spec}': {words}" in r.err


@pytest.mark.parametrize("entry", ["view.tsx", "types.d.ts", "old.cts"])
def test_an_entry_that_is_not_erasable_typescript_is_refused(project, entry):
    project.write(entry, "export {};\n")
    r = project.bundle(entry, "-o", "app.ebx")
    assert r.code == 1 and entry in r.err
    assert unsupported_file(project.root / entry) is not None
