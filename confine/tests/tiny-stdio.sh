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
# the same on a 32-bit board (armhf under qemu-arm), where size_t is as wide as long, not long long
if command -v arm-linux-gnueabihf-gcc >/dev/null && command -v qemu-arm >/dev/null &&
	[ -f /usr/lib/arm-linux-musleabihf/musl-gcc.specs ]; then
	n=$((n + 1))
	if arm-linux-gnueabihf-gcc -specs /usr/lib/arm-linux-musleabihf/musl-gcc.specs -std=c11 -D_GNU_SOURCE -O2 \
		-static confine/tests/launcher/stdio_cases.c confine/lib/tiny_stdio.c -o "$t/tiny-armhf" &&
		arm-linux-gnueabihf-gcc -std=c11 -D_GNU_SOURCE -O2 -static confine/tests/launcher/stdio_cases.c \
			-o "$t/ref-armhf" && qemu-arm "$t/tiny-armhf" >"$t/tiny-armhf.out" 2>"$t/tiny-armhf.err" &&
		qemu-arm "$t/ref-armhf" >"$t/ref-armhf.out" 2>"$t/ref-armhf.err" &&
		cmp -s "$t/tiny-armhf.out" "$t/ref-armhf.out" && cmp -s "$t/tiny-armhf.err" "$t/ref-armhf.err"; then
		echo "ok $n - armhf (qemu-arm): outputs identical, stderr too"
	else
		fails=$((fails + 1))
		echo "not ok $n - armhf (qemu-arm): outputs differ"
		diff "$t/ref-armhf.out" "$t/tiny-armhf.out" 2>&1 | sed 's/^/# /'
	fi
fi
echo "1..$n"
[ $fails = 0 ]
