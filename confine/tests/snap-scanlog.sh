#!/bin/sh
# snap-scanlog, the denial scanner, for real on this machine (root): a
# static test app under a filter that snap-seccomp compiled from the base
# policy, run chrooted as /snap/<snap>/1/bin/probe, makes denied calls;
# the kernel logs them (type=1326, rate limit off); the scanner reads
# /dev/kmsg and must name the app (from the exe and the snap's snap.yaml),
# the call and the interface (bind and listen: network-bind). Then
# --follow: it turns kernel.printk_ratelimit off while it runs, sees a
# denial as it comes, and puts the old value back on SIGINT, with the
# --summary of the plugs. AppArmor is off here, so its lines are saved
# ones (from the boards' QEMU guests) read with --input. --devices checks
# a scratch root's udev rules and tags against the real sysfs and a v2
# device map (a private bpffs, bpftool), then a v1 devices.list.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
SCAN=$O/host/bin/snap-scanlog
SECCOMP=$O/host/bin/snap-seccomp
IFACES=$SRCDIR/confine/snap-interfaces/interfaces
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
has() { # has DESCRIPTION TEXT WANT
	case $2 in *"$3"*) ok "$1" ;; *) nok "$1"; printf '%s\n' "# '$3' not in:" "$2" | sed '2,$s/^/# /' ;; esac
}
lacks() {
	case $2 in *"$3"*) nok "$1"; printf '%s\n' "# '$3' in:" "$2" | sed '2,$s/^/# /' ;; *) ok "$1" ;; esac
}
is() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; echo "# expected '$3', got '$2'"; fi; }

if [ ! -x "$SCAN" ] || [ ! -x "$SECCOMP" ]; then
	echo "1..0 # SKIP $SCAN or $SECCOMP is not built (make host-tests)"
	exit 0
fi
T=$(mktemp -d /tmp/snap-scanlog-test.XXXXXX)
RL=/proc/sys/kernel/printk_ratelimit
old_rl=""
[ -r $RL ] && old_rl=$(cat $RL)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -n "$old_rl" ] && [ -w $RL ] && echo "$old_rl" >$RL
	rm -rf "$T"
}
trap cleanup EXIT
scan() { "$SCAN" --interfaces "$IFACES" --seccomp-base "$SRCDIR/confine/snap-seccomp/policy/default.src" \
	--apparmor-base "$SRCDIR/confine/snap-interfaces/policy/apparmor-base" "$@"; }
# the same in the background: $! is the scanner itself (signals reach it)
scan_bg() { "$SCAN" --interfaces "$IFACES" "$@" & }
# stop PID SIGNAL: sends it, waits up to 5 s for the exit; sets rc (124: it did not end, killed)
stop() {
	kill -"$2" "$1"
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1"
		rc=124
	else
		wait "$1"
		rc=$?
	fi
	pid=""
}

# ---- the command line
out=$("$SCAN" --help)
has "--help names every option" "$out" "--devices SNAP[.APP]"
"$SCAN" --no-such-option >/dev/null 2>&1
is "an unknown option: exit 2" "$?" 2
"$SCAN" --follow --input x >/dev/null 2>&1
is "--follow with --input: exit 2" "$?" 2
out=$(scan --interfaces "$T/none" --input /dev/null 2>&1)
is "no interface data: a note, not a failure (exit $?)" "$(printf '%s\n' "$out" | grep -c 'note: no interface data in')" 1

# ---- saved lines (AppArmor cannot deny anything here): the boards' guests, and auditd's form
cat >"$T/saved.log" <<'EOF'
[   12.650910] audit: type=1400 audit(1796021937.016:12): apparmor="DENIED" operation="open" profile="snap.hello.hello" name="/var/lib/snapd/outside-secret" pid=221 comm="probe" requested_mask="r" denied_mask="r" fsuid=4242 ouid=0
[   12.650999] audit: type=1400 audit(1796021937.016:13): apparmor="DENIED" operation="open" profile="snap.hello.hello" name="/var/log/syslog" pid=221 comm="probe" requested_mask="r" denied_mask="r" fsuid=0 ouid=0
[   16.225839] audit: type=1400 audit(1796021940.588:22): apparmor="DENIED" operation="capable" profile="snap.hello.hello" pid=259 comm="dmesg" capability=34  capname="syslog"
5,241,23017448,-;audit: type=1400 audit(1796022043.152:20): apparmor="DENIED" operation="create" profile="snap.hello.hello" pid=239 comm="srv" family="inet" sock_type="stream" protocol=6 requested_mask="create" denied_mask="create"
5,434,16452162,-;audit: type=1400 audit(1796021940.812:36): apparmor="ALLOWED" operation="open" profile="snap.devtool.tool//null-/bin/busybox" name="/var/log/messages" pid=266 comm="cat" requested_mask="r" denied_mask="r" fsuid=0 ouid=0
5,252,15226093,-;audit: type=1326 audit(1796022006.480:10): auid=4294967295 uid=4242 gid=4242 ses=4294967295 subj=snap.hello.bad pid=203 comm="probe" exe="/snap/hello/1/bin/probe" sig=0 arch=c00000b7 syscall=200 compat=0 ip=0x403440 code=0x50000
5,231,17921506,-;audit: type=1326 audit(1796022038.056:10): auid=4294967295 uid=4242 gid=4242 ses=4294967295 subj=snap.hello.bad pid=197 comm="probe" exe="/snap/hello/1/bin/probe" sig=0 arch=40000028 syscall=309 compat=0 ip=0x127ac code=0x50000
type=SECCOMP msg=audit(1796022038.100:11): auid=1000 uid=1000 gid=1000 ses=2 subj=snap.devtool.tool (complain) pid=77 comm="probe" exe="/snap/devtool/1/bin/probe" sig=0 arch=40000003 syscall=361 compat=1 ip=0xf7f1c549 code=0x7ffc0000
5,244,4780058,-;audit: type=1400 audit(1796021996.040:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="/usr/lib/snapd/snap-confine" pid=153 comm="cat"
EOF
out=$(scan --input "$T/saved.log" 2>&1)
has "AppArmor: a read of /var/log/syslog needs log-observe" "$out" \
	"snap.hello.hello: AppArmor denied read of /var/log/syslog — connect log-observe"
has "... a read outside every interface's rules: none" "$out" \
	"snap.hello.hello: AppArmor denied read of /var/lib/snapd/outside-secret — "
has "... capability syslog: log-observe" "$out" "snap.hello.hello: AppArmor denied capability syslog — connect log-observe"
has "... network inet stream: network-bind among them" "$out" "AppArmor denied network inet stream — connect one of: "
has "... complain mode: logged, under the child profile's app" "$out" \
	"snap.devtool.tool: AppArmor logged read of /var/log/messages (complain mode: allowed) — connect log-observe"
has "seccomp on the dragonboard: aarch64's bind (200), network-bind among the answers" "$out" \
	"snap.hello.bad: seccomp denied bind (aarch64, EPERM) — connect one of:"
has "... on the pi2: arm's add_key (309)" "$out" "snap.hello.bad: seccomp denied add_key (arm, EPERM) — no interface allows it"
has "... auditd's audit.log: an i386 compat bind logged in complain mode" "$out" \
	"snap.devtool.tool: seccomp logged bind (i386 compat, complain mode: allowed)"
lacks "a STATUS line is no denial" "$out" "profile_load"
is "from stdin (-) the same" "$(scan --input - <"$T/saved.log" 2>&1)" "$out"
out=$(scan --input "$T/saved.log" hello.bad 2>&1)
is "SNAP.APP: only that app's lines" "$(echo "$out" | grep -c '^snap\.hello\.bad: ')/$(echo "$out" | grep -c .)" 2/2
out=$(scan --input "$T/saved.log" --summary hello 2>&1)
has "--summary hello: snap.hello.hello needs log-observe" "$out" "snap.hello.hello ("
has "... its plugs: log-observe and a network one" "$out" "  plugs: [log-observe, network]"
has "... and custom-device only if its slot names the path" "$out" \
	"  and, if their attributes name what they need: [custom-device]"
lacks "... only the snap asked for" "$out" "devtool"

# ---- real denials on this kernel
if [ "$(id -u)" != 0 ] || [ ! -r /dev/kmsg ] || [ ! -w $RL ]; then
	echo "# SKIP the live checks: they need root (/dev/kmsg, kernel.printk_ratelimit, chroot)"
	echo "1..$n"
	[ $fails = 0 ]
	exit
fi
if ! grep -q log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null; then
	echo "# SKIP the live checks: this kernel does not log seccomp actions"
	echo "1..$n"
	[ $fails = 0 ]
	exit
fi
cat >"$T/probe.c" <<'EOF'
/* probe FILTER CALL...: loads a raw seccomp program with SECCOMP_FILTER_FLAG_LOG, then makes the calls */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static struct sock_filter f[8192];
	struct sock_fprog prog;
	FILE *in;

	if (argc < 2 || !(in = fopen(argv[1], "rb")))
		return 2;
	prog.len = (unsigned short)(fread(f, 1, sizeof(f), in) / sizeof(f[0]));
	prog.filter = f;
	fclose(in);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, &prog))
		return 3;
	for (int i = 2; i < argc; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		long r = -1;

		errno = 0;
		if (!strcmp(argv[i], "bind"))
			r = bind(0, (struct sockaddr *)&a, sizeof(a));
		else if (!strcmp(argv[i], "listen"))
			r = listen(0, 1);
		else if (!strcmp(argv[i], "add_key"))
			r = syscall(SYS_add_key, "user", "x", "y", 1, 0);
		printf("%s errno %d\n", argv[i], r < 0 ? errno : 0);
	}
	return 0;
}
EOF
SNAP=scantest-$$
R=$T/root
mkdir -p "$R/snap/$SNAP/1/bin" "$R/snap/$SNAP/1/meta"
printf 'name: %s\nversion: "1"\napps:\n  web:\n    command: bin/probe --serve\n' "$SNAP" >"$R/snap/$SNAP/1/meta/snap.yaml"
if ! cc -static -O2 "$T/probe.c" -o "$R/snap/$SNAP/1/bin/probe" 2>"$T/cc.err"; then
	nok "the test app builds (static)"
	sed 's/^/# /' "$T/cc.err"
	echo "1..$n"
	exit 1
fi
"$SECCOMP" compile --format=bin "$SRCDIR/confine/snap-seccomp/policy/default.src" "$R/filter.bin" 2>"$T/seccomp.err"
is "snap-seccomp compiles the base policy into a raw program" "$?" 0
echo 0 >$RL
out=$(chroot "$R" "/snap/$SNAP/1/bin/probe" /filter.bin bind listen add_key)
echo "$old_rl" >$RL
is "the app's bind, listen and add_key are denied (EPERM)" "$(echo "$out" | tr '\n' ' ')" \
	"bind errno 1 listen errno 1 add_key errno 1 "
sleep 0.2
out=$(scan --root "$R" "$SNAP" 2>"$T/scan.err")
is "one-shot on /dev/kmsg: exit 0" "$?" 0
has "the app named from its exe and snap.yaml; bind named for x86_64, EPERM; network-bind among the answers" "$out" \
	"snap.$SNAP.web: seccomp denied bind (x86_64, EPERM) — connect one of: "
has "... network-bind" "$(echo "$out" | grep ' bind ')" "network-bind"
has "listen: network-bind" "$out" "snap.$SNAP.web: seccomp denied listen (x86_64, EPERM) — connect network-bind"
has "add_key: no interface" "$out" "snap.$SNAP.web: seccomp denied add_key (x86_64, EPERM) — no interface allows it"
is "only this snap's lines, each once" "$(echo "$out" | grep -c "^snap\.")" 3
is "kernel.printk_ratelimit is as it was after a one-shot run" "$(cat $RL)" "$old_rl"

# --follow: rate limit off while it runs, a denial as it comes, the old value back on SIGINT
echo 7 >$RL
scan_bg --follow --summary --root "$R" "$SNAP" >"$T/follow.out" 2>"$T/follow.err"
pid=$!
i=0
while [ "$(cat $RL)" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "--follow turns kernel.printk_ratelimit off while it runs" "$(cat $RL)" 0
chroot "$R" "/snap/$SNAP/1/bin/probe" /filter.bin bind listen >/dev/null
i=0
while ! grep -q 'denied listen' "$T/follow.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
has "... and prints the denial as it comes" "$(cat "$T/follow.out")" "snap.$SNAP.web: seccomp denied listen (x86_64, EPERM)"
stop $pid INT
is "SIGINT ends it (exit 0), the old value back" "$rc:$(cat $RL)" 0:7
has "... with the summary: network-bind covers bind and listen" "$(cat "$T/follow.out")" "  plugs: [network-bind]"
lacks "... nothing from before it started" "$(cat "$T/follow.out")" "add_key"
scan_bg --follow --root "$R" "$SNAP" >/dev/null 2>&1
pid=$!
i=0
while [ "$(cat $RL)" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
stop $pid TERM
is "SIGTERM: it ends (exit 0), the old value back too" "$rc:$(cat $RL)" 0:7
echo "$old_rl" >$RL

# ---- --devices: the rules and tags of a scratch root against this machine's sysfs, a v2 map, a v1 list
D=$T/dev
mkdir -p "$D/etc/udev/rules.d" "$D/run/udev/tags/snap_${SNAP}_web" "$D/sys"
cat >"$D/etc/udev/rules.d/70-snap.$SNAP.rules" <<EOF
SUBSYSTEM=="mem", KERNEL=="null", TAG+="snap_${SNAP}_web"
SUBSYSTEM=="misc", KERNEL=="hw_random", TAG+="snap_${SNAP}_web"
TAG=="snap_${SNAP}_web", RUN+="/usr/lib/snapd/snap-device-helper \$env{ACTION} snap_${SNAP}_web \$devpath \$major:\$minor"
EOF
touch "$D/run/udev/tags/snap_${SNAP}_web/c10:183"
if command -v bpftool >/dev/null && [ -e /sys/dev/char/10:183 ]; then
	# key: u8 type, u32 major, u32 minor (little-endian here), snapd's map
	cat >"$T/v2.sh" <<'EOF'
D=$1 SCAN=$2 SNAP=$3
hex() { printf '%02x %02x %02x %02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
put() { # put TYPE MAJOR MINOR
	# shellcheck disable=SC2046
	bpftool map update pinned "$M" key hex "$(printf %02x "'$1")" $(hex "$2") $(hex "$3") value hex 01
}
mount --rbind /sys "$D/sys" && mount -t bpf bpf "$D/sys/fs/bpf" && mkdir -p "$D/sys/fs/bpf/snap" || exit 9
M=$D/sys/fs/bpf/snap/snap_${SNAP}_web
bpftool map create "$M" type hash key 9 value 1 entries 500 name devmap || exit 9
for d in 1:3 1:5 1:7 1:8 1:9 5:0 5:1 5:2; do put c "${d%:*}" "${d#*:}"; done
for m in 136 137 138 139 140 141 142 143; do put c $m 4294967295; done
"$SCAN" --root "$D" --devices "$SNAP.web" >"$D/v2-before.out"
echo "rc $?" >>"$D/v2-before.out"
put c 10 183
"$SCAN" --root "$D" --devices "$SNAP" >"$D/v2-after.out"
echo "rc $?" >>"$D/v2-after.out"
EOF
	unshare -m --propagation private sh "$T/v2.sh" "$D" "$SCAN" "$SNAP"
	is "v2: a private bpffs with the app's map (bpftool)" "$?" 0
	out=$(cat "$D/v2-before.out" 2>/dev/null)
	has "v2: the rules matched against the real sysfs (/dev/null, /dev/hwrng)" "$out" \
		"rule at line 1 matches /dev/null (c1:3)"
	has "... /dev/hwrng" "$out" "rule at line 2 matches /dev/hwrng (c10:183)"
	has "... c1:3 matches a rule but is not tagged" "$out" "MISSING: c1:3 matches a rule but udev did not tag it"
	has "... c10:183 is tagged but the map lacks it (read with bpf(2))" "$out" \
		"MISSING: c10:183 is tagged but the device cgroup does not allow it"
	has "... exit 1" "$out" "rc 1"
	out=$(cat "$D/v2-after.out" 2>/dev/null)
	has "v2: with c10:183 in the map, only the untagged c1:3 is left" "$out" "device cgroup (cgroup v2 map "
	lacks "... c10:183 allowed" "$out" "c10:183 is tagged but"
else
	echo "# SKIP the v2 device map checks: no bpftool, or no /dev/hwrng device here"
fi
rm -f "$D/run/udev/tags/snap_${SNAP}_web/c10:183"
touch "$D/run/udev/tags/snap_${SNAP}_web/c1:3"
mkdir -p "$D/sys/fs/cgroup/devices/snap.$SNAP.web"
printf 'c 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 rwm\nc 5:1 rwm\nc 5:2 rwm\nc 136:* rwm\nc 137:* rwm\nc 138:* rwm\nc 139:* rwm\nc 140:* rwm\nc 141:* rwm\nc 142:* rwm\nc 143:* rwm\nc 10:183 rwm\n' \
	>"$D/sys/fs/cgroup/devices/snap.$SNAP.web/devices.list"
out=$("$SCAN" --root "$D" --devices "$SNAP.web")
rc=$?
has "v1: devices.list read; c10:183 allowed but no longer tagged" "$out" \
	"STALE: the device cgroup allows c10:183, which is no longer tagged"
is "... exit 1" "$rc" 1
"$SCAN" --devices 'Not_A_Snap' >/dev/null 2>&1
is "--devices with a bad name: exit 2" "$?" 2

echo "1..$n"
[ $fails = 0 ]
