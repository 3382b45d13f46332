#!/usr/bin/env bash
# Set everything up, then bundle and run a sample inside the sandbox (default: samples/math).
#   bash scripts/demo.sh [math|assemblyscript|c-wasi|wasm-to-wasm|strings|tokenizer|js-api|typescript|edge-function]
SAMPLE="${1:-math}"
ASC="$(dirname "${BASH_SOURCE[0]}")/../.tools/node_modules/.bin/asc"
if [ "$SAMPLE" = assemblyscript ] && { ! command -v node >/dev/null 2>&1 \
        || { ! command -v npm >/dev/null 2>&1 && [ ! -x "$ASC" ]; }; }; then
    echo "edgebox: samples/assemblyscript needs Node.js with npm (npm installs the AssemblyScript" \
        "compiler, node runs it); install Node.js, then run this again" >&2
    exit 1
fi
SAMPLE_DIR="$(dirname "${BASH_SOURCE[0]}")/../samples/$SAMPLE"
if [ -f "$SAMPLE_DIR/package.json" ] && [ ! -d "$SAMPLE_DIR/node_modules" ] && ! command -v npm >/dev/null 2>&1; then
    echo "edgebox: samples/$SAMPLE uses a package from npm, and npm is not on PATH; install Node.js" \
        "(which comes with npm), then run this again" >&2
    exit 1
fi
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
APP="samples/$SAMPLE/app.js"
[ -f "$APP" ] || APP="samples/$SAMPLE/app.ts"  # a TypeScript sample
[ -f "$APP" ] || { echo "no such sample: samples/$SAMPLE" >&2; exit 2; }
python samples/build.py "$SAMPLE"
mkdir -p out
edgebox-bundle "$APP" -o "out/$SAMPLE.ebx"
edgebox-exec "out/$SAMPLE.ebx"
