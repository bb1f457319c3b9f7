#!/bin/sh
# /init of a kernel snap's initramfs (initrd.img), put there by
# scripts/build-kernel-snap. POSIX sh run by the board's busybox-static; no
# other program is in the initramfs.
#
#  1. mounts proc, sysfs and devtmpfs, and takes the console from devtmpfs;
#  2. loads the modules named in /etc/kernel-snap/modules (one a line, in
#     order) with busybox modprobe, which follows
#     /lib/modules/<release>/modules.dep for their dependencies, printing the
#     result of each;
#  (with confine.bare=1 on the kernel command line it only says so and
#  powers off, before step 2: the floor make bench compares boots with);
#  3. with confine.smoke=1 on the kernel command line (the QEMU smoke boot of
#     tests-qemu/kernel-snaps.sh): prints TAP lines prefixed with "TAP: " (the
#     kernel release, the machine, every module of the initramfs present in
#     /sys/module, the file systems registered) and powers off;
#     otherwise: finds the ext4 partition labelled "writable" on /dev/vd*
#     (virtio disks, QEMU's virt and the pc) or /dev/mmcblk*p* (an SD card
#     or eMMC: the Pi 2 and QEMU's raspi2b, mmcblk0p2),
#     mounts it and switches into its /sbin/init; when there is none, says so
#     in one line and starts a shell on the console.
#
# /etc/kernel-snap/info (written by the build) holds release=, machine=,
# snap=, package= and version= lines: what the initramfs was made for.
PATH=/bin:/sbin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# the kernel opened /dev/console on the initramfs before devtmpfs was there
# (or could not): use devtmpfs's, so every line below reaches the console
exec </dev/console >/dev/console 2>&1

say() { echo "init: $*"; }
# info KEY: a value of /etc/kernel-snap/info
info() { sed -n "s/^$1=//p" /etc/kernel-snap/info; }
release=$(uname -r)
say "$(info snap) $(info version) ($(info package)), kernel $release"
# confine.bare=1 (make bench's floor: the bootloader, the kernel and a shell
# in this initramfs, none of the stack): say so and power off
case " $(cat /proc/cmdline) " in
*" confine.bare=1 "*)
	say "bare initramfs shell (confine.bare=1): powering off"
	poweroff -f
	;;
esac
[ "$release" = "$(info release)" ] ||
	say "WARNING: this initramfs was made for kernel $(info release), not $release"

# ---------------------------------------------------------------- modules
# busybox modprobe loads the dependencies (modules.dep) first, then the
# module; it says nothing on success
while read -r m; do
	case $m in '' | '#'*) continue ;; esac
	if out=$(modprobe "$m" 2>&1); then
		say "module $m: loaded"
	else
		say "module $m: FAILED: $out"
	fi
done </etc/kernel-snap/modules

# ---------------------------------------------------------------- smoke test
smoke=0
for arg in $(cat /proc/cmdline); do
	case $arg in confine.smoke=1) smoke=1 ;; esac
done

if [ $smoke = 1 ]; then
	n=0
	tap() { echo "TAP: $*"; }
	ok() { n=$((n + 1)); tap "ok $n - $*"; }
	nok() { n=$((n + 1)); tap "not ok $n - $*"; }
	# check DESCRIPTION COMMAND...: ok when the command succeeds
	check() {
		d=$1
		shift
		if "$@"; then ok "$d"; else nok "$d"; fi
	}
	check "kernel release $release (the initramfs's modules are for $(info release))" \
		[ "$release" = "$(info release)" ]
	check "machine $(uname -m) (expected $(info machine))" [ "$(uname -m)" = "$(info machine)" ]
	# every module shipped in the initramfs, dependencies included; a
	# module's name is its file's, with - read as _
	for f in $(sed 's/:.*//' "/lib/modules/$release/modules.dep"); do
		name=${f##*/}
		name=${name%%.ko*}
		name=$(echo "$name" | tr - _)
		check "module $name loaded (/sys/module/$name)" [ -d "/sys/module/$name" ]
	done
	for fs in ext4 vfat squashfs; do
		check "file system $fs registered (/proc/filesystems)" grep -qw "$fs" /proc/filesystems
	done
	tap "1..$n"
	poweroff -f
	exit 1
fi

# ---------------------------------------------------------------- root
# is_writable DEV: DEV holds an ext2/3/4 superblock labelled "writable" (the
# superblock starts at byte 1024: its magic 0xEF53 at +0x38, little-endian,
# its 16-byte label at +0x78)
is_writable() {
	[ "$(dd if="$1" bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')" = 53ef ] &&
		[ "$(dd if="$1" bs=1 skip=1144 count=16 2>/dev/null | tr -d '\000')" = writable ]
}

# the disks appear once virtio_blk or the SD card's driver has probed them
# (and the card answered): wait up to 10 seconds
mkdir -p /root
root=""
tries=0
while [ -z "$root" ] && [ $tries -lt 10 ]; do
	for dev in /dev/vd* /dev/mmcblk*p*; do
		[ -b "$dev" ] || continue
		if is_writable "$dev" && mount -t ext4 "$dev" /root; then
			root=$dev
			break
		fi
	done
	[ -n "$root" ] && break
	tries=$((tries + 1))
	sleep 1
done

if [ -n "$root" ] && [ -x /root/sbin/init ]; then
	say "root: $root (ext4, writable), switching to its /sbin/init"
	# the new root gets the mounts made here, or they go
	for d in dev proc sys; do
		if [ -d "/root/$d" ]; then mount --move "/$d" "/root/$d"; else umount "/$d"; fi
	done
	# switch_root replaces this shell: if it fails, it says why and the
	# kernel panics (PID 1 exits)
	exec switch_root /root /sbin/init
elif [ -n "$root" ]; then
	say "root: $root has no /sbin/init"
fi
say "no ext4 partition labelled writable with a /sbin/init on /dev/vd* or /dev/mmcblk*p*: starting a shell (exit powers off)"
setsid cttyhack sh
poweroff -f
