#!/bin/sh
# snap-interfaces and every interface data file of
# confine/snap-interfaces/interfaces: a snap "hello" with one app per
# interface (and an app "plain" with no plug), a gadget "pc" giving the
# board's slots and connecting the plugs, a snap "provider" sharing content,
# all installed into a scratch root with the host tool for the pc board.
# Checked for each interface: the seccomp profile allows the calls the
# interface adds while "plain" gets EPERM for them, and a call the interface
# does not add stays EPERM (snap-seccomp simulate); the AppArmor profile
# compiled (apparmor_parser with /usr/share/apparmor-features/features) and
# holds the interface's rules, which "plain" does not; the udev rules tag the
# right devices; the mount profile of content and layouts; whether it
# connects by itself on Core and who provides its slot. Bad input (an
# unknown interface, a bad attribute, a connection to a slot of another
# interface, malformed YAML) is one line naming the file, line and column,
# exit 1, and nothing written.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
si=$O/host/bin/snap-interfaces
sc=$O/host/bin/snap-seccomp
ifaces=$SRCDIR/confine/snap-interfaces/interfaces
features=/usr/share/apparmor-features/features
parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
if [ ! -x "$si" ] || [ ! -x "$sc" ]; then
	make -s -C "$SRCDIR" O="$O" host >/dev/null 2>&1 || { echo "Bail out! the host tools do not build"; exit 1; }
fi
if [ ! -x "$parser" ] || [ ! -f "$features" ]; then
	echo "1..0 # SKIP apparmor_parser or $features is missing (scripts/install-deps installs them)"
	exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0
check() { d=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $d"; else fails=$((fails + 1)); echo "not ok $n - $d"; fi; }
is() { [ "$1" = "$2" ] || { printf '# expected: %s\n# got:      %s\n' "$2" "$1"; return 1; }; }
not_grep() { ! grep -q "$@"; }
# SI ROOT [--apparmor-parser none] COMMAND...: the host tool for the pc board
SI() {
	r=$1
	shift
	"$si" --root "$r" --target pc --interfaces "$IFACES" --seccomp-base "$SRCDIR/confine/snap-seccomp/policy/default.src" \
		--apparmor-base "$SRCDIR/confine/snap-interfaces/policy/apparmor-base" \
		--update-ns-base "$SRCDIR/confine/snap-interfaces/policy/update-ns-base" --apparmor-parser "$parser" \
		--apparmor-features "$features" --libexecdir /usr/lib/snapd "$@"
}
IFACES=$ifaces
mksnap() { # mksnap DIR: a snap tree with bin/app; meta/snap.yaml from stdin
	mkdir -p "$1/meta" "$1/bin"
	cat >"$1/meta/snap.yaml"
	: >"$1/bin/app"
}

# ---------------------------------------------------------------- the snaps
# one app per interface, named after it (a second one for i2c by sysfs
# name, serial-port by USB ids, home with read: all)
mksnap "$t/src/hello/1" <<'Y'
name: hello
version: '1'
plugs:
  home-all: {interface: home, read: all}
  i2c-sysfs: i2c
  serial-usb: serial-port
  disk: {interface: custom-device, custom-device: board-devices}
  shared: {interface: content, content: shared-data, target: $SNAP_DATA/shared}
layout:
  /usr/share/hello:
    bind: $SNAP/share
apps:
  network: {command: bin/app, plugs: [network]}
  network-bind: {command: bin/app, plugs: [network-bind]}
  network-observe: {command: bin/app, plugs: [network-observe]}
  network-control: {command: bin/app, plugs: [network-control]}
  gpio: {command: bin/app, plugs: [gpio]}
  i2c: {command: bin/app, plugs: [i2c]}
  i2c-sysfs: {command: bin/app, plugs: [i2c-sysfs]}
  spi: {command: bin/app, plugs: [spi]}
  serial-port: {command: bin/app, plugs: [serial-port]}
  serial-usb: {command: bin/app, plugs: [serial-usb]}
  hardware-random-observe: {command: bin/app, plugs: [hardware-random-observe]}
  hardware-observe: {command: bin/app, plugs: [hardware-observe]}
  log-observe: {command: bin/app, plugs: [log-observe]}
  system-observe: {command: bin/app, plugs: [system-observe]}
  mount-observe: {command: bin/app, plugs: [mount-observe]}
  home: {command: bin/app, plugs: [home]}
  home-all: {command: bin/app, plugs: [home-all]}
  removable-media: {command: bin/app, plugs: [removable-media]}
  raw-usb: {command: bin/app, plugs: [raw-usb]}
  shutdown: {command: bin/app, plugs: [shutdown]}
  time-control: {command: bin/app, plugs: [time-control]}
  custom-device: {command: bin/app, plugs: [disk]}
  content: {command: bin/app, plugs: [shared]}
  plain: {command: bin/app, plugs: []}
Y
mksnap "$t/src/provider/3" <<'Y'
name: provider
version: '3'
slots:
  shared:
    interface: content
    content: shared-data
    read: [$SNAP/data]
  out:
    interface: content
    source:
      write: [$SNAP_DATA/out]
apps:
  serve: {command: bin/app}
Y
mksnap "$t/src/pc/1" <<'Y'
name: pc
version: '1'
type: gadget
slots:
  pin: {interface: gpio, number: 17}
  bus: {interface: i2c, path: /dev/i2c-1}
  eeprom: {interface: i2c, sysfs-name: 1-0050}
  spidev: {interface: spi, path: /dev/spidev0.1}
  uart: {interface: serial-port, path: /dev/ttyS1}
  ftdi: {interface: serial-port, path: /dev/serial-port-ftdi, usb-vendor: 0x0403, usb-product: 0x6001, usb-interface-number: 1}
  board-devices:
    interface: custom-device
    devices: [/dev/hvc0, '/dev/vd[a-z]', '/dev/input/event*']
    read-devices: [/dev/rtc0]
    files:
      read: [/etc/board.conf]
      write: [/sys/class/leds/led0/brightness]
    udev-tagging:
      - kernel: hvc0
        subsystem: tty
      - kernel: 'vd[a-z]'
        subsystem: block
        attributes: {serial: confine-data}
Y
cat >"$t/src/pc/1/meta/gadget.yaml" <<'Y'
connections:
  - {plug: hello:gpio, slot: pc:pin}
  - {plug: hello:i2c, slot: pc:bus}
  - {plug: hello:i2c-sysfs, slot: pc:eeprom}
  - {plug: hello:spi, slot: pc:spidev}
  - {plug: hello:serial-port, slot: pc:uart}
  - {plug: hello:serial-usb, slot: pc:ftdi}
  - {plug: hello:disk, slot: pc:board-devices}
  - {plug: hello:shared, slot: provider:shared}
  - {plug: hello:network-observe, slot: system:network-observe}
  - {plug: hello:network-control, slot: system:network-control}
  - {plug: hello:hardware-random-observe, slot: system:hardware-random-observe}
  - {plug: hello:hardware-observe, slot: system:hardware-observe}
  - {plug: hello:log-observe, slot: system:log-observe}
  - {plug: hello:system-observe, slot: system:system-observe}
  - {plug: hello:mount-observe, slot: system:mount-observe}
  - {plug: hello:home, slot: system:home}
  - {plug: hello:home-all, slot: system:home}
  - {plug: hello:removable-media, slot: system:removable-media}
  - {plug: hello:raw-usb, slot: system:raw-usb}
  - {plug: hello:shutdown, slot: system:shutdown}
  - {plug: hello:time-control, slot: system:time-control}
Y
R=$t/root
out=$(SI "$R" install "$t/src/hello/1" "$t/src/provider/3" "$t/src/pc/1" 2>&1)
check "the snaps and the gadget install, every profile compiled (exit 0)" is "$?:$out" "0:"
aa=$R/var/lib/snapd/apparmor
bpf=$R/var/lib/snapd/seccomp/bpf
cp "$bpf/snap.provider.serve.bin2" "$t/serve.bin2"
out=$(SI "$R" check 2>&1)
check "check reads the installed system (exit 0, silent)" is "$?:$out" "0:"
# the same snaps again: no filter is compiled again (the files keep their
# inodes), none is removed as stale; one deleted is compiled again
ino() { for f in "$@"; do stat -c %i "$f" 2>/dev/null || echo gone; done | tr '\n' ' '; }
filters=$(ls "$bpf"/snap.*.bin2)
before=$(ino $filters)
# every file the install wrote (profiles, sources, run files, udev rules, mount profiles)
written=$(find "$R/var/lib/snapd" "$R/etc" -type f | sort)
written_before=$(ino $written)
ln -s 7 "$R/snap/hello/.current.new" # as an install cut short between its link and the rename leaves it
out=$(SI "$R" install "$t/src/hello/1" "$t/src/provider/3" "$t/src/pc/1" 2>&1)
check "the same snaps installed again: no filter compiled again nor removed ($(echo $filters | wc -w) kept)" \
	is "$?:$out:$(ino $filters)" "0::$before"
check "... nor any other file written again: $(echo $written | wc -w) files keep their inodes" \
	is "$(ino $written)" "$written_before"
check "the current link replaced by a rename (a leftover .current.new replaced, none left)" \
	is "$(readlink "$R/snap/hello/current"):$(ls -A "$R/snap/hello" | tr '\n' ' ')" "1:1 current "
rm "$bpf/snap.provider.serve.bin2"
out=$(SI "$R" install "$t/src/hello/1" "$t/src/provider/3" "$t/src/pc/1" 2>&1)
check "a filter deleted is compiled again from its unchanged source, the others kept" \
	is "$?:$out:$(ino $filters | sed 's/[0-9]*/N/g')" "0::$(echo "$before" | sed 's/[0-9]*/N/g')"
check "the filter compiled again is the same program" is "$(cmp "$bpf/snap.provider.serve.bin2" "$t/serve.bin2" && echo same)" same
out=$(SI "$R" check "$t/src/hello/1" 2>&1)
check "check takes no snap directory: usage error (exit 2)" is "$?:$out" \
	"2:snap-interfaces: check: unexpected argument '$t/src/hello/1'"
out=$(SI "$R" connect hello:gpio pc:gpio extra 2>&1)
check "connect with a third argument: usage error (exit 2)" is "$?:$out" \
	"2:snap-interfaces: connect: unexpected argument 'extra'"
udev=$R/etc/udev/rules.d/70-snap.hello.rules

# ---------------------------------------------------------------- seccomp
# sim APP ARCH CALL [ARGS]: the action of the app's compiled profile
sim() { a=$1; shift; "$sc" simulate "$bpf/snap.hello.$a.bin2" "$@" | cut -d' ' -f1; }
# allows APP CALL [ARGS]: the app may, plain may not
allows() {
	a=$1
	shift
	check "$a: seccomp allows $*, plain gets EPERM" is "$(sim "$a" x86_64 "$@") $(sim plain x86_64 "$@")" "ALLOW ERRNO(1)"
}
denies() { a=$1; shift; check "$a: seccomp still denies $* (EPERM)" is "$(sim "$a" x86_64 "$@")" "ERRNO(1)"; }
# the rule lines an app has beyond plain's
added() { grep -v '^#' "$bpf/snap.hello.$1.src" | grep -v '^$' | grep -vxF -f "$bpf/snap.hello.plain.src" | sort -u | tr '\n' ' '; }
AF_NETLINK=16
SOCK_RAW=3
allows network bind 3 0 0
allows network socket $AF_NETLINK $SOCK_RAW 0 # NETLINK_ROUTE
allows network socket 123                     # AF_CONN
denies network listen 3 1
denies network socket $AF_NETLINK $SOCK_RAW 9 # NETLINK_AUDIT
allows network-bind listen 3 1
allows network-bind accept4 3 0 0 0
denies network-bind socket 123
allows network-observe socket $AF_NETLINK $SOCK_RAW 4  # NETLINK_INET_DIAG
allows network-observe socket $AF_NETLINK $SOCK_RAW 15 # NETLINK_KOBJECT_UEVENT
denies network-observe socket $AF_NETLINK $SOCK_RAW 6  # NETLINK_XFRM
denies network-observe mount
allows network-control mount
allows network-control setns 3 0x40000000 # CLONE_NEWNET
allows network-control bpf
allows network-control socket $AF_NETLINK $SOCK_RAW 6
denies network-control setns 3 0x20000 # CLONE_NEWNS
denies network-control reboot
allows hardware-observe iopl 3
allows hardware-observe socket $AF_NETLINK $SOCK_RAW 16 # NETLINK_GENERIC
denies hardware-observe ioperm 0 1 1
denies hardware-observe socket $AF_NETLINK $SOCK_RAW 0
allows mount-observe quotactl 0x80000700 # QCMD(Q_GETQUOTA, USRQUOTA)
allows mount-observe quotactl 0x80000501 # QCMD(Q_GETINFO, GRPQUOTA)
allows mount-observe quotactl 0x580500   # QCMD(Q_XGETQSTAT, USRQUOTA)
denies mount-observe quotactl 0x80000800 # QCMD(Q_SETQUOTA, USRQUOTA)
denies mount-observe quotactl 0x800007   # the bare command
M1=0xfee1dead M2=672274793
allows shutdown reboot "$M1" "$M2" 0x4321fedc          # LINUX_REBOOT_CMD_POWER_OFF
allows shutdown reboot "$M1" "$M2" 0x1234567           # LINUX_REBOOT_CMD_RESTART
allows shutdown reboot "$M1" "$M2" 0xffffffffcdef0123 # LINUX_REBOOT_CMD_HALT, sign-extended
denies shutdown reboot "$M1" "$M2" 0xd000fce2         # LINUX_REBOOT_CMD_SW_SUSPEND
denies shutdown reboot "$M1" "$M2" 0x45584543         # LINUX_REBOOT_CMD_KEXEC
check "shutdown: the i386 compat path too" is "$(sim shutdown i386 reboot "$M1" "$M2" 0xcdef0123)" ALLOW
allows time-control settimeofday 0 0
allows time-control clock_settime 0 0
allows time-control adjtimex 0
allows time-control clock_adjtime 0 0
denies time-control reboot "$M1" "$M2" 0x4321fedc
allows raw-usb socket $AF_NETLINK $SOCK_RAW 15
denies raw-usb socket $AF_NETLINK $SOCK_RAW 0
denies raw-usb bind 3 0 0
# the interfaces that add no seccomp rule: nothing beyond plain's, and
# what another interface would add stays EPERM
for a in gpio i2c i2c-sysfs spi serial-port serial-usb hardware-random-observe log-observe system-observe \
	home home-all removable-media custom-device content; do
	check "$a: no seccomp rule added" is "$(added "$a")" ""
done
denies system-observe ptrace 16 1 # PTRACE_ATTACH: observing is not tracing
denies log-observe bind 3 0 0
denies home mount
check "the interface lines of network: exactly its own" is "$(added network)" "bind socket AF_CONN socket AF_NETLINK - NETLINK_ROUTE "

# ---------------------------------------------------------------- AppArmor
# has APP RULE...: the app's profile holds each rule (a line of it), plain's none
rule_only_in() { grep -qxF "  $2" "$aa/profiles/snap.hello.$1" && ! grep -qxF "  $2" "$aa/profiles/snap.hello.plain"; }
not_in() { ! grep -qF "$2" "$aa/profiles/snap.hello.$1"; }
has() { a=$1; shift; for rule in "$@"; do check "$a: AppArmor holds '$rule', plain does not" rule_only_in "$a" "$rule"; done; }
lacks() { a=$1; shift; for rule in "$@"; do check "$a: AppArmor lacks '$rule'" not_in "$a" "$rule"; done; }
# the install ran apparmor_parser -M $features on every profile and fails when one does not compile
for a in network network-bind network-observe network-control gpio i2c i2c-sysfs spi serial-port serial-usb \
	hardware-random-observe hardware-observe log-observe system-observe mount-observe home home-all removable-media \
	raw-usb shutdown time-control custom-device content plain; do
	check "$a: the AppArmor profile compiled for the image's features" [ -s "$aa/snap.hello.$a.bin" ]
done
has network 'network inet stream,' 'network inet6 dgram,' '/etc/{hosts,host.conf,services,protocols,gai.conf,nsswitch.conf,resolv.conf,mdns.allow} r,'
lacks network 'network inet raw' 'network inet,'
has network-bind '@{PROC}/sys/net/ipv4/ip_local_port_range r,' '@{PROC}/@{pid}/net/{if_inet6,ipv6_route} r,'
has network-observe '@{PROC}/@{pid}/net/** r,' 'network netlink raw,' 'capability net_raw,'
lacks network-observe 'capability net_admin'
has network-control 'capability net_admin,' '/dev/net/tun rw,' '@{PROC}/sys/net/{core,ipv4,ipv6,netfilter}/** rw,' 'mount options=(rw, bind) / -> /run/netns/*,'
lacks network-control 'dbus'
has gpio '/sys/devices/**/gpio/gpio17/* rwk,'
has i2c '/dev/i2c-1 rw,' '/sys/devices/platform/{*,**.i2c}/i2c-1/** rw,'
has i2c-sysfs '/sys/bus/i2c/devices/1-0050/** rw,'
lacks i2c-sysfs '/dev/i2c'
has spi '/dev/spidev0.1 rw,' '/sys/devices/platform/**/**.spi/**/spidev0.1/** rw,'
has serial-port '/dev/ttyS1 rwk,'
has serial-usb '/dev/tty[A-Z]*[0-9] rwk,'
lacks serial-usb '/dev/serial-port-ftdi'
has hardware-random-observe '/dev/hwrng r,' '/sys/devices/virtual/misc/hw_random/rng_{available,current} r,'
has hardware-observe '/sys/{block,bus,class,devices,firmware}/{,**} r,' '@{PROC}/ioports r,' '@{PROC}/interrupts r,' 'capability sys_rawio,'
lacks hardware-observe 'systemd'
has log-observe '/var/log/** r,' '/dev/kmsg r,' 'capability syslog,'
has system-observe 'ptrace (read),' '@{PROC}/tty/drivers r,' '@{PROC}/*/{,task/*/}{autogroup,auxv,cgroup,cmdline,comm,exe,io,oom_score,smaps_rollup,schedstat,stat,statm,status,wchan} r,'
lacks system-observe 'ptrace (trace)' 'dbus'
has mount-observe '@{PROC}/swaps r,' 'owner @{PROC}/@{pid}/{mounts,mountinfo,mountstats} r,' '@{PROC}/1/mounts r,'
has home 'owner /{home/*,root}/[^s.]** rwkl,' 'audit deny /{home/*,root}/bin/{,**} wl,'
lacks home 'capability dac_read_search' '/{home/*,root}/.'
has home-all 'owner /{home/*,root}/[^s.]** rwkl,' 'capability dac_read_search,' '/{home/*,root}/[^s.]** r,'
has removable-media '/{,run/}media/*/** mrwklix,' '/mnt/** mrwklix,'
has raw-usb '/dev/bus/usb/[0-9][0-9][0-9]/[0-9][0-9][0-9] rw,' '/dev/tty{USB,ACM}[0-9]* rwk,'
has shutdown 'capability sys_boot,'
has time-control 'capability sys_time,' '/dev/rtc[0-9]* rw,' '/sys/devices/**/rtc/rtc[0-9]*/** rw,'
has custom-device '"/dev/hvc0" rwk,' '"/dev/vd[a-z]" rwk,' '"/dev/input/event*" rwk,' '"/dev/rtc0" r,' \
	'"/etc/board.conf" r,' '"/sys/class/leds/led0/brightness" rw,'
has content '/var/snap/hello/1/shared/** mrkix,' '"/snap/provider/3/data/**" mrkix,'
layout_rule() { grep -qxF "  /usr/share/hello{,/**} mrwklix," "$aa/profiles/snap.hello.$1"; }
check "the layout's rule is in every app's profile" layout_rule plain
check "... (another app)" layout_rule gpio

# ---------------------------------------------------------------- udev
# tags APP MATCH...: each match line tags the app's devices
tags() {
	a=$1
	shift
	for m in "$@"; do
		check "$a: udev tags $m" grep -qxF "$m, TAG+=\"snap_hello_$a\"" "$udev"
	done
}
tags i2c 'KERNEL=="i2c-1"'
tags spi 'KERNEL=="spidev0.1"'
tags serial-port 'SUBSYSTEM=="tty", KERNEL=="ttyS1"'
tags serial-usb 'SUBSYSTEM=="tty", SUBSYSTEMS=="usb", ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6001", ENV{ID_USB_INTERFACE_NUM}=="01"'
tags hardware-random-observe 'SUBSYSTEM=="misc", KERNEL=="hw_random"'
tags network-control 'KERNEL=="rfkill"' 'KERNEL=="tun"'
tags raw-usb 'SUBSYSTEM=="usb"' 'SUBSYSTEM=="usbmisc"' 'SUBSYSTEM=="tty", ENV{ID_BUS}=="usb"'
tags time-control 'SUBSYSTEM=="rtc"' 'KERNEL=="pps[0-9]*"'
tags custom-device 'KERNEL=="hvc0", SUBSYSTEM=="tty"' 'KERNEL=="vd[a-z]", SUBSYSTEM=="block", ATTR{serial}=="confine-data"' \
	'KERNEL=="input/event*"' 'KERNEL=="event*"' 'KERNEL=="rtc0"'
check "custom-device: a device with a udev-tagging rule gets no bare KERNEL match" not_grep -E '^KERNEL=="(vd\[a-z\]|hvc0)", TAG' "$udev"
for a in gpio i2c-sysfs hardware-observe log-observe system-observe mount-observe home removable-media shutdown \
	network network-observe content plain; do
	check "$a: no device tagged" not_grep -F "TAG+=\"snap_hello_$a\"" "$udev"
done
check "the helper's line for a tagged app, not for plain" sh -c \
	'grep -qxF "TAG==\"snap_hello_spi\", SUBSYSTEM!=\"module\", SUBSYSTEM!=\"subsystem\", RUN+=\"/usr/lib/snapd/snap-device-helper \$env{ACTION} snap_hello_spi \$devpath \$major:\$minor\"" "$1" && ! grep -q "snap_hello_plain" "$1"' _ "$udev"

# ---------------------------------------------------------------- mount profile
check "content and the layout in hello's mount profile" is "$(grep -v '^#' "$R/var/lib/snapd/mount/snap.hello.fstab")" \
	"/snap/provider/3/data /var/snap/hello/1/shared none bind,ro 0 0
/snap/hello/1/share /usr/share/hello none rbind,rw,x-snapd.origin=layout 0 0"
# the layout's mount point is in the base: snap-update-ns.hello may build writable mimics of
# /usr and /usr/share, which means listing each (without it: 'cannot list /usr for a writable
# mimic: Permission denied' on the boards)
for d in /usr /usr/share; do
	check "snap-update-ns.hello: a writable mimic of $d (tmpfs, listing, stand-ins)" sh -c \
		'grep -qxF "  mount fstype=tmpfs options=(rw) tmpfs -> $2/," "$1" && grep -qxF "  $2/ r," "$1" && grep -qxF "  $2/{*,*/} w," "$1"' \
		_ "$aa/profiles/snap-update-ns.hello" "$d"
done

# ---------------------------------------------------------------- connecting
# every interface plugged by one app, no gadget: what connects by itself on
# Core, and who provides the slot (the system, or only a gadget)
mksnap "$t/src/all/1" <<'Y'
name: all
version: '1'
plugs:
  cd: custom-device
  data: {interface: content, target: $SNAP_DATA/x}
apps:
  app:
    command: bin/app
    plugs: [network, network-bind, network-observe, network-control, gpio, i2c, spi, serial-port,
      hardware-random-observe, hardware-observe, log-observe, system-observe, mount-observe, home,
      removable-media, raw-usb, shutdown, time-control, cd, data]
Y
A=$t/auto
out=$(SI "$A" --apparmor-parser none install "$t/src/all/1" 2>&1)
check "a snap plugging every interface installs without a gadget" is "$?:$out" "0:"
conns=$(SI "$A" connections)
for i in network network-bind; do
	check "$i connects by itself on Core (to system:$i)" sh -c 'printf "%s\n" "$1" | grep -qE "^$2 +all:$2 +system:$2 "' _ "$conns" "$i"
done
for i in network-observe network-control gpio i2c spi serial-port hardware-random-observe hardware-observe log-observe \
	system-observe mount-observe home removable-media raw-usb shutdown time-control; do
	check "$i does not connect by itself on Core" sh -c 'printf "%s\n" "$1" | grep -qE "^$2 +all:$2 +- "' _ "$conns" "$i"
done
for i in network-observe network-control hardware-random-observe hardware-observe log-observe system-observe \
	mount-observe home removable-media raw-usb shutdown time-control; do
	out=$(SI "$A" --apparmor-parser none connect "all:$i" "system:$i" 2>&1)
	check "$i: the system provides the slot (snap-interfaces connect all:$i system:$i)" is "$?:$out" "0:"
	out=$(SI "$A" --apparmor-parser none disconnect "all:$i" 2>&1)
	check "... and disconnect all:$i" is "$?:$out" "0:"
done
for i in gpio i2c spi serial-port; do
	out=$(SI "$A" --apparmor-parser none connect "all:$i" 2>&1)
	check "$i: no system slot, only a gadget's ('$out')" is "$out" "snap-interfaces: no slot of interface $i for all:$i: name one"
done
out=$(SI "$A" --apparmor-parser none connect all:cd 2>&1)
check "custom-device: no system slot, only a gadget's" is "$out" "snap-interfaces: no slot of interface custom-device for all:cd: name one"
out=$(SI "$A" --apparmor-parser none connect all:log-observe 2>&1)
check "snap-interfaces connect all:log-observe (the one slot: the system's)" is "$?:$out" "0:"
check "a manual connection shows as such" sh -c 'printf "%s\n" "$1" | grep -qE "^log-observe +all:log-observe +system:log-observe +manual"' _ "$(SI "$A" connections)"
check "... and gives the rules" grep -qxF "  /var/log/** r," "$A/var/lib/snapd/apparmor/profiles/snap.all.app"
out=$(SI "$A" --apparmor-parser none disconnect all:log-observe 2>&1)
check "disconnect takes them away" sh -c '[ -z "$1" ] && ! grep -qF "/var/log/**" "$2"' _ "$out" "$A/var/lib/snapd/apparmor/profiles/snap.all.app"

# ---------------------------------------------------------------- bad input
# bad DESCRIPTION EXPECTED SNAPDIR...: exit 1, one line containing EXPECTED, no root
bad() {
	d=$1 want=$2
	shift 2
	rm -rf "$t/badroot"
	err=$(SI "$t/badroot" install "$@" 2>&1)
	rc=$?
	check "$d: exit 1, one line ($want)" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"$3"*) ;; *) false ;; esac || { printf "# got: %s (exit %s)\n" "$2" "$1"; exit 1; }' _ "$rc" "$err" "$want"
	check "$d: nothing written" [ ! -e "$t/badroot" ]
}
badgadget() { # badgadget DESCRIPTION EXPECTED SLOTS [CONNECTIONS]: a gadget with these slots, hello beside it
	rm -rf "$t/src/bad"
	printf 'name: pc\nversion: "1"\ntype: gadget\nslots:\n%s\n' "$3" | mksnap "$t/src/bad/1"
	printf 'connections:\n%s\n' "${4:-  - {plug: hello:gpio, slot: pc:s\}}" >"$t/src/bad/1/meta/gadget.yaml"
	bad "$1" "$2" "$t/src/hello/1" "$t/src/bad/1"
}
badsnap() { # badsnap DESCRIPTION EXPECTED YAML
	rm -rf "$t/src/bad"
	printf '%s\n' "$3" | mksnap "$t/src/bad/1"
	bad "$1" "$2" "$t/src/bad/1"
}
badsnap "an unknown interface" "bad/1/meta/snap.yaml:4:16: plug x: unknown interface 'no-such'" "name: bad
plugs:
  x:
    interface: no-such
apps:
  a: {command: bin/app}"
badsnap "an app plugging an unknown name" "bad/1/meta/snap.yaml:3: app a: plug 'gpoi' is neither declared nor an interface" "name: bad
apps:
  a: {command: bin/app, plugs: [gpoi]}"
badsnap "home: read is not 'all'" "bad/1/meta/snap.yaml:3:30: plug h: attribute read 'some' is not valid" "name: bad
plugs:
  h: {interface: home, read: some}
apps:
  a: {command: bin/app}"
badsnap "content without a target" "bad/1/meta/snap.yaml:3:6: plug c (interface content) needs the attribute target" "name: bad
plugs:
  c: {interface: content}
apps:
  a: {command: bin/app}"
badsnap "malformed snap.yaml (line and column)" "bad/1/meta/snap.yaml:4:4: did not find expected ',' or '}'" "name: bad
apps:
  a: {command: bin/app
  b: {command: bin/app}"
badgadget "gpio: a number that is not a number" "bad/1/meta/snap.yaml:5:32: slot s: attribute number 'seventeen' must be a number" \
	"  s: {interface: gpio, number: seventeen}"
badgadget "gpio: no number" "bad/1/meta/snap.yaml:5:6: slot s (interface gpio) needs the attribute number" "  s: {interface: gpio}"
badgadget "i2c: not an i2c device node" "bad/1/meta/snap.yaml:5:29: slot s: attribute path '/dev/i2c-x' is not valid" \
	"  s: {interface: i2c, path: /dev/i2c-x}"
badgadget "i2c: a bad sysfs name" "bad/1/meta/snap.yaml:5:35: slot s: attribute sysfs-name '../x' is not valid" \
	"  s: {interface: i2c, sysfs-name: ../x}"
badgadget "spi: not a spidev node" "bad/1/meta/snap.yaml:5:29: slot s: attribute path '/dev/spidev0' is not valid" \
	"  s: {interface: spi, path: /dev/spidev0}"
badgadget "serial-port: not a UART's name" "bad/1/meta/snap.yaml:5:37: slot s: attribute path '/dev/ttyFOO0' is not valid" \
	"  s: {interface: serial-port, path: /dev/ttyFOO0}"
badgadget "serial-port: a vendor id out of range" "bad/1/meta/snap.yaml:5:69: slot s: attribute usb-vendor '70000' must be a number from 1 to 65535" \
	"  s: {interface: serial-port, path: /dev/serial-port-x, usb-vendor: 70000, usb-product: 1}"
badgadget "custom-device: a device outside /dev" "bad/1/meta/snap.yaml:5:43: slot s: attribute devices '/etc/shadow' is not valid" \
	"  s: {interface: custom-device, devices: [/etc/shadow]}"
badgadget "custom-device: a .. in a device path" "bad/1/meta/snap.yaml:5:43: slot s: attribute devices '/dev/../etc/shadow' is not valid" \
	"  s: {interface: custom-device, devices: [/dev/../etc/shadow]}"
badgadget "custom-device: a ** glob" "bad/1/meta/snap.yaml:5:43: slot s: attribute devices '/dev/**' is not valid" \
	"  s: {interface: custom-device, devices: ['/dev/**']}"
badgadget "custom-device: a quote in a file path" "bad/1/meta/snap.yaml:5:48: slot s: attribute files.read '/etc/a\"b' is not valid" \
	"  s: {interface: custom-device, files: {read: ['/etc/a\"b']}}"
badgadget "custom-device: a list where a list of paths is wanted" "bad/1/meta/snap.yaml:5:42: slot s: attribute devices must be a list" \
	"  s: {interface: custom-device, devices: /dev/hvc0}"
badgadget "custom-device: neither devices nor files" "bad/1/meta/snap.yaml:5:6: slot s (interface custom-device) needs one of the attributes devices" \
	"  s: {interface: custom-device}"
badgadget "custom-device: a udev-tagging rule without kernel" "bad/1/meta/snap.yaml:9:9: slot s: attribute udev-tagging.kernel is required" \
	"  s:
    interface: custom-device
    devices: [/dev/hvc0]
    udev-tagging:
      - subsystem: tty"
badgadget "custom-device: a udev-tagging kernel naming none of the devices" "bad/1/meta/snap.yaml:9:17: slot board-devices: udev-tagging kernel 'hvc1' is none of the slot's devices" \
	"  board-devices:
    interface: custom-device
    devices: [/dev/hvc0]
    udev-tagging:
      - kernel: hvc1" "  - {plug: hello:disk, slot: pc:board-devices}"
badgadget "custom-device: a udev attribute name it does not know" "bad/1/meta/snap.yaml:10:22: slot s: attribute udev-tagging.attributes.nosuch: unknown attribute" \
	"  s:
    interface: custom-device
    devices: [/dev/hvc0]
    udev-tagging:
      - kernel: hvc0
        attributes: {nosuch: x}"
badgadget "a plug connected to a slot of another interface" "bad/1/meta/gadget.yaml:2:5: cannot connect hello:gpio to pc:s: plug hello:gpio is of interface gpio, slot pc:s of i2c" \
	"  s: {interface: i2c, path: /dev/i2c-1}"
badgadget "custom-device: names that differ" "bad/1/meta/gadget.yaml:2:5: cannot connect hello:disk to pc:s: plug hello:disk has custom-device 'board-devices', slot pc:s has 's'" \
	"  s: {interface: custom-device, devices: [/dev/hvc0]}" "  - {plug: hello:disk, slot: pc:s}"
badgadget "malformed gadget.yaml" "bad/1/meta/gadget.yaml:3:3: did not find expected key" \
	"  s: {interface: gpio, number: 1}" "    - {plug: hello:gpio, slot: pc:s}
  x"
# a broken interface data file
mkdir -p "$t/ifaces"
cp "$ifaces"/*.yaml "$t/ifaces/"
printf 'interface: gpio\nslot-attributes:\n  number: {type: integer}\n' >"$t/ifaces/gpio.yaml"
IFACES=$t/ifaces
bad "an interface file with an unknown type" "ifaces/gpio.yaml:3:18: unknown type 'integer'" "$t/src/hello/1" "$t/src/pc/1"
printf 'interface: gpio\napparmor: [\n' >"$t/ifaces/gpio.yaml"
bad "a malformed interface file (line and column)" "ifaces/gpio.yaml:3:1: did not find expected node content" "$t/src/hello/1" "$t/src/pc/1"
# stacked repetitions (what the fuzzer found: glibc's regcomp ran out of memory on a+++...)
printf "interface: gpio\nslot-attributes:\n  number: {type: int, pattern: '^[0-9]+++++\$'}\n" >"$t/ifaces/gpio.yaml"
bad "a pattern with a repetition right after another" "ifaces/gpio.yaml:3:32: pattern: a repetition right after another" \
	"$t/src/hello/1" "$t/src/pc/1"
printf "interface: gpio\nslot-attributes:\n  number: {type: int, pattern: '^[+*]{1,3}[[:digit:]]+\$'}\n" >"$t/ifaces/gpio.yaml"
out=$(SI "$t/patroot" check 2>&1)
check "... while + and * in a bracket expression and one repetition after a {m,n} group's atom are fine" is "$?:$out" "0:"
printf "interface: gpio\nslot-attributes:\n  number: {type: int, pattern: '%s'}\n" "$(head -c 513 /dev/zero | tr '\0' a)" \
	>"$t/ifaces/gpio.yaml"
bad "a pattern longer than 512 bytes" "ifaces/gpio.yaml:3:32: pattern: longer than 512 bytes" "$t/src/hello/1" "$t/src/pc/1"
IFACES=$ifaces

echo "1..$n"
[ $fails = 0 ]
