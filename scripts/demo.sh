#!/usr/bin/env bash
# Set everything up, then bundle and run a sample inside the sandbox (default: samples/math).
#   bash scripts/demo.sh [math|assemblyscript|c-wasi|wasm-to-wasm]
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
SAMPLE="${1:-math}"
[ -f "samples/$SAMPLE/app.js" ] || { echo "no such sample: samples/$SAMPLE" >&2; exit 2; }
python samples/build.py "$SAMPLE"
mkdir -p out
edgebox-bundle "samples/$SAMPLE/app.js" -o "out/$SAMPLE.ebx"
edgebox-exec "out/$SAMPLE.ebx"
