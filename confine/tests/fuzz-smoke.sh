#!/bin/sh
# A bounded fuzzing run of every parser of untrusted input (make fuzz runs longer).
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "$SRCDIR/scripts/run-fuzz" "${FUZZ_SECONDS:-20}"
