"""Real npm packages that ship wasm run unmodified, with Node's output (issue 10).

The corpus is tests/npm/: each case a small program using one pinned package as its README
shows, and the output Node prints for it (expected.txt). npm installs the packages once per
machine (tests/npm/corpus.py); the cases run under edgebox-exec, by package name, and where
Node is installed it is run too, so the recorded output is checked against Node itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NODE

sys.path.insert(0, str(Path(__file__).resolve().parent / "npm"))

import corpus  # noqa: E402

EDGEBOX_EXEC = Path(sys.executable).parent / "edgebox-exec"  # the command a user runs


@pytest.fixture(scope="module")
def installed():
    try:
        return corpus.install()
    except corpus.NpmUnavailable as e:
        pytest.skip(str(e))


def test_the_corpus_covers_the_kinds_of_wasm_packages():
    """At least six packages, of more than one toolchain, each with a case."""
    assert len(corpus.PACKAGES) >= 6
    assert len(corpus.cases()) >= len(corpus.PACKAGES)
    for case in corpus.cases():
        assert (corpus.HERE / case / "expected.txt").read_text().strip(), case


@pytest.mark.parametrize("case", corpus.cases())
def test_package_runs_with_nodes_output(installed, case):
    expected = (corpus.HERE / case / "expected.txt").read_text()
    app = corpus.workdir(case) / "app.mjs"
    if NODE is not None:
        node = corpus.run_node(case, NODE)
        assert (node.returncode, node.stdout) == (0, expected), f"Node's output changed:\n{node.stderr}"
    ours = subprocess.run(
        [EDGEBOX_EXEC, app.name], cwd=app.parent, capture_output=True, text=True, timeout=900
    )
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == expected
    warnings = [line for line in ours.stderr.splitlines() if "warning[" in line or "error" in line]
    assert warnings == []


# an AssemblyScript module, a Rust one through wasm-bindgen, and one whose build instantiates
# its wasm after a top-level await (refused: the await does not settle without the event loop)
@pytest.mark.parametrize(
    "case, refusal",
    [
        ("as-sha256", None),
        ("lz4-wasm", None),
        ("yoga-layout", "--snapshot: a module awaits at top level and did not settle"),
    ],
)
def test_package_snapshot_gives_the_same_output(installed, case, refusal, tmp_path):
    expected = (corpus.HERE / case / "expected.txt").read_text()
    app = corpus.workdir(case) / "app.mjs"
    out = tmp_path / "app.ebx"
    bundled = subprocess.run(
        [EDGEBOX_EXEC.with_name("edgebox-bundle"), app.name, "-o", out, "--snapshot"],
        cwd=app.parent,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if refusal is not None:
        assert bundled.returncode != 0 and refusal in bundled.stderr, bundled.stderr
        assert not out.exists()
        return
    assert bundled.returncode == 0, bundled.stderr
    ours = subprocess.run([EDGEBOX_EXEC, out], cwd=app.parent, capture_output=True, text=True, timeout=900)
    assert (ours.returncode, ours.stdout) == (0, expected), ours.stderr
