#!/bin/sh
# The launcher's bump allocator (confine/lib/tiny_malloc.c, linked only into
# the static musl launcher): its cases, built as the launcher is, print TAP.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
exec "$O/host/launcher/bin/malloc-cases-tiny"
