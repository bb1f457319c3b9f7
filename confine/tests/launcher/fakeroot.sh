#!/bin/sh
# A fake root for the launcher's tests and benchmark, sourced by them inside a
# private mount namespace: a tmpfs with the host's /usr, /dev, /sys and /etc
# (plus a test user), a base snap "core" (revisions 1 and 2), the snaps
# "hello" (apps app, app2) and "other" (app) with their run files and
# compiled default profiles, and the launcher installed setuid root in
# /opt/confine (and, when LEGACY_BIN names them, the legacy-mode build in
# /opt/confine-legacy). Needs: T (a scratch directory), L (the launcher
# binaries), SECCOMP (snap-seccomp), SRCDIR, USER_ID.

fakeroot_build() {
	R=$T/root
	mkdir -p "$R" && mount -t tmpfs -o mode=0755 tmpfs "$R" || return 1
	cd "$R" || return 1
	mkdir -p usr etc dev proc sys tmp run var/lib/snapd/seccomp/bpf var/lib/snapd/mount var/lib/snapd/confine/run \
		var/lib/snapd/void var/snap var/tmp var/log home root snap media mnt opt/confine t .oldroot
	ln -s usr/bin bin
	ln -s usr/sbin sbin
	ln -s usr/lib lib
	ln -s usr/lib64 lib64
	chmod 1777 tmp
	mount --rbind /usr usr && mount -o remount,bind,ro usr
	mount --rbind /dev dev
	mount -t proc proc proc
	mount --rbind /sys sys
	mount -t tmpfs -o mode=0755 tmpfs run
	mount --bind /etc etc
	cp /etc/passwd t/passwd && echo "snapuser:x:$USER_ID:$USER_ID::/home/snapuser:/bin/sh" >>t/passwd
	cp /etc/group t/group && echo "snapuser:x:$USER_ID:" >>t/group
	mount --bind t/passwd etc/passwd
	mount --bind t/group etc/group
	mkdir -p home/snapuser && chown $USER_ID:$USER_ID home/snapuser

	# the launcher, setuid root
	for b in snap-confine snap-run snap-update-ns snap-discard-ns confine-probe confine-oldkernel snap-device-helper probe; do
		cp "$L/$b" opt/confine/ || return 1
	done
	chmod 4755 opt/confine/snap-confine
	# Debian's snapd snap-device-helper, the peer of ours (dynamically linked: the host's /usr is here)
	if [ -n "${PEER_HELPER:-}" ] && [ -x "$PEER_HELPER" ]; then
		cp "$PEER_HELPER" opt/confine/peer-snap-device-helper || return 1
	fi
	if [ -n "${LEGACY_BIN:-}" ]; then
		mkdir -p opt/confine-legacy
		cp "$LEGACY_BIN"/snap-confine "$LEGACY_BIN"/snap-update-ns opt/confine-legacy/ || return 1
		chmod 4755 opt/confine-legacy/snap-confine
	fi

	# base snaps core (revisions 1 and 2) and the snaps hello (apps app, app2) and other (app)
	for base in core/1 core/2; do
		for d in dev etc home root proc sys tmp var/snap var/lib/snapd var/tmp run var/log media mnt lib/modules \
			usr/src usr/share/doc snap; do
			mkdir -p "snap/$base/$d"
		done
		echo "$base" >"snap/$base/usr/share/doc/which-base"
	done
	# a shell in the base (snap-run --shell) when BUSYBOX names a static busybox
	if [ -n "${BUSYBOX:-}" ] && [ -x "$BUSYBOX" ]; then
		for base in core/1 core/2; do
			mkdir -p "snap/$base/bin" && cp "$BUSYBOX" "snap/$base/bin/busybox" && ln -s busybox "snap/$base/bin/sh"
		done
	fi
	ln -s 1 snap/core/current
	for s in hello other; do
		mkdir -p "snap/$s/1/bin" "snap/$s/1/data" "var/snap/$s/common" "var/snap/$s/1"
		cp opt/confine/probe "snap/$s/1/bin/probe"
		echo "data of $s" >"snap/$s/1/data/file.txt"
		ln -s 1 "snap/$s/current"
		chown -R $USER_ID:$USER_ID "var/snap/$s"
	done
	for base in core/1 core/2 hello/1 other/1; do
		mount --bind "snap/$base" "snap/$base" && mount -o remount,bind,ro "snap/$base"
	done
	run_file() { printf 'command=bin/probe\nversion=1.0\nbase=core\n' >"var/lib/snapd/confine/run/snap.$1"; }
	run_file hello.app
	run_file hello.app2
	run_file other.app
	policy=$SRCDIR/confine/snap-seccomp/policy/default.src
	for tag in snap.hello.app snap.hello.app2 snap.other.app; do
		"$SECCOMP" compile "$policy" "var/lib/snapd/seccomp/bpf/$tag.bin2" || return 1
	done
	"$SECCOMP" compile --format=bin "$policy" t/default.bin || return 1
	cp "$SECCOMP" t/snap-seccomp
	printf '@complain\nread\nwrite\n' >t/complain.src
	"$SECCOMP" compile t/complain.src t/complain.bin2
}

# pivots into $R: the caller's root becomes the fake root
fakeroot_enter() {
	cd "$R" || return 1
	pivot_root . .oldroot || return 1
	umount -l /.oldroot
	cd / || return 1
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
}
