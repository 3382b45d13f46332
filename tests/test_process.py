"""process: what scripts use to talk to their caller (issue 12, point 4): argv, exit,
exitCode, and env only where --allow-env grants it. Exit statuses are Node's on the same
programs; the environment is denied by default, with a message that says how to grant it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import needs_node, run_node

BIN = Path(sys.executable).parent

PROGRAMS = {
    "exit_code_set": "console.log('ran');\nprocess.exitCode = 3;\n",  # 3 is also the heap limit's code
    "exit_now": "console.log('before');\nprocess.exit(7);\nconsole.log('after');\n",
    "exit_in_timer": "setTimeout(() => { console.log('timer'); process.exit(); }, 1);\nprocess.exitCode = 9;\n",
    "exit_code_then_error": "process.exitCode = 4;\nthrow new Error('boom');\n",
    "exit_in_promise": "await Promise.resolve();\nconsole.log('awaited');\nprocess.exit(0);\n",
}


def _edgebox(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "edgebox-exec", *args], cwd=root, capture_output=True, text=True)


@needs_node
def test_exit_statuses_are_nodes(tmp_path):
    for name, source in PROGRAMS.items():
        (tmp_path / f"{name}.mjs").write_text(source)
        ours = _edgebox(tmp_path, f"{name}.mjs")
        node = run_node(tmp_path / f"{name}.mjs")
        assert (ours.returncode, ours.stdout) == (node.code, node.out), (name, ours.stderr)


def test_argv_and_a_wasm_callback_that_exits(project):
    project.wat(
        "m.wasm",
        '(module (import "./cb.js" "done" (func $done)) (func (export "go") (call $done) unreachable))',
    )
    project.write(
        "cb.js", "export function done() { console.log('exiting from a callback'); process.exit(5); }\n"
    )
    project.write(
        "app.js",
        'import { go } from "./m.wasm";\nconsole.log(process.argv.slice(2).join(","), process.argv[1]);\ngo();\n',
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    r = _edgebox(project.root, str(out), "one", "two")
    assert (r.returncode, r.stdout) == (5, "one,two /app.js\nexiting from a callback\n"), r.stderr


def test_the_environment_needs_allow_env(project):
    project.write(
        "app.js",
        "try { console.log(typeof process.env.EDGEBOX_TEST_VALUE, process.env.EDGEBOX_TEST_VALUE); }\n"
        "catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    env = {**os.environ, "EDGEBOX_TEST_VALUE": "granted"}
    denied = subprocess.run(
        [BIN / "edgebox-exec", "app.js"], cwd=project.root, env=env, capture_output=True, text=True
    )
    assert denied.returncode == 0, denied.stderr
    assert denied.stdout == (
        "TypeError process.env.EDGEBOX_TEST_VALUE: reading the environment needs edgebox-exec --allow-env\n"
    )
    granted = subprocess.run(
        [BIN / "edgebox-exec", "--allow-env", "app.js"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (granted.returncode, granted.stdout) == (0, "string granted\n"), granted.stderr
