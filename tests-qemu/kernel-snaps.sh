#!/bin/sh
# The kernel snaps of the three boards (scripts/build-kernel-snap), built or
# reused, checked and booted under QEMU (TCG):
#   - each snap's layout (unsquashfs -l): kernel.img, initrd.img, the board's
#     dtbs/, one modules/<release>/ with its modules.dep, meta/snap.yaml
#     (name, version = the Debian package's, type: kernel, architecture),
#     config-<release> and scripts/check-kernel-config's verdict on it (pc
#     and pi2 pass; the dragonboard lacks HWSPINLOCK, HWSPINLOCK_QCOM,
#     QCOM_SMEM and RPMSG_QCOM_SMD);
#   - a smoke boot of the snap's kernel.img with its own initrd.img
#     (confine.smoke=1): the guest's TAP lines (release, machine, every module
#     in /sys/module, file systems) are relayed with the board's name, and the
#     release it runs is checked against the snap's modules/<release>;
#   - a root boot without confine.smoke: the initramfs must find an ext4 disk
#     labelled writable on virtio, switch_root into it and run its
#     /sbin/init (tests-qemu/lib/kernel-root-init.sh), which prints TAP too.
# Logs: $O/tests-qemu/kernel-<board>.log and kernel-<board>-root.log, each
# starting with the exact QEMU command. QEMU_TIMEOUT_MULT scales the waits.
# A board whose Debian packages cannot be fetched is skipped.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
O=${O:-$SRCDIR/output}
export O
cd "$SRCDIR" || exit 1
PATH=$PATH:/usr/sbin:/sbin
mult=${QEMU_TIMEOUT_MULT:-1}
case $mult in '' | *[!0-9]* | 0) echo "Bail out! QEMU_TIMEOUT_MULT must be a positive integer, not '$mult'"; exit 1 ;; esac
w=$O/tests-qemu/kernel-snaps
mkdir -p "$w"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
bail() { echo "Bail out! $*"; exit 1; }

for t in qemu-system-aarch64 qemu-system-arm qemu-system-x86_64 mksquashfs unsquashfs depmod cpio mke2fs; do
	command -v $t >/dev/null || bail "$t is missing (scripts/install-deps qemu installs it)"
done

# shquote ARG...: the arguments as one shell command line
shquote() {
	for a; do
		case $a in
		*[!A-Za-z0-9_./=:,+@%-]*) printf "'%s' " "$(printf %s "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s ' "$a" ;;
		esac
	done
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# run_qemu LOG TIMEOUT QEMU-ARGS...: QEMU with the command on the log's first
# line, then what is booted ($qnote); sets rc and took (seconds)
run_qemu() {
	qlog=$1
	qtimeout=$2
	shift 2
	{
		shquote "$@" | sed "s/ $//"
		echo
		echo "# $qnote"
		echo
	} >"$qlog"
	t0=$(now)
	timeout "$qtimeout" "$@" </dev/null >>"$qlog" 2>&1
	rc=$?
	took=$(secs "$t0" "$(now)")
}

# relay BOARD WHAT LOG: the guest's TAP lines of LOG, renumbered into ours and
# named after the board; then whether its plan was complete and it powered
# off in time. Sets guest_tap (the guest's lines) for further checks.
relay() {
	rb=$1
	what=$2
	rlog=$3
	guest_tap=$(tr -d '\r' <"$rlog" | sed -n 's/^TAP: //p')
	count=0
	plan=""
	while IFS= read -r line; do
		case $line in
		"ok "*)
			count=$((count + 1))
			ok "$rb: $(echo "$line" | sed 's/^ok [0-9]* - //')"
			;;
		"not ok "*)
			count=$((count + 1))
			nok "$rb: $(echo "$line" | sed 's/^not ok [0-9]* - //')"
			;;
		1..*) plan=${line#1..} ;;
		"#"*) echo "# $rb: ${line#\#}" ;;
		esac
	done <<EOF
$guest_tap
EOF
	if [ -n "$plan" ] && [ "$plan" = "$count" ] && [ "$rc" = 0 ]; then
		ok "$rb: $what: the guest ran its $count checks and powered off (${took}s)"
	else
		nok "$rb: $what: the guest ran its checks and powered off (plan '$plan', $count seen, qemu exit $rc after ${took}s; see $rlog)"
		tail -n 15 "$rlog" | tr -d '\r' | sed 's/^/#   /'
	fi
}

summary=""
for board in dragonboard pi2 pc; do
	case $board in
	pc)
		kpkg=linux-image-amd64 arch=amd64 machine=x86_64 console=ttyS0 dtbs=""
		qemu="qemu-system-x86_64 -m 512" blk=virtio-blk-pci
		;;
	pi2)
		kpkg=linux-image-armmp arch=armhf machine=armv7l console=ttyAMA0 dtbs="bcm2836-rpi-2-b.dtb"
		qemu="qemu-system-arm -M virt -cpu cortex-a15 -m 512" blk=virtio-blk-device
		;;
	dragonboard)
		kpkg=linux-image-arm64 arch=arm64 machine=aarch64 console=ttyAMA0 dtbs="qcom/apq8016-sbc.dtb"
		qemu="qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512" blk=virtio-blk-device
		;;
	esac
	name=$board-kernel

	# ------------------------------------------------------------ build
	if ! scripts/fetch-deb "$kpkg:$arch" >/dev/null 2>"$w/$board.fetch.err" ||
		! scripts/fetch-deb "busybox-static:$arch" >/dev/null 2>>"$w/$board.fetch.err"; then
		skip "$board: cannot fetch its Debian packages: $(tail -n 1 "$w/$board.fetch.err")"
		continue
	fi
	if ! scripts/build-kernel-snap "$board" >"$w/$board.build.log" 2>&1; then
		nok "$board: scripts/build-kernel-snap $board: $(tail -n 1 "$w/$board.build.log")"
		continue
	fi
	info=$O/kernel-snaps/$name.info
	val() { sed -n "s/^$1=//p" "$info"; }
	snap=$(val path)
	version=$(val version)
	release=$(val release)
	package=$(val package)
	check "$board: $name built from $package $version (${snap##*/})" \
		eval '[ -f "$snap" ] && [ "${snap##*/}" = "${name}_$version.snap" ]'
	[ -f "$snap" ] || continue
	echo "# $board: $(grep -m1 "^$name: " "$w/$board.build.log")"

	# ------------------------------------------------------------ layout
	unsquashfs -l "$snap" 2>/dev/null | sed -n 's|^squashfs-root/||p' >"$w/$board.list"
	has() { grep -qx "$1" "$w/$board.list"; }
	check "$board: the snap has kernel.img" has kernel.img
	check "$board: the snap has initrd.img" has initrd.img
	check "$board: the snap has meta/snap.yaml" has meta/snap.yaml
	releases=$(sed -n 's|^modules/\([^/]*\)$|\1|p' "$w/$board.list")
	check "$board: the snap has one modules/<release>/, for kernel $release ($releases)" [ "$releases" = "$release" ]
	check "$board: modules/$release/ has its modules.dep and ext4" \
		eval 'has "modules/$release/modules.dep" && has "modules/$release/kernel/fs/ext4/ext4.ko"'
	if [ -n "$dtbs" ]; then
		for d in $dtbs; do
			check "$board: the snap has dtbs/$d" has "dtbs/$d"
		done
	else
		check "$board: the snap has no dtbs/ (none needed)" eval '! grep -q "^dtbs" "$w/$board.list"'
	fi
	unsquashfs -cat "$snap" meta/snap.yaml >"$w/$board.snap.yaml" 2>/dev/null
	yaml() { grep -qx "$1" "$w/$board.snap.yaml"; }
	check "$board: snap.yaml says name: $name" yaml "name: $name"
	check "$board: snap.yaml says version: $version (the Debian package's)" yaml "version: $version"
	check "$board: snap.yaml says type: kernel" yaml "type: kernel"
	check "$board: snap.yaml says architectures: $arch" yaml "  - $arch"
	# the kernel's configuration in the snap, checked against what the board needs
	# (scripts/check-kernel-config): Debian's pc and armmp kernels have it all, its
	# arm64 kernel lacks the SMD/SMEM chain the DragonBoard's SD/eMMC supplies need
	check "$board: the snap has config-$release" has "config-$release"
	scripts/check-kernel-config "$board" >"$w/$board.config-check" 2>&1
	got="$? $(sed -n 's/^missing CONFIG_\([A-Z0-9_]*\):.*/\1/p' "$w/$board.config-check" | sort | tr '\n' ' ')"
	case $board in
	dragonboard) want="1 HWSPINLOCK HWSPINLOCK_QCOM QCOM_SMEM RPMSG_QCOM_SMD " ;;
	*) want="0 " ;;
	esac
	check "$board: check-kernel-config's verdict on the snap's kernel: '$want' (exit, missing)" [ "$got" = "$want" ]
	[ "$got" = "$want" ] || sed 's/^/# /' "$w/$board.config-check"

	# ------------------------------------------------------------ smoke boot
	b=$w/$board
	rm -rf "$b.boot"
	unsquashfs -q -n -d "$b.boot" "$snap" kernel.img initrd.img >/dev/null 2>&1
	# the root's file system modules loaded beside the disk's drivers where
	# QEMU gives the board two CPUs ("NAME @fs" in the initramfs's list)
	fsmods=$(zcat "$b.boot/initrd.img" | cpio -i --quiet --to-stdout etc/kernel-snap/modules 2>/dev/null |
		sed -n 's/ @fs$//p' | tr '\n' ' ')
	case $board in pi2) want="" ;; *) want="crc32c_generic ext4 " ;; esac
	check "$board: the initramfs loads '$want' beside the disk's drivers (@fs; none on the pi2's one CPU)" \
		[ "$fsmods" = "$want" ]
	log=$O/tests-qemu/kernel-$board.log
	qnote="${snap##*/}: $package $version (kernel $release), busybox-static $(val busybox)"
	# $qemu is the machine's command and options: split on purpose
	# shellcheck disable=SC2086
	run_qemu "$log" $((60 * mult)) $qemu -nographic -no-reboot \
		-kernel "$b.boot/kernel.img" -initrd "$b.boot/initrd.img" \
		-append "console=$console panic=-1 confine.smoke=1"
	smoke_took=$took
	relay "$board" "smoke boot" "$log"
	got=$(echo "$guest_tap" | sed -n 's/^\(not \)\{0,1\}ok [0-9]* - kernel release \([^ ]*\) .*/\2/p')
	check "$board: the guest runs the snap's kernel (uname -r '$got', the snap has modules/$releases)" \
		eval '[ -n "$got" ] && [ "$got" = "$releases" ]'
	check "$board: the guest's machine is $machine" eval 'echo "$guest_tap" | grep -q "^ok [0-9]* - machine $machine "'
	echo "# $board: $package $version, kernel $release: smoke boot ${smoke_took}s"

	# ------------------------------------------------------------ root boot
	# an ext4 disk labelled writable whose /sbin/init reports in TAP
	broot=$(scripts/fetch-deb "busybox-static:$arch")
	r=$b.root
	rm -rf "$r" "$b.writable.img"
	mkdir -p "$r/bin" "$r/sbin" "$r/dev" "$r/proc" "$r/sys" "$r/tmp"
	cp "$broot/bin/busybox" "$r/bin/busybox"
	for a in sh cat grep sync poweroff [; do
		ln -s busybox "$r/bin/$a"
	done
	cp tests-qemu/lib/kernel-root-init.sh "$r/sbin/init"
	chmod 755 "$r/sbin/init"
	echo "kernel-snaps root" >"$r/writable-stamp"
	if ! mke2fs -q -t ext4 -L writable -d "$r" "$b.writable.img" 16M >"$b.mke2fs.log" 2>&1; then
		nok "$board: mke2fs of the writable disk: $(tail -n 1 "$b.mke2fs.log")"
		continue
	fi
	log=$O/tests-qemu/kernel-$board-root.log
	# shellcheck disable=SC2086
	run_qemu "$log" $((60 * mult)) $qemu -nographic -no-reboot \
		-kernel "$b.boot/kernel.img" -initrd "$b.boot/initrd.img" \
		-drive "file=$b.writable.img,format=raw,if=none,id=writable" -device "$blk,drive=writable" \
		-append "console=$console panic=-1"
	relay "$board" "root boot" "$log"
	summary="$summary $board=${smoke_took}s+${took}s"
done

echo "# boots (smoke+root):$summary"
echo "1..$n"
[ $fails = 0 ]
