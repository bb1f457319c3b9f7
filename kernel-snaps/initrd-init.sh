#!/bin/sh
# /init of a kernel snap's initramfs (initrd.img), put there by
# scripts/build-kernel-snap. POSIX sh run by the board's busybox-static; no
# other program is in the initramfs.
#
#  1. mounts proc, sysfs and devtmpfs, and takes the console from devtmpfs;
#  2. loads the modules named in /etc/kernel-snap/modules (one a line, in
#     order; "NAME COMPATIBLE": only on a machine whose device tree's root
#     is compatible with COMPATIBLE) with one busybox modprobe, which follows
#     /lib/modules/<release>/modules.dep for their dependencies, and prints
#     one line naming those loaded, one for each that failed; "NAME @fs": a
#     module of the root's file system, loaded by its own modprobe beside
#     the first (on a board with more than one CPU), both waited for;
#     "NAME @snaps":
#     a module the snaps need, not the root (squashfs, loop), loaded by its
#     own modprobe in the background while the root is found and mounted
#     (so up to three modprobe runs in all),
#     and named in CONFINE_SNAP_MODULES, which the image's init inherits and
#     waits on (/sys/module/NAME/initstate "live") before it mounts the snaps;
#  (with confine.bare=1 on the kernel command line it only says so and
#  powers off, before step 2: the floor make bench compares boots with);
#  3. with confine.smoke=1 on the kernel command line (the QEMU smoke boot of
#     tests-qemu/kernel-snaps.sh): prints TAP lines prefixed with "TAP: " (the
#     kernel release, the machine, every module of the initramfs present in
#     /sys/module, the file systems registered) and powers off;
#     otherwise: finds the partition labelled "writable" (findfs) on /dev/vd*
#     (virtio disks, QEMU's virt and the pc) or /dev/mmcblk*p* (an SD card
#     or eMMC: the Pi 2 and QEMU's raspi2b, mmcblk0p2),
#     mounts it and switches into its /sbin/init (with CONFINE_CMDLINE, the
#     kernel command line it read); when there is none, says so
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
# /etc/kernel-snap/info's values as info_KEY, the kernel's release and
# command line: read with the shell's read, no process (under TCG each costs
# about 10 ms of the pi2's one vCPU)
info_snap="" info_version="" info_package="" info_release="" info_machine="" info_arch="" info_modules_nice=0
while IFS='=' read -r k v; do
	case $k in
	snap) info_snap=$v ;;
	version) info_version=$v ;;
	package) info_package=$v ;;
	release) info_release=$v ;;
	machine) info_machine=$v ;;
	arch) info_arch=$v ;;
	modules_nice) info_modules_nice=$v ;;
	esac
done </etc/kernel-snap/info
read -r release </proc/sys/kernel/osrelease
say "$info_snap $info_version ($info_package), kernel $release"
# confine.bare=1 (make bench's floor: the bootloader, the kernel and a shell
# in this initramfs, none of the stack): say so and power off
read -r cmdline </proc/cmdline
case " $cmdline " in
*" confine.bare=1 "*)
	say "bare initramfs shell (confine.bare=1): powering off"
	poweroff -f
	;;
esac
[ "$release" = "$info_release" ] ||
	say "WARNING: this initramfs was made for kernel $info_release, not $release"

# ---------------------------------------------------------------- modules
# The modules load at the info file's modules_nice (scripts/build-kernel-snap:
# -20 for the pi2's 32-bit ARM kernel, 0 for the others), and this shell goes
# back to nice 0 before it hands over the root. After a
# module's init, a kernel worker frees its init section, and the freeing
# flushes the kernel's TLB page by page over the whole span from the modules'
# area to the vmalloc area (about 200,000 pages; arm64 and x86 flush it all
# at once instead). Under TCG that is about 80 ms for each batch of frees,
# and the worker frees the modules in as many batches as it finds time
# between the loads: at nice -20 it finds fewer (three batches and 250 ms of
# the pi2's one vCPU, not four and 410 ms; the initramfs step 0.7 s, not
# 0.9 s, in make bench's boots). (busybox's renice: a bare number is the
# nice value to set; with -n it is added to the current one.)
[ "$info_modules_nice" = 0 ] || renice "$info_modules_nice" -p $$ >/dev/null
# nice_back: this shell (and what it starts next) at nice 0 again
nice_back() { [ "$info_modules_nice" = 0 ] || renice 0 -p $$ >/dev/null; }
# one busybox modprobe for all of them (it loads each one's dependencies
# first, following modules.dep; under TCG every process counts), then each
# checked in /sys/module: one line for the loaded ones, one for each missing
# A line "NAME COMPATIBLE" names a module of a SoC: loaded only when the
# device tree's root is compatible with it (the Pi 2's SD card controller
# and watchdog, not on QEMU's virt machine).
compat=""
compat_read=no
mods=""
skipped=""
bgmods=""
fsmods=""
while read -r m only; do
	case $m in '' | '#'*) continue ;; esac
	if [ -z "$only" ]; then
		mods="$mods $m"
	elif [ "$only" = @snaps ]; then
		bgmods="$bgmods $m"
	elif [ "$only" = @fs ]; then
		fsmods="$fsmods $m"
	else
		# (read once, at the first line with a condition)
		if [ $compat_read = no ]; then
			compat_read=yes
			[ ! -r /proc/device-tree/compatible ] || compat=$(tr '\000' ' ' </proc/device-tree/compatible)
			compat=${compat% }
		fi
		case " $compat " in
		*" $only "*) mods="$mods $m" ;;
		*) skipped="$skipped $m" ;;
		esac
	fi
done </etc/kernel-snap/modules
# load_modules ERRFILE LABEL NAMES...: as above, the loaded ones on a line
# "LABEL: NAMES", modprobe's errors kept in ERRFILE
load_modules() {
	errfile=$1
	label=$2
	shift 2
	modprobe -a "$@" 2>"$errfile"
	loaded=""
	for m in "$@"; do
		if [ -d "/sys/module/$m" ]; then
			loaded="$loaded $m"
		else
			say "module $m: FAILED: $(cat "$errfile")"
		fi
	done
	say "$label:$loaded"
}
# the root's file system modules beside the disk's drivers (a board's list
# marks them @fs where it has more than one CPU: under TCG ext4's load and
# init alone take 0.1 s of a CPU), both done before the root is looked for
fspid=""
if [ -n "$fsmods" ]; then
	# (split on purpose: one name a word)
	# shellcheck disable=SC2086
	load_modules /tmp/modprobe-fs.err "file system modules loaded" $fsmods &
	fspid=$!
fi
# (split on purpose: one name a word)
# shellcheck disable=SC2086
load_modules /tmp/modprobe.err "modules loaded" $mods
[ -z "$fspid" ] || wait "$fspid"
[ -z "$skipped" ] || say "modules not for this machine (${compat:-no device tree}):$skipped"
# the snaps' modules: in the background (under TCG they cost 0.1 s, which the
# root's search and mount hide); the image's init waits for them
bgpid=""
if [ -n "$bgmods" ]; then
	CONFINE_SNAP_MODULES=${bgmods# }
	export CONFINE_SNAP_MODULES
	# (split on purpose: one name a word)
	# shellcheck disable=SC2086
	load_modules /tmp/modprobe-bg.err "modules for the snaps loaded" $bgmods &
	bgpid=$!
fi

# ---------------------------------------------------------------- smoke test
smoke=0
for arg in $cmdline; do
	case $arg in confine.smoke=1) smoke=1 ;; esac
done

if [ $smoke = 1 ]; then
	[ -z "$bgpid" ] || wait "$bgpid"
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
	check "kernel release $release (the initramfs's modules are for $info_release)" \
		[ "$release" = "$info_release" ]
	check "machine $(uname -m) (expected $info_machine)" [ "$(uname -m)" = "$info_machine" ]
	# every module shipped in the initramfs, dependencies included; a
	# module's name is its file's, with - read as _
	for f in $(sed 's/:.*//' "/lib/modules/$release/modules.dep"); do
		name=${f##*/}
		name=${name%%.ko*}
		name=$(echo "$name" | tr - _)
		case " $skipped " in
		*" $name "*) check "module $name not loaded: not for this machine (${compat:-no device tree})" [ ! -d "/sys/module/$name" ] ;;
		*) check "module $name loaded (/sys/module/$name)" [ -d "/sys/module/$name" ] ;;
		esac
	done
	# the modules loaded at nice -20 on armhf, at 0 elsewhere (this shell's
	# nice value: field 19 of its stat, the 17th after the command's name)
	want=0
	[ "$info_arch" != armhf ] || want=-20
	read -r st </proc/$$/stat
	# (split on purpose: one field a word)
	# shellcheck disable=SC2086
	set -- ${st##*) }
	check "the modules loaded at nice $want ($info_arch; this shell's nice: ${17})" [ "${17}" = "$want" ]
	for fs in ext4 squashfs; do
		check "file system $fs registered (/proc/filesystems)" grep -qw "$fs" /proc/filesystems
	done
	tap "1..$n"
	poweroff -f
	exit 1
fi

# ---------------------------------------------------------------- root
# the partition labelled "writable" (busybox findfs reads each block
# device's superblock: one process), on a virtio disk or an SD card or
# eMMC, mounted as ext4. The disks appear once virtio_blk or the SD card's
# driver has probed them (and the card answered): wait up to 10 seconds
# (with the mount point of devpts in devtmpfs, which moves to the root:
# its init mounts devpts there, one process fewer in it)
mkdir -p /root /dev/pts
root=""
tries=0
while [ $tries -lt 10 ]; do
	dev=$(findfs LABEL=writable 2>/dev/null)
	case $dev in
	/dev/vd* | /dev/mmcblk*p*)
		if mount -t ext4 "$dev" /root; then
			root=$dev
			break
		fi
		;;
	esac
	tries=$((tries + 1))
	sleep 1
done

if [ -n "$root" ] && [ -x /root/sbin/init ]; then
	say "root: $root (ext4, writable), switching to its /sbin/init"
	# the new root gets the mounts made here, or they go: the moves by one
	# busybox mount -a (a process each cost 30 ms under TCG), proc last
	# (mount -a reads /proc/mounts)
	moves=""
	for d in dev sys proc; do
		if [ -d "/root/$d" ]; then moves="$moves/$d /root/$d none move 0 0
"; else umount "/$d"; fi
	done
	if [ -n "$moves" ]; then
		printf '%s' "$moves" >/tmp/moves.fstab
		mount -a -T /tmp/moves.fstab || say "cannot move every mount to the root (the line above says which)"
	fi
	# the command line as read here, for the image's init (CONFINE_CMDLINE:
	# the shell's read takes two system calls a byte, 20 ms under TCG)
	CONFINE_CMDLINE=$cmdline
	export CONFINE_CMDLINE
	# switch_root replaces this shell: if it fails, it says why and the
	# kernel panics (PID 1 exits)
	nice_back
	exec switch_root /root /sbin/init
elif [ -n "$root" ]; then
	say "root: $root has no /sbin/init"
fi
say "no ext4 partition labelled writable with a /sbin/init on /dev/vd* or /dev/mmcblk*p*: starting a shell (exit powers off)"
nice_back
setsid cttyhack sh
poweroff -f
