#!/bin/sh
# snap-seccomp's command line: verbs, options, exit codes, one-line errors,
# and that a failed compile writes nothing. The outcomes are read back with
# the tool's own simulator (whose interpreter has unit tests of its own).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
tool=${SNAP_SECCOMP:-$O/host-asan/bin/snap-seccomp}
policy=$SRCDIR/confine/snap-seccomp/policy/default.src
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0

check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		fails=$((fails + 1))
		echo "not ok $n - $desc"
	fi
}
# run CMD...: sets $out, $err and $rc
run() {
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
	out=$(cat "$t/out")
	err=$(cat "$t/err")
}
is() { [ "$1" = "$2" ] || { echo "# expected '$2', got '$1'"; return 1; }; }
has() { case "$1" in *"$2"*) return 0 ;; esac; echo "# '$1' does not contain '$2'"; return 1; }
lines() { [ "$(printf '%s\n' "$1" | wc -l)" -eq "$2" ] || { echo "# not $2 line(s): $1"; return 1; }; }
sim() { "$tool" simulate "$@" | cut -d' ' -f1; }

# --- compile the default policy for pc and look at outcomes
run "$tool" compile --target pc "$policy" "$t/pc.bin2"
check "compile --target pc succeeds quietly" is "$rc:$out:$err" "0::"
size=$(stat -c %s "$t/pc.bin2")
check "the .bin2 has a header and two programs" [ "$size" -gt 136 ]
check "read is allowed on x86_64" is "$(sim "$t/pc.bin2" x86_64 read 0 0 0)" ALLOW
check "ptrace is denied with EPERM on x86_64" is "$(sim "$t/pc.bin2" x86_64 ptrace)" "ERRNO(1)"
check "ioctl TIOCSTI hits the ~ rule: EACCES" is "$(sim "$t/pc.bin2" x86_64 ioctl 0 0x5412)" "ERRNO(13)"
check "ioctl TIOCSTI with high bits set: still EACCES" is "$(sim "$t/pc.bin2" x86_64 ioctl 0 0xffffffff00005412)" "ERRNO(13)"
check "other ioctls are allowed" is "$(sim "$t/pc.bin2" x86_64 ioctl 0 0x5401)" ALLOW
check "socket(AF_UNIX) allowed" is "$(sim "$t/pc.bin2" x86_64 socket 1)" ALLOW
check "socket(AF_NETLINK) denied" is "$(sim "$t/pc.bin2" x86_64 socket 16)" "ERRNO(1)"
check "a number above the known ones: ENOSYS" is "$(sim "$t/pc.bin2" x86_64 1000)" "ERRNO(38)"
check "x32 numbers: bad arch, process killed" is "$(sim "$t/pc.bin2" x86_64 0x40000000)" KILL_PROCESS
check "i386 compat getpid allowed" is "$(sim "$t/pc.bin2" x86 getpid)" ALLOW
check "a foreign architecture is killed" is "$(sim "$t/pc.bin2" aarch64 0)" KILL_PROCESS
check "chown to root allowed (uid as -1 sign-extended)" is "$(sim "$t/pc.bin2" x86_64 chown 0 0xffffffffffffffff 0)" ALLOW
check "chown to another user denied" is "$(sim "$t/pc.bin2" x86_64 chown 0 1000 1000)" "ERRNO(1)"
run "$tool" simulate "$t/pc.bin2" x86_64 read
check "simulate prints the action and the instructions run" has "$out" " insns"

# --- other targets
run "$tool" compile --target dragonboard "$policy" "$t/db.bin2"
check "compile --target dragonboard" is "$rc" 0
check "aarch64 openat allowed" is "$(sim "$t/db.bin2" aarch64 openat)" ALLOW
check "arm compat openat allowed" is "$(sim "$t/db.bin2" arm openat)" ALLOW
check "x86_64 calls are a foreign arch on the dragonboard" is "$(sim "$t/db.bin2" x86_64 0)" KILL_PROCESS
run "$tool" compile --arch arm "$policy" "$t/pi2.bin2"
check "compile --arch arm" is "$rc" 0
check "arm private call cacheflush allowed" is "$(sim "$t/pi2.bin2" arm 0x0f0002)" ALLOW
check "arm private range, unknown number: EPERM, not ENOSYS" is "$(sim "$t/pi2.bin2" arm 0x0f0100)" "ERRNO(1)"
check "aarch64 is foreign on pi2" is "$(sim "$t/pi2.bin2" aarch64 0)" KILL_PROCESS

# --- options
run "$tool" compile --target pc --badarch=kill-thread "$policy" "$t/kt.bin2"
check "--badarch=kill-thread" is "$(sim "$t/kt.bin2" aarch64 0)" KILL_THREAD
run "$tool" compile --target pc --enosys=none "$policy" "$t/ne.bin2"
check "--enosys=none: EPERM above the known numbers" is "$(sim "$t/ne.bin2" x86_64 1000)" "ERRNO(1)"
run "$tool" compile --target pc --enosys=500 "$policy" "$t/n5.bin2"
check "--enosys=500: 501 is ENOSYS" is "$(sim "$t/n5.bin2" x86_64 501)" "ERRNO(38)"
check "--enosys=500: 499 is EPERM" is "$(sim "$t/n5.bin2" x86_64 499)" "ERRNO(1)"
run "$tool" compile --target pc --format=bin "$policy" "$t/pc.bin"
check "--format=bin: a raw program" is "$(( $(stat -c %s "$t/pc.bin") % 8 ))" 0
check "--format=bin: same outcome" is "$(sim "$t/pc.bin" x86_64 ioctl 0 0x5412)" "ERRNO(13)"
run "$tool" compile --target pc --backend=libseccomp "$policy" "$t/ls.bin2"
check "--backend=libseccomp" is "$(sim "$t/ls.bin2" x86_64 ioctl 0 0x5412):$rc" "ERRNO(13):0"
run "$tool" compile --target pc --backend=libseccomp --format=bin "$policy" "$t/ls.bin"
check "--backend=libseccomp --format=bin refuses ~ rules" is "$rc" 1
check "... and writes nothing" [ ! -e "$t/ls.bin" ]
run "$tool" compile --target pc --stats "$policy" "$t/st.bin2"
check "--stats reports on stderr" has "$err" "allow program"
printf 'read 10\nwrite 5\n' >"$t/prof.txt"
run "$tool" compile --target pc --profile "$t/prof.txt" "$policy" "$t/pr.bin2"
check "--profile FILE" is "$rc:$(sim "$t/pr.bin2" x86_64 read)" "0:ALLOW"
printf 'read ten\n' >"$t/badprof.txt"
run "$tool" compile --target pc --profile "$t/badprof.txt" "$policy" "$t/bp.bin2"
check "malformed profile: exit 1, one line naming file:line" is "$rc:$err" "1:snap-seccomp: $t/badprof.txt:1: expected 'SYSCALL COUNT' (a name of a-z, 0-9, _ and a decimal count)"

# --- directives
printf '@unrestricted\nread\n' >"$t/unr.src"
"$tool" compile "$t/unr.src" "$t/unr.bin2"
check "@unrestricted: a 128-byte .bin2" is "$(stat -c %s "$t/unr.bin2")" 128
"$tool" compile --format=bin "$t/unr.src" "$t/unr.bin"
check "@unrestricted in format bin: the text marker" is "$(cat "$t/unr.bin")" "@unrestricted"
printf '@complain\nread\n~ioctl - 21522\n' >"$t/cmp.src"
"$tool" compile --target pc "$t/cmp.src" "$t/cmp.bin2"
check "@complain: unlisted calls are logged" is "$(sim "$t/cmp.bin2" x86_64 write)" LOG
check "@complain: listed calls are allowed" is "$(sim "$t/cmp.bin2" x86_64 read)" ALLOW
check "@complain: ~ rules still return EACCES" is "$(sim "$t/cmp.bin2" x86_64 ioctl 0 0x5412)" "ERRNO(13)"
"$tool" compile --target pc --complain-action=allow "$t/cmp.src" "$t/cmpa.bin2"
check "--complain-action=allow" is "$(sim "$t/cmpa.bin2" x86_64 write)" ALLOW

# --- bad input: one line, exit 1, nothing written, an old output untouched
printf 'read\nsocket AF_FOO\n' >"$t/bad.src"
echo old >"$t/keep.bin2"
run "$tool" compile "$t/bad.src" "$t/keep.bin2"
check "unknown constant: exit 1" is "$rc" 1
check "unknown constant: file:line:col and the token" is "$err" "snap-seccomp: $t/bad.src:2:8: unknown constant 'AF_FOO'"
check "the existing output is untouched" is "$(cat "$t/keep.bin2")" old
check "no temporary file left behind" is "$(find "$t" -name '.*' | wc -l)" 0
# numbers are decimal, as snapd reads them: a leading zero is no octal, 0x no hex
printf 'ioctl - 010\n' >"$t/dec.src"
"$tool" compile --target pc "$t/dec.src" "$t/dec.bin2"
check "010 is ten, not octal eight" is "$(sim "$t/dec.bin2" x86_64 ioctl 0 10):$(sim "$t/dec.bin2" x86_64 ioctl 0 8)" "ALLOW:ERRNO(1)"
printf 'setpriority 0x0\n' >"$t/hex.src"
run "$tool" compile "$t/hex.src" "$t/hex.bin2"
check "0x hex is refused, as snapd refuses it: exit 1, nothing written" is "$rc:$err:$(test -e "$t/hex.bin2" && echo written)" "1:snap-seccomp: $t/hex.src:1:13: malformed number '0x0': numbers are decimal (no 0x hex, as in snapd):"
printf 'read\nno_such_call_xyz\n' >"$t/unk.src"
run "$tool" compile "$t/unk.src" "$t/unk.bin2"
check "unknown syscall: a warning with file:line, exit 0" is "$rc:$err" "0:snap-seccomp: $t/unk.src:2:1: warning: unknown syscall 'no_such_call_xyz', line ignored"
run "$tool" compile --strict "$t/unk.src" "$t/unk2.bin2"
check "unknown syscall with --strict: exit 1, nothing written" is "$rc:$(test -e "$t/unk2.bin2" && echo written)" "1:"
check "--strict error is one line" lines "$err" 1
run "$tool" compile "$t/missing.src" "$t/x.bin2"
check "missing input: exit 1, names the file" is "$rc:$(echo "$err" | grep -c "$t/missing.src")" "1:1"
run "$tool" compile "$policy" "$t/no/such/dir/out.bin2"
check "unwritable output: exit 1, names the path" is "$rc:$(echo "$err" | grep -c "no/such/dir")" "1:1"

# --- usage errors: exit 2
run "$tool"
check "no verb: exit 2" is "$rc" 2
run "$tool" frobnicate
check "unknown verb: exit 2" is "$rc" 2
run "$tool" compile --target vax "$policy" "$t/v.bin2"
check "unknown board: exit 2" is "$rc" 2
run "$tool" compile --arch x86_64,x86_64 "$policy" "$t/v.bin2"
check "repeated arch: exit 2" is "$rc" 2
run "$tool" compile "$policy"
check "missing OUT: exit 2" is "$rc" 2
run "$tool" compile --format=elf "$policy" "$t/v.bin2"
check "unknown format: exit 2" is "$rc" 2

# --- debugging verbs
run "$tool" resolve -a x86_64 read
check "resolve -a x86_64 read" is "$out" 0
run "$tool" resolve -a x86 20
check "resolve -a x86 20" is "$out" getpid
run "$tool" resolve -a aarch64 openat
check "resolve -a aarch64 openat" is "$out" 56
run "$tool" resolve -a arm cacheflush
check "resolve -a arm cacheflush (private call)" is "$out" 983042
run "$tool" resolve -a aarch64 open
check "resolve: no open on aarch64, exit 1" is "$rc" 1
run "$tool" disasm "$t/pc.bin2"
check "disasm shows both programs" is "$(echo "$out" | grep -c 'program')" 2
run "$tool" disasm "$t/bad.src"
check "disasm of a non-profile: exit 1" is "$rc" 1
run "$tool" version-info
check "version-info: four fields" is "$(echo "$out" | wc -w)" 4

echo "1..$n"
[ $fails = 0 ]
