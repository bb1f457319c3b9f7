#!/bin/sh
# The launcher's own printf family (confine/lib/tiny_stdio.c, linked only
# into the static musl launcher) prints exactly what glibc prints for the
# same calls: one source built against each, outputs compared line by line.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
tiny=$O/host/launcher/bin/stdio-cases-tiny
ref=$O/host/bin/stdio-cases-glibc
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$tiny" >"$t/tiny.out" 2>"$t/tiny.err"
"$ref" >"$t/ref.out" 2>"$t/ref.err"
n=0
fails=0
i=0
while IFS= read -r want; do
	i=$((i + 1))
	got=$(sed -n "${i}p" "$t/tiny.out")
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - line $i: $want"
	else
		fails=$((fails + 1))
		echo "not ok $n - line $i: glibc '$want', tiny_stdio '$got'"
	fi
done <"$t/ref.out"
n=$((n + 1))
if cmp -s "$t/tiny.out" "$t/ref.out" && cmp -s "$t/tiny.err" "$t/ref.err"; then
	echo "ok $n - whole outputs identical, stderr too"
else
	fails=$((fails + 1))
	echo "not ok $n - outputs differ"
fi
echo "1..$n"
[ $fails = 0 ]
