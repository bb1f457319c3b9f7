#!/bin/sh
# snap-run --shell and --strace (confine/snap-run/debug.c), sourced by
# inner.sh inside the fake root: the shell runs under the app's seccomp
# filter, in its namespace, on its base, with its environment and as the
# caller, with the ARGS and without the app's command; strace (Debian's, at
# /usr/bin/strace) shows the app's denied call with EPERM and none of
# snap-confine's own calls unless --raw or -o; bad options, a caller who is
# not root and a missing strace give one line, exit 1, nothing run.
# shellcheck shell=sh disable=SC2016,SC2154
sr() { run env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run "$@"; }

# ---- --shell
if [ -x /snap/core/current/bin/sh ]; then
	app hello.app ns
	ns=$out
	app hello.app read /usr/share/doc/which-base
	base=$out
	run as_user sh -c 'printf "%s\n" "grep Seccomp: /proc/self/status" "cat /usr/share/doc/which-base" \
		"readlink /proc/self/ns/mnt" "echo \$SNAP_NAME \$HOME" "id -u" |
		SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run --shell hello.app'
	check "--shell: a shell reads its stdin (exit 0, quiet)" is "$rc:$err" "0:"
	check "... under the app's seccomp filter, on its base, in its namespace, with its environment, as the caller" \
		is "$out" "Seccomp:	2
$base
$ns
hello /home/snapuser/snap/hello/1
$USER_ID"
	app --shell hello.app -c 'echo "args: $*"; exit 7' sh a "b c"
	check "--shell: the ARGS are the shell's, the app's command is not run (its exit status: 7)" is "$rc:$out" "7:args: a b c"
	app --shell envy.args -c 'echo "$0"'
	check "--shell: the app's command-chain runs first, then the shell (snap-exec's order)" is "$out" \
		"chain-1 runs /snap/envy/1/bin/chain-2
chain-2 runs /bin/sh
/bin/sh"
	mkdir -p /snap/bare/1 && ln -s 1 /snap/bare/current &&
		printf 'command=bin/probe\nversion=1.0\nbase=bare\n' >/var/lib/snapd/confine/run/snap.hello.bare
	app --shell hello.bare -c "touch $marker"
	bad "--shell on a base with neither /bin/bash nor /bin/sh" "snap-run: --shell: the base snap bare has neither /bin/bash nor /bin/sh"
	rm -r /snap/bare /var/lib/snapd/confine/run/snap.hello.bare
else
	echo "# SKIP --shell: no static busybox for the fake base (scripts/fetch-deb busybox-static:amd64)"
fi
app --shell=yes hello.app touch "$marker"
bad "--shell=yes" "snap-run: --shell takes no value: '--shell=yes'"
app --shell --shell hello.app touch "$marker"
bad "--shell twice" "snap-run: --shell given twice"

# ---- --strace (as root: snap-confine is setuid)
if [ -x /usr/bin/strace ]; then
	sr --strace hello.app call add_key
	check "--strace: the app's output and exit status (0)" is "$rc:$out" "0:add_key errno 1"
	check "... the trace shows the denied call with EPERM" has "$err" "add_key(" &&
		check "... = -1 EPERM" sh -c 'echo "$1" | grep -q "^\(\[pid *[0-9]*\] \)\?add_key(.*= -1 EPERM (Operation not permitted)$"' _ "$err"
	check "... from the app's execve on" has "$err" 'execve("/snap/hello/1/bin/probe", ["/snap/hello/1/bin/probe", "call", "add_key"]'
	check "... and none of snap-confine's own trace (its execve, mounts, seccomp load)" sh -c \
		'! echo "$1" | grep -q -e snap-confine -e "mount(" -e "seccomp(" -e "PR_SET_SECCOMP"' _ "$err"
	sr --strace=--raw hello.app call add_key
	check "--strace=--raw: snap-confine's execve and its seccomp load are in the trace" sh -c \
		'echo "$1" | grep -q "execve(\"/opt/confine/snap-confine\"" && echo "$1" | grep -q -e "seccomp(SECCOMP_SET_MODE_FILTER" -e PR_SET_SECCOMP' _ "$err"
	check "... the app's EPERM too" has "$err" "= -1 EPERM"
	rm -f /t/trace.out
	sr --strace="-o '/t/trace.out' -e trace=execve,add_key" hello.app call add_key
	check "--strace='-o FILE -e trace=...': the options reach strace, quoted words unquoted (exit 0, nothing on stderr)" \
		is "$rc:$err:$out" "0::add_key errno 1"
	check "... an output file: the whole trace (snapd's rule): snap-confine's execve, the app's, the EPERM, no other call" \
		is "$(grep -c -e 'execve("/opt/confine/snap-confine"' -e 'execve("/snap/hello/1/bin/probe"' \
			-e 'add_key(.*= -1 EPERM' -e 'mount(' /t/trace.out)" 3
	sr --strace hello.app nosuchcommand
	check "--strace: the app's exit status (2) and its stderr pass through" is "$rc:$(echo "$err" | grep -c "probe: unknown command 'nosuchcommand'$")" "2:1"
	sr --strace hello.app touch "$marker"
	check "--strace: a launch runs (touch)" is "$rc:$out" "0:touch ok"
	rm -f "$marker"
	app --strace hello.app touch "$marker"
	bad "--strace by uid $USER_ID" "snap-run: --strace needs root"
	run unshare -m sh -c 'mount -t tmpfs tmpfs /usr/bin && SNAP_CONFINE_LIBEXECDIR=/opt/confine exec /opt/confine/snap-run --strace hello.app touch "$1"' _ "$marker"
	bad "--strace without /usr/bin/strace" "snap-run: --strace: cannot use /usr/bin/strace: No such file or directory (Debian's strace is needed there)"
	printf '#!/bin/sh\necho ran >%s\n' "$marker" >/t/not-exec && chmod 0644 /t/not-exec
	run unshare -m sh -c 'mount --bind /t/not-exec /usr/bin/strace && SNAP_CONFINE_LIBEXECDIR=/opt/confine exec /opt/confine/snap-run --strace hello.app touch "$1"' _ "$marker"
	bad "--strace with a /usr/bin/strace that is not executable" "snap-run: --strace: /usr/bin/strace is not an executable file"
	sr --strace="-e 'trace" hello.app touch "$marker"
	bad "--strace= with an unterminated quote" "snap-run: --strace: unterminated ' in '-e 'trace'"
	sr --strace --strace hello.app touch "$marker"
	bad "--strace twice" "snap-run: --strace given twice"
else
	echo "# SKIP --strace: no /usr/bin/strace on this host (scripts/install-deps)"
fi
