#!/bin/sh
# /sbin/init of the small ext4 "writable" root that tests-qemu/kernel-snaps.sh
# gives each kernel snap's initramfs to find: it runs after the initramfs's
# switch_root and says, in TAP lines prefixed with "TAP: ", that the switch
# happened the way the images need it, then powers off. busybox only.
PATH=/bin
export PATH
n=0
tap() { echo "TAP: $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	d=$1
	shift
	n=$((n + 1))
	if "$@"; then tap "ok $n - $d"; else tap "not ok $n - $d"; fi
}
check "running as PID 1 of the writable root" [ $$ = 1 ]
# the root is the ext4 file system of a virtio disk, as the initramfs mounted it
rootline=$(grep '^/dev/vd[a-z0-9]* / ext4 ' /proc/mounts)
check "/ is ext4 on a virtio disk (${rootline%% *})" [ -n "$rootline" ]
check "this root carries the writable stamp" [ "$(cat /writable-stamp)" = "kernel-snaps root" ]
# /dev, /proc and /sys were moved over, not lost
came_along() { [ -c /dev/console ] && [ -d /sys/module/ext4 ] && [ -r /proc/cmdline ]; }
check "/dev, /proc and /sys came along" came_along
# what is seen is this disk, not the initramfs
initramfs_gone() { [ ! -e /init ] && [ ! -e /etc/kernel-snap ]; }
check "the initramfs is out of sight (no /init, no /etc/kernel-snap)" initramfs_gone
# PID 1 of the root at nice 0: the initramfs loads its modules at nice -20 on
# armhf and must give the root's init (and so every process) nice 0 back
# (its stat's field 19, the 17th after the command's name)
read -r st </proc/1/stat
# (split on purpose: one field a word)
# shellcheck disable=SC2086
set -- ${st##*) }
check "PID 1 runs at nice 0 (its nice: ${17})" [ "${17}" = 0 ]
tap "1..$n"
sync
poweroff -f
