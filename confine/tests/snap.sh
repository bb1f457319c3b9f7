#!/bin/sh
# snap (install, revert, list) for real on this machine, as root in a mount
# namespace of its own: the ASan build against a scratch root (--root),
# the host's snap-interfaces generating the profiles (--no-live), real
# squashfs files on real loop devices. Checked: a new revision of an app
# snap mounted read-only (EROFS), its file in the snaps directory, the
# data copied with owners, modes and links (a link to /etc/shadow copied as
# a link, never followed), common data shared, the profiles regenerated,
# the current links and the sequence; revert back to the old revision with
# its data as it was left; a second revert refused; the refusals (not
# root, no --dangerous, a bad name, a snap the generator refuses: nothing
# left, the old revision still current, a link as meta/snap.yaml); a
# kernel snap staged for a try-boot (its boot files on the boot directory,
# snap_try_kernel and snap_mode=try through boot-ok, read back with
# fw_printenv), and refused while a try is being booted. /snap is a
# read-only tmpfs as on the device: writable only while the snap tool
# changes it (an app namespace's copy stays read-only), read-only again
# after an install, a failed install and a revert; the current revision
# recorded for the next boot (state/<name>.current).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
SNAP=${SNAP:-$O/host-asan/bin/snap}
SI=$O/host/bin/snap-interfaces
PATH=$PATH:/usr/sbin:/sbin
if [ ! -x "$SNAP" ] || [ ! -x "$SI" ]; then
	echo "1..0 # SKIP $SNAP or $SI is not built (make host host-tests)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (loop devices, mounts)"
	exit 0
fi
for t in mksquashfs unshare setpriv; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t is missing (scripts/install-deps)"; exit 0; }
done
# the mounts made here vanish with this namespace
if [ -z "${SNAP_TEST_NS:-}" ]; then
	SNAP_TEST_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; echo "# expected '$3', got '$2'"; fi; }
has() {
	case $2 in *"$3"*) ok "$1" ;; *) nok "$1"; printf '%s\n' "# '$3' not in:" "$2" | sed '2,$s/^/# /' ;; esac
}

T=$(mktemp -d /tmp/snap-test.XXXXXX)
R=$T/root
L=$T/libexec
mkdir -p "$R/var/lib/snapd/snaps" "$R/snap" "$R/var/snap" "$R/home/alice" "$R/etc" "$R/boot/uboot" "$L"
cleanup() {
	for m in $(awk -v t="$T" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do umount -l "$m"; done
	rm -rf "$T"
}
trap cleanup EXIT
# the generator as the device runs it, with this tree's data (as scripts/snap-install gives it)
# (each run also notes the per-mount flags of /snap and of the apps' copy of it, while the snap tool has /snap open)
cat >"$L/snap-interfaces" <<EOF
#!/bin/sh
awk '\$5 == "$R/snap" { h = \$6 } \$5 == "$T/appsnap" { c = \$6 } END { print h, c }' /proc/self/mountinfo >>"$T/window"
exec "$SI" --target pc --interfaces "$SRCDIR/confine/snap-interfaces/interfaces" \\
	--seccomp-base "$SRCDIR/confine/snap-seccomp/policy/default.src" \\
	--apparmor-base "$SRCDIR/confine/snap-interfaces/policy/apparmor-base" \\
	--update-ns-base "$SRCDIR/confine/snap-interfaces/policy/update-ns-base" \\
	--apparmor-parser none "\$@"
EOF
chmod 0755 "$L/snap-interfaces"
# mksnap DIR NAME VERSION [EXTRA]: a snap tree and its squashfs DIR.snap
mksnap() {
	mkdir -p "$1/meta" "$1/bin"
	printf 'name: %s\nversion: "%s"\nbase: core\napps:\n  app:\n    command: bin/app\n%s' "$2" "$3" "${4:-}" \
		>"$1/meta/snap.yaml"
	printf '#!/bin/sh\necho %s\n' "$3" >"$1/bin/app"
	chmod 0755 "$1/bin/app"
	mksquashfs "$1" "$1.snap" -noappend -comp gzip -all-root -no-xattrs -no-progress >/dev/null 2>&1
}
snap() { "$SNAP" --root "$R" --libexecdir "$L" --no-live "$@"; }
# the mounts made by the steps (not /snap's tmpfs and its copy, made here)
mounts() {
	awk -v t="$T" -v s="$R/snap" -v c="$T/appsnap" 'index($5, t) == 1 && $5 != s && $5 != c { print $5 }' \
		/proc/self/mountinfo | sort | tr '\n' ' '
}
# the per-mount flags of a mount point (mountinfo's sixth field) and what creating below it gives
mflags() { awk -v m="$1" '$5 == m { f = $6 } END { print f }' /proc/self/mountinfo; }
erofs() { mkdir "$1/x" 2>&1 | sed 's/.*: //'; }

# /snap as rootfs/init makes it: a tmpfs, revision 1 installed on it as an
# image build does, then read-only (the mount's own flag); an app's
# namespace has its own copy of the mount (a bind, as snap-confine's)
mount -t tmpfs -o mode=0755,nodev,nosuid tmpfs "$R/snap"
mksnap "$T/demo1" demo 1.0
"$L/snap-interfaces" --root "$R" --no-live --core install "$T/demo1" >"$T/si.out" 2>&1 ||
	{ nok "revision 1 installed by snap-interfaces"; cat "$T/si.out"; }
mount -o remount,bind,ro,nodev,nosuid "$R/snap"
mkdir "$T/appsnap" && mount --bind "$R/snap" "$T/appsnap"
is "/snap read-only for root: mkdir in it, a file in /snap/demo, a new current link (EROFS)" \
	"$(erofs "$R/snap"):$(touch "$R/snap/demo/f" 2>&1 | sed 's/.*: //'):$(ln -sfn 1 "$R/snap/demo/current" 2>&1 | sed 's/.*: //')" \
	"Read-only file system:Read-only file system:Read-only file system"
: >"$T/window"
ln -sfn 1 "$R/var/snap/demo/current"
echo one >"$R/var/snap/demo/1/state"
chown 4242:4242 "$R/var/snap/demo/1/state"
chmod 0640 "$R/var/snap/demo/1/state"
mkdir -p "$R/var/snap/demo/1/sub/deeper"
echo deep >"$R/var/snap/demo/1/sub/deeper/f"
ln -s /etc/shadow "$R/var/snap/demo/1/shadow-link"
mkfifo "$R/var/snap/demo/1/fifo"
echo shared >"$R/var/snap/demo/common/c"
mkdir -p "$R/home/alice/snap/demo/1"
echo alice >"$R/home/alice/snap/demo/1/pref"
chown -R 1000:1000 "$R/home/alice/snap"
run1=$(cat "$R/var/lib/snapd/confine/run/snap.demo.app" 2>/dev/null)

# refusals that leave nothing
mksnap "$T/demo2" demo 2.0
out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SNAP" --root "$R" --libexecdir "$L" install --dangerous "$T/demo2.snap" 2>&1)
is "not root: one line, exit 1" "$?:$out" "1:snap: install: only root can change the installed snaps"
out=$(snap install "$T/demo2.snap" 2>&1)
is "without --dangerous: refused (exit 1), as snapd refuses a file without assertions" "$?:$out" \
	"1:snap: $T/demo2.snap: cannot install a snap file without assertions: add --dangerous"
mksnap "$T/bad" Bad_Name 1
out=$(snap install --dangerous "$T/bad.snap" 2>&1)
is "a snap with an invalid name: one line naming the file and the name, exit 1" "$?:$out" \
	"1:snap: $T/bad.snap: meta/snap.yaml: invalid snap name \"Bad_Name\""
mkdir -p "$T/linky/meta" && ln -s /etc/passwd "$T/linky/meta/snap.yaml" &&
	mksquashfs "$T/linky" "$T/linky.snap" -noappend -no-progress >/dev/null 2>&1
out=$(snap install --dangerous "$T/linky.snap" 2>&1)
is "a snap whose meta/snap.yaml is a link: refused, not followed (exit 1)" "$?:$out" \
	"1:snap: $T/linky.snap: no meta/snap.yaml: Too many levels of symbolic links"
is "... nothing was left: no file, no mount, no stage directory" \
	"$(ls "$R/var/lib/snapd/snaps"):$(mounts):$(ls "$R/run/snapd" 2>/dev/null)" "::"

# revision x1
out=$(snap install --dangerous "$T/demo2.snap" 2>&1)
is "install --dangerous: a new revision x1, the data copied from 1 (exit 0)" "$?:$out" \
	"0:demo 2.0 installed (revision x1, data copied from 1)"
cmp -s "$T/demo2.snap" "$R/var/lib/snapd/snaps/demo_x1.snap" && ok "the file is demo_x1.snap in the snaps directory" ||
	nok "the file is demo_x1.snap in the snaps directory"
is "it is mounted on /snap/demo/x1: squashfs, read-only, nodev" \
	"$(awk -v m="$R/snap/demo/x1" '$2 == m { print $3, ($4 ~ /^ro,/ && $4 ~ /(^|,)nodev(,|$)/) ? "ro,nodev" : $4 }' /proc/self/mounts)" \
	"squashfs ro,nodev"
is "... root cannot write into it (EROFS)" "$(touch "$R/snap/demo/x1/x" 2>&1 | sed 's/.*: //')" "Read-only file system"
is "... and it is the new revision's tree" "$(cat "$R/snap/demo/x1/bin/app")" "#!/bin/sh
echo 2.0"
is "current links: /snap/demo and /var/snap/demo at x1" \
	"$(readlink "$R/snap/demo/current"):$(readlink "$R/var/snap/demo/current")" "x1:x1"
is "the data was copied: content, owner and mode kept" \
	"$(cat "$R/var/snap/demo/x1/state"):$(stat -c '%u:%g %a' "$R/var/snap/demo/x1/state")" "one:4242:4242 640"
is "... nested directories" "$(cat "$R/var/snap/demo/x1/sub/deeper/f")" deep
is "... a link to /etc/shadow copied as that link, not followed" \
	"$(stat -c %F "$R/var/snap/demo/x1/shadow-link"):$(readlink "$R/var/snap/demo/x1/shadow-link")" \
	"symbolic link:/etc/shadow"
is "... a FIFO made anew" "$(stat -c %F "$R/var/snap/demo/x1/fifo")" "fifo"
is "... the user's data too (~/snap/demo/x1, alice's)" \
	"$(cat "$R/home/alice/snap/demo/x1/pref"):$(stat -c '%u' "$R/home/alice/snap/demo/x1")" "alice:1000"
is "common data is not copied: one directory, shared" "$(ls "$R/var/snap/demo")" "1
common
current
x1"
run2=$(cat "$R/var/lib/snapd/confine/run/snap.demo.app" 2>/dev/null)
if [ -n "$run2" ] && [ "$run1" != "$run2" ]; then ok "the profiles were generated again for x1 (the run file changed)"; else
	nok "the profiles were generated again for x1 (the run file changed)"; fi
is "the sequence: 1, then x1" "$(cat "$R/var/lib/snapd/confine/state/demo.sequence")" "1
x1"
has "snap list shows demo at x1" "$(snap list)" "demo                     2.0              x1"
is "/snap was writable while the generator ran, the apps' copy of it read-only; read-only again after (EROFS)" \
	"$(awk '{ print substr($1, 1, 3), substr($2, 1, 3) }' "$T/window"):$(mflags "$R/snap" | cut -c1-3):$(erofs "$R/snap")" \
	"rw, ro,:ro,:Read-only file system"
is "... its other flags kept (nodev, nosuid)" "$(mflags "$R/snap" | tr ',' '\n' | grep -c -x -e nodev -e nosuid)" 2
is "the current revision recorded for the next boot (state/demo.current)" \
	"$(cat "$R/var/lib/snapd/confine/state/demo.current")" x1

# a revision the generator refuses (an app with an unknown plug interface): undone
echo changed >"$R/var/snap/demo/x1/state"
mksnap "$T/demo3" demo 3.0 '    plugs: [nosuch]
plugs:
  nosuch:
    interface: no-such-interface
'
out=$(snap install --dangerous "$T/demo3.snap" 2>&1)
rc=$?
case $rc:$out in "1:snap-interfaces: "*"unknown interface 'no-such-interface'"*"snap-interfaces failed (exit status 1)") ok "a snap the generator refuses: exit 1, the generator's reason" ;; *)
	nok "a snap the generator refuses: exit 1, the reason"; echo "# $out" ;; esac
is "... nothing left of x2: no file, no mount, no data; x1 still current" \
	"$(ls "$R/var/lib/snapd/snaps" | tr '\n' ' '):$(mounts | grep -c /x2):$(ls -d "$R/var/snap/demo/x2" 2>/dev/null):$(readlink "$R/snap/demo/current")" \
	"demo_x1.snap :0::x1"
is "... /snap read-only again after the failure (EROFS), x1 still recorded" \
	"$(mflags "$R/snap" | cut -c1-3):$(erofs "$R/snap"):$(ls "$R/snap/demo" | tr '\n' ' '):$(cat "$R/var/lib/snapd/confine/state/demo.current")" \
	"ro,:Read-only file system:1 current x1 :x1"

# revert
out=$(snap revert demo 2>&1)
is "revert: back to revision 1 (exit 0)" "$?:$out" "0:demo reverted to revision 1 (from x1)"
is "... current links at 1" "$(readlink "$R/snap/demo/current"):$(readlink "$R/var/snap/demo/current")" "1:1"
is "... revision 1's data as it was left (x1 changed its copy)" \
	"$(cat "$R/var/snap/demo/1/state"):$(cat "$R/var/snap/demo/x1/state")" "one:changed"
is "... the profiles are revision 1's again (the run file)" "$(cat "$R/var/lib/snapd/confine/run/snap.demo.app")" "$run1"
is "... /snap read-only again (EROFS), revision 1 recorded for the next boot" \
	"$(mflags "$R/snap" | cut -c1-3):$(erofs "$R/snap"):$(cat "$R/var/lib/snapd/confine/state/demo.current")" \
	"ro,:Read-only file system:1"
out=$(snap revert demo 2>&1)
is "a second revert: nothing before 1 (exit 1)" "$?:$out" \
	"1:snap: snap \"demo\" has no revision installed before 1 to revert to"
out=$(snap revert nosuch 2>&1)
is "revert of a snap that is not installed: exit 1" "$?:$out" "1:snap: snap \"nosuch\" is not installed"

# a kernel snap staged for a try-boot, through boot-ok (the pc board's build runs here)
BOOTOK=""
for b in "$O/boards/pc/target/bin/boot-ok" "$O/target/bin/boot-ok"; do
	[ -x "$b" ] && file "$b" | grep -q x86-64 && BOOTOK=$b && break
done
if [ -z "$BOOTOK" ] || ! command -v mkenvimage >/dev/null || ! command -v fw_printenv >/dev/null; then
	echo "# SKIP the kernel staging checks: no x86-64 boot-ok built, or no mkenvimage/fw_printenv (scripts/install-deps qemu)"
else
	ln -s "$BOOTOK" "$L/boot-ok"
	printf 'snap_mode=\nsnap_kernel=pc-kernel_1.snap\nsnap_core=core_1.snap\n' >"$T/env.txt"
	mkenvimage -r -s 0x20000 -o "$R/boot/uboot/uboot.env" "$T/env.txt" &&
		mkenvimage -r -s 0x20000 -o "$R/boot/uboot/uboot-redund.env" "$T/env.txt"
	printf '%s 0x0 0x20000\n%s 0x0 0x20000\n' "$R/boot/uboot/uboot.env" "$R/boot/uboot/uboot-redund.env" \
		>"$R/etc/fw_env.config"
	mkdir -p "$T/k/meta" "$T/k/dtbs/qcom"
	printf 'name: pc-kernel\nversion: "6.1"\ntype: kernel\n' >"$T/k/meta/snap.yaml"
	head -c 65536 /dev/urandom >"$T/k/kernel.img"
	echo initrd >"$T/k/initrd.img"
	echo dtb >"$T/k/dtbs/qcom/board.dtb"
	mksquashfs "$T/k" "$T/k.snap" -noappend -all-root -no-progress >/dev/null 2>&1
	out=$(snap --bootdir boot/uboot install --dangerous "$T/k.snap" 2>&1)
	is "a kernel snap: staged as pc-kernel_x1.snap (exit 0)" "$?:$out" \
		"0:pc-kernel 6.1 staged as pc-kernel_x1.snap for a try-boot (snap_try_kernel, snap_mode=try): reboot to try it"
	is "... its boot files on the boot directory (kernel.img, initrd.img, dtbs/qcom/board.dtb)" \
		"$(cmp -s "$T/k/kernel.img" "$R/boot/uboot/pc-kernel_x1.snap/kernel.img" && echo same):$(cat "$R/boot/uboot/pc-kernel_x1.snap/initrd.img" "$R/boot/uboot/pc-kernel_x1.snap/dtbs/qcom/board.dtb" | tr '\n' ' ')" \
		"same:initrd dtb "
	is "... the file in the snaps directory" "$(cmp -s "$T/k.snap" "$R/var/lib/snapd/snaps/pc-kernel_x1.snap" && echo same)" same
	is "... the boot environment (fw_printenv): snap_mode=try, snap_try_kernel, snap_kernel kept" \
		"$(fw_printenv -c "$R/etc/fw_env.config" -n snap_mode):$(fw_printenv -c "$R/etc/fw_env.config" -n snap_try_kernel):$(fw_printenv -c "$R/etc/fw_env.config" -n snap_kernel)" \
		"try:pc-kernel_x1.snap:pc-kernel_1.snap"
	is "... no mount left" "$(mounts | grep -c snap-stage)" 0
	fw_setenv -c "$R/etc/fw_env.config" snap_mode trying
	out=$(snap --bootdir boot/uboot install --dangerous "$T/k.snap" 2>&1)
	is "staging while a try is being booted (snap_mode=trying): refused (exit 1)" "$?:$out" \
		"1:boot-ok: cannot stage pc-kernel_x2.snap: this boot is a try-boot not yet marked good (snap_mode=trying)
snap: $L/boot-ok failed (exit status 1)"
	is "... and undone: no pc-kernel_x2 file or boot directory" \
		"$(find "$R/var/lib/snapd/snaps" "$R/boot/uboot" -name '*x2*' | wc -l)" 0
fi
is "no mount is left by any step" "$(mounts | tr ' ' '\n' | grep -v -e "^$R/snap/demo/\(1\|x1\)$" -e '^$' | tr '\n' ' ')" ""
is "... /snap is read-only at the end" "$(mflags "$R/snap" | cut -c1-3):$(erofs "$R/snap")" "ro,:Read-only file system"

# snap routine mount-snaps: the boot's mounts (rootfs/init), on a root of their own
B=$T/boot-root
mkdir -p "$B/var/lib/snapd/snaps" "$B/snap"
mount -t tmpfs -o mode=0755,nodev,nosuid tmpfs "$B/snap"
mksnap "$T/b-one" one 1.0
mksnap "$T/b-two" two 2.0
cp "$T/b-one.snap" "$B/var/lib/snapd/snaps/one_1.snap"
cp "$T/b-one.snap" "$B/var/lib/snapd/snaps/one_k_1.snap"
cp "$T/b-two.snap" "$B/var/lib/snapd/snaps/two_x3.snap"
echo "not a snap: no _ in its name" >"$B/var/lib/snapd/snaps/notes.snap"
# bmounts: what is mounted below $B/snap: the directory, the type, ro and nodev among the options
bmounts() {
	awk -v b="$B/snap/" 'index($5, b) == 1 {
		for (i = 7; $i != "-"; i++);
		n = split($6, f, ","); o = ""
		for (k = 1; k <= n; k++) if (f[k] == "ro" || f[k] == "nodev") o = o "," f[k]
		print substr($5, length(b) + 1), $(i + 1), substr(o, 2) }' /proc/self/mountinfo | sort | tr '\n' ';'
}
out=$("$SNAP" --root "$B" routine mount-snaps 2>&1)
is "routine mount-snaps: every <instance>_<rev>.snap mounted (exit 0, nothing printed)" "$?:$out" "0:"
is "... on snap/<instance>/<rev>: squashfs, read-only, nodev (an instance, a local revision; notes.snap is not a snap)" \
	"$(bmounts)" "one/1 squashfs ro,nodev;one_k/1 squashfs ro,nodev;two/x3 squashfs ro,nodev;"
is "... each its own snap's tree" "$(grep '^version' "$B/snap/one/1/meta/snap.yaml" "$B/snap/two/x3/meta/snap.yaml" | sed 's|.*/snap/||')" \
	'one/1/meta/snap.yaml:version: "1.0"
two/x3/meta/snap.yaml:version: "2.0"'
dev=$(awk -v m="$B/snap/two/x3" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 2) }' /proc/self/mountinfo)
dev=${dev#/dev/}
is "... on a read-only loop device that clears itself ($dev: ro, autoclear)" \
	"$(cat "/sys/block/$dev/ro" "/sys/block/$dev/loop/autoclear" 2>&1 | tr '\n' ' ')" "1 1 "
out=$("$SNAP" --root "$B" routine mount-snaps 2>&1)
is "run again: nothing mounted twice (exit 0)" "$?:$out:$(bmounts)" \
	"0::one/1 squashfs ro,nodev;one_k/1 squashfs ro,nodev;two/x3 squashfs ro,nodev;"
head -c 8192 /dev/urandom >"$B/var/lib/snapd/snaps/garbage_1.snap"
ln -s one_1.snap "$B/var/lib/snapd/snaps/link_1.snap"
cp "$T/b-one.snap" "$B/var/lib/snapd/snaps/Bad_1.snap"
mkfifo "$B/var/lib/snapd/snaps/fifo_1.snap"
mksnap "$T/b-three" three 3.0
cp "$T/b-three.snap" "$B/var/lib/snapd/snaps/three_7.snap"
out=$(timeout 60 "$SNAP" --root "$B" routine mount-snaps 2>&1)
is "a file that is not squashfs, a FIFO (not waited on), a link, a bad name: one line each and a summary (exit 1)" "$?:$(echo "$out" | sed 's/(squashfs on [^)]*)/(squashfs on LOOP)/')" \
	"1:snap: $B/var/lib/snapd/snaps/Bad_1.snap: not <instance>_<revision>.snap
snap: $B/var/lib/snapd/snaps/fifo_1.snap: not a regular file
snap: cannot mount $B/var/lib/snapd/snaps/garbage_1.snap (squashfs on LOOP): Invalid argument
snap: cannot open $B/var/lib/snapd/snaps/link_1.snap: Too many levels of symbolic links
snap: 4 of the snaps in $B/var/lib/snapd/snaps could not be mounted (the lines above), 1 mounted"
is "... the good one beside them mounted all the same" "$(bmounts)" \
	"one/1 squashfs ro,nodev;one_k/1 squashfs ro,nodev;three/7 squashfs ro,nodev;two/x3 squashfs ro,nodev;"
is "... nothing left of the failures: no mount point, no loop device bound to the bad file" \
	"$(ls -d "$B/snap/garbage" "$B/snap/link" "$B/snap/Bad" 2>/dev/null):$(losetup -j "$B/var/lib/snapd/snaps/garbage_1.snap")" ":"
# snap routine link-snaps: the current links after those mounts, then /snap read-only
mkdir -p "$B/var/lib/snapd/confine/state"
echo x3 >"$B/var/lib/snapd/confine/state/two.current"
echo 5 >"$B/var/lib/snapd/confine/state/one.current"
echo ../1 >"$B/var/lib/snapd/confine/state/one_k.current"
out=$("$SNAP" --root "$B" routine link-snaps one=1 one_k=1 three=9 two=1 2>&1)
is "routine link-snaps: three has no mounted revision (the image's 9 is not): one line and a summary (exit 1)" "$?:$out" \
	"1:snap: no mounted revision of three is recorded as current
snap: 1 snaps in $B/snap have no current revision (the lines above)"
links() { for d in one one_k three two; do printf '%s:%s ' $d "$(readlink "$B/snap/$d/current")"; done; }
is "... the recorded revision when mounted (two: x3, not the image's 1), else the image's (one: 5 is not mounted; one_k: ../1 is no revision)" \
	"$(links)" "one:1 one_k:1 three: two:x3 "
is "... /snap read-only at the end (EROFS)" "$(erofs "$B/snap")" "Read-only file system"
echo 7 >"$B/var/lib/snapd/confine/state/three.current"
out=$("$SNAP" --root "$B" routine link-snaps 2>&1)
is "run again (three's 7 recorded since): its link made, the others kept, read-only again (exit 0)" \
	"$?:$out:$(links):$(erofs "$B/snap")" "0::one:1 one_k:1 three:7 two:x3 :Read-only file system"
# --booted NAME=REV (init: the base and kernel this boot booted): that
# revision, whatever the record and the image say; one not mounted refused
mount -o remount,bind,rw "$B/snap"
cp "$T/b-two.snap" "$B/var/lib/snapd/snaps/two_1.snap"
"$SNAP" --root "$B" routine mount-snaps >/dev/null 2>&1 # (the bad files above refused again)
rm -f "$B/snap/two/current" "$B/snap/one/current"
out=$("$SNAP" --root "$B" routine link-snaps --booted two=1 --booted one=9 one=1 2>&1)
is "--booted two=1 one=9: two's booted 1 (mounted beside the recorded x3), one's 9 not mounted: one line, no link, exit 1" \
	"$?:$out:$(links)" "1:snap: the booted revision 9 of one is not mounted
snap: 1 snaps in $B/snap have no current revision (the lines above):one: one_k:1 three:7 two:1 "
out=$("$SNAP" --root "$B" routine link-snaps --booted one=1 2>&1)
is "... --booted one=1 after: its link made, the others kept, /snap read-only (exit 0)" \
	"$?:$out:$(links):$(erofs "$B/snap")" "0::one:1 one_k:1 three:7 two:1 :Read-only file system"
out=$("$SNAP" --root "$B" routine link-snaps one=1 --booted 2>&1)
is "--booted with no NAME=REV after it: the usage, exit 2" "$?:$(echo "$out" | head -n 1)" \
	"2:usage: snap [OPTIONS] install --dangerous FILE.snap"
out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SNAP" --root "$B" routine mount-snaps 2>&1)
is "not root: one line, exit 1" "$?:$out" "1:snap: routine: only root can change the installed snaps"
out=$("$SNAP" --root "$B" routine nosuch 2>&1)
is "an unknown routine: the usage, exit 2" "$?:$(echo "$out" | head -n 1)" "2:usage: snap [OPTIONS] install --dangerous FILE.snap"
echo "1..$n"
[ $fails = 0 ]
