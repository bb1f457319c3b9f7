#!/bin/sh
# confine-probe --system-key (docs/confine-probe.md): the running kernel's key
# from a fake root (--root: its sys/kernel/security/apparmor/features tree and
# proc/sys/kernel/seccomp/actions_avail) computed by a user who is not root,
# against the key of the same features flattened (--features-file, the image
# build's); a feature changed, AppArmor absent, bad input.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
probe=$O/host/launcher/bin/confine-probe
[ -x "$probe" ] || make -s -C "$SRCDIR" O="$O" host-launcher >/dev/null 2>&1
[ -x "$probe" ] || { echo "1..0 # SKIP $probe is not built (make host-launcher)"; exit 0; }
command -v setpriv >/dev/null || { echo "1..0 # SKIP setpriv is missing (util-linux)"; exit 0; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
chmod 0755 "$t"
n=0
fails=0
is() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else fails=$((fails + 1)); echo "not ok $n - $1"; echo "# expected '$3', got '$2'"; fi
}
# as_user CMD...: as nobody (uid 65534), no groups; stdout, stderr and the exit status in $t
as_user() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@" >"$t/out" 2>"$t/err"
	echo $? >"$t/rc"
}
f=$t/root/sys/kernel/security/apparmor/features
mkdir -p "$f/caps" "$f/domain" "$t/root/proc/sys/kernel/seccomp"
printf 'chown kill\n' >"$f/caps/mask"
printf 'yes\n' >"$f/domain/stack"
printf '1.2\n' >"$f/domain/version"
printf '0xffffff\n' >"$f/capability"
printf 'kill_process kill_thread trap errno user_notif trace log allow\n' >"$t/root/proc/sys/kernel/seccomp/actions_avail"
chmod -R a+rX "$t/root"
# the same set as apparmor_parser -M's file (libapparmor's form), entries in another order
printf 'domain {version {1.2\n}\nstack {yes\n}\n}\ncapability {0xffffff\n}\ncaps {mask {chown kill\n}\n}\n' >"$t/features"
chmod 0644 "$t/features"

as_user "$probe" --system-key --root "$t/root" --parser-version 3.0.8 --output -
running=$(cat "$t/out")
is "a user who is not root computes the key of the features tree below --root (exit 0, nothing on stderr)" \
	"$(cat "$t/rc"):$(cat "$t/err")" "0:"
is "... the key file: version, the three fields, end" "$(cut -d' ' -f1 "$t/out" | tr '\n' ' ')" \
	"version apparmor-features apparmor-parser seccomp-actions end "
is "... its seccomp part: the actions the filters return, sorted, log left to the launcher" \
	"$(sed -n 's/^seccomp-actions //p' "$t/out")" "allow errno kill_process kill_thread"
as_user "$probe" --system-key --features-file "$t/features" --seccomp-actions "errno allow kill_thread kill_process" \
	--parser-version 3.0.8 --output -
is "the key of the same features flattened (the image build's) is the same" "$(cat "$t/rc"):$(cat "$t/out")" "0:$running"
# --same-as FILE (init's check against the image's key): exit 0 when FILE
# holds the key byte for byte, 3 otherwise, the key given all the same
cp "$t/out" "$t/same"
cp "$t/out" "$t/longer" && echo x >>"$t/longer"
head -c -1 "$t/out" >"$t/shorter"
chmod 0644 "$t/same" "$t/longer" "$t/shorter"
as_user "$probe" --system-key --root "$t/root" --parser-version 3.0.8 --output - --same-as "$t/same"
is "--same-as a file holding the same key: exit 0, the key printed, nothing on stderr" \
	"$(cat "$t/rc"):$(cat "$t/err"):$(cat "$t/out")" "0::$running"
as_user "$probe" --system-key --root "$t/root" --parser-version 3.0.9 --output - --same-as "$t/same"
is "... another parser version: exit 3, the new key printed all the same, nothing on stderr" \
	"$(cat "$t/rc"):$(cat "$t/err"):$(sed -n 's/^apparmor-parser //p' "$t/out")" "3::3.0.9"
for x in longer shorter missing; do
	as_user "$probe" --system-key --root "$t/root" --parser-version 3.0.8 --output - --same-as "$t/$x"
	is "... the same key with a byte more, a byte less, or no file: exit 3 ($x)" "$(cat "$t/rc"):$(cat "$t/out")" "3:$running"
done
as_user "$probe" --same-as "$t/same" --output -
is "--same-as without --system-key: exit 1, one line saying so" "$(cat "$t/rc"):$(cat "$t/err")" \
	"1:confine-probe: --same-as compares a system key: it needs --system-key"
printf 'no\n' >"$f/domain/stack"
as_user "$probe" --system-key --root "$t/root" --parser-version 3.0.8 --output -
printf '%s\n' "$running" >"$t/running"
is "one feature of the kernel other (domain/stack no): another AppArmor key, the rest the same" \
	"$(diff "$t/running" "$t/out" | grep -c '^[<>] apparmor-features '):$(diff "$t/running" "$t/out" | grep -c '^[<>]')" 2:2
printf 'kill trap errno trace allow\n' >"$t/root/proc/sys/kernel/seccomp/actions_avail"
as_user "$probe" --system-key --root "$t/root" --output -
is "a kernel without kill_process (< 4.14): another seccomp part; no --parser-version: none" \
	"$(sed -n 's/^seccomp-actions //p; s/^apparmor-parser //p' "$t/out" | tr '\n' ':')" "none:allow errno:"
rm -rf "$t/root/sys"
as_user "$probe" --system-key --root "$t/root" --output -
is "no AppArmor (no features directory): apparmor-features none" "$(sed -n 's/^apparmor-features //p' "$t/out")" none
printf 'caps {mask {chown\n' >"$t/bad"
chmod 0644 "$t/bad"
as_user "$probe" --system-key --features-file "$t/bad" --seccomp-actions allow --output -
is "a features file that is not one: exit 1, one line naming it and the reason, no key" \
	"$(cat "$t/rc"):$(wc -l <"$t/err"):$(cat "$t/out")" "1:1:"
is "... the line" "$(cat "$t/err")" "confine-probe: $t/bad: not an AppArmor features file: caps: no closing }"
as_user "$probe" --system-key --features-file "$t/features" --output -
is "--features-file without --seccomp-actions: exit 1, one line" "$(cat "$t/rc"):$(wc -l <"$t/err")" "1:1"
as_user "$probe" --system-key --root "$t/root" --output "$t/key"
is "a user cannot write the key where root's is (exit 1, nothing written)" \
	"$(cat "$t/rc"):$(wc -l <"$t/err"):$([ -e "$t/key" ] && echo written)" "1:1:"
# the image build's key of Debian's pinned features, when this host has the file
if [ -f /usr/share/apparmor-features/features ]; then
	as_user "$probe" --system-key --features-file /usr/share/apparmor-features/features \
		--seccomp-actions "allow errno kill_process kill_thread" --output -
	is "Debian's pinned feature file (the images' build) has a key" \
		"$(cat "$t/rc"):$(grep -c '^apparmor-features [0-9a-f]\{64\}$' "$t/out")" 0:1
else
	n=$((n + 1))
	echo "ok $n # SKIP no /usr/share/apparmor-features/features (Debian's apparmor package)"
fi
echo "1..$n"
[ $fails = 0 ]
