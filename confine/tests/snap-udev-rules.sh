#!/bin/sh
# scripts/snap-udev-rules: gadget slots and connections become snapd-format
# udev rules (a TAG+= per app and device, the RUN+= snap-device-helper line);
# bad gadgets give one line and write nothing.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tool=$SRCDIR/scripts/snap-udev-rules
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0
check() { d=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $d"; else fails=$((fails + 1)); echo "not ok $n - $d"; fi; }
is() { [ "$1" = "$2" ] || { printf '# expected:\n%s\n# got:\n%s\n' "$2" "$1"; return 1; }; }

mkdir -p "$t/root/snap/hello/1/meta" "$t/gadget/meta"
ln -s 1 "$t/root/snap/hello/current"
cat >"$t/root/snap/hello/1/meta/snap.yaml" <<'Y'
name: hello
plugs:
  rng: {interface: custom-device}
  uart: {interface: serial-port}
apps:
  reader: {command: bin/r, plugs: [rng]}
  other: {command: bin/o}
  serial: {command: bin/s, plugs: [uart, home]}
Y
cat >"$t/gadget/meta/snap.yaml" <<'Y'
name: board
type: gadget
slots:
  hwrng: {interface: custom-device, udev: 'KERNEL=="hwrng"', devices: [/dev/hwrng]}
  console: {interface: custom-device, udev: 'SUBSYSTEM=="tty", KERNEL=="hvc1"', devices: [/dev/hvc1]}
  usb-serial: {interface: serial-port, path: /dev/ttyUSB0}
Y
cat >"$t/gadget/meta/gadget.yaml" <<'Y'
volumes: {}
connections:
  - {plug: 'hello:rng', slot: 'board:hwrng'}
  - {plug: 'hello:uart', slot: 'board:usb-serial'}
  - {plug: 'hello:home'}
  - {plug: 'hello:docs', slot: 'docs:docs'}
Y
"$tool" --root "$t/root" --gadget "$t/gadget" --apparmor-dir "$t/aa"
check "the rules are written (exit 0)" is "$?" 0
check "--apparmor-dir: the app given hwrng gets its device node's AppArmor rule" is "$(cat "$t/aa/snap.hello.reader.devices")" "  /dev/hwrng rw, # hwrng"
check "--apparmor-dir: the app without devices gets no rules file" [ ! -e "$t/aa/snap.hello.other.devices" ]
check "70-snap.hello.rules: the app that plugs rng gets hwrng, with the helper's RUN+= line" is "$(cat "$t/root/etc/udev/rules.d/70-snap.hello.rules")" "# written by snap-udev-rules: the devices the gadget gives to hello's apps
# hello:rng connected to hwrng
KERNEL==\"hwrng\", TAG+=\"snap_hello_reader\"
# hello:uart connected to usb-serial
SUBSYSTEM==\"tty\", KERNEL==\"ttyUSB0\", TAG+=\"snap_hello_serial\"
TAG==\"snap_hello_reader\", RUN+=\"/usr/lib/snapd/snap-device-helper \$env{ACTION} snap_hello_reader \$devpath \$major:\$minor\"
TAG==\"snap_hello_serial\", RUN+=\"/usr/lib/snapd/snap-device-helper \$env{ACTION} snap_hello_serial \$devpath \$major:\$minor\""
check "--apparmor-dir: a serial-port slot's path is the app's device node" is "$(cat "$t/aa/snap.hello.serial.devices")" "  /dev/ttyUSB0 rw, # usb-serial"
check "connections to the system's slots and to another snap's are skipped (no rules for them)" is "$(grep -c 'home\|docs' "$t/root/etc/udev/rules.d/70-snap.hello.rules")" 0

bad() { # bad DESCRIPTION EXPECTED: gadget.yaml/snap.yaml were altered
	rm -rf "$t/root/etc"
	err=$("$tool" --root "$t/root" --gadget "$t/gadget" 2>&1)
	rc=$?
	check "$1: exit 1, one line ($2)" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"$3"*) ;; *) exit 1 ;; esac' _ "$rc" "$err" "$2"
	check "$1: nothing written" [ ! -e "$t/root/etc/udev/rules.d/70-snap.hello.rules" ]
}
printf 'connections:\n  - {plug: hello:rng, slot: board:nope}\n' >"$t/gadget/meta/gadget.yaml"
bad "unknown slot" "no slot 'nope' in the gadget 'board'"
printf 'connections:\n  - {plug: hello:net, slot: board:hwrng}\n' >"$t/gadget/meta/gadget.yaml"
bad "unknown plug" "snap 'hello' has no plug 'net'"
printf 'connections:\n  - {plug: hello, slot: board:hwrng}\n' >"$t/gadget/meta/gadget.yaml"
bad "malformed connection" "expected plug: SNAP:PLUG and slot: SNAP:SLOT"
printf 'connections:\n  - {plug: hello:rng, slot: board:hwrng}\n' >"$t/gadget/meta/gadget.yaml"
sed -i 's/KERNEL=="hwrng"/KERNEL=="hwrng", RUN+="\/bin\/evil"/' "$t/gadget/meta/snap.yaml"
bad "a slot whose udev text is not only match keys" "udev must be udev match keys"
sed -i 's/, RUN+="\/bin\/evil"//; s|devices: \[/dev/hwrng\]|devices: [/etc/shadow]|' "$t/gadget/meta/snap.yaml"
bad "a slot whose devices are not /dev paths" "devices must be a list of /dev paths"
printf 'connections:\n  - {plug: hello:uart, slot: board:usb-serial}\n' >"$t/gadget/meta/gadget.yaml"
sed -i 's|path: /dev/ttyUSB0|path: /dev/hvc0|' "$t/gadget/meta/snap.yaml"
bad "a serial-port path that names no serial port (snapd refuses it too)" "a serial-port path must be a serial port's device node"
echo "1..$n"
[ $fails = 0 ]
