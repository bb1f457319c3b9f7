#!/bin/sh
# The guest side of launcher-arm64.sh: PID 1 in the initramfs. It moves to a
# tmpfs root (pivot_root cannot leave the initramfs), mounts what the
# launcher needs, loads the AppArmor profiles and runs the checks, printing
# TAP lines prefixed with "TAP: " on the console, then powers off.
PATH=/bin
export PATH
if [ "$1" != stage2 ]; then
	mount -t tmpfs -o mode=0755 tmpfs /newroot
	for d in bin sbin etc home root snap t usr var media mnt init; do
		cp -a "/$d" /newroot/
	done
	mkdir -p /newroot/dev /newroot/proc /newroot/sys /newroot/run /newroot/tmp
	exec switch_root /newroot /init stage2
fi
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t securityfs securityfs /sys/kernel/security
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
# the device cgroup (the dragonboard build gives every app one): cgroup2 and the bpf file system
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
echo 0 >/proc/sys/kernel/printk_ratelimit
n=0
fails=0
tap() { echo "TAP: $*"; }
ok() { n=$((n + 1)); tap "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); tap "not ok $n - $*"; }
is() { # is DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; tap "# expected '$3', got '$2'"; fi
}
has() {
	case "$2" in *"$3"*) ok "$1" ;; *) nok "$1"; tap "# '$2' does not contain '$3'" ;; esac
}
as_user() { su snapuser -s /bin/sh -c "SNAP_CONFINE_LIBEXECDIR=/usr/lib/snapd /usr/lib/snapd/snap-run $*" 2>/tmp/err; }

tap "# kernel $(uname -r) $(uname -m)"
/usr/lib/snapd/confine-probe
is "confine-probe on this kernel: denials logged" "$(grep '^seccomp-log-path=' /run/snapd/features)" "seccomp-log-path=kernel"
while read -r line; do tap "# features: $line"; done </run/snapd/features
is "AppArmor is enabled on this kernel" "$(cat /sys/module/apparmor/parameters/enabled)" Y
for app in app app32; do
	cat "/t/snap.hello.$app.aa.bin" >/sys/kernel/security/apparmor/.replace
done
has "the profiles compiled on the host are loaded" "$(cat /sys/kernel/security/apparmor/profiles)" "snap.hello.app (enforce)"

out=$(as_user hello.app read /snap/hello/1/data/file.txt)
is "the app runs and reads its own snap" "$out" "data of hello"
out=$(as_user hello.app read /proc/self/attr/current)
is "the app runs under its AppArmor profile" "$out" "snap.hello.app (enforce)"
out=$(as_user hello.app read /var/lib/snapd/outside-secret)
is "AppArmor denies a file outside the snap's areas (EACCES)" "$out" "read errno 13"
is "... which the plain user could read" "$(su snapuser -s /bin/sh -c 'cat /var/lib/snapd/outside-secret')" "secret"
as_user hello.nope call getpid >/tmp/out
rc=$?
is "an app whose profile is not loaded: exit 1" "$rc" 1
has "... with a clear message" "$(cat /tmp/err)" "AppArmor profile snap.hello.nope is not loaded"
is "... and nothing ran" "$(cat /tmp/out)" ""

dmesg -c >/dev/null
out=$(as_user hello.app call add_key)
is "seccomp on arm64: add_key returns EPERM" "$out" "add_key errno 1"
sleep 1
has "... and the kernel logs it (syscall 217, code=0x50000)" "$(dmesg | grep 'type=1326' | grep ' syscall=217 ')" "code=0x50000"
out=$(as_user hello.app call tiocsti)
is "a ~ rule returns EACCES" "$out" "tiocsti errno 13"
out=$(as_user hello.app call getpid)
is "an allowed call succeeds" "$out" "getpid errno 0"
dmesg -c >/dev/null
out=$(as_user hello.app32 call add_key)
is "the armhf compat path: add_key returns EPERM" "$out" "add_key errno 1"
sleep 1
has "... logged with arm's number (syscall 309, arch 40000028)" "$(dmesg | grep 'type=1326' | grep ' syscall=309 ')" "arch=40000028"
out=$(as_user hello.app32 read /proc/self/attr/current)
is "the armhf app runs under its own profile" "$out" "snap.hello.app32 (enforce)"
a=$(as_user hello.app ns)
b=$(as_user hello.app32 ns)
is "two apps of the snap share the mount namespace" "$a" "$b"
is "... preserved on /run/snapd/ns/hello.mnt (an nsfs file)" "$(stat -f -c %t /run/snapd/ns/hello.mnt)" "6e736673"
# the old-kernel mode on this kernel: the probe and the launcher take the silent path
/usr/lib/snapd/confine-oldkernel /usr/lib/snapd/confine-probe
is "old-kernel mode: the probe reports the silent path" "$(grep '^seccomp-log-path=' /run/snapd/features)" "seccomp-log-path=silent"
dmesg -c >/dev/null
out=$(/usr/lib/snapd/confine-oldkernel su snapuser -s /bin/sh -c "SNAP_CONFINE_LIBEXECDIR=/usr/lib/snapd /usr/lib/snapd/snap-run hello.app call add_key")
is "old-kernel mode: a denied call still returns EPERM" "$out" "add_key errno 1"
sleep 1
is "... and no type=1326 line appears" "$(dmesg | grep -c 'type=1326')" 0
/usr/lib/snapd/confine-probe
out=$(as_user hello.app ids)
has "the app runs as the caller without capabilities" "$out" "CapEff:	0000000000000000"
tap "1..$n"
sync
poweroff -f
