"""Issue 12's bar: a program written for an edge runtime (WinterTC APIs, TypeScript,
process.argv, standard input, an exit status) runs unchanged in EdgeBox with the same output
and exit status as in Deno. The programs are samples/edge-function and tests/deno_parity/cli.ts;
each runs under both, from
its .ts source, with the same arguments and input. Deno comes from npm (scripts/setup.sh
installs it into .tools/)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = Path(__file__).resolve().parent / "deno_parity"
EDGE_FUNCTION = ROOT / "samples/edge-function/app.ts"
DENO = ROOT / ".tools/node_modules/.bin/deno"
EDGEBOX = Path(sys.executable).parent / "edgebox-exec"

needs_deno = pytest.mark.skipif(not DENO.exists(), reason="Deno installs with npm (scripts/setup.sh)")


def _both(
    root: Path, program: Path, *args: str, stdin: str = ""
) -> tuple[subprocess.CompletedProcess[str], ...]:
    shutil.copy(program, root / program.name)
    program_name = program.name
    (root / "data").mkdir(exist_ok=True)
    run = dict(cwd=root, capture_output=True, text=True, input=stdin, timeout=120)
    ours = subprocess.run([EDGEBOX, "--allow-read=data", program_name, *args], **run)  # type: ignore[call-overload]
    deno = subprocess.run([DENO, "run", "--quiet", "--allow-read=data", program_name, *args], **run)  # type: ignore[call-overload]
    return ours, deno


def _same(ours: subprocess.CompletedProcess[str], deno: subprocess.CompletedProcess[str]) -> None:
    assert "Uncaught" not in ours.stderr + deno.stderr, ours.stderr + deno.stderr
    assert ours.stdout == deno.stdout, (
        f"edgebox:\n{ours.stdout}{ours.stderr}\ndeno:\n{deno.stdout}{deno.stderr}"
    )
    assert ours.returncode == deno.returncode


@needs_deno
def test_an_edge_function_answers_as_in_deno(tmp_path):
    ours, deno = _both(tmp_path, EDGE_FUNCTION)  # samples/edge-function
    _same(ours, deno)
    lines = ours.stdout.splitlines()
    assert lines[0].startswith('POST /hash 200 true content-type=application/json {"sha256":"ba7816bf')
    assert lines[1] == "POST /gzip 200 true content-type=text/plain 11000 true"
    assert lines[4] == "GET /slow failed: TimeoutError"
    assert lines[5] == "done with 1 failure(s)"  # the one request the handler's deadline aborted


@needs_deno
@pytest.mark.parametrize(
    ("args", "status"), [((), 0), (("files", "data"), 0), (("data/a.txt",), 1), (("data/nope.txt",), 2)]
)
def test_a_command_line_tool_runs_as_in_deno(tmp_path, args, status):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/a.txt").write_text("one two\nthree\n")
    (tmp_path / "data/b.txt").write_text("four fïve\n")
    ours, deno = _both(tmp_path, PROGRAMS / "cli.ts", *args, stdin="héllo wörld\nfoo bar\n")
    assert ours.stderr == deno.stderr  # "cannot read data/nope.txt: ENOENT" for the last
    _same(ours, deno)
    assert ours.returncode == status
