#!/bin/sh
# bench-launch (confine/bench/bench_launch.c), the launch benchmark's timer:
# its step mode (-s) reads the marks a launcher writes to the pipe named by
# SNAP_CONFINE_BENCH_FD and prints a line per interval (start, each mark's
# step, app, total; direct and launch with -d), its copies mode (-p) starts
# K copies at once with "%i" replaced by each copy's number, its interleaved
# mode (-i) runs several commands in turn, round by round, and a launcher
# that writes no marks, a failing copy or command or a bad option stops it. Shapes and
# names only: no timing is asserted.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
bl=$O/host/bin/bench-launch
if [ ! -x "$bl" ]; then
	echo "1..0 # SKIP $bl is not built (make host-tests)"
	exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
. "$SRCDIR/confine/tests/lib/tap.sh"

# a launcher with two marks (times from /proc/uptime, not CLOCK_MONOTONIC: only the names and
# the shape of the output are checked)
cat >"$t/marks" <<'EOF'
#!/bin/sh
ns=$(awk '{ printf "%d", $1 * 1e9 }' /proc/uptime)
[ -z "${SNAP_CONFINE_BENCH_FD:-}" ] || printf 'start %s\nload %s\n' "$ns" "$ns" >&"$SNAP_CONFINE_BENCH_FD"
exec "$@"
EOF
chmod 0755 "$t/marks"
out=$("$bl" -s 3 "$t/marks" true 2>&1)
is "-s: a line per interval, named by the marks, then app and total" \
	"$(printf '%s\n' "$out" | awk '{ printf "%s:%d ", $1, NF }')" "start:3 load:3 app:3 total:3 "
out=$("$bl" -s -d true 3 "$t/marks" true 2>&1)
is "-s -d: the interleaved direct exec and the launch without marks too" \
	"$(printf '%s\n' "$out" | awk '{ printf "%s ", $1 }')" "start load app total direct launch "
out=$("$bl" -s 2 true 2>&1)
is "-s: a command that writes no marks stops it (exit 1, says why)" "$?:$out" \
	"1:bench-launch: true wrote no marks to SNAP_CONFINE_BENCH_FD"

out=$(cd "$t" && "$bl" -p 4 2 sh -c ': >"$0"' 'copy.%i' 2>&1)
is "-p 4: two numbers (mean, median)" "$(printf '%s\n' "$out" | awk '{ print NF }')" "2"
is "-p 4: each copy got its number in place of %i" "$(cd "$t" && ls copy.* | tr '\n' ' ')" \
	"copy.1 copy.2 copy.3 copy.4 "
out=$("$bl" -p 3 1 sh -c 'test "$0" != x2' 'x%i' 2>&1)
is "-p: a failing copy stops it (exit 1, says so)" "$?:$out" "1:bench-launch: a copy of sh failed"
"$bl" -p 0 1 true >/dev/null 2>&1
is "-p 0: refused (exit 2)" "$?" "2"
"$bl" -s -p 2 1 true >/dev/null 2>&1
is "-s with -p: refused (exit 2)" "$?" "2"

# -i: the commands in turn, each round starting one later (warm-up round first, in order)
out=$(cd "$t" && "$bl" -i 2 sh -c 'echo a >>log' -- sh -c 'echo b >>log' -- sh -c 'echo c >>log' 2>&1)
is "-i: a line of two numbers per command" "$(printf '%s\n' "$out" | awk '{ printf "%d ", NF }')" "2 2 2 "
is "-i: one warm-up round in order, then round r from command r mod 3" "$(tr '\n' ' ' <"$t/log")" \
	"a b c a b c b c a "
out=$("$bl" -i 2 true -- sh -c 'exit 3' 2>&1)
is "-i: a failing command stops it (exit 1, says which)" "$?:$out" "1:bench-launch: sh failed"
out=$("$bl" -i 2 true -- 2>&1)
is "-i: an empty command after -- is refused (exit 2, says why)" "$?:$out" \
	"2:bench-launch: -i: 1 to 8 commands, none empty"
"$bl" -i -s 2 true >/dev/null 2>&1
is "-i with -s: refused (exit 2)" "$?" "2"

# bench-exec, the floors: one extra exec, and with -f that exec after loading a raw program
be=$O/host/launcher/bin/bench-exec probe=$O/host/launcher/bin/probe seccomp=$O/host/bin/snap-seccomp
if [ -x "$be" ] && [ -x "$probe" ] && [ -x "$seccomp" ]; then
	is "bench-exec: runs its arguments" "$("$be" "$probe" call getpid 2>&1)" "getpid errno 0"
	"$seccomp" compile --format=bin "$SRCDIR/confine/snap-seccomp/policy/default.src" "$t/default.bin" 2>/dev/null
	# add_key is outside snapd's template (EPERM); getpid inside it
	is "bench-exec -f: the app runs under the loaded program (add_key denied)" \
		"$("$be" -f "$t/default.bin" "$probe" call add_key 2>&1)" "add_key errno 1"
	is "bench-exec -f: what the program allows still works" \
		"$("$be" -f "$t/default.bin" "$probe" call getpid 2>&1)" "getpid errno 0"
	printf 'abc' >"$t/bad.bin"
	out=$("$be" -f "$t/bad.bin" "$probe" call getpid 2>&1)
	is "bench-exec -f: a file that is not a raw program stops it before the exec" "$?:$out" \
		"1:bench-exec: $t/bad.bin: not a raw seccomp program"
else
	# a skip says why, and counts as a skip, not a pass
	for i in 1 2 3 4; do
		echo "ok $((n + i)) # SKIP bench-exec, probe or snap-seccomp not built (make bench-bins host-tests)"
	done
	n=$((n + 4))
fi

tap_end
