"""Run the WebAssembly ESM-integration proposal's own tests under EdgeBox and under Node.

The tests are `test/js-api/esm-integration/` in the WebAssembly/esm-integration repository:
WPT-style `.any.js` files (31 subtests in 13 files at commit 0998be58) written for WPT's
testharness.js, importing prebuilt `.wasm` files (and a few `.js` modules) from `resources/`.
Nothing from that repository is vendored here: point `--suite` at a checkout of it, a
directory that contains `test/js-api/esm-integration`. From a clone or a bare mirror:

    # from a bare mirror (the `fetch` tool's /work/.mirror/WebAssembly+esm-integration/repo),
    # writing nothing into it:
    mkdir -p /tmp/esmi && git --git-dir=<mirror> archive HEAD test/js-api/esm-integration | tar x -C /tmp/esmi
    # or a full work tree (this records the work tree in the mirror):
    git --git-dir=<mirror> worktree add --detach /tmp/esmi HEAD

then, from the EdgeBox checkout:

    .venv/bin/python scripts/esm_integration_suite.py --suite /tmp/esmi

For each test file and each runtime the runner copies the test directory (the test files and
`resources/`) into a fresh temporary directory and writes four files beside them:

- `package.json` (`"type": "module"`): the resources' `.js` files are ES modules;
- `__harness.mjs`: our own minimal stand-in for testharness.js (not a copy of it). It defines
  `test`, `promise_test`, `async_test`, `promise_rejects_js`, the `assert_*` functions and the
  rest as globals (so resources that assert while they evaluate see them too), runs promise
  tests one after another as testharness.js does, and prints `PASS name` or
  `FAIL name: message` per subtest and a `SUMMARY:` line;
- `__body.mjs`: the test body as an ES module: the file's text after the text of the scripts
  its `// META: script=` lines name (for an `.html` test, its `<script>` elements' text), so
  that what those classic scripts declare is in scope, as in one global scope;
- `__entry.mjs`: imports `__harness.mjs`, then `await import("./__body.mjs")` in a `try`
  (a body that does not parse, say `import.source` under Node 20, is an `ERROR:` line, not a
  silent crash), then awaits the queued tests.

`__entry.mjs` is then run with `edgebox-exec __entry.mjs` and with
`node --experimental-wasm-modules __entry.mjs`, with a time limit per file. Subtest names are
also read from each file's text beforehand, so that a file that fails to bundle, crashes or
hangs still counts every subtest it has, as FAIL with the reason (the `ERROR:` line, the
runtime's first error line, the exit code or the time limit).

Output: one table row per subtest (file, subtest, EdgeBox PASS/FAIL with a short reason, Node
PASS/FAIL with a short reason) and the totals. `--json PATH` also writes every result with
its full reason. The exit code is 0 when the suite ran (whatever passed), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

SUITE_SUBDIR = Path("test/js-api/esm-integration")
REPO_ROOT = Path(__file__).resolve().parent.parent
RUNTIMES = ("EdgeBox", "Node")

# Our testharness stand-in. Each subtest prints one line, `PASS name` or `FAIL name: message`,
# as it completes; `ERROR: ...` reports a body that did not load; `SUMMARY: ...` comes last.
HARNESS_JS = r"""// Minimal testharness.js stand-in written by scripts/esm_integration_suite.py.
const promiseQueue = [];
const pending = [];
let passed = 0;
let failed = 0;

class AssertionError extends Error {}
AssertionError.prototype.name = "AssertionError";

function oneLine(text) {
  return String(text).replace(/\s+/g, " ").trim();
}

function fmt(value) {
  try {
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "bigint") return `${value}n`;
    if (Object.is(value, -0)) return "-0";
    if (typeof value === "symbol") return value.toString();
    if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
    if (Array.isArray(value)) return `[${value.map(fmt).join(", ")}]`;
    if (value !== null && typeof value === "object") {
      const tag = Object.prototype.toString.call(value);
      return value instanceof Error ? `${tag} ${value.name}: ${value.message}` : tag;
    }
    return String(value);
  } catch {
    return "<unprintable>";
  }
}

function describeError(error) {
  if (error instanceof AssertionError) return error.message;
  if (error !== null && typeof error === "object" && "message" in error) {
    const name = error.name || error.constructor?.name || "Error";
    return `${name}: ${error.message}`;
  }
  return `threw ${fmt(error)}`;
}

// Where in the test an assertion failed: the first stack frame outside this file ("test line N"
// is a line of __body.mjs, the test file's own line unless META scripts were put before it).
function callSite(error) {
  const frames = String(error.stack ?? "").matchAll(/([\w.-]+\.m?js):(\d+)/g);
  for (const [, file, line] of frames) {
    if (file !== "__harness.mjs") return ` (${file === "__body.mjs" ? "test" : file} line ${line})`;
  }
  return "";
}

function check(ok, assertion, description, message) {
  if (!ok) {
    const where = description ? `${assertion}: ${description}` : assertion;
    const error = new AssertionError(`${where} ${message}`);
    error.message += callSite(error);
    throw error;
  }
}

function assert_true(actual, description) {
  check(actual === true, "assert_true", description, `expected true got ${fmt(actual)}`);
}

function assert_false(actual, description) {
  check(actual === false, "assert_false", description, `expected false got ${fmt(actual)}`);
}

function assert_equals(actual, expected, description) {
  check(
    typeof actual === typeof expected && Object.is(actual, expected),
    "assert_equals",
    description,
    `expected ${fmt(expected)} but got ${fmt(actual)}`,
  );
}

function assert_not_equals(actual, expected, description) {
  check(
    !(typeof actual === typeof expected && Object.is(actual, expected)),
    "assert_not_equals",
    description,
    `got disallowed value ${fmt(actual)}`,
  );
}

function assert_array_equals(actual, expected, description) {
  const arrayLike = actual !== null && typeof actual === "object" && "length" in actual;
  check(arrayLike, "assert_array_equals", description, `value is ${fmt(actual)}, expected array`);
  check(
    actual.length === expected.length,
    "assert_array_equals",
    description,
    `lengths differ, expected ${fmt(expected)} got ${fmt(Array.from(actual))}`,
  );
  for (let i = 0; i < expected.length; i++) {
    check(
      Object.is(actual[i], expected[i]),
      "assert_array_equals",
      description,
      `expected ${fmt(expected[i])} but got ${fmt(actual[i])} at index ${i}`,
    );
  }
}

function assert_in_array(actual, expected, description) {
  check(expected.includes(actual), "assert_in_array", description, `value ${fmt(actual)} not in array`);
}

function assert_own_property(object, name, description) {
  check(
    Object.prototype.hasOwnProperty.call(object, name),
    "assert_own_property",
    description,
    `expected property ${fmt(name)} missing`,
  );
}

function assert_class_string(object, name, description) {
  const actual = Object.prototype.toString.call(object);
  check(actual === `[object ${name}]`, "assert_class_string", description, `got ${actual}`);
}

function assert_approx_equals(actual, expected, epsilon, description) {
  check(
    typeof actual === "number" && Math.abs(actual - expected) <= epsilon,
    "assert_approx_equals",
    description,
    `expected ${fmt(expected)} +/- ${epsilon} but got ${fmt(actual)}`,
  );
}

function assert_greater_than(actual, expected, description) {
  check(actual > expected, "assert_greater_than", description, `expected a number greater than ${fmt(expected)} but got ${fmt(actual)}`);
}

function assert_less_than(actual, expected, description) {
  check(actual < expected, "assert_less_than", description, `expected a number less than ${fmt(expected)} but got ${fmt(actual)}`);
}

function assert_unreached(description) {
  check(false, "assert_unreached", description, "reached unreachable code");
}

function isErrorConstructor(constructor) {
  for (let c = constructor; c; c = Object.getPrototypeOf(c)) {
    if (typeof c === "function" && c.name === "Error") return true;
  }
  return false;
}

// The thrown value must be an object made by exactly `constructor` (testharness.js's rule).
function checkThrownBy(assertion, constructor, thrown, description) {
  check(
    thrown !== null && typeof thrown === "object",
    assertion,
    description,
    `threw ${fmt(thrown)}, not an object`,
  );
  check(isErrorConstructor(constructor), assertion, description, `${fmt(constructor)} is not an Error subtype`);
  check(
    thrown.constructor === constructor && thrown.name === constructor.name,
    assertion,
    description,
    `threw ${describeError(thrown)}, expected ${constructor.name}`,
  );
}

function assert_throws_js(constructor, fn, description) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = { e };
  }
  check(thrown !== undefined, "assert_throws_js", description, `${fmt(fn)} did not throw`);
  checkThrownBy("assert_throws_js", constructor, thrown.e, description);
}

function assert_throws_exactly(value, fn, description) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = { e };
  }
  check(thrown !== undefined, "assert_throws_exactly", description, `${fmt(fn)} did not throw`);
  check(Object.is(thrown.e, value), "assert_throws_exactly", description, `threw ${fmt(thrown.e)}, expected ${fmt(value)}`);
}

function promise_rejects_js(t, constructor, promise, description) {
  return Promise.resolve(promise).then(
    (value) => check(false, "promise_rejects_js", description, `promise resolved with ${fmt(value)}, expected a rejection`),
    (e) => checkThrownBy("promise_rejects_js", constructor, e, description),
  );
}

function promise_rejects_exactly(t, value, promise, description) {
  return Promise.resolve(promise).then(
    (v) => check(false, "promise_rejects_exactly", description, `promise resolved with ${fmt(v)}, expected a rejection`),
    (e) => check(Object.is(e, value), "promise_rejects_exactly", description, `rejected with ${fmt(e)}, expected ${fmt(value)}`),
  );
}

class Test {
  constructor(name) {
    this.name = name;
    this.cleanups = [];
    this.result = null;
    this.completed = new Promise((resolve) => {
      this.resolveCompleted = resolve;
    });
  }

  finish(error) {
    if (this.result !== null) return;
    this.result = error === undefined ? { ok: true } : { ok: false, message: describeError(error) };
    for (const cleanup of this.cleanups) {
      try {
        cleanup();
      } catch (e) {
        if (this.result.ok) this.result = { ok: false, message: `cleanup: ${describeError(e)}` };
      }
    }
    if (this.result.ok) {
      passed++;
      console.log(`PASS ${oneLine(this.name)}`);
    } else {
      failed++;
      console.log(`FAIL ${oneLine(this.name)}: ${oneLine(this.result.message)}`);
    }
    this.resolveCompleted();
  }

  step(fn, thisObject, ...args) {
    if (this.result !== null) return undefined;
    try {
      return fn.apply(thisObject === undefined ? this : thisObject, args);
    } catch (e) {
      this.finish(e);
      return undefined;
    }
  }

  step_func(fn, thisObject) {
    return (...args) => this.step(fn, thisObject, ...args);
  }

  step_func_done(fn, thisObject) {
    return (...args) => {
      if (fn) this.step(fn, thisObject, ...args);
      this.done();
    };
  }

  unreached_func(description) {
    return this.step_func(() => assert_unreached(description));
  }

  step_timeout(fn, ms, ...args) {
    return setTimeout(this.step_func(fn), ms, ...args);
  }

  add_cleanup(fn) {
    this.cleanups.push(fn);
  }

  done() {
    this.finish(undefined);
  }
}

function test(fn, name) {
  const t = new Test(name);
  t.step(fn, t, t);
  t.done();
}

function async_test(fn, name) {
  if (typeof fn === "string") [fn, name] = [undefined, fn];
  const t = new Test(name);
  pending.push(t);
  if (fn) t.step(fn, t, t);
  return t;
}

function promise_test(fn, name) {
  promiseQueue.push({ fn, name });
}

function withTimeout(t, timeoutMs) {
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(() => {
      t.finish(new AssertionError(`timed out after ${timeoutMs / 1000} s`));
      resolve();
    }, timeoutMs);
  });
  return Promise.race([t.completed, expired]).finally(() => clearTimeout(timer));
}

// Promise tests run one at a time, in the order they were declared, as in testharness.js.
export async function runTests(timeoutMs) {
  while (promiseQueue.length > 0) {
    const { fn, name } = promiseQueue.shift();
    const t = new Test(name);
    let promise;
    try {
      promise = Promise.resolve(fn.call(t, t));
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(
      () => t.finish(undefined),
      (e) => t.finish(e),
    );
    await withTimeout(t, timeoutMs);
  }
  for (const t of pending) await withTimeout(t, timeoutMs);
  console.log(`SUMMARY: ${passed} passed, ${failed} failed`);
}

export function loadError(error) {
  console.log(`ERROR: ${oneLine(describeError(error))}`);
}

Object.assign(globalThis, {
  test,
  async_test,
  promise_test,
  promise_rejects_js,
  promise_rejects_exactly,
  assert_true,
  assert_false,
  assert_equals,
  assert_not_equals,
  assert_array_equals,
  assert_in_array,
  assert_own_property,
  assert_class_string,
  assert_approx_equals,
  assert_greater_than,
  assert_less_than,
  assert_unreached,
  assert_throws_js,
  assert_throws_exactly,
  setup() {},
  done() {},
  step_timeout: (fn, ms, ...args) => setTimeout(fn, ms, ...args),
});
"""

ENTRY_JS = """import {{ loadError, runTests }} from "./__harness.mjs";
try {{
  await import("./__body.mjs");
}} catch (e) {{
  loadError(e);
}}
await runTests({timeout_ms});
"""

TEST_CALL = re.compile(r"(?<![\w$.])(promise_test|async_test|test)\s*\(")
META_SCRIPT = re.compile(r"^//\s*META:\s*script=(\S+)\s*$", re.MULTILINE)
HTML_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
HTML_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@dataclass
class Outcome:
    """One subtest under one runtime."""

    ok: bool
    reason: str = ""


@dataclass
class TestFile:
    """One test file: its path inside the suite directory and the subtests its text declares."""

    path: Path
    subtests: list[str]

    @property
    def name(self) -> str:
        return self.path.as_posix()


# ---- reading test files ---------------------------------------------------------------------


def _js_unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc.startswith("u{"):
            return chr(int(esc[2:-1], 16))
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        if esc in ("\n", "\r\n", "\u2028", "\u2029"):
            return ""  # a line continuation
        return SIMPLE_ESCAPES.get(esc, esc)

    # Surrogate pairs written as two \u escapes become one character.
    text = JS_ESCAPE.sub(one, body)
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


def _skip_string(src: str, i: int) -> int:
    """Index just past the string or template literal that starts at src[i]."""
    quote = src[i]
    i += 1
    while i < len(src) and src[i] != quote:
        i += 2 if src[i] == "\\" else 1
    return i + 1


def _call_arguments(src: str, start: int) -> list[str]:
    """The top-level argument texts of the call whose `(` is at src[start]."""
    args: list[str] = []
    depth = 0
    arg_start = start + 1
    i = start
    while i < len(src):
        c = src[i]
        if c in "\"'`":
            i = _skip_string(src, i)
            continue
        if src.startswith("//", i):
            end = src.find("\n", i)
            i = len(src) if end < 0 else end
            continue
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            i = len(src) if end < 0 else end + 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(src[arg_start:i])
                return args
        elif c == "," and depth == 1:
            args.append(src[arg_start:i])
            arg_start = i + 1
        i += 1
    return args


def declared_subtests(source: str) -> list[str]:
    """Names of the `test`, `promise_test` and `async_test` calls in a test's source: the first
    argument that is a plain string literal (a name given any other way is not found here; it
    still counts when the test runs)."""
    names = []
    for m in TEST_CALL.finditer(source):
        for arg in _call_arguments(source, m.end() - 1):
            literal = arg.strip()
            if len(literal) >= 2 and literal[0] in "\"'" and literal[-1] == literal[0]:
                if _skip_string(literal, 0) == len(literal):
                    names.append(_js_unescape(literal[1:-1]))
                    break
    return names


def is_test_file(path: Path) -> bool:
    """WPT's test files: `.html`, and `.js` (`.any.js`, `.window.js`, ...), outside `resources/`."""
    return path.suffix in (".html", ".js") and "resources" not in path.parts


def find_tests(test_dir: Path) -> list[TestFile]:
    """The test files under test_dir, each with the subtests its own text declares."""
    files = sorted(p for p in test_dir.rglob("*") if p.is_file() and is_test_file(p.relative_to(test_dir)))
    tests = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = "\n;\n".join(inline for _, inline in HTML_SCRIPT.findall(text))
        tests.append(TestFile(path.relative_to(test_dir), declared_subtests(text)))
    return tests


def _script_path(src: str, test_file: Path, test_dir: Path) -> Path:
    """A script a test pulls in: `/wasm/jsapi/x.js` is this repository's `test/js-api/x.js`
    (where WPT mounts it); anything else is relative to the test file."""
    if src.startswith("/wasm/jsapi/"):
        return test_dir.parent / src.removeprefix("/wasm/jsapi/")
    return test_file.parent / src


def body_source(test_file: Path, test_dir: Path) -> str:
    """The text of `__body.mjs` for a test file: the scripts it loads, then its own text."""
    text = test_file.read_text(encoding="utf-8")
    parts: list[str] = []
    if test_file.suffix == ".html":
        for attrs, inline in HTML_SCRIPT.findall(text):
            src = HTML_SRC.search(attrs)
            if src is None:
                parts.append(inline)
            elif not src.group(1).startswith("/resources/testharness"):
                parts.append(_script_path(src.group(1), test_file, test_dir).read_text(encoding="utf-8"))
    else:
        for src in META_SCRIPT.findall(text):
            parts.append(_script_path(src, test_file, test_dir).read_text(encoding="utf-8"))
        parts.append(text)
    return "\n;\n".join(parts)


# ---- running ---------------------------------------------------------------------------------


def materialise(test_dir: Path, test: TestFile, workdir: Path, timeout_ms: int) -> Path:
    """Copy the test directory into workdir and write the harness, the body and the entry."""
    shutil.copytree(test_dir, workdir, dirs_exist_ok=True)
    here = workdir / test.path.parent
    (workdir / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    (here / "__harness.mjs").write_text(HARNESS_JS, encoding="utf-8")
    (here / "__body.mjs").write_text(body_source(test_dir / test.path, test_dir), encoding="utf-8")
    entry = here / "__entry.mjs"
    entry.write_text(ENTRY_JS.format(timeout_ms=timeout_ms), encoding="utf-8")
    return entry


@dataclass
class Run:
    stdout: str
    stderr: str
    code: int | None  # None: killed at the time limit


def run_process(argv: Sequence[str], cwd: Path, timeout: float) -> Run:
    """Run argv in its own process group; at the time limit, kill that group (ours alone)."""
    with subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
            return Run(out, err, proc.returncode)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            return Run(out, err, None)


NOISE = re.compile(
    r"ExperimentalWarning|--trace-warnings|^\s*at |^\s*\^+\s*$|^\s*$|^node:internal|^\(node:\d+\)"
)


def process_failure(run: Run, timeout: float) -> str:
    """Why a file's run ended without reporting some subtest."""
    if run.code is None:
        return f"timed out after {timeout:g} s"
    for line in run.stdout.splitlines():
        if line.startswith("ERROR: "):
            return line.removeprefix("ERROR: ")
    lines = [ln.strip() for ln in run.stderr.splitlines() if not NOISE.search(ln)]
    errors = [ln for ln in lines if re.search(r"error|Error", ln)]
    # EdgeBox's diagnostics start `file: error: `; drop that when the message names the file.
    detail = re.sub(r"^(\S+): error(?:\[\w+\])?: (?=\1)", "", (errors or lines or ["no output"])[0])
    if run.code != 0:
        return f"exit {run.code}: {detail}"
    return f"not reported ({detail})"


def parse_results(stdout: str, known: Sequence[str]) -> dict[str, Outcome]:
    results: dict[str, Outcome] = {}
    for line in stdout.splitlines():
        if line.startswith("PASS "):
            results[line.removeprefix("PASS ")] = Outcome(True)
        elif line.startswith("FAIL "):
            rest = line.removeprefix("FAIL ")
            name = next((n for n in known if rest.startswith(n + ": ")), rest.partition(": ")[0])
            results[name] = Outcome(False, rest[len(name) + 2 :])
    return results


def run_file(
    runtime: str,
    command: Callable[[Path], list[str]],
    test_dir: Path,
    test: TestFile,
    timeout: float,
    subtest_timeout: float,
) -> tuple[str, dict[str, Outcome]]:
    with tempfile.TemporaryDirectory(prefix="esmi-") as tmp:
        work = Path(tmp) / "t"
        try:
            entry = materialise(test_dir, test, work, timeout_ms=int(subtest_timeout * 1000))
            run = run_process(command(entry), entry.parent, timeout)
            for prefix in (f"file://{work}/", f"{work}/"):  # paths in messages: relative to the suite
                run.stdout, run.stderr = run.stdout.replace(prefix, ""), run.stderr.replace(prefix, "")
        except Exception as e:  # a missing META script, a full disk: this file fails, not the run
            reason = f"runner: {type(e).__name__}: {e}"
            return runtime, {name: Outcome(False, reason) for name in test.subtests}
    results = parse_results(run.stdout, test.subtests)
    missing = [n for n in test.subtests if n not in results]
    if missing:
        reason = process_failure(run, timeout)
        for name in missing:
            results[name] = Outcome(False, reason)
    return runtime, results


# ---- reporting -------------------------------------------------------------------------------


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def cell(outcome: Outcome, width: int) -> str:
    return "PASS" if outcome.ok else shorten(f"FAIL {outcome.reason}", width)


def print_table(
    tests: Sequence[TestFile], results: dict[str, dict[tuple[str, str], Outcome]], width: int
) -> None:
    header = ["file", "subtest", *RUNTIMES]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for test in tests:
        for name in test.subtests:
            row = [test.name, name, *(cell(results[r][(test.name, name)], width) for r in RUNTIMES)]
            print("| " + " | ".join(col.replace("|", "\\|") for col in row) + " |")
    total = sum(len(t.subtests) for t in tests)
    counts = ", ".join(f"{r} {sum(o.ok for o in results[r].values())}/{total}" for r in RUNTIMES)
    print(f"\n{counts}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suite", type=Path, required=True, help=f"a directory containing {SUITE_SUBDIR}")
    parser.add_argument(
        "--edgebox-exec", default=str(REPO_ROOT / ".venv/bin/edgebox-exec"), help="edgebox-exec to run"
    )
    parser.add_argument("--node", default=shutil.which("node") or "node", help="node to run")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per test file and runtime")
    parser.add_argument("--subtest-timeout", type=float, default=10.0, help="seconds per subtest")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), help="files run at once")
    parser.add_argument("--reason-width", type=int, default=80, help="reason text kept in the table")
    parser.add_argument(
        "--only", action="append", default=[], help="only test files whose path has this (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="also write every result, with full reasons, here")
    args = parser.parse_args(argv)

    for option, program in (("--edgebox-exec", args.edgebox_exec), ("--node", args.node)):
        if shutil.which(program) is None:
            parser.error(f"{option}: cannot run {program}")
    test_dir = args.suite / SUITE_SUBDIR
    if not test_dir.is_dir():
        parser.error(f"{test_dir} is not a directory (see --help for how to make one)")
    tests = [t for t in find_tests(test_dir) if not args.only or any(s in t.name for s in args.only)]
    if not tests:
        parser.error(f"no test files in {test_dir}")

    commands: dict[str, Callable[[Path], list[str]]] = {
        "EdgeBox": lambda entry: [args.edgebox_exec, entry.name],
        "Node": lambda entry: [args.node, "--experimental-wasm-modules", entry.name],
    }
    results: dict[str, dict[tuple[str, str], Outcome]] = {r: {} for r in RUNTIMES}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            (test, pool.submit(run_file, r, commands[r], test_dir, test, args.timeout, args.subtest_timeout))
            for test in tests
            for r in RUNTIMES
        ]
        finished = [(test, *future.result()) for test, future in futures]
    for test, runtime, outcomes in finished:  # every run is over: test.subtests may grow now
        for name, outcome in outcomes.items():
            if name not in test.subtests:  # ran, but its name was not found in the text
                test.subtests.append(name)
            results[runtime][(test.name, name)] = outcome
    for test in tests:  # a name only the other runtime reported
        for runtime in RUNTIMES:
            for name in test.subtests:
                results[runtime].setdefault((test.name, name), Outcome(False, "not reported"))

    print_table(tests, results, args.reason_width)
    if args.json:
        rows = [
            {"file": t.name, "subtest": n, **{r: asdict(results[r][(t.name, n)]) for r in RUNTIMES}}
            for t in tests
            for n in t.subtests
        ]
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
