#!/usr/bin/env bash
# Set everything up, then bundle and run samples/math inside the sandbox.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
python samples/build.py math
mkdir -p out
edgebox-bundle samples/math/app.js -o out/math.ebx
edgebox-exec out/math.ebx
