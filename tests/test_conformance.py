"""Conformance with Node: the same program under edgebox-exec and node --experimental-wasm-modules.

Each tests/conformance/<case>/ holds app.mjs and the .wat sources of its wasm
modules. stdout must be identical to Node's, except in cases that carry a
node-differs.txt: those are intended differences (listed in docs/compatibility.md), or what
the ESM-integration proposal specifies and Node 20 does not have, pinned by expected.txt (checked
against the proposal's text), and the test checks Node still differs so the list stays true.
A flags.txt holds extra edgebox-exec flags for its case. Each module's bytes are also
written as <name>.bytes.js (a default export of a Uint8Array), for programs that compile
wasm at run time with the JS API.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from conftest import needs_node, run_node

from bundler.toolchain import build_wat

CORPUS = Path(__file__).resolve().parent / "conformance"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@needs_node
@pytest.mark.parametrize("name", CASES)
def test_case_matches_node(project, name):
    src = CORPUS / name
    work = project.root / name
    shutil.copytree(src, work, ignore=shutil.ignore_patterns("expected.txt", "node-differs.txt", "flags.txt"))
    for wat in work.glob("*.wat"):
        build_wat(wat, wat.with_suffix(".wasm"))
        encoded = base64.b64encode(wat.with_suffix(".wasm").read_bytes()).decode()
        (work / f"{wat.stem}.bytes.js").write_text(
            f'export default Uint8Array.from(atob("{encoded}"), (c) => c.charCodeAt(0));\n'
        )
    os.chdir(work)
    flags = (src / "flags.txt").read_text().split() if (src / "flags.txt").exists() else []
    ours = project.exec(*flags, "app.mjs")
    node = run_node(work / "app.mjs")
    assert ours.code == 0, ours.err
    if (src / "node-differs.txt").exists():
        # pinned to the proposal's text; Node 20 differs, or cannot run it at all (syntax it
        # does not have, a function it lacks)
        assert ours.out == (src / "expected.txt").read_text()
        assert node.code != 0 or node.out != ours.out, (
            "Node now agrees: drop node-differs.txt and the entry in docs/compatibility.md"
        )
    else:
        assert node.code == 0, node.err
        assert ours.out == node.out
