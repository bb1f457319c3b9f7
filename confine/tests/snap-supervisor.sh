#!/bin/sh
# snap-supervisor for real on this machine (root): the ASan build runs as a
# daemon against a scratch root (--root) with a fake snap-run (--snap-run, a
# shell script that behaves per service and writes what it does into an
# events file), in a cgroup of its own. Checked: the first-boot hooks and
# their marker, a failing install hook, a bad service file, an ordering
# cycle, before/after order, restarts (kill -9 within the restart delay
# plus 1 s, never, oneshot once, back-off), notify readiness, forking,
# log bounding, the control socket refusing a non-root peer, shutdown with
# the stop command then SIGKILL after the stop timeout, nothing left; then
# the process-group fallback (--no-cgroup) and shutdown on SIGTERM.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
# SUP: the binary under test (default: the ASan build; the pc board's static musl one runs here too)
SUP=${SUP:-$O/host-asan/bin/snap-supervisor}
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

if [ ! -x "$SUP" ]; then
	echo "1..0 # SKIP $SUP is not built (make host-tests)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
CGR=""
for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
	if [ "$(stat -f -c %T $d 2>/dev/null)" = cgroup2fs ]; then
		CGR=$d
		break
	fi
done
if [ -z "$CGR" ]; then
	echo "1..0 # SKIP no cgroup v2 on this host"
	exit 0
fi
# ASan: the daemon forks and runs for a while; leak checks off (it exits with _exit)
export ASAN_OPTIONS=detect_leaks=0
T=$(mktemp -d /tmp/snap-supervisor-test.XXXXXX)
chmod 0755 "$T"
R=$T/root
CG=$CGR/cc-supervisor-test-$$
trap 'cleanup' EXIT
trap 'exit 1' INT TERM
cleanup() {
	if [ -S "$R/run/snapd/supervisor.socket" ]; then
		"$SUP" --root="$R" shutdown >/dev/null 2>&1
	fi
	for p in $(leftovers); do kill -9 "$p" 2>/dev/null; done
	find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null
	rm -rf "$T"
}
# pids of processes running the test's programs (anything the services left)
leftovers() {
	find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$T/*" 2>/dev/null | cut -d/ -f3
}

mkdir -p "$R/var/lib/snapd/confine/services" "$R/var/lib/snapd/confine/run" "$R/snap/demo/x1" \
	"$R/snap/broken/7" "$R/snap/cyc/2" "$R/run/snapd"
ln -s x1 "$R/snap/demo/current"
ln -s 7 "$R/snap/broken/current"
ln -s 2 "$R/snap/cyc/current"
for h in demo.hook.install demo.hook.configure broken.hook.install broken.hook.configure; do
	echo "exec=meta/hooks/${h##*.}" >"$R/var/lib/snapd/confine/run/snap.$h"
done
cp "$(command -v sleep)" "$T/sleeper"
cat >"$T/notify.c" <<'EOF'
/* sends READY=1 to $NOTIFY_SOCKET, then waits (with an argument: exits) */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	const char *p = getenv("NOTIFY_SOCKET");
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (!p || strlen(p) >= sizeof(a.sun_path))
		return 2;
	strcpy(a.sun_path, p);
	if (sendto(fd, "STATUS=up\nREADY=1\n", 18, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 3;
	if (argc > 1 && argv[1])
		return 0;
	for (;;)
		pause();
}
EOF
cc -O2 -o "$T/notify" "$T/notify.c" || { echo "1..0 # SKIP no C compiler"; exit 0; }
E=$T/events
cat >"$T/snap-run" <<EOF
#!/bin/sh
E=$E
T=$T
EOF
cat >>"$T/snap-run" <<'EOF'
now() { date +%s.%N; }
# nice: this process's nice value (/proc/PID/stat's 19th field)
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ nice _ </proc/$$/stat
case $1 in
--hook=*)
	h=${1#--hook=}
	echo "hook $h $2" >>$E
	echo "nice hook $h $2 $nice" >>$E
	echo "the $h hook of $2 says hello"
	# the install hooks of demo and broken wait (at most 5 s) for each other:
	# they meet only when the snaps' hooks run at once
	if [ "$h" = install ]; then
		: >"$T/install-$2"
		other=demo
		[ "$2" = demo ] && other=broken
		i=0
		while [ ! -e "$T/install-$other" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		[ -e "$T/install-$other" ] && echo "met $2 $other" >>$E
	fi
	if [ "$2" = broken ] && [ "$h" = install ]; then
		echo "install failed: no disk" >&2
		exit 3
	fi
	exit 0 ;;
--command=stop)
	echo "stop-cmd $2" >>$E
	echo "stop command of $2"
	exit 0 ;;
--command=post-stop)
	echo "post-stop $2" >>$E
	exit 0 ;;
esac
app=$1
echo "start $app $(now)" >>$E
echo "nice service $app $nice" >>$E
case $app in
demo.once) echo "oneshot ran"; exit 0 ;;
demo.crash) echo "crashing"; exit 1 ;;
demo.ready) sleep 0.4; echo "ready-sent $app $(now)" >>$E; exec $T/notify ;;
demo.stubborn) trap '' TERM; echo "ignoring TERM"; exec $T/sleeper 1000 ;;
demo.forker) $T/sleeper 1000 </dev/null >/dev/null 2>&1 & echo "forked $!" >>$E; exit 0 ;;
demo.chatty)
	i=0
	while [ $i -lt 400 ]; do echo "line $i of a service that talks a lot, to fill its log"; i=$((i + 1)); done
	exec $T/sleeper 1000 ;;
*) echo "$app running"; exec $T/sleeper 1000 ;;
esac
EOF
chmod 0755 "$T/snap-run"

S=$R/var/lib/snapd/confine/services
svc() { # svc NAME LINES...: a service file
	f=$S/snap.$1
	shift
	printf 'version=1\n' >"$f"
	for l in "$@"; do printf '%s\n' "$l" >>"$f"; done
	chmod 0644 "$f"
}
svc demo.db daemon=simple
svc demo.web daemon=simple after=demo.db restart-condition=on-failure restart-delay=500
svc demo.zz daemon=simple before=demo.db
svc demo.never daemon=simple restart-condition=never
svc demo.once daemon=oneshot
svc demo.crash daemon=simple restart-condition=on-failure restart-delay=200
svc demo.ready daemon=notify start-timeout=5000
svc demo.late daemon=simple after=demo.ready
svc demo.stubborn daemon=simple stop-command=yes post-stop-command=yes stop-timeout=1000
svc demo.forker daemon=forking restart-delay=100
svc demo.chatty daemon=simple
svc demo.off daemon=simple enabled=no
svc broken.svc daemon=simple
svc cyc.a daemon=simple after=cyc.b
svc cyc.b daemon=simple after=cyc.a
svc cyc.c daemon=simple after=cyc.a
printf 'version=1\n# a comment\ndaemon=weird\n' >"$S/snap.bad.x"
chmod 0644 "$S/snap.bad.x"
svc bad.writable daemon=simple
chmod 0666 "$S/snap.bad.writable"

mkdir -p "$CG"
# the supervisor in its own cgroup: its services' cgroups go below it
t0=$(date +%s%N)
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
	"$SUP" --root="$R" --snap-run="$T/snap-run" --log-size=4096 boot 2>"$T/boot.err"
rc=$?
t1=$(date +%s%N)
err=$(cat "$T/boot.err")
is "boot returns 1 when something was refused or failed" "$rc" 1
has "bad service file: one line naming file:line and the reason" "$err" \
	"/var/lib/snapd/confine/services/snap.bad.x:3: unknown daemon type 'weird': service not started"
has "a world-writable service file is refused" "$err" "snap.bad.writable: the file"
has "an ordering cycle names its services" "$err" "ordering cycle between cyc.a, cyc.b: not started; nor what is after it: cyc.c"
has "the failing install hook is reported" "$err" "broken: install hook failed: exit status 3"
echo "# boot took $(((t1 - t0) / 1000000)) ms"

st() { "$SUP" --root="$R" status "$@" 2>&1; }
status=$(st)
has "status: simple running" "$status" "demo.db running pid="
has "status: oneshot done" "$status" "demo.once done"
has "status: notify ready" "$status" "demo.ready running"
has "status: forking running" "$status" "demo.forker running"
has "status: disabled not started" "$status" "demo.off disabled"
has "status: the failing hook's snap not started, with the reason" "$status" \
	"broken.svc not-started (install hook failed: exit status 3)"
has "status: the cycle not started" "$status" "cyc.a not-started (ordering cycle)"
lacks "the bad file is not a service" "$status" "bad.x"
grep -q "start broken.svc" "$E" && nok "broken.svc never ran" || ok "broken.svc never ran"
grep -q "start cyc" "$E" && nok "no cycle service ran" || ok "no cycle service ran"

# Contract 4: hooks before services, marker with the revision, output logged
line() { grep -n "^$1" "$E" | head -1 | cut -d: -f1; }
before() { # before DESCRIPTION FIRST SECOND: FIRST's line precedes SECOND's
	a=$(line "$2")
	b=$(line "$3")
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then ok "$1"; else nok "$1"; echo "# '$2' at ${a:-none}, '$3' at ${b:-none}"; fi
}
before "install hook before configure" "hook install demo" "hook configure demo"
is "the install hooks of two snaps ran at once (each saw the other's start)" \
	"$(grep -c '^met \(demo broken\|broken demo\)$' "$E")" 2
before "configure hook before the first service" "hook configure demo" "start demo"
is "the marker has the revision" "$(cat "$R/var/lib/snapd/confine/state/demo.installed" 2>&1)" x1
[ -e "$R/var/lib/snapd/confine/state/broken.installed" ] && nok "no marker after a failed hook" ||
	ok "no marker after a failed hook"
grep -q "hook configure broken" "$E" && nok "configure not run after install failed" ||
	ok "configure not run after install failed"
hl=$("$SUP" --root="$R" logs -n 20 broken 2>&1)
has "the hook's output is in the snap's log" "$hl" "install failed: no disk"
has "the hook's failure is in the snap's log" "$hl" "install hook failed: exit status 3: the services of broken are not started"
# boot's work before the services runs nicer (SVC_BOOT_NICE: 10 added,
# at most 19), the services at the supervisor's own nice
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ nice0 _ </proc/$$/stat
want=$((nice0 + 10))
[ $want -le 19 ] || want=19
is "the first-boot hooks ran at nice $want (the supervisor's $nice0, plus 10)" \
	"$(sed -n 's/^nice hook [a-z]* [a-z]* //p' "$E" | sort -u | tr '\n' ' ')" "$want "
is "... and the services at the supervisor's own nice ($nice0)" \
	"$(sed -n 's/^nice service [^ ]* //p' "$E" | sort -u | tr '\n' ' ')" "$nice0 "
has "log lines are timestamped" "$("$SUP" --root="$R" logs -n 1 demo)" "$(date -u +%Y-%m-%d)T"

# order: a simple service counts as started once executed, so the next one
# may write its events first; the pids the supervisor forked show the order
first_pid() { sed -n 's/.*started [a-z]* (pid \([0-9]*\)).*/\1/p' "$R/run/snapd/log/snap.$1.log" | head -1; }
lt() { if [ "${3:-0}" -gt 0 ] && [ "${2:-0}" -lt "$3" ]; then ok "$1"; else nok "$1"; echo "# pids ${2:-none} ${3:-none}"; fi; }
lt "after=: demo.db before demo.web" "$(first_pid demo.db)" "$(first_pid demo.web)"
lt "before=: demo.zz before demo.db" "$(first_pid demo.zz)" "$(first_pid demo.db)"
before "notify: demo.late waits for READY=1" "ready-sent demo.ready" "start demo.late"
before "... and demo.stubborn, later in the order but not after it, does not" "start demo.stubborn" "ready-sent demo.ready"

# restart after kill -9, within restart-delay + 1 s
pidof_svc() { st "$1" | sed -n 's/.* pid=\([0-9]*\).*/\1/p'; }
forked_twice() { # waits up to 3 s for the forking service's second start
	i=0
	while [ "$(grep -c '^forked' "$E")" -lt 2 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
}
p=$(pidof_svc demo.web)
kill -9 "$p"
tk=$(date +%s%N)
np=""
while [ $(($(date +%s%N) - tk)) -lt 3000000000 ]; do
	np=$(pidof_svc demo.web)
	[ -n "$np" ] && [ "$np" != "$p" ] && break
	sleep 0.05
done
dt=$((($(date +%s%N) - tk) / 1000000))
if [ -n "$np" ] && [ "$np" != "$p" ] && [ $dt -lt 1500 ]; then ok "demo.web restarted after kill -9 in $dt ms (delay 500)"; else
	nok "demo.web restarted after kill -9 within 1.5 s (took $dt ms, pid $p -> $np)"; fi
has "restart counted" "$(st demo.web)" "restarts=1"
kill -9 "$(pidof_svc demo.never)"
sleep 1
has "restart-condition=never: not restarted" "$(st demo.never)" "demo.never failed (killed by signal 9)"
is "never ran once" "$(grep -c 'start demo.never' "$E")" 1
is "oneshot ran once" "$(grep -c 'start demo.once' "$E")" 1

# back-off: demo.crash exits 1 at once; delays 200, 400, 800, 1600 ms...
sleep 2.5
starts=$(grep 'start demo.crash' "$E" | awk '{print $3}')
gaps=$(echo "$starts" | awk 'NR > 1 { printf "%d ", ($1 - prev) * 1000 } { prev = $1 }')
echo "# demo.crash restart gaps (ms): $gaps"
set -- $gaps
if [ $# -ge 3 ] && [ "$1" -ge 180 ] && [ "$2" -ge 360 ] && [ "$3" -ge 720 ] && [ "$3" -lt 2500 ]; then
	ok "back-off doubles the delay of quick crashes ($gaps)"
else nok "back-off doubles the delay of quick crashes ($gaps)"; fi
delays=$("$SUP" --root="$R" logs -n 100 demo.crash | sed -n 's/.*restarting in \([0-9]*\) ms.*/\1/p' | head -4 | tr '\n' ' ')
is "the back-off's delays, as logged" "$delays" "200 400 800 1600 "

# forking: the starter exited, its child is tracked; killed, it restarts
fp=$(grep '^forked' "$E" | tail -1 | awk '{print $2}')
kill -9 "$fp"
forked_twice
is "forking: restarted when its processes are gone" "$(grep -c '^forked' "$E")" 2
has "forking: running again" "$(st demo.forker)" "demo.forker running"

# logs bounded: 4096 bytes per file, one old copy
L=$R/run/snapd/log/snap.demo.chatty.log
sz=$(stat -c %s "$L")
sz1=$(stat -c %s "$L.1" 2>/dev/null || echo 0)
if [ "$sz" -le 4096 ] && [ "$sz1" -gt 3000 ] && [ "$sz1" -le 4096 ] && [ ! -e "$L.2" ]; then
	ok "log rotated at 4096 bytes ($sz and $sz1)"
else nok "log rotated at 4096 bytes ($sz and $sz1)"; fi
has "logs -n 2 gives the last lines" "$("$SUP" --root="$R" logs -n 2 demo.chatty | tail -1)" "line 399 of"
is "logs -n 3 gives 3 lines" "$("$SUP" --root="$R" logs -n 3 demo.chatty | wc -l)" 3

# the control socket
is "the socket is root's, 0600" "$(stat -c '%U %a' "$R/run/snapd/supervisor.socket")" "root 600"
out=$(setpriv --reuid 4242 --regid 4242 --clear-groups "$SUP" --root="$R" status 2>&1)
rc=$?
is "uid 4242 cannot connect (mode 0600): exit 4" "$rc" 4
chmod 0666 "$R/run/snapd/supervisor.socket"
out=$(setpriv --reuid 4242 --regid 4242 --clear-groups "$SUP" --root="$R" status 2>&1)
rc=$?
is "uid 4242 refused by SO_PEERCRED even with the socket open: exit 4" "$rc" 4
has "the refusal says why" "$out" "permission denied: root only"
chmod 0600 "$R/run/snapd/supervisor.socket"
out=$(setpriv --reuid 4242 --regid 4242 --clear-groups "$SUP" --root="$R" --snap-run=/bin/true boot 2>&1)
is "the test options are root's only" "$?:$out" "4:snap-supervisor: the test options are root's only"
"$SUP" --root="$R" status nosuch >/dev/null 2>&1
is "status of an unknown service: exit 2" "$?" 2
"$SUP" --root="$R" start 'x/../y' >/dev/null 2>&1
is "a bad name: exit 2" "$?" 2

# stop, start, restart
out=$("$SUP" --root="$R" stop demo.db)
is "stop: exit 0" "$?" 0
has "stop: inactive" "$out" "demo.db inactive (stopped)"
out=$("$SUP" --root="$R" start demo.db)
has "start: running" "$out" "demo.db running"
out=$("$SUP" --root="$R" restart demo.once)
is "restart of a oneshot runs it again" "$(grep -c 'start demo.once' "$E")" 2
# READY=1 from a process that is not the service's is ignored
"$SUP" --root="$R" restart demo.ready >"$T/restart.out" 2>&1 &
rp=$!
sleep 0.2
NOTIFY_SOCKET=$R/run/systemd/notify "$T/notify" once
wait $rp
# (datagrams are read in order: the stranger's came before the service's)
stranger=$(grep -c "notification from pid [0-9]* ignored: not a process of a notify service" "$T/boot.err")
has "the restart waited for the service's READY=1" "$(cat "$T/restart.out")" "demo.ready running"
is "the stranger's READY=1 was ignored (said on stderr)" "$stranger" 1
has "the service's own READY=1 counted" "$("$SUP" --root="$R" logs -n 30 demo.ready)" \
	"ready (READY=1 from pid $(pidof_svc demo.ready))"
out=$("$SUP" --root="$R" start demo.off)
has "a disabled service starts when asked" "$out" "demo.off running"
"$SUP" --root="$R" start broken.svc >/dev/null 2>&1
is "start of the failed hook's service: exit 1" "$?" 1
"$SUP" --root="$R" start demo.crash >/dev/null 2>&1

# shutdown
pids_before=$(leftovers | wc -l)
ts=$(date +%s%N)
out=$("$SUP" --root="$R" shutdown 2>&1)
rc=$?
dt=$((($(date +%s%N) - ts) / 1000000))
is "shutdown: exit 0" "$rc" 0
has "shutdown reports what it killed" "$out" "killed after stop-timeout: demo.stubborn"
lacks "shutdown did not kill the services that stop on SIGTERM" "$out" "demo.db"
grep -q "^stop-cmd demo.stubborn" "$E" && ok "stop command ran" || nok "stop command ran"
grep -q "^post-stop demo.stubborn" "$E" && ok "post-stop command ran" || nok "post-stop command ran"
# not before the timeout (how long after it depends on the machine's load: the log says why)
if [ $dt -ge 1000 ]; then ok "SIGKILL not before the stop timeout (1 s; shutdown took $dt ms)"; else
	nok "SIGKILL not before the stop timeout (1 s; shutdown took $dt ms)"; fi
has "the stop timeout is logged" "$("$SUP" --root="$R" logs -n 20 demo.stubborn)" "still running after stop-timeout (1000 ms): SIGKILL"
is "processes left after shutdown (there were $pids_before)" "$(leftovers | wc -l)" 0
left=$(find "$CG" -mindepth 1 -type d | wc -l)
is "no service cgroup left" "$left" 0
[ -S "$R/run/snapd/supervisor.socket" ] && nok "socket removed" || ok "socket removed"
"$SUP" --root="$R" status >/dev/null 2>&1
is "status without a daemon: exit 3" "$?" 3
stopped_at() { grep 'stopping$' "$R/run/snapd/log/snap.$1.log" | tail -1 | cut -d' ' -f1; }
a=$(stopped_at demo.web)
b=$(stopped_at demo.db)
c=$(stopped_at demo.zz)
# (the logs' times have milliseconds: two stops can fall in the same one, so
# a later stop may show the same time, never an earlier one)
is "shutdown in reverse order: web, then db, then zz ($a, $b, $c)" "$(expr "$a" \<= "$b")$(expr "$b" \<= "$c")" 11

# second run: the process-group fallback, and shutdown on SIGTERM; the
# marker is there, so no hook runs again
rm -f "$S"/snap.cyc.* "$S"/snap.bad.* "$S"/snap.broken.* "$S/snap.demo.ready" "$S/snap.demo.late"
rm -f "$R/var/lib/snapd/confine/state/broken.installed"
rm -rf "$R/snap/broken"
: >"$E"
"$SUP" --root="$R" --snap-run="$T/snap-run" --no-cgroup boot 2>"$T/boot2.err"
is "second boot: exit 0" "$?" 0
has "the fallback is said" "$(cat "$T/boot2.err")" "tracked by process group"
grep -q "^hook" "$E" && nok "no hook on the second boot" || ok "no hook on the second boot"
p=$(pidof_svc demo.web)
kill -9 "$p"
sleep 1.5
np=$(pidof_svc demo.web)
[ -n "$np" ] && [ "$np" != "$p" ] && ok "fallback: restarted after kill -9" || nok "fallback: restarted after kill -9"
fp=$(grep '^forked' "$E" | tail -1 | awk '{print $2}')
kill -9 "$fp"
forked_twice
is "fallback: forking restarted when its process group is gone" "$(grep -c '^forked' "$E")" 2
dpid=$(find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$SUP" 2>/dev/null | cut -d/ -f3)
kill -TERM "$dpid"
i=0
while kill -0 "$dpid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$dpid" 2>/dev/null && nok "SIGTERM: the daemon exits" || ok "SIGTERM: the daemon exits"
has "SIGTERM: it stopped the services and said what it killed" "$(cat "$T/boot2.err")" "killed after stop-timeout: demo.stubborn"
is "SIGTERM: nothing left" "$(leftovers | wc -l)" 0

# boot sets the loopback interface up, as systemd does: in a new network
# namespace (lo down there), a root with no services
R2=$T/root2
mkdir -p "$R2/var/lib/snapd/confine/services" "$R2/snap"
if unshare -n true 2>/dev/null; then
	# (ip, not /sys/class/net: sysfs shows the namespace of whoever mounted it)
	out=$(unshare -n sh -c 'up() { ip -o link show dev lo | grep -c "[<,]UP[,>]"; }
		up
		"$1" --root="$2" --snap-run="$3" --no-cgroup boot >/dev/null 2>&1
		echo "boot $?"
		up
		ip -o -4 addr show dev lo | grep -c " 127\.0\.0\.1/8 "
		"$1" --root="$2" shutdown >/dev/null 2>&1' sh "$SUP" "$R2" "$T/snap-run" | tr '\n' ' ')
	is "boot sets lo up in a network namespace where it was down, with 127.0.0.1/8 (up, exit, up, address)" \
		"$out" "0 boot 0 1 1 "
else
	echo "ok $((n + 1)) # SKIP unshare -n is refused here: no network namespace for the loopback check"
	n=$((n + 1))
fi

echo "1..$n"
[ $fails -eq 0 ]
