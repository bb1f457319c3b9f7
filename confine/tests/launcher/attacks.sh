#!/bin/sh
# The launcher against a hostile user and a hostile snap: each attack of
# docs/security.md, run by an unprivileged caller (uid $USER_ID) in the fake
# root, with the outcome the defense must give. Sourced by inner.sh (its
# helpers: run, app, check, is, has, lacks, one_line, as_user).

# shellcheck disable=SC2154 # rc, out and err are set by inner.sh's run()
# fresh: no namespace, no mount profile, no record
fresh() {
	/opt/confine/snap-discard-ns hello
	rm -f /var/lib/snapd/mount/snap.hello.fstab /run/snapd/ns/snap.hello.fstab
}
profile() { cat >/var/lib/snapd/mount/snap.hello.fstab; }
common=/var/snap/hello/common
user_do() { as_user sh -c "$1"; }

# ---- 1. creation through a planted symlink
# the snap's data holds a link to the host's /var/lib/snapd; the profile has entries below it
fresh
rm -rf $common/a $common/b
user_do "ln -s /var/lib/snapd $common/a"
profile <<FSTAB
none $common/a/mount/evil-dir none x-snapd.kind=ensure-dir,x-snapd.mode=0777 0 0
none $common/a/mount/evil-link none x-snapd.kind=symlink,x-snapd.symlink=/etc 0 0
FSTAB
marker=$common/ran
rm -f $marker
app hello.app touch $marker
check "attack 1 (a link in the snap's data, first launch): refused, one line naming the link" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"symbolic link"*) ;; *) exit 1 ;; esac' _ "$rc" "$err"
check "... nothing executed" [ ! -e $marker ]
check "... and nothing created on the host (/var/lib/snapd/mount)" is "$(ls /var/lib/snapd/mount | tr '\n' ' ')" "snap.hello.fstab "
check "... and no namespace kept, no record" is "$(stat -f -c %T /run/snapd/ns/hello.mnt 2>/dev/null | grep -c nsfs):$(ls /run/snapd/ns/snap.hello.fstab 2>/dev/null)" "0:"
# the same with a live namespace: a link planted in the private /tmp, then a profile change
fresh
app hello.app symlink /var/lib/snapd /tmp/a
check "attack 1, private /tmp: the app plants /tmp/a -> /var/lib/snapd" is "$out" "symlink ok"
profile <<FSTAB
none /tmp/a/mount/evil-dir none x-snapd.kind=ensure-dir 0 0
tmpfs /tmp/a/mount/evil-mnt tmpfs mode=0755 0 0
FSTAB
run /opt/confine/snap-update-ns hello
check "attack 1 (a link in the private /tmp, profile change): refused" is "$rc:$(echo "$err" | grep -c 'symbolic link')" "1:1"
check "... nothing created on the host" is "$(ls /var/lib/snapd/mount | tr '\n' ' ')" "snap.hello.fstab "
app hello.app mounts
check "... and nothing mounted over it in the namespace" lacks "$out" "evil"
# a link as the last component: the mount point itself (and the bind source)
printf '%s\n' "$common/src $common/a none bind 0 0" | profile
run /opt/confine/snap-update-ns hello
check "attack 1: a link as the mount point is refused, not mounted through" is "$rc:$(echo "$err" | grep -c 'symbolic link')" "1:1"
printf '%s\n' "$common/a $common/dst-of-link none bind 0 0" | profile
run /opt/confine/snap-update-ns hello
check "attack 1: a link as the bind source is refused" is "$rc:$(echo "$err" | grep -c 'symbolic link')" "1:1"
# undo through a link: a tmpfs recorded on b/snapd; the snap moves b away and puts a link to /var/lib in its
# place, so that b/snapd names the namespace's /var/lib/snapd, a mount of the host's directory
mkdir -p $common/b/snapd && chown -R $USER_ID:$USER_ID $common/b
printf '%s\n' "tmpfs $common/b/snapd tmpfs mode=0755 0 0" | profile
run /opt/confine/snap-update-ns hello
check "attack 1, undo: a tmpfs on b/snapd applied" is "$rc:$err" "0:"
app hello.app mounts
before_undo=$(echo "$out" | grep -c '^/var/lib/snapd ')
user_do "cd $common && mv b b.old && ln -s /var/lib b"
check "... b is now a link to /var/lib (the snap moved the mounted directory away)" [ -L $common/b ]
: | profile
run /opt/confine/snap-update-ns hello
check "... the undo through the link is refused" is "$rc:$(echo "$err" | grep -c 'symbolic link')" "1:1"
app hello.app mounts
check "attack 1, undo through a link: /var/lib/snapd stays mounted in the namespace" is "$(echo "$out" | grep -c '^/var/lib/snapd ')" "$before_undo"
rm -rf $common/b $common/b.old
fresh

# undo of a link the profile did not make: the host's own link, outside the snap's areas, stays
fresh
ln -s /x /var/lib/snapd/host-link
printf '%s\n' "none /var/lib/snapd/host-link none x-snapd.kind=symlink,x-snapd.symlink=/x 0 0" | profile
app hello.app ns
: | profile
run /opt/confine/snap-update-ns hello
check "attack 1, undo: a link of the host that a profile named (same target) is not removed" is "$rc:$(readlink /var/lib/snapd/host-link)" "0:/x"
rm -f /var/lib/snapd/host-link

# the race: a directory and a link swapped (renameat2 RENAME_EXCHANGE) while snap-update-ns runs
fresh
rm -rf $common/r $common/r.alt
mkdir -p $common/r/mount
user_do "ln -s /var/lib/snapd $common/r.alt"
chown -R $USER_ID:$USER_ID $common/r
profile <<FSTAB
none $common/r/mount/raced-dir none x-snapd.kind=ensure-dir 0 0
none $common/r/mount/raced-link none x-snapd.kind=symlink,x-snapd.symlink=/etc 0 0
tmpfs $common/r/mount/raced-mnt tmpfs mode=0755 0 0
FSTAB
cp /var/lib/snapd/mount/snap.hello.fstab /t/raced.fstab
app hello.app ns
as_user /snap/hello/1/bin/probe swaploop $common/r $common/r.alt 4000 >/t/swaps &
swapper=$!
i=0 applied=0 refused=0
while kill -0 $swapper 2>/dev/null && [ $i -lt 2000 ]; do
	# apply, then undo: every round creates and removes again
	cp /t/raced.fstab /var/lib/snapd/mount/snap.hello.fstab
	if /opt/confine/snap-update-ns hello 2>/dev/null; then applied=$((applied + 1)); else refused=$((refused + 1)); fi
	: >/var/lib/snapd/mount/snap.hello.fstab
	/opt/confine/snap-update-ns hello 2>/dev/null
	i=$((i + 1))
done
wait $swapper
echo "# race: $(cat /t/swaps), $i rounds of snap-update-ns: $applied applied, $refused refused"
check "attack 1, race: the swapper really ran and snap-update-ns ran many times" sh -c '[ "$1" -ge 20 ] && [ "$(sed -n "s/^swaps //p" /t/swaps)" -ge 100 ]' _ "$i"
check "... nothing was ever created outside the snap's areas (/var/lib/snapd/mount)" is "$(ls /var/lib/snapd/mount | tr '\n' ' ')" "snap.hello.fstab "
app hello.app mounts
check "... and nothing is mounted outside them" lacks "$out" "/var/lib/snapd/mount"
rm -rf $common/r $common/r.alt

# ---- 2. helpers beside /proc/self/exe: a hard link of the setuid launcher in a user's directory
fresh
printf '%s\n' "$common/src $common/dst none bind 0 0" | profile
rm -f /run/snapd/helper-ran
mkdir -p /home/snapuser/bin && chown $USER_ID:$USER_ID /home/snapuser/bin
old_ph=$(cat /proc/sys/fs/protected_hardlinks)
echo 0 >/proc/sys/fs/protected_hardlinks
user_do "ln /opt/confine/snap-confine /home/snapuser/bin/snap-confine && cp /snap/hello/1/bin/probe /home/snapuser/bin/snap-update-ns"
echo "$old_ph" >/proc/sys/fs/protected_hardlinks
check "attack 2: the user made a hard link of the setuid launcher (fs.protected_hardlinks=0)" is "$(stat -c %u:%a:%h /home/snapuser/bin/snap-confine)" "0:4755:2"
run as_user env SNAP_INSTANCE_NAME=hello /home/snapuser/bin/snap-confine snap.hello.app /snap/hello/1/bin/probe touch $marker
check "attack 2: the launcher refuses to run from the user's directory, one line" is "$rc:$err" "1:snap-confine: refusing to run from /home/snapuser/bin/snap-confine: snap-confine runs only as /opt/confine/snap-confine"
check "... the user's snap-update-ns never ran as root, nothing executed" is "$(cat /run/snapd/helper-ran 2>/dev/null):$(ls $marker 2>/dev/null)" ":"
# the launcher takes the name the kernel executed (AT_EXECFN) when it is the installed
# path exactly; any other name is decided by /proc/self/exe
run as_user sh -c "cd /home/snapuser/bin && SNAP_INSTANCE_NAME=hello ./snap-confine snap.hello.app /snap/hello/1/bin/probe touch $marker"
check "attack 2, the hard link by a relative name (./snap-confine): refused the same, by /proc/self/exe" is "$rc:$err:$(ls $marker 2>/dev/null)" "1:snap-confine: refusing to run from /home/snapuser/bin/snap-confine: snap-confine runs only as /opt/confine/snap-confine:"
user_do "ln -s /opt/confine/snap-confine /home/snapuser/bin/link-to-installed"
run as_user env SNAP_INSTANCE_NAME=hello /home/snapuser/bin/link-to-installed snap.hello.app /snap/hello/1/bin/probe call getpid
check "... while a user's link to the installed launcher runs it (/proc/self/exe names the installed file)" is "$rc:$out" "0:getpid errno 0"
# the exact name on the hard link needs a root or mount namespace of the user's own, hence a
# user namespace, where the kernel ignores the setuid bit of a root-owned file
if as_user unshare -Urm true 2>/dev/null; then
	run as_user unshare -Urm sh -c "mount --bind /home/snapuser/bin/snap-confine /opt/confine/snap-confine &&
		mount --bind /home/snapuser/bin/snap-update-ns /opt/confine/snap-update-ns &&
		SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe touch $marker"
	check "attack 2, the hard link bound on the installed path in the user's own user and mount namespace: it runs without root and stops" is "$rc:$(one_line "$err" && echo one):$(cat /run/snapd/helper-ran 2>/dev/null):$(ls $marker 2>/dev/null)" "1:one::"
else
	echo "# SKIP attack 2 in a user namespace: this kernel gives unprivileged users none"
fi
rm -rf /home/snapuser/bin /run/snapd/helper-ran

# ---- 3. the applied-profile record lives and dies with its namespace
fresh
mkdir -p $common/src && echo bound >$common/src/f && chown -R $USER_ID:$USER_ID $common/src
printf '%s\n' "$common/src $common/dst none bind 0 0" | profile
app hello.app read $common/dst/f
check "attack 3: a bind applied in a new namespace" is "$out" "bound"
/opt/confine/snap-discard-ns hello
check "attack 3: snap-discard-ns removes the record with the namespace" is "$(ls /run/snapd/ns/snap.hello.* 2>/dev/null)" ""
app hello.app read $common/dst/f
check "... the next namespace applies the whole profile again (no ENOENT)" is "$out" "bound"
# a failed snap-update-ns: the first entry applied, the second fails; nothing may be recorded
fresh
profile <<FSTAB
$common/src $common/dst none bind 0 0
/nonexistent-source $common/dst2 none bind 0 0
FSTAB
app hello.app read $common/dst/f
check "attack 3: a profile that fails halfway: the launch fails" is "$rc" 1
check "... and no record of the half-applied profile outlives the namespace" is "$(ls /run/snapd/ns/snap.hello.fstab 2>/dev/null)" ""
printf '%s\n' "$common/src $common/dst none bind 0 0" | profile
app hello.app read $common/dst/f
check "... the profile fixed, the next namespace has the bind" is "$out" "bound"
# a killed snap-update-ns leaves the same state as a failed one: an old record is never trusted by a new namespace
fresh
printf '%s\n' "$common/src $common/dst none bind 0 0" | profile
printf '%s\n' "$common/src $common/dst none bind 0 0" >/run/snapd/ns/snap.hello.fstab
app hello.app read $common/dst/f
check "attack 3: a record left by a killed snap-update-ns is not taken for a new namespace's" is "$out" "bound"

# ---- 4. a base refresh never splits a snap: the old namespace is kept while a process uses it
fresh
rm /snap/core/current && ln -s 1 /snap/core/current
app hello.app read /usr/share/doc/which-base
check "attack 4: on base revision 1" is "$out" "core/1"
rm -f /t/hold && mkfifo /t/hold
as_user env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app wait </t/hold >/t/running.out 2>&1 &
running=$!
exec 8>/t/hold
i=0
while [ ! -s /t/running.out ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
rm /snap/core/current && ln -s 2 /snap/core/current
app hello.app ns
check "attack 4: the base changed while an app runs: a new launch joins the running app's namespace" is "$out" "$(cat /t/running.out)"
app hello.app read /usr/share/doc/which-base
check "... and sees the same base revision (core/1)" is "$out" "core/1"
exec 8>&-
wait $running
app hello.app read /usr/share/doc/which-base
check "attack 4: once no process uses it, the next launch builds the namespace on the new base" is "$out" "core/2"
check "... and records the new revision" is "$(grep base-revision /run/snapd/ns/snap.hello.info)" "base-revision=2"

# ---- 5. the working directory: entered as the caller, without following a link
fresh
# /root is 0700: the user cannot reach /root/inside (0755) nor its world-readable file, unless started in it
chmod 0700 /root && mkdir -p /root/inside && chmod 0755 /root/inside
echo "root only" >/root/inside/secret && chmod 0644 /root/inside/secret
mkdir -p /tmp/evil-cwd && chown $USER_ID:$USER_ID /tmp/evil-cwd
app hello.app symlink /root/inside /tmp/evil-cwd
run as_user sh -c 'cd /tmp/evil-cwd && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app read secret'
check "attack 5: a link planted in the private /tmp as the caller's cwd does not take the app into /root/inside" is "$out" "read errno 2"
run as_user sh -c 'cd /tmp/evil-cwd && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app cwd'
check "... the app starts in the void directory instead" is "$out" "/var/lib/snapd/void"
run as_user sh -c "cd $common && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app cwd"
check "... while a real directory of the caller is kept" is "$out" "$common"
# the race: inside the namespace the app swaps the link with a real directory while the user launches
app hello.app swaploop /tmp/evil-cwd /tmp/evil-cwd.d 1
mkdir -p /tmp/snap-private-tmp/snap.hello/tmp/evil-cwd.d && chown $USER_ID:$USER_ID /tmp/snap-private-tmp/snap.hello/tmp/evil-cwd.d
as_user env SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app swaploop /tmp/evil-cwd /tmp/evil-cwd.d 3000 >/t/swaps2 &
swapper=$!
leaks=0 i=0
while kill -0 $swapper 2>/dev/null && [ $i -lt 300 ]; do
	out=$(as_user sh -c 'cd /tmp/evil-cwd && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app read secret' 2>/dev/null)
	[ "$out" = "root only" ] && leaks=$((leaks + 1))
	i=$((i + 1))
done
wait $swapper
echo "# cwd race: $(cat /t/swaps2), $i launches"
check "attack 5, race: the link swapped with a directory during $i launches: the secret never read" is "$leaks" 0
rm -rf /tmp/evil-cwd /root/inside /tmp/snap-private-tmp/snap.hello/tmp/evil-cwd /tmp/snap-private-tmp/snap.hello/tmp/evil-cwd.d

# ---- 7. the mount table does not grow, also without statx mount ids (Linux < 5.8)
fresh
app hello.app ns
/opt/confine/confine-oldkernel /opt/confine/confine-probe # the old kernel's verdict, as at its boot
# confine-oldkernel works in a mount namespace of its own (where the snap's namespace is not preserved
# yet): count there, after a first launch and after five more
run /opt/confine/confine-oldkernel --no-statx sh -c 'launch() {
		setpriv --reuid='$USER_ID' --regid='$USER_ID' --clear-groups -- env SNAP_INSTANCE_NAME=hello \
			/opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe ns >/dev/null
	}
	launch && wc -l </proc/self/mountinfo && launch && launch && launch && launch && launch &&
		wc -l </proc/self/mountinfo'
check "attack 7: six launches without statx (ENOSYS) run" is "$rc:$err" "0:"
check "... and leave the mount table as it was" is "$(echo $out | cut -d' ' -f1)" "$(echo $out | cut -d' ' -f2)"
/opt/confine/confine-probe

# ---- 8. the caller's umask does not reach what root creates
fresh
profile <<FSTAB
none $common/made-0755 none x-snapd.kind=ensure-dir,x-snapd.mode=0755 0 0
none $common/deep/made-default none x-snapd.kind=ensure-dir 0 0
FSTAB
rm -rf $common/made-0755 $common/deep
run as_user sh -c 'umask 077 && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app umask'
check "attack 8: under the caller's umask 077: x-snapd.mode=0755 is 0755, the default and the parents 0755" is "$(stat -c %a $common/made-0755 $common/deep $common/deep/made-default | tr '\n' ' ')" "755 755 755 "
check "... and the app still gets the caller's umask" is "$out" "0077"
fresh
/opt/confine/snap-discard-ns other
rm -rf /tmp/snap-private-tmp
run as_user sh -c 'umask 0 && SNAP_CONFINE_LIBEXECDIR=/opt/confine /opt/confine/snap-run hello.app umask'
check "attack 8: under umask 0, the private /tmp levels are still 0700, 0700, 1777" is "$rc:$(stat -c %a /tmp/snap-private-tmp /tmp/snap-private-tmp/snap.hello /tmp/snap-private-tmp/snap.hello/tmp | tr '\n' ' ')" "0:700 700 1777 "

# ---- 9. a comma (and a backslash) in a mount point: the record always parses back
fresh
profile <<'FSTAB'
/snap/hello/1/data /usr/share/a,b none rbind,rw,x-snapd.origin=layout 0 0
/snap/hello/1/data /usr/share/c\134d none rbind,rw,x-snapd.origin=layout 0 0
FSTAB
app hello.app read '/usr/share/a,b/file.txt'
check "attack 9: a layout at /usr/share/a,b (a mimic of /usr/share needed by it)" is "$out" "data of hello"
run /opt/confine/snap-update-ns hello
check "... the record parses back: snap-update-ns runs again (exit 0)" is "$rc:$err" "0:"
check "... and the mimic's entry names both mount points, escaped" is "$(grep -c 'x-snapd.needed-by=/usr/share/a\\134054b' /run/snapd/ns/snap.hello.fstab)" 1
: | profile
run /opt/confine/snap-update-ns hello
app hello.app read /usr/share/doc/which-base
check "... and undoing it all works" is "$rc:$out:$(grep -c . /run/snapd/ns/snap.hello.fstab)" "0:core/2:0"

# ---- 10. the lower ones
# /tmp/snap-private-tmp taken by the user before the first launch
fresh
/opt/confine/snap-discard-ns other
rm -rf /tmp/snap-private-tmp
user_do "mkdir -m 0700 /tmp/snap-private-tmp"
rm -f $marker
app hello.app touch $marker
check "attack 10: a user-owned /tmp/snap-private-tmp is refused, one line naming it" sh -c '[ "$1" = 1 ] && [ "$(printf "%s\n" "$2" | wc -l)" = 1 ] && case "$2" in *"/tmp/snap-private-tmp has owner '"$USER_ID:$USER_ID"'"*) ;; *) exit 1 ;; esac' _ "$rc" "$err"
check "... nothing executed" [ ! -e $marker ]
rm -rf /tmp/snap-private-tmp
app hello.app ns
/opt/confine/snap-discard-ns hello
chmod 0777 /tmp/snap-private-tmp/snap.hello/tmp
app hello.app touch $marker
check "attack 10: a private /tmp level with mode 0777 (not 1777) is refused" is "$rc:$(echo "$err" | grep -c 'mode 0777, expected root:root and 1777')" "1:1"
check "... nothing executed" [ ! -e $marker ]
chmod 1777 /tmp/snap-private-tmp/snap.hello/tmp
# a group-writable profile
chmod g+w /var/lib/snapd/seccomp/bpf/snap.hello.app.bin2
app hello.app touch $marker
check "attack 10: a group-writable seccomp profile is refused (as snapd does)" is "$rc:$(echo "$err" | grep -c 'writable by its group')" "1:1"
chmod g-w /var/lib/snapd/seccomp/bpf/snap.hello.app.bin2
chmod g+w /var/lib/snapd/seccomp/bpf
app hello.app touch $marker
check "... and so is a group-writable directory on its way" is "$rc:$(echo "$err" | grep -c 'writable by its group')" "1:1"
chmod g-w /var/lib/snapd/seccomp/bpf
check "... nothing executed" [ ! -e $marker ]
# the root helper's environment is not the caller's
fresh
printf '%s\n' "$common/src $common/dst none bind 0 0" | profile
mv /opt/confine/snap-update-ns /t/snap-update-ns.real
cp /snap/hello/1/bin/probe /opt/confine/snap-update-ns
rm -f /run/snapd/helper-ran
run as_user env LD_PRELOAD=/home/snapuser/evil.so CALLER_SECRET=yes SNAP_INSTANCE_NAME=hello /opt/confine/snap-confine snap.hello.app /snap/hello/1/bin/probe ns
check "attack 10: snap-update-ns runs as root with an environment of its own (PATH only)" is "$(cat /run/snapd/helper-ran 2>/dev/null | tr '\n' ' ')" "euid 0 PATH=/usr/sbin:/usr/bin:/sbin:/bin "
mv /t/snap-update-ns.real /opt/confine/snap-update-ns
# a stopped lock holder: the wait stays bounded (CONFIG_CONFINE_LOCK_TIMEOUT, 3 s in the tests' build)
fresh
flock -o /run/snapd/lock/hello.lock sleep 60 &
holder=$!
sleep 0.3
kill -STOP $holder
start=$(date +%s)
app hello.app touch $marker
check "attack 10: a stopped holder of the snap's lock: the launch gives up, one line" is "$rc:$err" "1:snap-confine: timed out after 3 s waiting for the lock /run/snapd/lock/hello.lock"
check "... within the bound" [ $(($(date +%s) - start)) -le 6 ]
check "... nothing executed" [ ! -e $marker ]
# and the caller cannot stop the launcher while it works as root: it runs with root's real ids
# (setpriv itself, not the as_user function: $! is then the process that becomes snap-confine)
setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups -- env SNAP_CONFINE_LIBEXECDIR=/opt/confine \
	/opt/confine/snap-run hello.app ns >/dev/null 2>&1 &
waiting=$!
sleep 0.3
run as_user kill -STOP $waiting
check "attack 10: the caller cannot signal the launcher while it is root (EPERM)" is "$rc:$(echo "$err" | grep -c 'Operation not permitted')" "1:1"
check "... its real uid is root's until the drop" is "$(cat /proc/$waiting/comm) $(awk '/^Uid:/ { print $2, $3, $4 }' /proc/$waiting/status)" "snap-confine 0 0 0"
kill -CONT $waiting $holder 2>/dev/null # (a launcher that could be stopped must not hang the tests)
kill $holder
wait $holder $waiting 2>/dev/null

# ---- the area check's component boundary: /var/snap/hello-x is not /var/snap/hello's
fresh
mkdir -p /var/snap/hello-x
profile <<FSTAB
none /var/snap/hello-x/new none x-snapd.kind=ensure-dir 0 0
FSTAB
app hello.app ns
check "area: /var/snap/hello-x/new is not inside /var/snap/hello: refused" is "$rc:$(echo "$err" | grep -c 'outside the snap.s areas')" "1:1"
check "... and not created" [ ! -e /var/snap/hello-x/new ]
rmdir /var/snap/hello-x

# ---- the probe's RET_LOG verdict: actions_avail without "log", the syscall says yes
sed 's/ log / /; s/ log$//' /proc/sys/kernel/seccomp/actions_avail >/t/actions_avail
mount --bind /t/actions_avail /proc/sys/kernel/seccomp/actions_avail
run /opt/confine/confine-probe
check "probe: actions_avail lacks log while SECCOMP_GET_ACTION_AVAIL says yes: RET_LOG is not trusted" is "$(grep -E '^seccomp-(ret-log|log-path)=' /run/snapd/features | tr '\n' ' ')" "seccomp-ret-log=no seccomp-log-path=silent "
umount /proc/sys/kernel/seccomp/actions_avail
/opt/confine/confine-probe
fresh
