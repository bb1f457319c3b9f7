#!/bin/sh
# The three boards build from their defconfigs with the cross compilers, the
# binaries (snap-seccomp and the launcher) are static and of the board's
# architecture, snap-confine within its 64 KiB cap and starting, and the board's own
# snap-seccomp (run under qemu-user) compiles the default policy to the same
# bytes as the host's snap-seccomp with --target.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
cd "$SRCDIR" || exit 1
host_tool=$O/host/bin/snap-seccomp
policy=confine/snap-seccomp/policy/default.src
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

for b in pc pi2 dragonboard; do
	case $b in
	pc) arch="x86-64" runner="" ;;
	pi2) arch="ARM," runner="qemu-arm" ;;
	dragonboard) arch="ARM aarch64" runner="qemu-aarch64" ;;
	esac
	bo=$O/boards/$b
	if make -s O="$bo" "${b}_defconfig" >/dev/null && make -s O="$bo" >"$bo.log" 2>&1; then
		ok "$b: make ${b}_defconfig && make"
	else
		nok "$b: build failed, see $bo.log"
		continue
	fi
	bin=$bo/target/bin/snap-seccomp
	desc=$(file -b "$bin")
	case "$desc" in
	*"$arch"*statically\ linked*stripped*) ok "$b: snap-seccomp is a static, stripped $arch binary" ;;
	*) nok "$b: snap-seccomp is not a static stripped $arch binary: $desc" ;;
	esac
	for tool in snap-confine snap-run snap-update-ns snap-discard-ns; do
		d=$(file -b "$bo/target/bin/$tool")
		case "$d" in
		*"$arch"*statically\ linked*stripped*) ok "$b: $tool is a static, stripped $arch binary ($(stat -c %s "$bo/target/bin/$tool") bytes)" ;;
		*) nok "$b: $tool is not a static stripped $arch binary: $d" ;;
		esac
	done
	# the launcher's cap (issue 14): 64 KiB stripped, on every board
	sz=$(stat -c %s "$bo/target/bin/snap-confine")
	if [ "$sz" -le 65536 ]; then
		ok "$b: snap-confine is $sz bytes, within its 64 KiB cap ($((65536 - sz)) to spare)"
	else
		nok "$b: snap-confine is $sz bytes, $((sz - 65536)) over its 64 KiB cap"
	fi
	v=$($runner "$bo/target/bin/snap-confine" --version 2>&1)
	case "$v" in
	"snap-confine (core-confine) "*) ok "$b: the board's snap-confine runs (under qemu-user for ARM): $v" ;;
	*) nok "$b: the board's snap-confine --version said: $v" ;;
	esac
	rm -f "$bo/default.host.bin2" "$bo/default.board.bin2"
	"$host_tool" compile --target "$b" "$policy" "$bo/default.host.bin2"
	if $runner "$bin" compile "$policy" "$bo/default.board.bin2" 2>"$bo/board-compile.err" &&
		cmp -s "$bo/default.host.bin2" "$bo/default.board.bin2"; then
		ok "$b: the board's snap-seccomp (native target) gives the host's --target $b bytes"
	else
		nok "$b: board and host outputs differ or the board tool failed: $(head -c 300 "$bo/board-compile.err")"
	fi
done

# the pc with every optional feature of the launcher off (make size's minimal
# build): every tool still builds and links, and the features' code goes
bo=$O/boards/pc-nofeatures
if scripts/config-off pc "$bo" CONFINE_SECCOMP CONFINE_APPARMOR CONFINE_MOUNT_NS CONFINE_DEVICE_CGROUP \
	CONFINE_DEBUG_OUTPUT && make -s O="$bo" >"$bo.log" 2>&1; then
	on=$(stat -c %s "$O/boards/pc/target/bin/snap-confine") off=$(stat -c %s "$bo/target/bin/snap-confine")
	ok "pc with seccomp, AppArmor, the mount namespace, the device cgroup and the debug output off: every tool builds"
	if [ "$off" -lt "$on" ]; then
		ok "... and snap-confine is smaller without them ($off bytes against $on)"
	else
		nok "... but snap-confine is not smaller without them ($off bytes against $on)"
	fi
else
	nok "pc with the optional features off: the configuration or the build failed, see $bo.log"
fi
echo "1..$n"
[ $fails = 0 ]
