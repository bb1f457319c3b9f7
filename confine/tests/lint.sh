#!/bin/sh
# Static checks of the project's shell code: shellcheck (warnings and up) on
# every script, one TAP line per file.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$SRCDIR" || exit 1
n=0
fails=0
if ! command -v shellcheck >/dev/null; then
	echo "1..0 # SKIP shellcheck is not installed (scripts/install-deps test installs it)"
	exit 0
fi
for f in scripts/* confine/tests/*.sh confine/tests/*/*.sh tests-qemu/*.sh tests-qemu/lib/*.sh kernel-snaps/*.sh rootfs/init rootfs/init-tests .ci/run; do
	[ -f "$f" ] || continue
	# (a script, or a file of shell read with ".": "# shellcheck shell=sh" first)
	head -n 1 "$f" | grep -q -e '^#!.*sh' -e '^# shellcheck shell=sh$' || continue
	n=$((n + 1))
	if out=$(shellcheck -S warning "$f" 2>&1); then
		echo "ok $n - shellcheck $f"
	else
		fails=$((fails + 1))
		echo "not ok $n - shellcheck $f"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
echo "1..$n"
[ $fails = 0 ]
