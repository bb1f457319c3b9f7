#!/bin/sh
# snap-interfaces aa-cache (docs/snap-interfaces.md, docs/formats.md: AppArmor
# policy cache), ASan+UBSan build, on this host (its kernel has no AppArmor,
# so what the device does with the kernel is the images' part): the cache the
# image build fills for a kernel's features is libapparmor's layout, the one
# apparmor_parser -W --cache-loc writes (its subdirectory, .features, one
# compiled file per source, byte for byte the parser's and with its source's
# mtime); kept while fresh, compiled again when a source is newer, added or
# removed; another feature set gets its own subdirectory beside; all or
# nothing on a compile error; the refusals, one line each.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
si=$O/host-asan/bin/snap-interfaces
[ -x "$si" ] || make -s -C "$SRCDIR" O="$O" "$si" >/dev/null 2>&1
[ -x "$si" ] || { echo "1..0 # SKIP $si is not built (make host-tests)"; exit 0; }
parser=$(command -v apparmor_parser || command -v /sbin/apparmor_parser) ||
	{ echo "1..0 # SKIP apparmor_parser is missing (scripts/install-deps qemu)"; exit 0; }
feat=/usr/share/apparmor-features/features
[ -f "$feat" ] || { echo "1..0 # SKIP $feat is missing (Debian's apparmor package)"; exit 0; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
. "$SRCDIR/confine/tests/lib/tap.sh"
# aac ARGS...: snap-interfaces ARGS; stdout and stderr in $t/out, the exit status in $t/rc
aac() {
	"$si" "$@" >"$t/out" 2>&1
	echo $? >"$t/rc"
}
out() { echo "$(cat "$t/rc"):$(wc -l <"$t/out"):$(cat "$t/out")"; }
# the profiles: the launcher's own (the images') and a small app's
mkdir -p "$t/src"
cp "$SRCDIR/rootfs/apparmor/snap-confine" "$t/src/usr.lib.snapd.snap-confine"
cat >"$t/src/snap.hello.hello" <<'EOF'
#include <tunables/global>
profile snap.hello.hello (attach_disconnected) {
  #include <abstractions/base>
  /snap/hello/** mrkix,
}
EOF
# another kernel's features: Debian's pinned set without its network features
grep -v '^network' "$feat" >"$t/other"
c=$t/cache
d=$(basename "$("$parser" --cache-loc "$c" -M "$feat" --print-cache-dir)")
tap_tree() { (cd "$1" && find . -type f | sort | tr '\n' ' '); }

aac --apparmor-parser "$parser" --apparmor-features "$feat" aa-cache "$c" "$t/src/usr.lib.snapd.snap-confine" \
	"$t/src/snap.hello.hello"
is "the image build: both profiles compiled into the subdirectory of the features (exit 0, one line)" "$(out)" \
	"0:1:snap-interfaces: AppArmor cache $c/$d: 2 profiles, compiled"
is "... the subdirectory apparmor_parser names for them ($d), with .features and a file per source" \
	"$(tap_tree "$c")" "./$d/.features ./$d/snap.hello.hello ./$d/usr.lib.snapd.snap-confine "
is "... .features is the features file" "$(cmp -s "$feat" "$c/$d/.features" && echo same)" same
for s in usr.lib.snapd.snap-confine snap.hello.hello; do
	"$parser" -Q -T -M "$feat" -o "$t/$s.bin" "$t/src/$s" 2>/dev/null
	is "... $s is byte for byte apparmor_parser's, with its source's mtime" \
		"$(cmp -s "$t/$s.bin" "$c/$d/$s" && echo same):$(stat -c %y "$c/$d/$s")" "same:$(stat -c %y "$t/src/$s")"
done
ino=$(stat -c %i "$c/$d/snap.hello.hello")
aac --apparmor-parser "$parser" --apparmor-features "$feat" aa-cache "$c" "$t"/src/*
is "again: up to date, nothing compiled (the same file)" "$(out):$(stat -c %i "$c/$d/snap.hello.hello")" \
	"0:1:snap-interfaces: AppArmor cache $c/$d: 2 profiles, up to date:$ino"

aac --apparmor-parser "$parser" --apparmor-features "$t/other" aa-cache "$c" "$t"/src/*
o=$(sed -n 's|^snap-interfaces: AppArmor cache '"$c"'/\([^:]*\): 2 profiles, compiled$|\1|p' "$t/out")
is "another kernel's features: compiled into a subdirectory of their own (exit 0)" "$(cat "$t/rc"):$([ -n "$o" ] && [ "$o" != "$d" ] && echo other)" "0:other"
is "... beside the first, which stays as it was" "$(ls "$c" | sort | tr '\n' ' '):$(stat -c %i "$c/$d/snap.hello.hello")" \
	"$(printf '%s\n' "$d" "$o" | sort | tr '\n' ' '):$ino"

touch -d '+1 minute' "$t/src/snap.hello.hello"
aac --apparmor-parser "none" --apparmor-features "$feat" aa-cache "$c" "$t"/src/*
is "a source newer than its cache file, no apparmor_parser: refused, one line (exit 1)" "$(out)" \
	"1:1:snap-interfaces: $c/$d: snap.hello.hello is missing or older than its source, and no apparmor_parser to compile them"
aac --apparmor-parser "$parser" --apparmor-features "$feat" aa-cache "$c" "$t"/src/*
is "... with the parser: compiled again" "$(out)" "0:1:snap-interfaces: AppArmor cache $c/$d: 2 profiles, compiled"
aac --apparmor-parser "$parser" --apparmor-features "$feat" aa-cache "$c" "$t/src/snap.hello.hello"
is "a source gone (one of two): compiled again, its file gone too" "$(out):$(tap_tree "$c/$d")" \
	"0:1:snap-interfaces: AppArmor cache $c/$d: 1 profiles, compiled:./.features ./snap.hello.hello "

printf 'profile snap.hello.bad {\n  /x rwz,\n}\n' >"$t/src/snap.hello.bad"
aac --apparmor-parser "$parser" --apparmor-features "$feat" aa-cache "$c" "$t"/src/*
is "a source that does not compile: exit 1, one line naming the subdirectory and the parser's reason" \
	"$(cat "$t/rc"):$(wc -l <"$t/out"):$(grep -c "^snap-interfaces: $c/$d: cannot compile the AppArmor profiles: .*snap.hello.bad" "$t/out")" "1:1:1"
is "... all or nothing: the subdirectory as it was, no scratch left" "$(tap_tree "$c/$d"):$(find "$c" -maxdepth 1 -name '.*' ! -path "$c" | wc -l)" \
	"./.features ./snap.hello.hello :0"
rm "$t/src/snap.hello.bad"

aac --apparmor-features "$t/missing" aa-cache "$c" "$t"/src/*
is "features that are not there: one line naming the file (exit 1)" "$(out)" \
	"1:1:snap-interfaces: cannot open the AppArmor features $t/missing: No such file or directory"
aac --apparmor-features "$feat" aa-cache --load "$c" "$t"/src/*
is "--load with --apparmor-features: refused (the running kernel's features only)" "$(out)" \
	"1:1:snap-interfaces: aa-cache: --load takes the running kernel's features, not --apparmor-features"
aac aa-cache "$c"
is "no source: the usage, one line (exit 1)" "$(out)" "1:1:snap-interfaces: usage: aa-cache [--load] CACHEDIR SOURCE..."
if [ -e /sys/kernel/security/apparmor/features ]; then
	n=$((n + 1))
	echo "ok $n # SKIP this host's kernel has AppArmor: the refusal without it is not testable here"
else
	aac aa-cache --load "$c" "$t"/src/*
	is "--load on a kernel without AppArmor (this host): refused, one line, nothing compiled" \
		"$(out):$(ls "$c" | wc -l)" \
		"1:1:snap-interfaces: cannot read the kernel's AppArmor features (/sys/kernel/security/apparmor/features): No such file or directory:2"
fi
tap_end
