#!/bin/sh
# Hooks and services in the generator (snap-interfaces install): a snap
# "svc" with services (every daemon key), hooks from snap.yaml's hooks: and
# from meta/hooks, installed into a scratch root with the host tool for the
# pc board. Checked: each hook's run file, compiled seccomp and AppArmor
# profiles and plugs (bound as snapd binds them); the supervisor's service
# files and the systemd units, byte for byte, the units through
# systemd-analyze verify when the host has it; what goes when a revision
# drops an app or a hook; and every bad daemon or hook field: one line
# naming the file and line, exit 1, nothing written.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
si=$O/host/bin/snap-interfaces
features=/usr/share/apparmor-features/features
parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
if [ ! -x "$si" ]; then
	make -s -C "$SRCDIR" O="$O" host >/dev/null 2>&1 || { echo "Bail out! the host tools do not build"; exit 1; }
fi
if [ ! -x "$parser" ] || [ ! -f "$features" ]; then
	echo "1..0 # SKIP apparmor_parser or $features is missing (scripts/install-deps installs them)"
	exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0
check() { d=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $d"; else fails=$((fails + 1)); echo "not ok $n - $d"; fi; }
is() { [ "$1" = "$2" ] || { printf '# expected: %s\n# got:      %s\n' "$2" "$1"; return 1; }; }
# a libexecdir whose snap-run exists: systemd-analyze verify checks ExecStart's program
mkdir -p "$t/libexec" && printf '#!/bin/sh\n' >"$t/libexec/snap-run" && chmod 755 "$t/libexec/snap-run"
SI() {
	r=$1
	shift
	"$si" --root "$r" --target pc --interfaces "$SRCDIR/confine/snap-interfaces/interfaces" \
		--seccomp-base "$SRCDIR/confine/snap-seccomp/policy/default.src" \
		--apparmor-base "$SRCDIR/confine/snap-interfaces/policy/apparmor-base" \
		--update-ns-base "$SRCDIR/confine/snap-interfaces/policy/update-ns-base" --apparmor-parser "$parser" \
		--apparmor-features "$features" --libexecdir "$t/libexec" "$@"
}
mksnap() { # mksnap DIR [HOOK...]: bin/app, executable meta/hooks/HOOK; meta/snap.yaml from stdin
	d=$1
	shift
	mkdir -p "$d/meta/hooks" "$d/bin"
	cat >"$d/meta/snap.yaml"
	: >"$d/bin/app"
	for h in "$@"; do printf '#!/bin/sh\n' >"$d/meta/hooks/$h" && chmod 755 "$d/meta/hooks/$h"; done
}

# ---------------------------------------------------------------- services and hooks
# hooks: install (snap.yaml, its own plug, environment, chain), configure (meta/hooks only),
# frobnicate (snap.yaml, not a hook snapd knows), not-a-hook (meta/hooks, likewise)
mksnap "$t/src/svc/1" configure install not-a-hook <<'Y'
name: svc
version: '1'
plugs:
  net: network
hooks:
  install:
    plugs: [network-bind]
    environment: {HOOKVAR: $SNAP/x}
    command-chain: [bin/app]
  frobnicate:
apps:
  web:
    command: bin/app --port 80
    daemon: simple
    restart-condition: always
    restart-delay: 2s
    stop-timeout: 1m30s
    start-timeout: 1.5s
    stop-command: bin/app stop
    post-stop-command: bin/app post
    reload-command: bin/app reload
    after: [db]
    refresh-mode: endure
  db:
    command: bin/app
    daemon: notify
    daemon-scope: system
    restart-condition: never
    before: [web]
    install-mode: enable
  once:
    command: bin/app
    daemon: oneshot
    install-mode: disable
    stop-command: bin/app
  cli:
    command: bin/app
    refresh-mode: ignore-running
    daemon:
Y
R=$t/root
out=$(SI "$R" --systemd-units yes install "$t/src/svc/1" 2>&1)
check "install: exit 0, quiet" is "$?:$out" "0:"
run=$R/var/lib/snapd/confine/run
check "hooks: install (snap.yaml) and configure (meta/hooks) have run files; frobnicate and not-a-hook are ignored" \
	is "$(cd "$run" && echo snap.svc.hook.*)" "snap.svc.hook.configure snap.svc.hook.install"
check "the install hook's run file: its command-chain, meta/hooks/install, its environment" \
	is "$(cat "$run/snap.svc.hook.install")" "# snap-run's run file, written from meta/snap.yaml (docs/formats.md)
version=1
base=core
confinement=strict
chain=bin/app
exec=meta/hooks/install
env=HOOKVAR=\$SNAP/x"
for h in install configure; do
	check "hook $h: AppArmor profile snap.svc.hook.$h, compiled" sh -c \
		"grep -q '^profile \"\\?snap.svc.hook.$h\"\\? ' '$R/var/lib/snapd/apparmor/profiles/snap.svc.hook.$h' &&
		[ -s '$R/var/lib/snapd/apparmor/snap.svc.hook.$h.bin' ]"
	check "hook $h: seccomp profile compiled" test -s "$R/var/lib/snapd/seccomp/bpf/snap.svc.hook.$h.bin2"
done
sec=$R/var/lib/snapd/seccomp/bpf
check "the plug the install hook lists (network-bind) is the hook's only" sh -c \
	"grep -q '^# network-bind' '$sec/snap.svc.hook.install.src' && ! grep -q '^# network-bind' '$sec/snap.svc.web.src' &&
	! grep -q '^# network-bind' '$sec/snap.svc.hook.configure.src'"
check "a snap-level plug no app or hook lists (net) is every app's and every hook's" sh -c \
	"for p in web cli hook.install hook.configure; do grep -q '^# network: plug net' \"$sec/snap.svc.\$p.src\" || exit 1; done"
check "the run file of web: stop, post-stop and reload commands (Contract 3)" is "$(sed -n '/^exec=/,$p' "$run/snap.svc.web")" \
	"exec=bin/app
arg=--port
arg=80
stop-exec=bin/app
stop-arg=stop
post-stop-exec=bin/app
post-stop-arg=post
reload-exec=bin/app
reload-arg=reload"
svcdir=$R/var/lib/snapd/confine/services
check "service files for the services only (daemon: null is no service)" is "$(cd "$svcdir" && echo *)" "snap.svc.db snap.svc.once snap.svc.web"
check "service file of web (Contract 2)" is "$(cat "$svcdir/snap.svc.web")" "# the supervisor's service file, written from meta/snap.yaml (docs/formats.md)
version=1
daemon=simple
restart-condition=always
restart-delay=2000
start-timeout=1500
stop-timeout=90000
stop-command=yes
post-stop-command=yes
reload-command=yes
after=svc.db
enabled=yes"
check "service file of db: snapd's and systemd's defaults, never for 'never'" is "$(sed 1d "$svcdir/snap.svc.db")" "version=1
daemon=notify
restart-condition=never
restart-delay=100
start-timeout=90000
stop-timeout=30000
stop-command=no
post-stop-command=no
reload-command=no
before=svc.web
enabled=yes"
check "service file of once: a oneshot is never restarted and has no start timeout; install-mode: disable" \
	is "$(sed 1d "$svcdir/snap.svc.once" | tr '\n' ' ')" "version=1 daemon=oneshot restart-condition=never restart-delay=100 start-timeout=0 stop-timeout=30000 stop-command=yes post-stop-command=no reload-command=no enabled=no "
units=$R/etc/systemd/system
check "units: snapd's names, for the services only" is "$(cd "$units" && echo *.service)" \
	"snap.svc.db.service snap.svc.once.service snap.svc.web.service"
check "unit of web" is "$(cat "$units/snap.svc.web.service")" "[Unit]
# written by snap-interfaces from meta/snap.yaml, do not edit
Description=Service for snap application svc.web
Wants=network.target
After=network.target snap.svc.db.service
X-Snappy=yes

[Service]
EnvironmentFile=-/etc/environment
ExecStart=$t/libexec/snap-run svc.web
SyslogIdentifier=svc.web
Restart=always
RestartSec=2000ms
WorkingDirectory=/var/snap/svc/1
ExecStop=$t/libexec/snap-run --command=stop svc.web
ExecStopPost=$t/libexec/snap-run --command=post-stop svc.web
ExecReload=$t/libexec/snap-run --command=reload svc.web
TimeoutStopSec=90000ms
TimeoutStartSec=1500ms
Type=simple

[Install]
WantedBy=multi-user.target"
check "unit of db: Restart=no for never, Before=web, systemd's timeouts but snapd's stop timeout" \
	is "$(grep -E '^(Before|Restart|TimeoutStopSec|Type)=' "$units/snap.svc.db.service" | tr '\n' ' ')" \
	"Before=snap.svc.web.service Restart=no TimeoutStopSec=30000ms Type=notify "
check "unit of once: a oneshot with a stop-command remains after exit" \
	is "$(grep -E '^(Restart|Type|RemainAfterExit)=' "$units/snap.svc.once.service" | tr '\n' ' ')" \
	"Restart=no Type=oneshot RemainAfterExit=yes "
check "enabled: web and db in multi-user.target.wants, once (install-mode: disable) not" \
	is "$(cd "$units/multi-user.target.wants" && for f in *; do printf '%s -> %s\n' "$f" "$(readlink "$f")"; done)" \
	"snap.svc.db.service -> /etc/systemd/system/snap.svc.db.service
snap.svc.web.service -> /etc/systemd/system/snap.svc.web.service"
if command -v systemd-analyze >/dev/null; then
	out=$(cd "$units" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./snap.svc.db.service \
		./snap.svc.once.service ./snap.svc.web.service 2>&1)
	check "systemd-analyze verify accepts the units" is "$?:$out" "0:"
else
	check "# SKIP systemd-analyze is not installed" true
fi
sums() { (cd "$R" && find var/lib/snapd etc -type f | sort | xargs md5sum && find etc -type l | sort); }
before=$(sums)
out=$(SI "$R" --systemd-units yes generate 2>&1)
check "generate again: exit 0, the same files with the same content" is "$?:$out:$(sums)" "0::$before"

# revision 2 drops the app once and the hook install: their files go, the rest stays
mksnap "$t/src/svc/2" configure <<'Y'
name: svc
version: '2'
apps:
  web: {command: bin/app, daemon: simple}
  cli: {command: bin/app}
Y
out=$(SI "$R" --systemd-units yes install "$t/src/svc/2" 2>&1)
check "revision 2 installs" is "$?:$out" "0:"
check "what once and the install hook had is gone; db is gone too" is \
	"$(cd "$R" && find var/lib/snapd etc/systemd -name '*svc.once*' -o -name '*svc.hook.install*' -o -name '*svc.db*')" ""
check "what web, cli and the configure hook have is there" sh -c "cd '$R' && test -f '$run/snap.svc.cli' &&
	test -f '$run/snap.svc.hook.configure' && test -f '$svcdir/snap.svc.web' &&
	test -L '$units/multi-user.target.wants/snap.svc.web.service' && test -f var/lib/snapd/apparmor/snap.svc.web.bin"
check "web's unit now has revision 2's data directory and snapd's defaults" \
	is "$(grep -E '^(Restart|WorkingDirectory|After)=' "$units/snap.svc.web.service" | tr '\n' ' ')" \
	"After=network.target Restart=on-failure WorkingDirectory=/var/snap/svc/2 "

# units only where systemd runs (auto: ROOT/run/systemd/system), or when asked
out=$(SI "$t/r2" install "$t/src/svc/1" 2>&1)
check "auto without ROOT/run/systemd/system: a service file, no unit" \
	is "$?:$out:$(ls "$t/r2/var/lib/snapd/confine/services" | wc -l):$(ls -d "$t/r2/etc/systemd" 2>&1 | wc -l)" "0::3:1"
check "... (no etc/systemd)" test ! -e "$t/r2/etc/systemd"
mkdir -p "$t/r3/run/systemd/system"
out=$(SI "$t/r3" install "$t/src/svc/1" 2>&1)
check "auto with ROOT/run/systemd/system: the units" is "$?:$out:$(cd "$t/r3/etc/systemd/system" && echo *.service)" \
	"0::snap.svc.db.service snap.svc.once.service snap.svc.web.service"
out=$(SI "$t/r4" --systemd-units maybe install "$t/src/svc/1" 2>&1)
check "--systemd-units maybe: one line, exit 2" is "$?:$out" "2:snap-interfaces: --systemd-units must be yes, no or auto, not 'maybe'"

# ---------------------------------------------------------------- bad daemon and hook fields
bad() { # bad DESCRIPTION EXPECTED YAML [HOOK...]
	d=$1 want=$2 y=$3
	shift 3
	rm -rf "$t/src/bad" "$t/badroot"
	printf '%s\n' "$y" | mksnap "$t/src/bad/1" "$@"
	err=$(SI "$t/badroot" install "$t/src/bad/1" 2>&1)
	check "$d: exit 1, one line" is "$?:$err" "1:snap-interfaces: $t/src/bad/1/meta/snap.yaml:$want"
	check "$d: nothing written" test ! -e "$t/badroot"
}
bad "daemon: dbus" "3:33: app a: daemon: dbus is not supported here (no D-Bus activation)" "name: bad
apps:
  a: {command: bin/app, daemon: dbus}"
bad "an unknown daemon" "3:33: app a: daemon must be simple, forking, oneshot or notify, not 'sometimes'" "name: bad
apps:
  a: {command: bin/app, daemon: sometimes}"
bad "a user daemon" "3:55: app a: daemon-scope: user is not supported here (system services only)" "name: bad
apps:
  a: {command: bin/app, daemon: simple, daemon-scope: user}"
bad "daemon-scope without daemon" "3:39: app a: daemon-scope is only for services" "name: bad
apps:
  a: {command: bin/app, daemon-scope: system}"
bad "an unknown restart-condition" "3:60: app a: restart-condition must be on-failure, always, on-success, on-abnormal, on-abort, on-watchdog or never, not 'often'" "name: bad
apps:
  a: {command: bin/app, daemon: simple, restart-condition: often}"
bad "restart-condition on an app that is no service" "3:44: app a: restart-condition is only for services" "name: bad
apps:
  a: {command: bin/app, restart-condition: always}"
bad "restart-delay on an app that is no service" "3:40: app a: restart-delay is only for services" "name: bad
apps:
  a: {command: bin/app, restart-delay: 1s}"
bad "a duration without a unit" "3:55: app a: stop-timeout must be a duration such as 30s, 1m30s or 500ms, not '10'" "name: bad
apps:
  a: {command: bin/app, daemon: simple, stop-timeout: 10}"
bad "a negative duration" "3:55: app a: stop-timeout cannot be negative" "name: bad
apps:
  a: {command: bin/app, daemon: simple, stop-timeout: -1s}"
bad "watchdog-timeout" "3:59: app a: watchdog-timeout is not supported here" "name: bad
apps:
  a: {command: bin/app, daemon: notify, watchdog-timeout: 10s}"
bad "sockets" "4:14: app a: sockets is not supported here" "name: bad
apps:
  a:
    sockets: {s: {listen-stream: \$SNAP_DATA/s}}
    command: bin/app
    daemon: simple"
bad "a stop-mode that is not the default" "3:52: app a: stop-mode sighup is not supported here (only sigterm-all, the default)" "name: bad
apps:
  a: {command: bin/app, daemon: simple, stop-mode: sighup}"
bad "refresh-mode ignore-running on a service" "3:55: app a: refresh-mode cannot be ignore-running for a service" "name: bad
apps:
  a: {command: bin/app, daemon: simple, refresh-mode: ignore-running}"
bad "install-mode on an app that is no service" "3:39: app a: install-mode is only for services" "name: bad
apps:
  a: {command: bin/app, install-mode: disable}"
bad "an unknown install-mode" "3:55: app a: install-mode must be enable or disable, not 'later'" "name: bad
apps:
  a: {command: bin/app, daemon: simple, install-mode: later}"
bad "after on an app that is no service" "3:32: app a: only a service may have before or after" "name: bad
apps:
  a: {command: bin/app, after: [b]}
  b: {command: bin/app, daemon: simple}"
bad "after naming an app that is no service" "3:48: app a: after: b is not a service" "name: bad
apps:
  a: {command: bin/app, daemon: simple, after: [b]}
  b: {command: bin/app}"
bad "before naming no app of the snap" "3:49: app a: before: c is not an app of the snap" "name: bad
apps:
  a: {command: bin/app, daemon: simple, before: [c]}"
bad "after and before in a cycle" "3:6: app a: before and after make a cycle" "name: bad
apps:
  a: {command: bin/app, daemon: simple, after: [b], before: [c]}
  b: {command: bin/app, daemon: simple, after: [c]}
  c: {command: bin/app, daemon: simple}"
bad "a stop-command whose program is not in the snap" "3:55: app a: stop-command: bin/stop is not in the snap" "name: bad
apps:
  a: {command: bin/app, daemon: simple, stop-command: bin/stop}"
bad "a stop-command with a character snapd refuses" "3:55: app a: stop-command: '|' is allowed only inside quotes (snapd allows A-Z a-z 0-9 / . _ # : \$ - and spaces)" "name: bad
apps:
  a: {command: bin/app, daemon: simple, stop-command: bin/app | x}"
bad "a hook in snap.yaml that is not in meta/hooks" "3:3: hook configure: meta/hooks/configure is not in the snap" "name: bad
hooks:
  configure:
apps:
  a: {command: bin/app}"
bad "a hook with a key snapd does not know" "4:5: hook configure: unknown key 'command'" "name: bad
hooks:
  configure:
    command: x" configure
bad "a hook plugging an unknown name" "3: hook configure: plug 'gpoi' is neither declared nor an interface" "name: bad
hooks:
  configure: {plugs: [gpoi]}" configure
bad "default-configure without configure" " a default-configure hook needs a configure hook" "name: bad" default-configure
rm -rf "$t/src/bad" "$t/badroot"
mksnap "$t/src/bad/1" install <<'Y'
name: bad
Y
chmod 644 "$t/src/bad/1/meta/hooks/install"
err=$(SI "$t/badroot" install "$t/src/bad/1" 2>&1)
check "a hook file that is not executable: one line, exit 1" is "$?:$err" \
	"1:snap-interfaces: $t/src/bad/1/meta/snap.yaml: hook install: meta/hooks/install is not executable"
check "... nothing written" test ! -e "$t/badroot"

echo "1..$n"
[ $fails = 0 ]
