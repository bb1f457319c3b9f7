#!/bin/sh
# The launcher on a real arm64 kernel with AppArmor: Debian's arm64 kernel
# boots under QEMU (TCG) into an initramfs holding the dragonboard's static
# launcher, a base snap, a test snap (arm64 and armhf programs), its seccomp
# profile compiled for the board and its AppArmor profile compiled on this
# host with apparmor_parser, and a snap "obs" whose profiles snap-interfaces
# generates for the board (apps plugging log-observe, system-observe,
# hardware-observe, home, mount-observe, network-observe, and one plugging
# nothing); the guest's init runs the checks and prints TAP,
# judged here from the guest's own exit statuses and kernel log. The log
# ($O/tests-qemu/launcher-arm64.log) starts with the exact QEMU command.
# QEMU_TIMEOUT_MULT scales the wait.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
O=${O:-$SRCDIR/output}
export O
cd "$SRCDIR" || exit 1
w=$O/tests-qemu/launcher-arm64
log=$O/tests-qemu/launcher-arm64.log
mult=${QEMU_TIMEOUT_MULT:-1}
mkdir -p "$O/tests-qemu"
skip() { echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "Bail out! $*"; exit 1; }

for t in qemu-system-aarch64 apparmor_parser cpio aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc; do
	command -v "$t" >/dev/null || skip "$t is missing (scripts/install-deps installs it)"
done
kroot=$(scripts/fetch-deb linux-image-arm64:arm64 2>"$w.fetch.err") || skip "no arm64 kernel package: $(cat "$w.fetch.err")"
broot=$(scripts/fetch-deb busybox-static:arm64 2>"$w.fetch.err") || skip "no arm64 busybox: $(cat "$w.fetch.err")"
kernel=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
[ -f "$kernel" ] || bail "no vmlinuz in $kroot"

# the board's tools, and the test programs for arm64 and armhf
bo=$O/boards/dragonboard
make -s O="$bo" dragonboard_defconfig >/dev/null && make -s O="$bo" >"$w.build.log" 2>&1 || bail "dragonboard build failed: $w.build.log"
make -s O="$O/boards/pi2" pi2_defconfig >/dev/null && make -s O="$O/boards/pi2" >>"$w.build.log" 2>&1 || bail "pi2 build failed"
make -s O="$O" host >/dev/null || bail "host snap-seccomp build failed"
rm -rf "$w" && mkdir -p "$w/root"
r=$w/root
aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs -std=c11 -D_GNU_SOURCE \
	-isystem "$bo/target/kheaders" -O2 -static confine/tests/launcher/probe.c -o "$w/probe64" || bail "probe64"
arm-linux-gnueabihf-gcc -specs /usr/lib/arm-linux-musleabihf/musl-gcc.specs -std=c11 -D_GNU_SOURCE \
	-isystem "$O/boards/pi2/target/kheaders" -O2 -static confine/tests/launcher/probe.c -o "$w/probe32" || bail "probe32"

# the initramfs
mkdir -p "$r/bin" "$r/etc" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/run" "$r/root" "$r/home/snapuser" \
	"$r/usr/lib/snapd" "$r/var/lib/snapd/seccomp/bpf" "$r/var/lib/snapd/confine/run" "$r/var/lib/snapd/void" \
	"$r/var/snap/hello/common" "$r/var/tmp" "$r/var/log" "$r/media" "$r/mnt" "$r/snap/hello/1/bin" \
	"$r/snap/hello/1/data" "$r/t" "$r/newroot"
cp "$broot/bin/busybox" "$r/bin/busybox"
for a in sh mount umount mkdir cat echo cp ls ln chmod chown su sleep dmesg poweroff switch_root grep head \
	readlink stat uname sed wc true false test id rm; do
	ln -s busybox "$r/bin/$a"
done
ln -s bin "$r/sbin"
for d in dev etc home root proc sys tmp var/snap var/lib/snapd var/tmp run var/log media mnt lib/modules usr/src \
	usr/share/doc snap; do
	mkdir -p "$r/snap/core/1/$d"
done
ln -s 1 "$r/snap/core/current"
ln -s 1 "$r/snap/hello/current"
cp "$w/probe64" "$r/snap/hello/1/bin/probe"
cp "$w/probe32" "$r/snap/hello/1/bin/probe32"
echo "data of hello" >"$r/snap/hello/1/data/file.txt"
echo "secret" >"$r/var/lib/snapd/outside-secret"
for b in snap-confine snap-run snap-update-ns snap-discard-ns confine-probe confine-oldkernel; do
	cp "$bo/target/bin/$b" "$r/usr/lib/snapd/$b"
done
chmod 4755 "$r/usr/lib/snapd/snap-confine"
printf 'root:x:0:0:root:/root:/bin/sh\nsnapuser:x:4242:4242::/home/snapuser:/bin/sh\n' >"$r/etc/passwd"
printf 'root:x:0:\nsnapuser:x:4242:\n' >"$r/etc/group"
chown 4242:4242 "$r/home/snapuser"
for app in app app32 nope; do
	cmd=bin/probe
	[ $app = app32 ] && cmd=bin/probe32
	printf 'command=%s\nversion=1\nbase=core\n' "$cmd" >"$r/var/lib/snapd/confine/run/snap.hello.$app"
	"$O/host/bin/snap-seccomp" compile --target dragonboard confine/snap-seccomp/policy/default.src \
		"$r/var/lib/snapd/seccomp/bpf/snap.hello.$app.bin2" || bail "snap-seccomp"
done
# AppArmor: the snap's own areas and what a program needs to run; nothing else
for app in app app32; do
	cat >"$w/snap.hello.$app.aa" <<AA
abi <abi/3.0>,
profile snap.hello.$app flags=(attach_disconnected,mediate_deleted) {
  /snap/hello/** mrix,
  /var/snap/hello/** rwk,
  /home/*/snap/hello/** rwk,
  /tmp/** rwk,
  /dev/{null,zero,tty,urandom,ptmx} rw,
  /dev/pts/* rw,
  /proc/** r,
  /etc/** r,
}
AA
	apparmor_parser -Q -T -M /usr/share/apparmor-features/features -o "$r/t/snap.hello.$app.aa.bin" \
		"$w/snap.hello.$app.aa" || bail "apparmor_parser failed"
done
# a snap whose apps plug observation interfaces (and one that plugs none):
# its profiles made by snap-interfaces for the board, as an image build makes
# them, the system's slots connected by a gadget; the guest checks what each
# interface lets through on the real kernel and what the plain app is refused
mkdir -p "$w/obs/1/meta" "$w/obs/1/bin" "$w/obsgadget/1/meta"
cp "$w/probe64" "$w/obs/1/bin/probe"
cat >"$w/obs/1/meta/snap.yaml" <<'Y'
name: obs
version: '1'
base: core
apps:
  log: {command: bin/probe, plugs: [log-observe]}
  sys: {command: bin/probe, plugs: [system-observe]}
  hw: {command: bin/probe, plugs: [hardware-observe]}
  home: {command: bin/probe, plugs: [home]}
  mnt: {command: bin/probe, plugs: [mount-observe]}
  net: {command: bin/probe, plugs: [network-observe]}
  none: {command: bin/probe, plugs: []}
Y
printf 'name: obsgadget\nversion: "1"\ntype: gadget\n' >"$w/obsgadget/1/meta/snap.yaml"
{
	echo "connections:"
	for i in log-observe system-observe hardware-observe home mount-observe network-observe; do
		echo "  - {plug: obs:$i, slot: system:$i}"
	done
} >"$w/obsgadget/1/meta/gadget.yaml"
"$O/host/bin/snap-interfaces" --root "$w/si" --target dragonboard --interfaces confine/snap-interfaces/interfaces \
	--seccomp-base confine/snap-seccomp/policy/default.src --apparmor-base confine/snap-interfaces/policy/apparmor-base \
	--update-ns-base confine/snap-interfaces/policy/update-ns-base --apparmor-parser "$(command -v apparmor_parser)" \
	--apparmor-features /usr/share/apparmor-features/features --libexecdir /usr/lib/snapd \
	install "$w/obs/1" "$w/obsgadget/1" >"$w/si.log" 2>&1 || bail "snap-interfaces install: $(cat "$w/si.log")"
mkdir -p "$r/snap/obs"
cp -a "$w/si/snap/obs/1" "$r/snap/obs/1"
ln -s 1 "$r/snap/obs/current"
cp "$w/si"/var/lib/snapd/seccomp/bpf/snap.obs.*.bin2 "$r/var/lib/snapd/seccomp/bpf/"
cp "$w/si"/var/lib/snapd/confine/run/snap.obs.* "$r/var/lib/snapd/confine/run/"
cp "$w/si"/var/lib/snapd/apparmor/snap.obs.*.bin "$r/t/"
# snap-interfaces aa-cache --load on the real kernel: two small profiles
# compiled here (the set the guest loads), and the same pair with the second
# file cut short (the set the kernel must refuse whole); the guest makes the
# cache's subdirectory that the running kernel's features name and copies them
# in, newer than their sources
cp "$bo/target/bin/snap-interfaces" "$r/usr/lib/snapd/snap-interfaces"
mkdir -p "$r/t/aac/src" "$r/t/aac/bin"
for p in aacache.one aacache.two aacache.three aacache.zcut; do
	printf 'profile %s {\n  /etc/** r,\n}\n' "$p" >"$r/t/aac/src/$p"
	apparmor_parser -Q -T -M /usr/share/apparmor-features/features -o "$r/t/aac/bin/$p" "$r/t/aac/src/$p" ||
		bail "apparmor_parser failed on $p"
done
head -c 64 "$r/t/aac/bin/aacache.zcut" >"$w/zcut.cut" && mv "$w/zcut.cut" "$r/t/aac/bin/aacache.zcut"
touch -d '2020-01-01' "$r/t/aac/src"/*
echo "kernel: a line of the system log" >"$r/var/log/messages"
chmod 0640 "$r/var/log/messages"
echo "notes of snapuser" >"$r/home/snapuser/notes.txt"
echo "hidden" >"$r/home/snapuser/.hidden"
chown 4242:4242 "$r/home/snapuser/notes.txt" "$r/home/snapuser/.hidden"
cp tests-qemu/lib/launcher-init.sh "$r/init"
chmod 755 "$r/init"
(cd "$r" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$w/initrd.gz" || bail "cpio failed"

timeout=$((120 * mult))
set -- qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 -smp 1 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$w/initrd.gz" \
	-append "console=ttyAMA0 panic=-1 quiet apparmor=1 security=apparmor"
{
	echo "$*"
	echo
} >"$log"
timeout "$timeout" "$@" </dev/null >>"$log" 2>&1
rc=$?
tr -d '\r' <"$log" | sed -n 's/^TAP: //p' >"$w/tap"
if ! grep -q '^1\.\.[0-9]' "$w/tap"; then
	echo "not ok 1 - the guest ran its checks (qemu exit $rc; see $log)"
	tail -n 20 "$log" | sed 's/^/# /'
	echo "1..1"
	exit 1
fi
cat "$w/tap"
! grep -q '^not ok' "$w/tap"
