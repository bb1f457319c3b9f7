#!/bin/sh
# Parallel instances in the launcher's tests (sourced by inner.sh): the snap
# "hello" installed a second time as the instance hello_k by the image
# tooling (scripts/snap-install --name), beside the fake root's hello. Its
# app sees the snap's name in SNAP, SNAP_DATA and SNAP_COMMON, which are
# its own directories mapped by the overname entries of its mount profile,
# its instance name in SNAP_INSTANCE_NAME and its user directories; the two
# instances' data, namespaces, locks and /tmp never mix; the mapping walks
# no link and never writes into the other instance's data.

# shellcheck disable=SC2154 # rc, out and err are set by inner.sh's run()

# before the pivot: install hello_k with the image tooling, then put it into the fake root
instance_install() {
	src=$T/hello-src/1
	mkdir -p "$src/meta" "$src/bin" "$src/data" || return 1
	cp "$L/probe" "$src/bin/probe" || return 1
	echo "data of hello_k" >"$src/data/file.txt"
	printf 'name: hello\nversion: "1.0"\napps:\n  app:\n    command: bin/probe\n' >"$src/meta/snap.yaml"
	O=$O "$SRCDIR/scripts/snap-install" --root "$T/kroot" --target pc --name hello_k "$src" >"$T/k.log" 2>&1 ||
		return 1
	cp -a "$T/kroot/snap/hello_k" "$R/snap/" &&
		mkdir -p "$R/var/snap/hello_k/1" "$R/var/snap/hello_k/common" &&
		chown -R "$USER_ID:$USER_ID" "$R/var/snap/hello_k" &&
		cp "$T/kroot/var/lib/snapd/confine/run/snap.hello_k.app" "$R/var/lib/snapd/confine/run/" &&
		cp "$T/kroot/var/lib/snapd/seccomp/bpf/snap.hello_k.app.bin2" "$R/var/lib/snapd/seccomp/bpf/" &&
		cp "$T/kroot/var/lib/snapd/mount/snap.hello_k.fstab" "$R/t/hello_k.fstab" &&
		[ -d "$T/kroot/snap/hello" ] && [ -d "$T/kroot/var/snap/hello" ] &&
		mount --bind "$R/snap/hello_k/1" "$R/snap/hello_k/1" && mount -o remount,bind,ro "$R/snap/hello_k/1"
}

# after the pivot
k_launch() { # k_launch PROFILE: hello_k's mount profile, then a launch in a new namespace
	printf '%s\n' "$1" >/var/lib/snapd/mount/snap.hello_k.fstab
	run /opt/confine/snap-discard-ns hello_k
	app hello_k.app env SNAP
}
k_refused() { # k_refused DESCRIPTION REASON PATH: the launch failed with one line giving REASON, PATH not made
	if [ "$rc" != 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [ ! -e "$3" ] &&
		case "$err" in *"$2"*) true ;; *) false ;; esac; then
		ok "$1: refused ($2), nothing made"
	else
		nok "$1: refused ($2), nothing made"
		echo "# exit $rc: $err"
	fi
}
instance_tests() {
	cp /t/hello_k.fstab /var/lib/snapd/mount/snap.hello_k.fstab
	check "snap-install --name wrote the overname entries first in hello_k's mount profile" is \
		"$(grep -v '^#' /var/lib/snapd/mount/snap.hello_k.fstab)" \
		"/snap/hello_k /snap/hello none rbind,x-snapd.origin=overname 0 0
/var/snap/hello_k /var/snap/hello none rbind,x-snapd.origin=overname 0 0"
	run /opt/confine/snap-discard-ns hello
	run /opt/confine/snap-discard-ns hello_k
	rm -rf /home/snapuser/snap/hello_k /run/user/$USER_ID/snap.hello_k
	app hello_k.app env SNAP SNAP_NAME SNAP_INSTANCE_NAME SNAP_INSTANCE_KEY SNAP_REVISION SNAP_DATA SNAP_COMMON \
		SNAP_USER_DATA SNAP_USER_COMMON HOME XDG_RUNTIME_DIR
	check "instance: hello_k.app runs (exit 0, quiet)" is "$rc:$err" "0:"
	check "instance: SNAP, SNAP_DATA, SNAP_COMMON name the snap; SNAP_INSTANCE_NAME and _KEY the instance" \
		is "$out" "SNAP=/snap/hello/1
SNAP_NAME=hello
SNAP_INSTANCE_NAME=hello_k
SNAP_INSTANCE_KEY=k
SNAP_REVISION=1
SNAP_DATA=/var/snap/hello/1
SNAP_COMMON=/var/snap/hello/common
SNAP_USER_DATA=/home/snapuser/snap/hello_k/1
SNAP_USER_COMMON=/home/snapuser/snap/hello_k/common
HOME=/home/snapuser/snap/hello_k/1
XDG_RUNTIME_DIR=/run/user/$USER_ID/snap.hello_k"
	check "instance: the user's directories are made under the instance's name, as snapd names them" is \
		"$(stat -c %u:%F /home/snapuser/snap/hello_k/1 /home/snapuser/snap/hello_k/common /run/user/$USER_ID/snap.hello_k | tr '\n' ' ')$(readlink /home/snapuser/snap/hello_k/current)" \
		"$USER_ID:directory $USER_ID:directory $USER_ID:directory 1"
	app hello_k.app read /snap/hello/1/data/file.txt
	check "instance: \$SNAP is the instance's own tree" is "$out" "data of hello_k"
	app hello.app read /snap/hello/1/data/file.txt
	check "... and hello's is still hello's" is "$out" "data of hello"

	rm -f /var/snap/hello/1/inst.txt /var/snap/hello_k/1/inst.txt /var/snap/hello/common/c.txt \
		/var/snap/hello_k/common/c.txt
	app hello_k.app write /var/snap/hello/1/inst.txt "written by hello_k"
	check "instance: hello_k writes \$SNAP_DATA" is "$rc:$out" "0:write ok"
	check "... which is the host's /var/snap/hello_k/1" is "$(cat /var/snap/hello_k/1/inst.txt)" "written by hello_k"
	check "... and not hello's /var/snap/hello/1" [ ! -e /var/snap/hello/1/inst.txt ]
	app hello.app read /var/snap/hello/1/inst.txt
	check "instance: hello does not see hello_k's data" is "$out" "read errno 2"
	app hello.app write /var/snap/hello/common/c.txt "written by hello"
	app hello_k.app read /var/snap/hello/common/c.txt
	check "instance: hello_k does not see hello's \$SNAP_COMMON" is "$out" "read errno 2"
	app hello_k.app write /var/snap/hello/common/c.txt "written by hello_k"
	check "instance: the two \$SNAP_COMMON stay apart on the host" is \
		"$(cat /var/snap/hello/common/c.txt):$(cat /var/snap/hello_k/common/c.txt)" \
		"written by hello:written by hello_k"

	app hello_k.app ns
	ns_k=$out
	app hello.app ns
	check "instance: its own preserved namespace, lock and applied profile" sh -c \
		'[ "$1" != "$2" ] && [ -n "$1" ] && grep -q " /run/snapd/ns/hello_k.mnt " /proc/self/mountinfo &&
		 [ -e /run/snapd/lock/hello_k.lock ] && [ "$(grep -c x-snapd.origin=overname /run/snapd/ns/snap.hello_k.fstab)" = 2 ]' \
		_ "$ns_k" "$out"
	app hello_k.app write /tmp/inst "k"
	app hello.app read /tmp/inst
	check "instance: its own private /tmp (/tmp/snap-private-tmp/snap.hello_k)" is \
		"$out:$(cat /tmp/snap-private-tmp/snap.hello_k/tmp/inst)" "read errno 2:k"

	# the device cgroup (v1) and udev tag are the instance's: snap_hello_k_app
	cg=/sys/fs/cgroup/devices
	if [ -d $cg ]; then
		rmdir $cg/snap.hello_k.app 2>/dev/null
		rm -rf /run/udev/tags/snap_hello_k_app /run/udev/tags/snap_hello_app
		mkdir -p /run/udev/tags/snap_hello_k_app && touch /run/udev/tags/snap_hello_k_app/c10:229
		run env SNAP_INSTANCE_NAME=hello_k /opt/confine/snap-confine snap.hello_k.app /snap/hello/1/bin/probe open /dev/fuse
		check "instance: the device tagged snap_hello_k_app opens, in the cgroup snap.hello_k.app" is \
			"$out:$(grep -c '^c 10:229 ' $cg/snap.hello_k.app/devices.list 2>&1)" "open errno 0:1"
		rm -rf /run/udev/tags/snap_hello_k_app
		mkdir -p /run/udev/tags/snap_hello_k_app /run/udev/tags/snap_hello_app
		touch /run/udev/tags/snap_hello_k_app/c10:237 /run/udev/tags/snap_hello_app/c10:229
		run env SNAP_INSTANCE_NAME=hello_k /opt/confine/snap-confine snap.hello_k.app /snap/hello/1/bin/probe open /dev/fuse
		check "... a device tagged for hello only is denied to hello_k" is "$out" "open errno 1"
		rm -rf /run/udev/tags/snap_hello_k_app /run/udev/tags/snap_hello_app
	else
		echo "# SKIP instance devices: no cgroup v1 devices controller on this host"
	fi

	# the mapping is the instance's only once it is there: without it, hello's real data is the host's
	k_launch 'none /var/snap/hello/common/made-by-k none x-snapd.kind=ensure-dir 0 0'
	k_refused "instance: without the overname entries, hello's data is not hello_k's to write" "outside the snap" \
		/var/snap/hello/common/made-by-k
	# a link the (non-root) owner of hello_k's data planted, below the mapped directory
	ln -sfn /etc /var/snap/hello_k/common/evil && chown -h $USER_ID:$USER_ID /var/snap/hello_k/common/evil
	k_launch "$(cat /t/hello_k.fstab)
none /var/snap/hello/common/evil/made-by-k none x-snapd.kind=ensure-dir 0 0
none /var/snap/hello/common/ok/made none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/var/snap/hello/common 0 0"
	k_refused "instance: a link in the mapped data is not followed (/etc untouched)" "symbolic link" /etc/made-by-k
	rm /var/snap/hello_k/common/evil
	run /opt/confine/snap-discard-ns hello_k
	app hello_k.app env SNAP
	check "instance: must-exist-dir: below the mapped directory, made 0700 in hello_k's data" is \
		"$rc:$(stat -c %a:%u /var/snap/hello_k/common/ok /var/snap/hello_k/common/ok/made 2>&1 | tr '\n' ' ')" \
		"0:700:0 700:0 "
	check "... and nothing in hello's" [ ! -e /var/snap/hello/common/ok ]
	k_launch 'none /var/snap/hello/common/x/y none x-snapd.kind=ensure-dir,x-snapd.must-exist-dir=/var/snap/hello/common/x 0 0'
	k_refused "instance: must-exist-dir missing" "/var/snap/hello/common/x does not exist" /var/snap/hello/common/x
	# the mount point replaced by a link (by root: /var/snap is root's)
	mv /var/snap/hello /var/snap/hello.real && ln -s /etc /var/snap/hello
	k_launch '/var/snap/hello_k /var/snap/hello none rbind,x-snapd.origin=overname 0 0'
	k_refused "instance: a link at the overname mount point is not followed" "/var/snap/hello: 'hello' is a symbolic link" /etc/1
	rm /var/snap/hello && mv /var/snap/hello.real /var/snap/hello
	cp /t/hello_k.fstab /var/lib/snapd/mount/snap.hello_k.fstab
	run /opt/confine/snap-discard-ns hello_k
	app hello_k.app read /var/snap/hello/1/inst.txt
	check "instance: after all that, hello_k still sees its own data" is "$out" "written by hello_k"
	run /opt/confine/snap-discard-ns hello_k
	rm -f /var/lib/snapd/mount/snap.hello_k.fstab
}
