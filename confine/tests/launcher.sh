#!/bin/sh
# The launcher for real, as root on this machine: a private mount namespace
# holds a fake root (tmpfs) with a base snap, two snaps, compiled profiles
# and the launcher installed setuid root; the tests pivot into it and run
# apps as an ordinary user through snap-run and snap-confine, checking real
# outcomes: environment, identity, errno of denied calls and the kernel's
# audit line, shared and separate namespaces, preservation, staleness,
# mount profiles applied and changed, concurrent first launches, and every
# kind of bad input with its one-line error and nothing executed.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the launcher tests need root (namespaces, setuid, mounts)"
	exit 0
fi
if ! unshare -m true 2>/dev/null; then
	echo "1..0 # SKIP cannot create a mount namespace here"
	exit 0
fi
# the legacy mode (Kconfig CONFINE_LEGACY_HOST_ROOT) is a different build of
# the launcher: the pc board's, which runs on this x86_64 host
LEGACY=$O/boards/pc-legacy
if make -s O="$LEGACY" pc_defconfig >/dev/null &&
	printf 'CONFIG_CONFINE_LEGACY_HOST_ROOT=y\nCONFIG_CONFINE_LIBEXECDIR="/opt/confine-legacy"\n' >>"$LEGACY/.config" &&
	make -s O="$LEGACY" olddefconfig >/dev/null 2>&1 && make -s O="$LEGACY" >"$LEGACY.log" 2>&1 &&
	grep -q '^CONFIG_CONFINE_LEGACY_HOST_ROOT=y' "$LEGACY/.config"; then
	LEGACY_BIN=$LEGACY/target/bin
else
	LEGACY_BIN=""
fi
# Debian's snapd, for its snap-device-helper (the devices v2 checks say why when it is missing)
if "$SRCDIR/scripts/fetch-peer-snapd" >/dev/null 2>"$O/peer-fetch.log"; then
	PEER_HELPER=$O/peer/root/usr/lib/snapd/snap-device-helper
else
	PEER_HELPER=""
fi
# Debian's static busybox, the shell of the fake base (snap-run --shell; the images' base has it too)
if bb=$("$SRCDIR/scripts/fetch-deb" busybox-static:amd64 2>"$O/busybox-fetch.log"); then
	BUSYBOX=$bb/bin/busybox
else
	BUSYBOX=""
fi
export SRCDIR O LEGACY_BIN PEER_HELPER BUSYBOX
# Namespace ids come from per-CPU batches (Linux 6.x) and the kernel refuses to bind a
# namespace file whose id is below the binder's: on one CPU the ids of the namespaces
# created here keep increasing, as they do from the initial namespace on a device.
# A pid namespace of its own: the fake root's /proc shows the tests' processes only, all
# of which the launcher can inspect (it looks for users of a stale namespace there).
exec taskset -c 0 unshare -m -p -f --propagation private sh "$SRCDIR/confine/tests/launcher/inner.sh"
