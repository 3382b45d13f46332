#!/usr/bin/env bash
# Set everything up, then run the whole test suite.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
python samples/build.py
python -m pytest "$@"
