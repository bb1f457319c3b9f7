#!/bin/sh
# scripts/check-kernel-config on made-up configurations: every option a
# board needs (board/common/kernel-needs and board/<board>/kernel-needs) as
# its needs file wants it passes (exit 0, "PASS"); one missing, not set,
# absent or a module where built in is needed fails (exit 1) naming exactly
# those options; bad input (no such board, no such file, not a
# configuration, a malformed needs line) gives exit 2 and one line naming
# it. The Debian kernels' verdicts (pc, pi2 pass; dragonboard's missing
# SMD/SMEM) are checked on the real kernel snaps by tests-qemu/kernel-snaps.sh.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ck=$SRCDIR/scripts/check-kernel-config
# shellcheck source=confine/tests/lib/tap.sh
. "$SRCDIR/confine/tests/lib/tap.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# full BOARD: a configuration with every option BOARD needs, as it wants it (ym: m)
full() {
	{
		echo "# a made-up configuration"
		sed 's/#.*//' "$SRCDIR/board/common/kernel-needs" "$SRCDIR/board/$1/kernel-needs" |
			awk 'NF >= 3 { printf "CONFIG_%s=%s\n", $1, ($2 == "ym" ? "m" : $2) }'
		echo "CONFIG_UNRELATED=y"
	}
}
# verdict BOARD CONFIG: the exit status and the missing options' names
verdict() {
	out=$("$ck" "$1" "$2" 2>&1)
	rc=$?
	printf '%s %s' "$rc" "$(printf '%s\n' "$out" | sed -n 's/^missing CONFIG_\([A-Z0-9_]*\):.*/\1/p' | sort | tr '\n' ' ')"
}

for b in pc pi2 dragonboard; do
	full $b >"$t/$b.config"
	is "$b: a configuration with all it needs passes" "$(verdict $b "$t/$b.config")" "0 "
	is "$b: ... and says so" "$("$ck" $b "$t/$b.config" | tail -n 1 | cut -d' ' -f1)" "PASS:"
done
# the dragonboard's SMD/SMEM chain as Debian's arm64 kernel has it: HWSPINLOCK
# not set, the options that depend on it absent
grep -v -e '^CONFIG_HWSPINLOCK' -e '^CONFIG_QCOM_SMEM=' -e '^CONFIG_RPMSG_QCOM_SMD=' "$t/dragonboard.config" >"$t/db.config"
echo "# CONFIG_HWSPINLOCK is not set" >>"$t/db.config"
is "dragonboard without SMD/SMEM fails, naming exactly those" "$(verdict dragonboard "$t/db.config")" \
	"1 HWSPINLOCK HWSPINLOCK_QCOM QCOM_SMEM RPMSG_QCOM_SMD "
is "... 'not set' and 'absent' told apart" \
	"$("$ck" dragonboard "$t/db.config" | grep -c -e '^missing CONFIG_HWSPINLOCK: not set, needs y or m' \
		-e '^missing CONFIG_QCOM_SMEM: absent')" 2
is "... the verdict counts them" "$("$ck" dragonboard "$t/db.config" | tail -n 1 | cut -d' ' -f1-3)" "FAIL: 4 of"
# a module where the board needs it built in (the pi2's console)
sed 's/^CONFIG_SERIAL_AMBA_PL011_CONSOLE=y/CONFIG_SERIAL_AMBA_PL011_CONSOLE=m/' "$t/pi2.config" >"$t/pi2m.config"
is "pi2 with its console a module (needs y) fails" "$(verdict pi2 "$t/pi2m.config")" "1 SERIAL_AMBA_PL011_CONSOLE "
# built in where a module would do
sed 's/^CONFIG_MMC_BCM2835=m/CONFIG_MMC_BCM2835=y/' "$t/pi2.config" >"$t/pi2y.config"
is "pi2 with the SD card driver built in (ym) passes" "$(verdict pi2 "$t/pi2y.config")" "0 "
# an option of board/common/kernel-needs missing fails on every board
grep -v '^CONFIG_SECURITY_APPARMOR=' "$t/pc.config" >"$t/pcaa.config"
is "pc without AppArmor (board/common/kernel-needs) fails" "$(verdict pc "$t/pcaa.config")" "1 SECURITY_APPARMOR "
# bad input: exit 2, one line naming it
is "no such board" "$("$ck" nosuch "$t/pc.config" 2>&1; echo "exit $?")" \
	"check-kernel-config: nosuch: no such board (no board/nosuch/kernel-needs)
exit 2"
is "a board name that is a path" "$("$ck" ../pc "$t/pc.config" 2>&1; echo "exit $?")" \
	"check-kernel-config: ../pc: not a board name
exit 2"
is "no such file" "$("$ck" pc "$t/none" 2>&1; echo "exit $?")" "check-kernel-config: $t/none: no such file
exit 2"
printf 'hello\n' >"$t/text"
is "not a configuration" "$("$ck" pc "$t/text" 2>&1; echo "exit $?")" \
	"check-kernel-config: $t/text: not a kernel configuration (no CONFIG_ lines)
exit 2"
# a malformed needs line (a copy of the tree with one bad line)
mkdir -p "$t/src/scripts" "$t/src/board/pc" "$t/src/board/common"
cp "$ck" "$t/src/scripts/" && cp "$SRCDIR/board/common/kernel-needs" "$t/src/board/common/"
printf 'VIRTIO_BLK ym the disk\nVIRTIO_NET maybe eth0\n' >"$t/src/board/pc/kernel-needs"
is "a malformed needs line" "$("$t/src/scripts/check-kernel-config" pc "$t/pc.config" 2>&1 >/dev/null; echo "exit $?")" \
	"check-kernel-config: $t/src/board/pc/kernel-needs line 2: expected NAME y|m|ym WHY, got \"VIRTIO_NET maybe eth0\"
exit 2"
tap_end
