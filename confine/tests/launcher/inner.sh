#!/bin/sh
# Second half of launcher.sh, run inside a private mount namespace.
set -u
export L=${LAUNCHER_BIN:-$O/host/launcher/bin} # LAUNCHER_BIN: the same tests against other builds
export SECCOMP=$O/host/bin/snap-seccomp
T=$(mktemp -d /tmp/launcher-test.XXXXXX)
export T
export USER_ID=4242
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
is() { [ "$1" = "$2" ] || { echo "# expected '$2', got '$1'"; return 1; }; }
has() { case "$1" in *"$2"*) return 0 ;; esac; echo "# '$1' does not contain '$2'"; return 1; }
lacks() { case "$1" in *"$2"*) echo "# '$1' contains '$2'"; return 1 ;; esac; return 0; }
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || { echo "# not one line: $1"; return 1; }; }
bail() { echo "Bail out! $*"; exit 1; }

# ---- the fake root (fakeroot.sh), then into it
. "$SRCDIR/confine/tests/launcher/fakeroot.sh"
fakeroot_build || bail "cannot build the fake root"
cp "$SRCDIR/confine/tests/launcher/attacks.sh" "$SRCDIR/confine/tests/launcher/debug.sh" "$R/t/" ||
	bail "cannot copy attacks.sh and debug.sh into the fake root"
# the snap "envy", installed by the image tooling (scripts/snap-install, snap-interfaces) into a
# root of its own, then put into the fake root: its run files carry snap.yaml's command-chain,
# environment and quoted arguments
envy_install() {
	src=$T/envy/1
	mkdir -p "$src/meta/hooks" "$src/bin" || return 1
	for b in probe chain-1 chain-2; do cp "$L/probe" "$src/bin/$b" || return 1; done
	cp "$L/probe" "$src/meta/hooks/configure" || return 1
	cat >"$src/meta/snap.yaml" <<'EOF'
name: envy
version: '3.1'
environment:
  GREETING: hello from $SNAP_NAME
  DATA_FILE: $SNAP_DATA/file
  EARLY: x${LATER}y
apps:
  args:
    command: bin/probe args "a b" 'c $SNAP' $DATA_FILE $UNDEFINED_THING c\ d "$GREETING"
    command-chain: [bin/chain-1, bin/chain-2]
  env:
    command: bin/probe env
    environment:
      GREETING: the app says $GREETING
      LATER: late
      PATH: $SNAP/bin:$PATH
  svc:
    command: bin/probe args running
    command-chain: [bin/chain-1]
    daemon: simple
    stop-command: bin/probe args stopping "x y"
    post-stop-command: bin/probe args stopped
hooks:
  configure:
    environment: {HOOKVAR: $SNAP_NAME's hook}
    command-chain: [bin/chain-2]
EOF
	O=$O "$SRCDIR/scripts/snap-install" --root "$T/envyroot" --target pc "$src" >"$T/envy.log" 2>&1 || return 1
	cp -a "$T/envyroot/snap/envy" "$R/snap/" &&
		mkdir -p "$R/var/snap/envy/1" "$R/var/snap/envy/common" &&
		chown -R "$USER_ID:$USER_ID" "$R/var/snap/envy" &&
		cp "$T/envyroot/var/lib/snapd/confine/run/snap.envy."* "$R/var/lib/snapd/confine/run/" &&
		cp "$T/envyroot/var/lib/snapd/seccomp/bpf/snap.envy."*.bin2 "$R/var/lib/snapd/seccomp/bpf/" &&
		mkdir -p "$R/var/lib/snapd/confine/services" &&
		cp "$T/envyroot/var/lib/snapd/confine/services/snap.envy."* "$R/var/lib/snapd/confine/services/" &&
		mount --bind "$R/snap/envy/1" "$R/snap/envy/1" && mount -o remount,bind,ro "$R/snap/envy/1"
}
envy_install || { sed 's/^/# /' "$T/envy.log"; bail "cannot install the snap envy with snap-install"; }
. "$SRCDIR/confine/tests/launcher/instances.sh"
instance_install || { sed 's/^/# /' "$T/k.log"; bail "cannot install the instance hello_k with snap-install --name"; }
fakeroot_enter || bail "cannot pivot into the fake root"

as_user() { setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups -- "$@"; }
# run CMD...: sets out, err, rc
run() {
	"$@" >/t/out 2>/t/err
	rc=$?
	out=$(cat /t/out)
	err=$(cat /t/err)
}
app() { run as_user env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run "$@"; }
confine() { # confine TAG ARGS...: snap-confine directly, as the user
	tag=$1
	shift
	inst=${tag#snap.}
	inst=${inst%%.*}
	run as_user env SNAP_INSTANCE_NAME="$inst" /opt/confine/snap-confine "$tag" /snap/hello/1/bin/probe "$@"
}

# ---- a launch, its environment and identity
app hello.app env SNAP SNAP_NAME SNAP_INSTANCE_NAME SNAP_INSTANCE_KEY SNAP_REVISION SNAP_VERSION SNAP_DATA \
	SNAP_COMMON SNAP_USER_DATA SNAP_USER_COMMON HOME SNAP_ARCH TMPDIR SNAP_LIBRARY_PATH
check "snap-run hello.app runs the app (exit 0, quiet)" is "$rc:$err" "0:"
check "SNAP, SNAP_NAME, SNAP_INSTANCE_NAME, SNAP_INSTANCE_KEY" has "$out" "SNAP=/snap/hello/1
SNAP_NAME=hello
SNAP_INSTANCE_NAME=hello
SNAP_INSTANCE_KEY="
check "SNAP_REVISION, SNAP_VERSION, SNAP_DATA, SNAP_COMMON" has "$out" "SNAP_REVISION=1
SNAP_VERSION=1.0
SNAP_DATA=/var/snap/hello/1
SNAP_COMMON=/var/snap/hello/common"
check "SNAP_USER_DATA and HOME are ~/snap/hello/1" has "$out" "SNAP_USER_DATA=/home/snapuser/snap/hello/1
SNAP_USER_COMMON=/home/snapuser/snap/hello/common
HOME=/home/snapuser/snap/hello/1"
check "SNAP_ARCH, TMPDIR, SNAP_LIBRARY_PATH" has "$out" "SNAP_ARCH=amd64
TMPDIR=/tmp
SNAP_LIBRARY_PATH=/var/lib/snapd/lib/gl"
check "HOME was created, owned by the caller" is "$(stat -c %u:%F /home/snapuser/snap/hello/1)" "$USER_ID:directory"
run as_user sh -c 'umask 077 && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run other.app call getpid'
check "a snap's first launch under umask 077 makes ~/snap/other/1 and common 0755, ~/snap stays 0700, current -> 1" \
	is "$rc:$(stat -c %a /home/snapuser/snap /home/snapuser/snap/other/1 /home/snapuser/snap/other/common | tr '\n' ' ')$(readlink /home/snapuser/snap/other/current)" \
	"0:700 755 755 1"
app hello.app ids
check "the app runs as the caller: uid and gid real, effective, saved" has "$out" "uid $USER_ID $USER_ID $USER_ID
gid $USER_ID $USER_ID $USER_ID"
check "the app has no capabilities" has "$out" "CapEff:	0000000000000000
CapPrm:	0000000000000000"
check "the app is under a seccomp filter" has "$out" "Seccomp:	2"
run as_user /snap/hello/1/bin/probe fds
baseline=$out
app hello.app fds
check "no descriptor of the launcher leaks into the app (the same as the caller's)" is "$out" "$baseline"
run as_user sh -c 'cd /var/snap/hello/common && umask 027 && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app cwd'
check "the working directory is kept" is "$out" "/var/snap/hello/common"
run as_user sh -c 'umask 027 && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app umask'
check "the umask is kept" is "$out" "0027"
app hello.app stat /usr/share/doc/which-base
check "the app's root is the base snap" is "$out" "mode 100644 uid 0 gid 0"
app hello.app read /usr/share/doc/which-base
check "... revision 1 of core" is "$out" "core/1"

# ---- snap.yaml's command, command-chain and environment, as snapd runs them (snap envy)
check "the run file snap-interfaces wrote carries the chain, the program and the words" has \
	"$(cat /var/lib/snapd/confine/run/snap.envy.args)" 'chain=bin/chain-1
chain=bin/chain-2
exec=bin/probe
arg=args
arg=a b
arg=c \$SNAP'
# ---- hooks and a service's other commands (snap envy: hook configure, service svc)
app --hook=configure envy
check "snap-run --hook=configure envy runs meta/hooks/configure after its command-chain, with its environment, under seccomp" \
	is "$rc:$err:$out" "0::chain-2 runs /snap/envy/1/meta/hooks/configure
hook configure HOOKVAR=envy's hook
Seccomp:	2"
run as_user env PROBE_EXIT=3 SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run --hook=configure envy
check "the hook's exit status is snap-run's" is "$rc" 3
app --hook=remove envy
check "a hook the snap does not have: exit 0, nothing run, quiet" is "$rc:$err:$out" "0::"
# the name after --hook= is the whole last argument: what follows it in memory
# (the environment) is not read as an app name
run as_user env -i "LONG=$(printf '%0300d' 0)" SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run --hook=remove envy
check "--hook=remove envy with a long first environment variable: exit 0" is "$rc:$err" "0:"
app --hook=configure envy extra
check "--hook takes no arguments: one line, exit 1" is "$rc:$err" "1:snap-run: --hook=configure: unexpected argument 'extra'"
check "the service file says which commands the service has" has "$(cat /var/lib/snapd/confine/services/snap.envy.svc)" \
	"stop-command=yes
post-stop-command=yes
reload-command=no"
app --command=stop envy.svc more
check "snap-run --command=stop envy.svc: the app's command-chain, then the stop-command and its words, then ARGS" \
	is "$rc:$err:$out" "0::chain-1 runs /snap/envy/1/bin/probe
[stopping]
[x y]
[more]"
app --command=post-stop envy.svc
check "snap-run --command=post-stop envy.svc runs the post-stop-command" is "$rc:$out" "0:chain-1 runs /snap/envy/1/bin/probe
[stopped]"
app --command=reload envy.svc
check "a command the app does not have: one line, exit 1" is "$rc:$err" "1:snap-run: envy.svc has no reload-command"
app --command=restart envy.svc
check "--command= other than stop, post-stop, reload: one line, exit 1" has "$rc:$err" "1:snap-run: '--command=restart': an unknown option"

app envy.env XDG_RUNTIME_DIR
check "no /run/user/<uid> (no logind) and the user may not make it: the app runs, XDG_RUNTIME_DIR set, nothing made" \
	is "$rc:$err:$out:$(ls -A /run/user 2>/dev/null)" "0::XDG_RUNTIME_DIR=/run/user/$USER_ID/snap.envy:"
# what logind makes for a user's session
mkdir -p /run/user/$USER_ID && chown $USER_ID:$USER_ID /run/user/$USER_ID && chmod 0700 /run/user/$USER_ID
app envy.args extra "x y"
check "snap-run envy.args runs (exit 0, quiet)" is "$rc:$err" "0:"
check "the command-chain runs first, in order, each given the rest; then the command and its arguments" \
	is "$out" 'chain-1 runs /snap/envy/1/bin/chain-2
chain-2 runs /snap/envy/1/bin/probe
[a b]
[c $SNAP]
[/var/snap/envy/1/file]
[c d]
[hello from envy]
[extra]
[x y]'
check "\"a b\" arrives as one argument, '\$SNAP' in single quotes stays, an undefined \$VAR drops out" \
	is "$(grep -c '^\[' /t/out)" 7
check "XDG_RUNTIME_DIR /run/user/<uid>/snap.envy was made: the caller's, mode 0700" \
	is "$(stat -c %u:%a:%F /run/user/$USER_ID/snap.envy)" "$USER_ID:700:directory"
run as_user env FROM_CALLER=kept TMPDIR=/elsewhere LD_PRELOAD=/nothing.so SNAP_CONFINE_LIBEXECDIR=/opt/confine \
	/opt/confine/snap-run envy.env GREETING DATA_FILE EARLY LATER PATH XDG_RUNTIME_DIR SNAP_REAL_HOME SNAP_UID \
	SNAP_EUID SNAP_REEXEC SNAP_USER_DATA HOME TMPDIR TEMPDIR FROM_CALLER LD_PRELOAD SNAP_VERSION
check "snap-run envy.env runs (exit 0, quiet)" is "$rc:$err" "0:"
check "the snap's environment expanded (\$SNAP_NAME, \$SNAP_DATA), the app's built on it and replacing it" \
	has "$out" "GREETING=the app says hello from envy
DATA_FILE=/var/snap/envy/1/file"
check "a snap variable naming an app one is expanded before that exists (empty), as snapd does" has "$out" \
	"EARLY=xy
LATER=late"
check "PATH: \$SNAP/bin before snap-confine's PATH, which replaced the caller's" has "$out" \
	"PATH=/snap/envy/1/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games"
check "XDG_RUNTIME_DIR, SNAP_REAL_HOME, SNAP_UID, SNAP_EUID, SNAP_REEXEC (empty)" has "$out" \
	"XDG_RUNTIME_DIR=/run/user/$USER_ID/snap.envy
SNAP_REAL_HOME=/home/snapuser
SNAP_UID=$USER_ID
SNAP_EUID=$USER_ID
SNAP_REEXEC="
check "HOME is SNAP_USER_DATA; TMPDIR and TEMPDIR are /tmp" has "$out" \
	"SNAP_USER_DATA=/home/snapuser/snap/envy/1
HOME=/home/snapuser/snap/envy/1
TMPDIR=/tmp
TEMPDIR=/tmp"
check "the caller's environment is kept, but not what glibc's secure mode drops (LD_PRELOAD)" has "$out" \
	"FROM_CALLER=kept
LD_PRELOAD=(unset)
SNAP_VERSION=3.1"
check "the home's snap directory is 0700, snap/envy/current in it points at the revision" \
	is "$(stat -c %a /home/snapuser/snap):$(readlink /home/snapuser/snap/envy/current)" "700:1"
run env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run envy.env XDG_RUNTIME_DIR SNAP_UID
check "as root: XDG_RUNTIME_DIR /run/user/0/snap.envy, made 0700 with /run/user/0" \
	is "$rc:$out:$(stat -c %u:%a /run/user/0 /run/user/0/snap.envy | tr '\n' ' ')" \
	"0:XDG_RUNTIME_DIR=/run/user/0/snap.envy
SNAP_UID=0:0:700 0:700 "
mkdir -p /run/user/4343 && ln -s /tmp /run/user/4343/snap.envy && chown -h 4343:4343 /run/user/4343 /run/user/4343/snap.envy
run setpriv --reuid=4343 --regid=4343 --clear-groups env SNAP_CONFINE_LIBEXECDIR=/opt/confine HOME=/tmp \
	/opt/confine/snap-run envy.env SNAP_UID
check "an XDG_RUNTIME_DIR that is a symbolic link: refused, one line, nothing run" \
	sh -c '[ "$1" = 1 ] && [ -z "$2" ] && case "$3" in *"/run/user/4343/snap.envy is not a directory of uid 4343"*) ;; *) exit 1 ;; esac' \
	_ "$rc" "$out" "$err"
rm -rf /run/user/4343 /tmp/snap

# ---- seccomp, through real errno and the kernel log

old_rl=$(cat /proc/sys/kernel/printk_ratelimit)
echo 0 >/proc/sys/kernel/printk_ratelimit
app hello.app call getpid
check "an allowed call succeeds" is "$out" "getpid errno 0"
dmesg -C 2>/dev/null || true
app hello.app call add_key
check "a call outside the policy returns EPERM" is "$out" "add_key errno 1"
sleep 0.2
line=$(dmesg 2>/dev/null | grep 'type=1326' | grep 'syscall=248 ' | tail -n 1)
check "... and the kernel logs it (audit type=1326, syscall=248, code=0x50000)" has "$line" "code=0x50000"
app hello.app call tiocsti
check "a ~ rule returns EACCES" is "$out" "tiocsti errno 13"
app hello.app call socket-netlink
check "socket(AF_NETLINK) returns EPERM" is "$out" "socket-netlink errno 1"
app hello.app call socket-unix
check "socket(AF_UNIX) is allowed" is "$out" "socket-unix errno 0"
echo "$old_rl" >/proc/sys/kernel/printk_ratelimit
cp /t/complain.bin2 /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2
app hello.app2 call add_key
check "a complain profile lets a forbidden call through (the kernel's own error)" lacks "$out" "add_key errno 1"
run env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app ids
check "as root: the app runs as root" has "$out" "uid 0 0 0
gid 0 0 0"
run env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app call add_key
check "as root: the policy still applies (EPERM)" is "$out" "add_key errno 1"
# a kernel without SECCOMP_RET_LOG (its actions_avail without "log"): the
# complain profile's RET_LOG returns become ALLOW, so no audit line appears
echo 0 >/proc/sys/kernel/printk_ratelimit
sed 's/ log / /; s/ log$//' /proc/sys/kernel/seccomp/actions_avail >/t/actions_avail
mount --bind /t/actions_avail /proc/sys/kernel/seccomp/actions_avail
/opt/confine/snap-discard-ns hello # the namespace holds its own view of /proc
dmesg -C 2>/dev/null || true
run as_user env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app2 /snap/hello/1/bin/probe call add_key
sleep 0.2
check "no RET_LOG in the kernel: the complain profile's returns become ALLOW" has "$err" "complain returns become ALLOW"
check "... the call goes through and nothing is logged" is "$(echo "$out" | grep -c 'errno 1$'):$(dmesg 2>/dev/null | grep -c 'type=1326.*syscall=248 ')" "0:0"
umount /proc/sys/kernel/seccomp/actions_avail
/opt/confine/snap-discard-ns hello
dmesg -C 2>/dev/null || true
run as_user env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app2 /snap/hello/1/bin/probe call add_key
sleep 0.2
check "with RET_LOG, the same call is logged (code=0x7ffc0000)" has "$(dmesg 2>/dev/null | grep 'type=1326.*syscall=248 ')" "code=0x7ffc0000"
echo "$old_rl" >/proc/sys/kernel/printk_ratelimit
cp /var/lib/snapd/seccomp/bpf/snap.hello.app.bin2 /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2

# a pre-2.63 raw .bin profile is used when there is no .bin2
mv /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2 /t/app2.bin2
cp /t/default.bin /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin
app hello.app2 call add_key
check "a raw .bin profile (pre-2.63) is loaded when there is no .bin2" is "$rc:$out" "0:add_key errno 1"
rm /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin
mv /t/app2.bin2 /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2
run as_user env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe call getpid
check "SNAP_CONFINE_DEBUG=yes prints the steps on stderr" has "$err" "DEBUG: joined the preserved namespace"
check "... including the seccomp load" has "$err" "with SECCOMP_FILTER_FLAG_LOG"

# ---- namespaces: shared by a snap's apps, separate between snaps, preserved
app hello.app ns
ns1=$out
app hello.app2 ns
check "two apps of one snap share the mount namespace" is "$out" "$ns1"
app other.app ns
check "another snap has its own namespace" lacks "$out" "$ns1"
check "the namespace is preserved on /run/snapd/ns/hello.mnt" is "$(stat -f -c %T /run/snapd/ns/hello.mnt)" "nsfs"
check "a later launch re-joins it" is "$(app hello.app ns; echo "$out")" "$ns1"
app hello.app write /tmp/shared "from app"
app hello.app2 read /tmp/shared
check "two apps of one snap share /tmp" is "$out" "from app"
app other.app read /tmp/shared
check "another snap does not see it (errno ENOENT)" is "$out" "read errno 2"
check "the private /tmp lives in /tmp/snap-private-tmp/snap.hello/tmp" is "$(cat /tmp/snap-private-tmp/snap.hello/tmp/shared)" "from app"
check "private /tmp levels: 0700, 0700, 1777 root" is "$(stat -c %a:%u /tmp/snap-private-tmp /tmp/snap-private-tmp/snap.hello /tmp/snap-private-tmp/snap.hello/tmp | tr '\n' ' ')" "700:0 700:0 1777:0 "
app hello.app stat /dev/ptmx
app hello.app mounts
check "a new devpts instance is mounted on /dev/pts" has "$out" "/dev/pts rw,nosuid,noexec"

# stale: the base changed (descriptor 7 keeps the old namespace alive, so its number is not reused)
exec 7</run/snapd/ns/hello.mnt
rm /snap/core/current && ln -s 2 /snap/core/current
app hello.app ns
check "a namespace whose base changed is rebuilt" lacks "$out" "$ns1"
check "... and recorded with the new base revision" is "$(grep base-revision /run/snapd/ns/snap.hello.info)" "base-revision=2"
ns2=$out
exec 7<&-
exec 7</run/snapd/ns/hello.mnt
app hello.app read /usr/share/doc/which-base
check "... on the new base revision" is "$out" "core/2"
run /opt/confine/snap-discard-ns hello
check "snap-discard-ns hello succeeds" is "$rc:$err" "0:"
check "... and the preserved namespace is gone" [ ! -e /run/snapd/ns/hello.mnt ]
app hello.app ns
check "the next launch builds a new one" lacks "$out" "$ns2"
exec 7<&-
run /opt/confine/snap-discard-ns hello
run /opt/confine/snap-discard-ns 'Bad_Name'
check "snap-discard-ns rejects a malformed name" is "$rc" 1

# ---- the legacy mode: the namespace keeps the host's root (Core 16 style)
if [ -n "${LEGACY_BIN:-}" ]; then
	run /opt/confine/snap-discard-ns other
	run as_user env SNAP_INSTANCE_NAME=other /opt/confine-legacy/snap-confine snap.other.app /snap/other/1/bin/probe stat /opt/confine
	check "legacy mode: the app sees the host's root (/opt/confine)" is "$rc:$out" "0:mode 40755 uid 0 gid 0"
	check "legacy mode: recorded as such" is "$(head -n 1 /run/snapd/ns/snap.other.info)" "mode=legacy"
	run as_user env SNAP_INSTANCE_NAME=other /opt/confine-legacy/snap-confine snap.other.app /snap/other/1/bin/probe write /tmp/legacy x
	check "legacy mode: /tmp is the snap's private one" [ -e /tmp/snap-private-tmp/snap.other/tmp/legacy ] && [ ! -e /tmp/legacy ]
	app other.app stat /opt/confine
	check "the normal build then rebuilds the namespace on the base snap (no /opt there)" is "$out" "stat errno 2"
else
	echo "# SKIP legacy mode: the pc-legacy build failed, see $O/boards/pc-legacy.log"
	nok "legacy-mode launcher build"
fi

# ---- 100 concurrent first launches
i=0
while [ $i -lt 100 ]; do
	as_user env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app ns >"/t/c.$i" 2>&1 &
	i=$((i + 1))
done
wait
check "100 concurrent first launches all succeed in one namespace" is "$(sort -u /t/c.* | wc -l):$(grep -c 'mnt:' /t/c.* | grep -c ':1$')" "1:100"
check "... and exactly one namespace is preserved" is "$(grep -c ' /run/snapd/ns/hello.mnt ' /proc/self/mountinfo)" 1

# ---- mount profiles
mkdir -p /var/snap/hello/common/src /var/snap/hello/common/ro-src
echo "bound" >/var/snap/hello/common/src/f
chown -R $USER_ID:$USER_ID /var/snap/hello/common
cat >/var/lib/snapd/mount/snap.hello.fstab <<'FSTAB'
# a bind, a read-only bind, a file, a symlink, a layout needing a mimic, a tmpfs, ensure-dir, ignore-missing
/var/snap/hello/common/src /var/snap/hello/common/dst none bind,rw 0 0
/var/snap/hello/common/ro-src /var/snap/hello/common/ro-dst none bind,ro 0 0
/var/snap/hello/common/src /var/snap/hello/common/flags none bind,nosuid,nodev,noexec,shared 0 0
/snap/hello/1/data/file.txt /var/snap/hello/common/file.txt none bind,rw,x-snapd.kind=file 0 0
none /var/snap/hello/common/link none x-snapd.kind=symlink,x-snapd.symlink=/snap/hello/1/data 0 0
/snap/hello/1/data /usr/share/hello none rbind,rw,x-snapd.origin=layout 0 0
tmpfs /var/snap/hello/common/scratch tmpfs mode=0755 0 0
none /var/snap/hello/common/made none x-snapd.kind=ensure-dir,x-snapd.mode=0750,x-snapd.uid=4242 0 0
/nonexistent /var/snap/hello/common/never none bind,x-snapd.ignore-missing 0 0
FSTAB
run /opt/confine/snap-discard-ns hello
app hello.app read /var/snap/hello/common/dst/f
check "fstab: a bind mount is applied at the first launch" is "$rc:$out" "0:bound"
app hello.app write /var/snap/hello/common/ro-dst/x "y"
check "fstab: a read-only bind refuses writes (EROFS)" is "$out" "write errno 30"
app hello.app read /var/snap/hello/common/file.txt
check "fstab: a file bind (x-snapd.kind=file)" is "$out" "data of hello"
app hello.app read /var/snap/hello/common/link/file.txt
check "fstab: a symlink (x-snapd.kind=symlink)" is "$out" "data of hello"
app hello.app read /usr/share/hello/file.txt
check "fstab: a layout in the read-only base, through a writable mimic" is "$out" "data of hello"
app hello.app read /usr/share/doc/which-base
check "fstab: the mimic keeps the base's other entries" is "$out" "core/2"
app hello.app mounts
check "fstab: a tmpfs" has "$out" "/var/snap/hello/common/scratch"
check "fstab: nosuid, nodev, noexec and shared propagation" has "$out" "/var/snap/hello/common/flags rw,nosuid,nodev,noexec,relatime shared:"
app hello.app stat /var/snap/hello/common/made
check "fstab: ensure-dir with mode and owner" is "$out" "mode 40750 uid 4242 gid 0"
check "fstab: ignore-missing skips the entry" [ ! -e /var/snap/hello/common/never ]
check "fstab: nothing reached the host's /usr/share" [ ! -e /usr/share/hello ]
check "fstab: the applied profile is recorded, with the mimic as a synthetic entry" is "$(grep -c . /run/snapd/ns/snap.hello.fstab):$(grep -c x-snapd.synthetic /run/snapd/ns/snap.hello.fstab)" "9:1"

# change the profile: drop the bind, the symlink and the layout; add another bind
cat >/var/lib/snapd/mount/snap.hello.fstab <<'FSTAB'
/var/snap/hello/common/ro-src /var/snap/hello/common/ro-dst none bind,ro 0 0
/snap/hello/1/data/file.txt /var/snap/hello/common/file.txt none bind,rw,x-snapd.kind=file 0 0
tmpfs /var/snap/hello/common/scratch tmpfs mode=0755 0 0
/var/snap/hello/common/src /var/snap/hello/common/dst2 none bind 0 0
FSTAB
run /opt/confine/snap-update-ns hello
check "snap-update-ns applies a changed profile to the live namespace" is "$rc:$err" "0:"
app hello.app mounts
check "fstab change: the removed bind is unmounted" lacks "$out" "/var/snap/hello/common/dst "
check "fstab change: the removed layout and its mimic are gone" lacks "$out" "/usr/share"
check "fstab change: the removed flags bind is gone" lacks "$out" "/var/snap/hello/common/flags"
check "fstab change: kept entries stay" has "$out" "/var/snap/hello/common/scratch"
app hello.app read /var/snap/hello/common/dst2/f
check "fstab change: the new bind is there" is "$out" "bound"
check "fstab change: the symlink is removed" [ ! -L /var/snap/hello/common/link ]
app hello.app read /usr/share/doc/which-base
check "fstab change: the base is visible as before" is "$out" "core/2"
check "fstab change: the record matches" is "$(grep -c . /run/snapd/ns/snap.hello.fstab)" 4
printf '/a /tmp/x none bind\n' >/var/lib/snapd/mount/snap.hello.fstab
printf '/var/snap/hello/common/src /etc/new-dir none bind 0 0\n' >/var/lib/snapd/mount/snap.hello.fstab
run /opt/confine/snap-update-ns hello
check "fstab: creating a mount point in a host directory is refused" is "$rc:$(echo "$err" | grep -c 'outside the snap')" "1:1"
check "... and nothing was created on the host" [ ! -e /etc/new-dir ]
rm /var/lib/snapd/mount/snap.hello.fstab
run /opt/confine/snap-update-ns hello
check "an empty profile undoes everything" is "$rc:$(grep -c . /run/snapd/ns/snap.hello.fstab)" "0:0"

# ---- the boot-time probe, the feature file and the old-kernel mode
echo 0 >/proc/sys/kernel/printk_ratelimit
feat=/run/snapd/features
rm -f $feat
run /opt/confine/confine-probe
check "confine-probe writes the feature file quietly" is "$rc:$err" "0:"
check "... root-owned, mode 0644" is "$(stat -c %u:%g:%a $feat)" "0:0:644"
check "... this kernel: denials logged (FLAG_LOG and RET_LOG probed)" is "$(grep -E '^seccomp-(ret-log|filter-flag-log|log-path)=' $feat | tr '\n' ' ')" "seccomp-ret-log=yes seccomp-filter-flag-log=yes seccomp-log-path=kernel "
check "... the release, cgroup and namespace facts" is "$(grep -c -E '^(kernel-release=.+|cgroup=(v1|v2|hybrid)|devpts-newinstance=yes|user-namespaces=yes)$' $feat)" 4
run /opt/confine/confine-probe --print
check "confine-probe --print says the same for a person" has "$out" "seccomp denials:     EPERM and logged"
dmesg -C 2>/dev/null || true
run as_user env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe call add_key
sleep 0.2
check "the launcher reads it and takes the log path without trying" has "$err" "features: seccomp denials logged (FLAG_LOG)"
check "... EPERM, and the type=1326 line" is "$out:$(dmesg 2>/dev/null | grep -c 'type=1326.*syscall=248 ')" "add_key errno 1:1"
# old kernel: the probe, the launcher and the compiler under confine-oldkernel
run /opt/confine/confine-oldkernel /opt/confine/confine-probe
check "old-kernel mode: the probe reports a kernel without logging" is "$(grep -E '^seccomp-(ret-log|filter-flag-log|log-path)=' $feat | tr '\n' ' ')" "seccomp-ret-log=no seccomp-filter-flag-log=no seccomp-log-path=silent "
dmesg -C 2>/dev/null || true
run /opt/confine/confine-oldkernel setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups -- env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe call add_key
sleep 0.2
check "old-kernel mode: the launcher takes the silent path from the file" has "$err" "features: seccomp denials silent"
check "... loads without FLAG_LOG" has "$err" "without logging (silent EPERM)"
check "... the denied call still returns EPERM" is "$out" "add_key errno 1"
check "... and no type=1326 line appears" is "$(dmesg 2>/dev/null | grep -c 'type=1326')" 0
cp /t/complain.bin2 /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2
run /opt/confine/confine-oldkernel setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups -- env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app2 /snap/hello/1/bin/probe call add_key
check "old-kernel mode: a complain profile runs (RET_LOG became ALLOW), nothing killed" is "$rc:$(echo "$out" | grep -c 'errno 1$')" "0:0"
check "... as the launcher says" has "$err" "complain returns become ALLOW"
cp /var/lib/snapd/seccomp/bpf/snap.hello.app.bin2 /var/lib/snapd/seccomp/bpf/snap.hello.app2.bin2
rm -f $feat
run /opt/confine/confine-oldkernel setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups -- env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe call add_key
check "old-kernel mode without a feature file: FLAG_LOG is tried, refused, and the silent load follows" is "$out:$(echo "$err" | grep -c 'SECCOMP_FILTER_FLAG_LOG refused')" "add_key errno 1:1"
# a bad feature file: the launcher falls back to trying FLAG_LOG, never to weaker confinement
good_feat=$(/opt/confine/confine-probe --print >/dev/null; /opt/confine/confine-probe && cat $feat)
feat_case() { # feat_case DESCRIPTION EXPECTED-REASON: the file was altered just before
	run as_user env SNAP_CONFINE_DEBUG=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe call add_key
	check "feature file $1: denied call still EPERM" is "$rc:$out" "0:add_key errno 1"
	check "feature file $1: the launcher says why and tries FLAG_LOG ($2)" sh -c 'case "$1" in *"no usable feature file"*"$2"*"trying SECCOMP_FILTER_FLAG_LOG"*) ;; *) exit 1 ;; esac' _ "$err" "$2"
	printf '%s\n' "$good_feat" >$feat
	chown 0:0 $feat
}
rm -f $feat
feat_case "missing" "No such file"
printf '%s\n' "$good_feat" | head -n 5 >$feat
feat_case "truncated" "truncated (no 'end' line)"
printf '%s\n' "$good_feat" | sed 's/^seccomp-log-path=kernel/seccomp-log-path=sometimes/' >$feat
feat_case "corrupt" "bad value for seccomp-log-path"
printf '%s\n' "$good_feat" | sed 's/^seccomp-log-path=kernel/seccomp-log-path=silent/' >$feat
feat_case "contradictory" "contradicts"
printf 'garbage\n' >$feat
feat_case "garbage" "expected KEY=VALUE"
chown $USER_ID $feat
feat_case "not root-owned" "not root:root"
# snap-seccomp on the device picks the complain action from the file
/opt/confine/confine-oldkernel /opt/confine/confine-probe
/t/snap-seccomp compile --target pc /t/complain.src /t/c-old.bin2
check "snap-seccomp on an old kernel: complain policies allow" is "$(/t/snap-seccomp simulate /t/c-old.bin2 x86_64 add_key | cut -d' ' -f1)" ALLOW
/opt/confine/confine-probe
/t/snap-seccomp compile --target pc /t/complain.src /t/c-new.bin2
check "snap-seccomp with logging: complain policies log" is "$(/t/snap-seccomp simulate /t/c-new.bin2 x86_64 add_key | cut -d' ' -f1)" LOG
printf 'garbage\n' >/t/bad-features
run /t/snap-seccomp compile --features /t/bad-features /t/complain.src /t/c-bad.bin2
check "snap-seccomp --features with a corrupt file: exit 1, nothing written" is "$rc:$(test -e /t/c-bad.bin2 && echo written)" "1:"
echo "$old_rl" >/proc/sys/kernel/printk_ratelimit

# ---- devices: the device cgroup (v1) and snap-device-helper, as root (the cgroup binds root too)
cg=/sys/fs/cgroup/devices
root_app() { run env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe "$@"; }
if [ -d $cg ]; then
	rmdir $cg/snap.hello.app $cg/snap.other.app 2>/dev/null
	rm -rf /run/udev/tags/snap_hello_app
	root_app open /dev/fuse
	check "devices: an app without assigned devices gets no device cgroup (snapd's default)" is "$out:$([ -d $cg/snap.hello.app ] && echo cgroup)" "open errno 0:"
	mkdir -p /run/udev/tags/snap_hello_app && touch /run/udev/tags/snap_hello_app/c10:229
	root_app open /dev/fuse
	check "devices: the device udev tagged for the app opens" is "$out" "open errno 0"
	# udev (>= 247) keeps a tag once given; its database's Q: lines are the current ones (another
	# device, /dev/loop-control, stays tagged: without any, tagged-only gives no device cgroup at all)
	mkdir -p /run/udev/data && printf 'G:snap_hello_app\nQ:snap_other_app\n' >/run/udev/data/c10:229
	touch /run/udev/tags/snap_hello_app/c10:237
	root_app open /dev/fuse
	check "devices: a device tagged once but no longer (not among its current tags, Q:) is denied" is "$out" "open errno 1"
	# a long entry (a disk's links and properties): its Q: lines past the first 4 KiB still count
	{ for i in $(seq 200); do echo "E:ID_PROP_$i=0123456789abcdef"; done; printf 'G:snap_hello_app\nQ:snap_other_app\n'; } >/run/udev/data/c10:229
	root_app open /dev/fuse
	check "... also when its database entry is longer than 4 KiB ($(wc -c </run/udev/data/c10:229) bytes)" is "$out" "open errno 1"
	printf 'G:snap_hello_app\nQ:snap_hello_app\n' >/run/udev/data/c10:229
	root_app open /dev/fuse
	check "... and one whose current tags name the app opens" is "$out" "open errno 0"
	rm -f /run/udev/data/c10:229 /run/udev/tags/snap_hello_app/c10:237
	root_app open /dev/fuse
	list=$(cat $cg/snap.hello.app/devices.list 2>/dev/null | tr '\n' ',')
	check "devices: the cgroup denies everything else: the tagged device and the always-on set only" is "$list" "c 1:3 rwm,c 1:5 rwm,c 1:7 rwm,c 1:8 rwm,c 1:9 rwm,c 5:0 rwm,c 5:1 rwm,c 5:2 rwm,c 136:* rwm,c 137:* rwm,c 138:* rwm,c 139:* rwm,c 140:* rwm,c 141:* rwm,c 142:* rwm,c 143:* rwm,c 10:229 rwm,"
	root_app open /dev/loop-control
	check "devices: a device not assigned returns EPERM" is "$out" "open errno 1"
	root_app open /dev/null
	check "devices: /dev/null stays usable" is "$out" "open errno 0"
	run /opt/confine/snap-device-helper remove snap_hello_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper remove: denied in the cgroup" is "$rc:$(grep -c '10:229' $cg/snap.hello.app/devices.list)" "0:0"
	run env MAJOR=10 MINOR=229 /opt/confine/snap-device-helper add snap_hello_app /devices/virtual/misc/fuse
	check "snap-device-helper add (MAJOR/MINOR from udev's environment): allowed again" is "$rc:$(grep -c 'c 10:229 rwm' $cg/snap.hello.app/devices.list)" "0:1"
	run /opt/confine/snap-device-helper bind snap_hello_app /devices/virtual/block/loop7 7:7
	check "snap-device-helper bind of a block device: b 7:7" is "$rc:$(grep -c 'b 7:7 rwm' $cg/snap.hello.app/devices.list)" "0:1"
	run /opt/confine/snap-device-helper change snap_hello_app /devices/virtual/misc/loop-control 10:237
	check "snap-device-helper change: allowed" is "$rc:$(grep -c 'c 10:237 rwm' $cg/snap.hello.app/devices.list)" "0:1"
	before=$(cat $cg/snap.hello.app/devices.list)
	run /opt/confine/snap-device-helper unbind snap_hello_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper unbind: ignored" is "$rc:$(cat $cg/snap.hello.app/devices.list)" "0:$before"
	root_app open /dev/fuse
	list=$(cat $cg/snap.hello.app/devices.list 2>/dev/null | tr '\n' ',')
	check "devices: a new launch makes the cgroup match the tags again (the helper's b 7:7 and c 10:237 are gone)" is "$out:$list" "open errno 0:c 1:3 rwm,c 1:5 rwm,c 1:7 rwm,c 1:8 rwm,c 1:9 rwm,c 5:0 rwm,c 5:1 rwm,c 5:2 rwm,c 136:* rwm,c 137:* rwm,c 138:* rwm,c 139:* rwm,c 140:* rwm,c 141:* rwm,c 142:* rwm,c 143:* rwm,c 10:229 rwm,"
	run /opt/confine/snap-device-helper add snap_other_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper for an app without a cgroup yet: exit 0, nothing created" is "$rc:$([ -d $cg/snap.other.app ] && echo cgroup)" "0:"
	run /opt/confine/snap-device-helper frob snap_hello_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper: an unknown action is one error" is "$rc:$err" "1:snap-device-helper: unknown action 'frob' (add, change, bind, remove or unbind)"
	run /opt/confine/snap-device-helper add snap_Hello_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper: a malformed tag is one error" is "$rc:$(echo "$err" | grep -c 'invalid tag')" "1:1"
	run /opt/confine/snap-device-helper add snap_hello_app /devices/virtual/misc/fuse 10:
	check "snap-device-helper: an incomplete MAJOR:MINOR is one error" is "$rc:$err" "1:snap-device-helper: '10:' is not a complete MAJOR:MINOR for /devices/virtual/misc/fuse"
	run /opt/confine/snap-device-helper add snap_hello_app /devices/virtual/misc/fuse
	check "snap-device-helper: no MAJOR:MINOR anywhere is one error" is "$rc" 1
	for i in $(seq 0 256); do : >"/run/udev/tags/snap_hello_app/c240:$i"; done
	root_app open /dev/null
	check "devices: more than 256 tagged devices is one error, nothing executed" is "$rc:$out:$err" "1::snap-confine: more than 256 devices are tagged for snap.hello.app in /run/udev/tags/snap_hello_app: no partial device cgroup"
	rmdir $cg/snap.hello.app
	root_app open /dev/null
	check "... and a device cgroup that launch created is not left behind" is "$rc:$([ -d $cg/snap.hello.app ] && echo cgroup)" "1:"
	rm -rf /run/udev/tags/snap_hello_app
	rmdir $cg/snap.hello.app 2>/dev/null
else
	echo "# SKIP devices: no cgroup v1 devices controller on this host"
fi

# ---- devices, cgroup v2: a cgroup2 hierarchy and the bpf filesystem mounted over the v1 ones, in
# this mount namespace only; the map is read back with bpftool, an independent reader
if mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null && mount -t bpf bpf /sys/fs/bpf 2>/dev/null; then
	cg2=/sys/fs/cgroup
	map=/sys/fs/bpf/snap/snap_hello_app
	/opt/confine/snap-discard-ns hello # the snap's namespace sees the cgroup and bpf mounts of its creation
	rmdir $cg2/snap.hello.app 2>/dev/null # left by an interrupted run: the cgroup2 hierarchy is the host's
	# the map as "c 10:229" lines, sorted (key: type byte, major and minor little-endian u32)
	dump() {
		bpftool -j map dump pinned "$1" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
out = []
for e in json.load(sys.stdin):
    k = bytes(int(b, 16) for b in e["key"])
    mi = int.from_bytes(k[5:9], "little")
    out.append("%c %d:%s" % (k[0], int.from_bytes(k[1:5], "little"), "*" if mi == 0xffffffff else mi))
print(",".join(sorted(out)))'
	}
	rm -rf /run/udev/tags/snap_hello_app
	root_app open /dev/fuse
	check "devices v2: an app without assigned devices gets no cgroup and no map" is "$out:$([ -d $cg2/snap.hello.app ] && echo cgroup):$([ -e $map ] && echo map)" "open errno 0::"
	mkdir -p /run/udev/tags/snap_hello_app && touch /run/udev/tags/snap_hello_app/c10:229
	root_app read /proc/self/cgroup
	check "devices v2: the app runs in its own cgroup" is "$(echo "$out" | grep '^0::')" "0::/snap.hello.app"
	# attack 6: the app stays below the caller's cgroup (a service's, a user's slice), so its limits hold
	# and stopping the caller's cgroup stops the app; a caller in an app's cgroup starts the app beside it
	mkdir -p $cg2/caller/snap.other.app
	rm -f /t/hold2 /t/caller.out && mkfifo /t/hold2
	sh -c 'echo $$ >/sys/fs/cgroup/caller/cgroup.procs && exec setpriv --reuid='$USER_ID' --regid='$USER_ID' --clear-groups -- env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe wait' </t/hold2 >/t/caller.out 2>&1 &
	caller=$!
	exec 9>/t/hold2
	i=0
	while [ ! -s /t/caller.out ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	check "attack 6: a user's app started from the cgroup /caller runs in /caller/snap.hello.app" is "$(grep '^0::' /proc/$caller/cgroup)" "0::/caller/snap.hello.app"
	echo 1 >$cg2/caller/cgroup.kill
	sleep 0.3
	exec 9>&-
	wait $caller
	check "... so killing the caller's cgroup (a service stopped) kills the app too (SIGKILL)" is "$?" 137
	run sh -c 'echo $$ >/sys/fs/cgroup/caller/snap.other.app/cgroup.procs && exec env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe read /proc/self/cgroup'
	check "... an app started from another app's cgroup runs beside it, in the same parent" is "$(echo "$out" | grep '^0::')" "0::/caller/snap.hello.app"
	rmdir $cg2/caller/snap.hello.app $cg2/caller/snap.other.app $cg2/caller
	check "devices v2: the map pinned at /sys/fs/bpf/snap/<udev tag> holds the always-on set and the tagged device" \
		is "$(dump $map)" "c 10:229,c 136:*,c 137:*,c 138:*,c 139:*,c 140:*,c 141:*,c 142:*,c 143:*,c 1:3,c 1:5,c 1:7,c 1:8,c 1:9,c 5:0,c 5:1,c 5:2"
	check "devices v2: one device program attached to the app's cgroup" is "$(bpftool -j cgroup show $cg2/snap.hello.app 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(",".join(p["attach_type"] for p in json.load(sys.stdin)))')" "cgroup_device"
	root_app open /dev/fuse
	check "devices v2: the device udev tagged for the app opens" is "$out" "open errno 0"
	root_app open /dev/loop-control
	check "devices v2: a device not assigned returns EPERM" is "$out" "open errno 1"
	root_app open /dev/null
	check "devices v2: /dev/null stays usable" is "$out" "open errno 0"
	root_app open /dev/ptmx
	check "devices v2: /dev/ptmx (the always-on set) stays usable" is "$out" "open errno 0"
	[ -b /dev/loop0 ] || mknod /dev/loop0 b 7 0 2>/dev/null
	root_app open /dev/loop0
	check "devices v2: a block device not assigned returns EPERM" is "$out" "open errno 1"
	# a running instance sees the helper's changes at once
	rm -f /t/fifo && : >/t/loop.out && mkfifo /t/fifo
	env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe openloop /dev/loop-control </t/fifo >/t/loop.out 2>&1 &
	loop_pid=$!
	exec 7>/t/fifo
	ask() { # one open by the running instance: sets out to its answer
		before=$(wc -l </t/loop.out)
		echo >&7
		i=0
		while [ "$(wc -l </t/loop.out)" -le "$before" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		out=$(tail -n 1 /t/loop.out)
	}
	ask
	check "devices v2: a running instance: /dev/loop-control denied" is "$out" "open errno 1"
	run /opt/confine/snap-device-helper add snap_hello_app /devices/virtual/misc/loop-control 10:237
	ask
	check "snap-device-helper add (v2): the running instance opens it" is "$rc:$out" "0:open errno 0"
	run /opt/confine/snap-device-helper unbind snap_hello_app /devices/virtual/misc/loop-control 10:237
	ask
	check "snap-device-helper unbind (v2): ignored" is "$rc:$out" "0:open errno 0"
	run env ACTION=remove MAJOR=10 MINOR=237 /opt/confine/snap-device-helper remove snap_hello_app /devices/virtual/misc/loop-control
	ask
	check "snap-device-helper remove (v2, MAJOR/MINOR from udev's environment): revoked for the running instance" is "$rc:$out" "0:open errno 1"
	run /opt/confine/snap-device-helper remove snap_hello_app /devices/virtual/misc/loop-control 10:237
	check "snap-device-helper remove of a device not in the map (v2): exit 0" is "$rc:$err" "0:"
	if [ -x /opt/confine/peer-snap-device-helper ]; then
		run /opt/confine/peer-snap-device-helper add snap_hello_app /devices/virtual/misc/loop-control 10:237
		ask
		check "Debian's snapd snap-device-helper (peer) updates our map: the running instance opens the device" is "$rc:$out" "0:open errno 0"
		run /opt/confine/peer-snap-device-helper remove snap_hello_app /devices/virtual/misc/loop-control 10:237
		ask
		check "Debian's snapd snap-device-helper (peer) remove: revoked" is "$rc:$out" "0:open errno 1"
	else
		echo "# SKIP the peer helper checks: Debian's snapd package could not be fetched (see \$O/peer-fetch.log)"
	fi
	run /opt/confine/snap-device-helper bind snap_hello_app /devices/virtual/block/loop0 7:0
	check "snap-device-helper bind of a block device (v2): b 7:0 in the map" is "$rc:$(dump $map | tr , '\n' | grep -c '^b 7:0$')" "0:1"
	exec 7>&-
	wait $loop_pid
	root_app open /dev/loop0
	check "devices v2: a new launch makes the map match the tags again (the helper's b 7:0 is gone)" is "$out:$(dump $map | tr , '\n' | grep -c '^b 7:0$')" "open errno 1:0"
	# the program attached to the cgroup decides from the map pinned now (bpftool: map ids)
	prog_map() {
		pid=$(bpftool -j cgroup show $cg2/snap.hello.app | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
		bpftool -j prog show id "$pid" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["map_ids"])'
	}
	pinned_map() { bpftool -j map show pinned $map | /usr/bin/python3 -c 'import json,sys; print([json.load(sys.stdin)["id"]])'; }
	check "devices v2: a relaunch keeps the attached program, which uses the pinned map" is "$(prog_map)" "$(pinned_map)"
	# the map is read before it is written: a hot launch whose map is complete writes nothing
	# to it; an entry missing (c 5:0 deleted with bpftool: type 'c', major and minor
	# little-endian) is the one written back
	# traced [STRACE OPTION...]: a launch opening /dev/fuse, its bpf calls in /t/bpf.st, its output in /t/out
	traced() { strace -f -e trace=bpf "$@" -o /t/bpf.st env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe open /dev/fuse >/t/out 2>&1; }
	updates() { traced && grep -c 'BPF_MAP_UPDATE_ELEM' /t/bpf.st; }
	check "devices v2: a hot launch with the map complete updates no entry (strace)" is "$(updates)" 0
	bpftool map delete pinned $map key hex 63 05 00 00 00 00 00 00 00
	check "devices v2: c 5:0 deleted from the map: the next launch writes that entry alone, and the map is whole again" \
		is "$(dump $map | tr , '\n' | grep -c '^c 5:0$'):$(updates):$(dump $map)" \
		"0:1:c 10:229,c 136:*,c 137:*,c 138:*,c 139:*,c 140:*,c 141:*,c 142:*,c 143:*,c 1:3,c 1:5,c 1:7,c 1:8,c 1:9,c 5:0,c 5:1,c 5:2"
	# a kernel before 5.6 has no batch lookup for hash maps (EINVAL, injected by strace into
	# the launch's second bpf call, the batch): the keys are walked one by one instead
	bpftool map delete pinned $map key hex 63 05 00 00 00 00 00 00 00
	traced -e inject=bpf:error=EINVAL:when=2
	check "devices v2: without the batch lookup (EINVAL) the keys are walked one by one, c 5:0 written back" \
		is "$(grep -c 'BPF_MAP_LOOKUP_BATCH.*(INJECTED)' /t/bpf.st):$(grep -c 'BPF_MAP_GET_NEXT_KEY' /t/bpf.st):$(grep -c 'BPF_MAP_UPDATE_ELEM' /t/bpf.st):$(cat /t/out):$(dump $map | tr , '\n' | grep -c '^c 5:0$')" \
		"1:17:1:open errno 0:1"
	rm -f $map
	root_app open /dev/fuse
	check "devices v2: the pinned map removed: a launch pins a new one and attaches a program that uses it" is "$out:$(prog_map)" "open errno 0:$(pinned_map)"
	run /opt/confine/snap-device-helper add snap_other_app /devices/virtual/misc/fuse 10:229
	check "snap-device-helper for an app that never ran (v2): exit 0, no map created" is "$rc:$([ -e /sys/fs/bpf/snap/snap_other_app ] && echo map)" "0:"
	# 20 concurrent first launches of one app share one map
	rm -f $map
	rmdir $cg2/snap.hello.app 2>/dev/null
	for i in $(seq 20); do
		env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe open /dev/fuse >/t/conc.$i 2>&1 &
	done
	wait
	check "devices v2: 20 concurrent first launches all open the tagged device" is "$(cat /t/conc.* | sort | uniq -c | sed 's/^ *//')" "20 open errno 0"
	for i in $(seq 0 256); do : >"/run/udev/tags/snap_hello_app/c240:$i"; done
	rm -f $map
	rmdir $cg2/snap.hello.app
	root_app open /dev/null
	check "devices v2: more than 256 tagged devices is one error, nothing executed, no cgroup or map left behind" is "$rc:$out:$err:$([ -d $cg2/snap.hello.app ] && echo cgroup):$([ -e $map ] && echo map)" "1::snap-confine: more than 256 devices are tagged for snap.hello.app in /run/udev/tags/snap_hello_app: no partial device cgroup::"
	rm -f /run/udev/tags/snap_hello_app/c240:*
	root_app open /dev/fuse
	umount /sys/fs/bpf
	/opt/confine/snap-discard-ns hello
	root_app open /dev/fuse
	check "devices v2: no bpf filesystem is one error, nothing executed" is "$rc:$out:$err" "1::snap-confine: /sys/fs/bpf is not a bpf filesystem (mount -t bpf bpf /sys/fs/bpf)"
	rm -rf /run/udev/tags/snap_hello_app
	rmdir $cg2/snap.hello.app
	umount /sys/fs/cgroup
	/opt/confine/snap-discard-ns hello
else
	echo "# SKIP devices v2: cannot mount cgroup2 and bpf here"
fi

# ---- attacks of a hostile user and a hostile snap (docs/security.md)
. /t/attacks.sh

# ---- bad input: one line, exit 1, nothing executed
marker=/var/snap/hello/common/ran
bad() { # bad DESCRIPTION EXPECTED-TEXT: after a confine/app call
	check "$1: exit 1" is "$rc" 1
	[ -n "${VERBOSE:-}" ] && echo "# err: $err"
	check "$1: one line naming it ($2)" sh -c 'one_line() { [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ]; }; one_line "$1" && case "$1" in *"$2"*) ;; *) exit 1 ;; esac' _ "$err" "$2"
	check "$1: nothing executed" [ ! -e "$marker" ]
	[ -e "$marker" ] && echo "# output: $out" && rm -f "$marker"
}
rm -f "$marker"
for tag in snap.Hello.app snap.h.app snap.hello-.app snap.hello..app snap.hello.app. snap.hello.-app \
	snap.hello_TOOLONGKEY1.app nosnap.hello.app snap.hello; do
	inst=${tag#*.}
	inst=${inst%%.*}
	run as_user env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine "$tag" /snap/hello/1/bin/probe touch "$marker"
	bad "malformed tag $tag" "invalid security tag"
done
. /t/debug.sh
run as_user env SNAP_INSTANCE_NAME=other /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe touch "$marker"
bad "tag and instance mismatch" "not for snap instance other"
run as_user /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe touch "$marker"
bad "no SNAP_INSTANCE_NAME" "SNAP_INSTANCE_NAME is not set"
run as_user env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine --frob snap.hello.app /snap/hello/1/bin/probe
check "unknown option: exit 1 naming it" is "$rc:$(echo "$err" | grep -c "unknown option '--frob'")" "1:1"
bpf=/var/lib/snapd/seccomp/bpf
good=/t/good.bin2
cp $bpf/snap.hello.app.bin2 $good
profile_case() { # profile_case DESCRIPTION EXPECTED: the profile was altered just before
	confine snap.hello.app touch "$marker"
	bad "$1" "$2"
	cp $good $bpf/snap.hello.app.bin2
	chown 0:0 $bpf/snap.hello.app.bin2
	chmod 644 $bpf/snap.hello.app.bin2
}
rm $bpf/snap.hello.app.bin2
profile_case "missing profile" "no seccomp profile for snap.hello.app: neither $bpf/snap.hello.app.bin2 nor $bpf/snap.hello.app.bin exists"
: >$bpf/snap.hello.app.bin2
profile_case "empty profile" "truncated"
head -c 100 $good >$bpf/snap.hello.app.bin2
profile_case "truncated header" "truncated"
head -c 200 $good >$bpf/snap.hello.app.bin2
profile_case "truncated programs" "does not match the header"
head -c 140000 /dev/zero >$bpf/snap.hello.app.bin2
profile_case "oversized profile" "larger than"
{ printf 'XC'; tail -c +3 $good; } >$bpf/snap.hello.app.bin2
profile_case "wrong magic" "bad magic"
{ printf 'SC\002'; tail -c +4 $good; } >$bpf/snap.hello.app.bin2
profile_case "wrong version" "unsupported version 2"
{ cat $good; printf '12345678'; } >$bpf/snap.hello.app.bin2
profile_case "size mismatch" "does not match the header"
chown $USER_ID $bpf/snap.hello.app.bin2
profile_case "profile not root-owned" "not root:root"
chmod 666 $bpf/snap.hello.app.bin2
profile_case "world-writable profile" "writable by others"
chmod o+w $bpf
profile_case "world-writable parent directory" "writable by others"
chmod o-w $bpf
mv $bpf/snap.hello.app.bin2 /t/real.bin2 && ln -s /t/real.bin2 $bpf/snap.hello.app.bin2
profile_case "a symlink as the profile" "symbolic link"
rm -f $bpf/snap.hello.app.bin2
cp $good $bpf/snap.hello.app.bin2
mv /var/lib/snapd/seccomp /var/lib/snapd/seccomp.real && ln -s seccomp.real /var/lib/snapd/seccomp
profile_case "a symlink in the profile's path" "symbolic link"
rm /var/lib/snapd/seccomp && mv /var/lib/snapd/seccomp.real /var/lib/snapd/seccomp
cp $good $bpf/snap.hello.app.bin2
run /opt/confine/snap-discard-ns hello
run as_user env SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine --base nosuchbase snap.hello.app /snap/hello/1/bin/probe touch "$marker"
bad "missing base snap" "cannot find the base snap 'nosuchbase'"
printf '/var/snap/hello/common/src\n' >/var/lib/snapd/mount/snap.hello.fstab
confine snap.hello.app touch "$marker"
bad "malformed fstab line" "snap.hello.fstab:1: expected"
check "... and no namespace was preserved (snap-update-ns parsed it in a namespace that was not kept)" \
	sh -c '[ ! -e /run/snapd/ns/hello.mnt ] || [ "$(stat -f -c %T /run/snapd/ns/hello.mnt)" != nsfs ]'
printf '/var/snap/hello/common/src /x none bind,x-snapd.frob 0 0\n' >/var/lib/snapd/mount/snap.hello.fstab
confine snap.hello.app touch "$marker"
bad "unknown x-snapd option" "unknown option 'x-snapd.frob'"
rm /var/lib/snapd/mount/snap.hello.fstab
confine snap.hello.app touch "$marker"
check "after all that, a good launch still runs" is "$rc:$out" "0:touch ok"
rm -f "$marker"

# ---- parallel instances (instances.sh)
before=$n
instance_tests
check "the instance tests ran (instances.sh)" [ "$n" -gt $((before + 20)) ]

echo "1..$n"
[ $fails = 0 ]
