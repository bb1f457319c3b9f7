#!/bin/sh
# scripts/snap-install: the image tooling (a thin caller of snap-interfaces)
# that writes what the static launcher reads (run files) and each app's
# profiles for the board; bad snap.yaml files give one line naming the file
# and the line, and leave the root untouched.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
tool=$SRCDIR/scripts/snap-install
seccomp=$O/host/bin/snap-seccomp
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0
check() { d=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $d"; else fails=$((fails + 1)); echo "not ok $n - $d"; fi; }
is() { [ "$1" = "$2" ] || { echo "# expected '$2', got '$1'"; return 1; }; }

mk() { # mk DIR YAML: a snap tree with a bin/app
	mkdir -p "$1/meta" "$1/bin"
	printf '%s\n' "$2" >"$1/meta/snap.yaml"
	: >"$1/bin/app"
}
mk "$t/src/hello/7" "name: hello
version: '2.1'
apps:
  app:
    command: bin/app --flag
  other-app:
    command: bin/app"
mk "$t/src/dev/1" "name: devsnap
version: '1'
confinement: devmode
base: core22
apps:
  tool:
    command: bin/app"
root=$t/root
"$tool" --root "$root" --target pc "$t/src/hello/7" "$t/src/dev/1"
check "two snaps install (exit 0)" is "$?" 0
check "the snap's tree is in /snap/hello/7, current points at it" is "$(readlink "$root/snap/hello/current"):$(test -f "$root/snap/hello/7/bin/app" && echo yes)" "7:yes"
check "SNAP_DATA and SNAP_COMMON exist" [ -d "$root/var/snap/hello/7" ] && [ -d "$root/var/snap/hello/common" ]
check "the run file snap-run reads" is "$(grep -v '^#' "$root/var/lib/snapd/confine/run/snap.hello.app")" "version=2.1
base=core
confinement=strict
exec=bin/app
arg=--flag"
check "devmode and base carried over" is "$(grep -v '^#' "$root/var/lib/snapd/confine/run/snap.devsnap.tool" | sed -n '2,3p')" "base=core22
confinement=devmode"
mk "$t/src/envy/3" 'name: envy
version: "1"
environment:
  A: $SNAP/a
  B: "back\\slash"
apps:
  app:
    command: bin/app "a b" '"'"'$SNAP x'"'"' $A
    command-chain: [bin/chain, /bin/app]
    environment:
      A: app-$A'
: >"$t/src/envy/3/bin/chain"
"$tool" --root "$root" --target pc "$t/src/envy/3"
check "a snap with environment and command-chain installs (exit 0)" is "$?" 0
check "its run file: the chain in order (from \$SNAP), the words as they will arrive, the snap's then the app's environment" \
	is "$(grep -v '^#' "$root/var/lib/snapd/confine/run/snap.envy.app")" 'version=1
base=core
confinement=strict
chain=bin/chain
chain=bin/app
exec=bin/app
arg=a b
arg=\$SNAP x
arg=$A
env=A=$SNAP/a
env=B=back\\slash
env=A=app-$A'
bpf=$root/var/lib/snapd/seccomp/bpf
check "a strict app's profile denies add_key with EPERM" is "$("$seccomp" simulate "$bpf/snap.hello.other-app.bin2" x86_64 add_key | cut -d' ' -f1)" "ERRNO(1)"
check "a devmode app's profile logs instead" is "$("$seccomp" simulate "$bpf/snap.devsnap.tool.bin2" x86_64 add_key | cut -d' ' -f1)" "LOG"
check "the policy source is kept beside it" is "$(head -n 1 "$bpf/snap.devsnap.tool.src")" "@complain"

bad() { # bad DESCRIPTION YAML EXPECTED
	rm -rf "$t/badroot" "$t/src/bad"
	mk "$t/src/bad/1" "$2"
	err=$("$tool" --root "$t/badroot" "$t/src/hello/7" "$t/src/bad/1" 2>&1)
	rc=$?
	check "$1: exit 1, one line ($3)" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"$3"*) ;; *) exit 1 ;; esac' _ "$rc" "$err" "$3"
	check "$1: nothing written" [ ! -e "$t/badroot" ]
}
bad "no name" "version: 1" "meta/snap.yaml:1:1: invalid or missing name"
bad "bad name" "name: Bad_Name" "meta/snap.yaml:1:7: invalid or missing name"
bad "bad app name" "name: ok
apps:
  -bad:
    command: bin/app" "meta/snap.yaml:3:3: invalid app name"
bad "app without command" "name: ok
apps:
  a: {}" "meta/snap.yaml:3:6: app a has no command"
bad "command not in the snap" "name: ok
apps:
  a:
    command: bin/missing" "app a: bin/missing is not in the snap"
bad "bad confinement" "name: ok
confinement: loose" "meta/snap.yaml:2:14: confinement must be strict, devmode or classic"
bad "not YAML (line and column)" "name: [unclosed" "meta/snap.yaml:2:1: did not find expected"
bad "an unknown interface" "name: ok
plugs:
  x:
    interface: no-such-thing" "meta/snap.yaml:4:16: plug x: unknown interface 'no-such-thing'"
bad "a quote left open in the command" "name: ok
apps:
  a:
    command: bin/app \"x" "meta/snap.yaml:4:14: app a: command: an unterminated double quote"
bad "a character snapd refuses, outside quotes" "name: ok
apps:
  a:
    command: bin/app --opt=1" "meta/snap.yaml:4:14: app a: command: '=' is allowed only inside quotes"
bad "a command-chain path leaving the snap" "name: ok
apps:
  a:
    command: bin/app
    command-chain: [../../bin/sh]" "meta/snap.yaml:5:21: app a: command-chain: '../../bin/sh' leaves the snap"
bad "a command-chain path with a space" "name: ok
apps:
  a:
    command: bin/app
    command-chain: ['bin/my wrapper']" "meta/snap.yaml:5:21: app a: command-chain: 'bin/my wrapper' is not a plain path"
bad "a command-chain entry not in the snap" "name: ok
apps:
  a:
    command: bin/app
    command-chain: [bin/app, bin/missing]" "meta/snap.yaml:5:30: app a: command-chain: bin/missing is not in the snap"
bad "a bad environment key (snap)" "name: ok
environment:
  MY-VAR: 1" "meta/snap.yaml:3:3: environment: 'MY-VAR' is not a variable name"
bad "a bad environment key (app)" "name: ok
apps:
  a:
    command: bin/app
    environment:
      2X: y" "meta/snap.yaml:6:7: app a: environment: '2X' is not a variable name"
bad "an environment value that is a list" "name: ok
environment:
  X: [1, 2]" "meta/snap.yaml:3:6: environment: X must be a string, not a list"
# ---- an instance (snapd's snap install --name): hello_k beside hello
mk "$t/src/prov/1" "name: prov
version: '1'
slots:
  shared:
    interface: content
    content: shared
    read: [\$SNAP/share]"
"$tool" --root "$root" --target pc "$t/src/prov/1" >/dev/null 2>&1
mk "$t/src/khello/7" "name: hello
version: '2.1'
plugs:
  rng:
    interface: hardware-random-observe
  shared:
    interface: content
    content: shared
    target: \$SNAP_DATA/import
apps:
  app:
    command: bin/app"
"$tool" --root "$root" --target pc --name hello_k "$t/src/khello/7"
check "--name hello_k installs the snap hello as an instance (exit 0)" is "$?" 0
check "its tree is /snap/hello_k/7, its data /var/snap/hello_k/7 and common; hello's tree is untouched" sh -c \
	'[ "$(readlink "$1/snap/hello_k/current")" = 7 ] && [ -f "$1/snap/hello_k/7/meta/snap.yaml" ] &&
	 [ -d "$1/var/snap/hello_k/7" ] && [ -d "$1/var/snap/hello_k/common" ] && [ "$(readlink "$1/snap/hello/current")" = 7 ]' _ "$root"
check "its run file, seccomp profile and AppArmor profile are named snap.hello_k.app" sh -c \
	'[ -f "$1/var/lib/snapd/confine/run/snap.hello_k.app" ] && [ -f "$1/var/lib/snapd/seccomp/bpf/snap.hello_k.app.bin2" ] &&
	 grep -q "^profile snap.hello_k.app " "$1/var/lib/snapd/apparmor/profiles/snap.hello_k.app"' _ "$root"
aa=$root/var/lib/snapd/apparmor/profiles/snap.hello_k.app
check "AppArmor: /snap and /var/snap under both names (mapped), user and runtime directories under the instance's" sh -c \
	'grep -qxF "  /var/snap/{hello,hello_k}/** mrwklix," "$1" && grep -qxF "  /snap/{hello,hello_k}/** mrklix," "$1" &&
	 grep -qxF "  owner /home/*/snap/hello_k/** mrwklix," "$1" && grep -qxF "  owner /run/user/[0-9]*/snap.hello_k/ rw," "$1" &&
	 ! grep -q "snap/hello/\*\*\|snap\.hello/" "$1"' _ "$aa"
check "hello's own profile names hello only" grep -qxF "  /var/snap/{hello,hello}/** mrwklix," "$root/var/lib/snapd/apparmor/profiles/snap.hello.app"
check "its mount profile: snapd's overname entries, nothing else" is "$(grep -v '^#' "$root/var/lib/snapd/mount/snap.hello_k.fstab")" \
	"/snap/hello_k /snap/hello none rbind,x-snapd.origin=overname 0 0
/var/snap/hello_k /var/snap/hello none rbind,x-snapd.origin=overname 0 0"
check "hello itself gets no mount profile" [ ! -e "$root/var/lib/snapd/mount/snap.hello.fstab" ]
check "snap-update-ns.hello_k may make exactly those binds" sh -c \
	'grep -qxF "  mount options=(rw rbind) /var/snap/hello_k/ -> /var/snap/hello/," "$1" &&
	 grep -qxF "  mount options=(rw rbind) /snap/hello_k/ -> /snap/hello/," "$1" && grep -q "^profile snap-update-ns.hello_k " "$1"' \
	_ "$root/var/lib/snapd/apparmor/profiles/snap-update-ns.hello_k"
si() {
	"$O/host/bin/snap-interfaces" --root "$root" --target pc --interfaces "$SRCDIR/confine/snap-interfaces/interfaces" \
		--seccomp-base "$SRCDIR/confine/snap-seccomp/policy/default.src" \
		--apparmor-base "$SRCDIR/confine/snap-interfaces/policy/apparmor-base" \
		--update-ns-base "$SRCDIR/confine/snap-interfaces/policy/update-ns-base" --apparmor-parser none "$@"
}
si connect hello_k:rng system:hardware-random-observe >/dev/null 2>&1
check "connect hello_k:rng: the state names the instance, the udev tag is snap_hello_k_app" sh -c \
	'grep -qx "connect hello_k:rng system:hardware-random-observe" "$1/var/lib/snapd/confine/connections" &&
	 grep -q "TAG+=\"snap_hello_k_app\"" "$1/etc/udev/rules.d/70-snap.hello_k.rules"' _ "$root"
check "snap-interfaces connections lists the instance's plug" sh -c \
	'printf "%s\n" "$1" | grep -qE "^hardware-random-observe +hello_k:rng +system:hardware-random-observe"' _ "$(si connections hello_k)"
si connect hello_k:shared prov:shared >/dev/null 2>&1
check "a content plug of the instance: its target is \$SNAP_DATA as the app sees it, after the overname entries" is \
	"$(grep -v '^#' "$root/var/lib/snapd/mount/snap.hello_k.fstab")" \
	"/snap/hello_k /snap/hello none rbind,x-snapd.origin=overname 0 0
/var/snap/hello_k /var/snap/hello none rbind,x-snapd.origin=overname 0 0
/snap/prov/1/share /var/snap/hello/7/import none bind,ro 0 0"
check "... and snap-update-ns.hello_k gets no mimic of /var or /snap for the mapping (as snapd: the binds alone)" sh -c \
	'grep -qxF "  /var/snap/hello/7/import/ w," "$1" && ! grep -q "tmpfs\|  /snap/hello/ w\|  /var/snap/hello/ w" "$1"' \
	_ "$root/var/lib/snapd/apparmor/profiles/snap-update-ns.hello_k"
kbad() { # kbad DESCRIPTION EXPECTED ARGS...: exit 1, one line, nothing written
	d=$1 e=$2
	shift 2
	rm -rf "$t/kroot"
	err=$("$tool" --root "$t/kroot" --target pc "$@" 2>&1)
	rc=$?
	check "$d: exit 1, one line ($e)" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"$3"*) ;; *) exit 1 ;; esac' _ "$rc" "$err" "$e"
	check "$d: nothing written" [ ! -e "$t/kroot" ]
}
kbad "--name with two directories" "install --name INSTANCE takes exactly one snap directory" --name hello_k "$t/src/hello/7" "$t/src/dev/1"
kbad "--name of another snap" "the snap 'hello' cannot be installed as 'other_k'" --name other_k "$t/src/hello/7"
kbad "--name with a bad key" "invalid instance name 'hello_K'" --name hello_K "$t/src/hello/7"
kbad "--name with a key too long" "invalid instance name 'hello_abcdefghijk'" --name hello_abcdefghijk "$t/src/hello/7"

# ---- classic confinement on a Core image (--core, as scripts/build-image passes it)
mk "$t/src/classy/1" "name: classy
version: '1'
confinement: classic
apps:
  app:
    command: bin/app"
kbad "a classic snap on Core" 'meta/snap.yaml: snap "classy" requires classic confinement which is only available on classic systems' \
	--core "$t/src/hello/7" "$t/src/classy/1"
kbad "a classic instance on Core" 'snap "classy_x" requires classic confinement which is only available on classic systems' \
	--core --name classy_x "$t/src/classy/1"
rm -rf "$t/kroot"
"$tool" --root "$t/kroot" --target pc --core "$t/src/dev/1" >/dev/null 2>&1
check "devmode on Core: installed as before" is "$?:$(grep '^confinement=' "$t/kroot/var/lib/snapd/confine/run/snap.devsnap.tool")" "0:confinement=devmode"
check "scripts/build-image installs with --core" grep -q 'scripts/snap-install --root "$root" --target "$board" --core' "$SRCDIR/scripts/build-image"
check "no demo snap of the images is classic" sh -c '! grep -l "^confinement: *classic" "$1"/rootfs/snaps/*/meta/snap.yaml' _ "$SRCDIR"

echo "1..$n"
[ $fails = 0 ]
