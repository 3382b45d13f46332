#!/usr/bin/env bash
# Set everything up, then run the fuzzers long: EXAMPLES cases per target (default 5000).
# The suite (scripts/test.sh) runs the same fuzzers with 200 fixed cases each.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export EDGEBOX_FUZZ_EXAMPLES="${1:-5000}"
echo "edgebox: fuzzing with $EDGEBOX_FUZZ_EXAMPLES cases per target (random; rerun to explore more)" >&2
python -m pytest -q tests/test_fuzz.py -p no:cacheprovider
