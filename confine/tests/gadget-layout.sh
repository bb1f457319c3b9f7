#!/bin/sh
# gadget-layout (ASan+UBSan build): the three boards' gadgets and a GPT
# gadget (an mbr role with its boot code, a bare-content BIOS Boot
# partition with an offset-write, offsets given and computed) give the
# exact plans; bad gadgets (overlaps, roles, types, sizes, content, names,
# labels, the mbr rules, the schema, the bootloader, malformed YAML) give
# exit 1 and exactly one line naming the file, line, column and reason.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-$SRCDIR/output}
gl=$O/host-asan/bin/gadget-layout
make -s -C "$SRCDIR" O="$O" "$gl" >/dev/null 2>&1 || { echo "Bail out! gadget-layout does not build"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; printf '# expected: %s\n# got:      %s\n' "$3" "$2"; fi; }
tab=$(printf '\t')
# gadget NAME: NAME/meta/gadget.yaml from stdin
gadget() { rm -rf "${t:?}/$1"; mkdir -p "$t/$1/meta"; cat >"$t/$1/meta/gadget.yaml"; }
# plan NAME [ARGS]: the plan, its tabs shown as spaces, and the exit status
plan() { (cd "$t" && "$gl" plan "$@" 2>&1; echo "exit $?") | tr "$tab" ' '; }
# bad NAME 'LINE:COL: REASON': check exits 1 with exactly that line
bad() {
	out=$(cd "$t" && "$gl" check "$1" 2>&1)
	is "bad: $1" "$? $out" "1 gadget-layout: $1/meta/gadget.yaml:$2"
}

# ---- the boards' gadgets: today's disks (1 MiB, then the partitions back to back)
for b in pc pi2 dragonboard; do
	(cd "$SRCDIR" && "$gl" check "gadget/$b") && ok "check gadget/$b" || nok "check gadget/$b"
done
is "plan of the pc (GPT: the ESP with GRUB and its boot state)" "$(cd "$SRCDIR" && "$gl" plan gadget/pc | tr "$tab" ' ')" \
	"volume pc gpt grub 303055360
structure system-boot system-boot C12A7328-F81F-11D2-BA4B-00A0C93EC93B 1048576 134217728 vfat system-boot
content generated bootx64.efi EFI/boot/bootx64.efi
content generated grubenv /
content generated grubenv-redund /
structure writable system-data 0FC63DAF-8483-4772-8E79-3D69D8477DE4 135266304 167772160 ext4 writable"
is "plan of the dragonboard" "$(cd "$SRCDIR" && "$gl" plan gadget/dragonboard | tr "$tab" ' ')" \
	"volume dragonboard mbr u-boot 370147328
structure system-boot system-boot 0C 1048576 201326592 vfat system-boot
content generated boot.scr /
content generated uboot.env /
content generated uboot-redund.env /
structure writable system-data 83 202375168 167772160 ext4 writable"
is "the pi2's writable after its 128 MiB system-boot" \
	"$(cd "$SRCDIR" && "$gl" plan gadget/pi2 | awk -F"$tab" '$2 == "writable" { print $5, $6 }')" "135266304 167772160"

# ---- GPT: an mbr role (boot code), a bare-content partition with an
# offset-write, listed out of offset order, a computed offset after a given one
gadget gpt <<'EOF'
volumes:
  disk:
    bootloader: grub
    structure:
      - name: EFI System
        role: system-boot
        type: EF,C12A7328-F81F-11D2-BA4B-00A0C93EC93B
        filesystem: vfat
        filesystem-label: system-boot
        offset: 2M
        size: 50M
        content:
          - source: efi/
            target: EFI/boot/
          - source: grub.cfg
            target: EFI/ubuntu/grub.cfg
      - name: writable
        role: system-data
        type: 0FC63DAF-8483-4772-8E79-3D69D8477DE4
        filesystem: ext4
        size: 64M
      - name: mbr
        role: mbr
        type: mbr
        offset: 0
        size: 440
        content:
          - image: pc-boot.img
      - name: BIOS Boot
        type: DA,21686148-6449-6E6F-744E-656564454649
        offset: 1M
        size: 1M
        offset-write: mbr+92
        content:
          - image: pc-core.img
          - image: pc-core.img
            offset: 4096
            size: 8192
EOF
head -c 440 /dev/zero >"$t/gpt/pc-boot.img"
head -c 3000 /dev/zero >"$t/gpt/pc-core.img"
mkdir -p "$t/gpt/efi" && echo efi >"$t/gpt/efi/grubx64.efi" && echo cfg >"$t/gpt/grub.cfg"
is "plan of a GPT gadget (in offset order, absolute offsets, hybrid types as GUIDs)" "$(plan gpt)" \
	"volume disk gpt grub 121651712
structure mbr mbr - 0 440 - -
image pc-boot.img 0 440
structure BIOS Boot - 21686148-6449-6E6F-744E-656564454649 1048576 1048576 - -
offset-write 92
image pc-core.img 1048576 3000
image pc-core.img 1052672 8192
structure EFI System system-boot C12A7328-F81F-11D2-BA4B-00A0C93EC93B 2097152 52428800 vfat system-boot
content gadget efi/ EFI/boot/
content gadget grub.cfg EFI/ubuntu/grub.cfg
structure writable system-data 0FC63DAF-8483-4772-8E79-3D69D8477DE4 54525952 67108864 ext4 writable
exit 0"
# the same gadget on an mbr schema: its hybrid types give their MBR byte
sed 's/bootloader: grub/schema: mbr\n    bootloader: grub/; s/0FC63DAF-8483-4772-8E79-3D69D8477DE4/83/' \
	"$t/gpt/meta/gadget.yaml" >"$t/hybrid.yaml"
mkdir -p "$t/hybrid" && cp -r "$t/gpt/." "$t/hybrid/" && cp "$t/hybrid.yaml" "$t/hybrid/meta/gadget.yaml"
is "hybrid types on an mbr volume: the MBR byte; no backup GPT in the size" \
	"$(plan hybrid | awk '$1 == "volume" || $1 == "structure" { print $NF == "exit" ? "" : $0 }' | cut -d' ' -f1-5 |
		tr '\n' ';')" \
	"volume disk mbr grub 121634816;structure mbr mbr - 0;structure BIOS Boot - DA;structure EFI System system-boot EF;structure writable system-data 83 54525952;"

# ---- two volumes: --volume chooses, none is an error
gadget two <<'EOF'
volumes:
  main:
    schema: mbr
    bootloader: u-boot
    structure:
      - name: data
        role: system-data
        type: 83
        filesystem: ext4
        size: 8M
  other:
    structure:
      - name: blob
        type: bare
        size: 4096
EOF
is "two volumes: --volume other" "$(plan two --volume other)" "volume other gpt - 1069568
structure blob - - 1048576 4096 - -
exit 0"
is "two volumes, none chosen" "$(plan two)" "gadget-layout: two/meta/gadget.yaml: 2 volumes: choose one with --volume
exit 1"
is "two volumes, an unknown one" "$(plan two --volume nope)" "gadget-layout: two/meta/gadget.yaml: no volume \"nope\"
exit 1"
out=$("$gl" plan 2>&1)
is "usage: exit 2" "$?" 2

# ---- bad gadgets: a good MBR gadget with one thing changed (sed EXPR)
cat >"$t/base.yaml" <<'EOF'
volumes:
  board:
    schema: mbr
    bootloader: u-boot
    structure:
      - name: system-boot
        role: system-boot
        type: 0C
        filesystem: vfat
        filesystem-label: system-boot
        size: 128M
        content:
          - source: boot.scr
            target: /
          - source: extra.txt
            target: /notes/
      - name: writable
        role: system-data
        type: 83
        filesystem: ext4
        filesystem-label: writable
        size: 160M
EOF
# variant NAME SED-EXPR: the base gadget changed
variant() { gadget "$1" <<EOF
$(sed "$2" "$t/base.yaml")
EOF
	echo x >"$t/$1/extra.txt"
}
variant base 's/^X//'
(cd "$t" && "$gl" check base) && ok "the base of the bad ones is good" || nok "the base of the bad ones is good"
variant overlap '/size: 160M/a\        offset: 100M'
bad overlap '23:17: volume "board", structure #1 ("writable"): starts at 104857600, inside the structure before it (#0, system-boot, ends at 135266304)'
variant role 's/role: system-data/role: system-date/'
bad role '18:15: volume "board", structure #1 ("writable"): unknown role "system-date"'
variant data2 's/role: system-boot/role: system-data/; s/filesystem-label: system-boot/filesystem-label: writable2/'
bad data2 '18:15: volume "board", structure #1 ("writable"): a second structure of role system-data (the first: volume "board", #0)'
variant type 's/type: 0C/type: 0c/'
bad type '8:15: volume "board", structure #0 ("system-boot"): invalid type "0c": not bare, mbr, two upper-case hex digits (MBR), a GUID (GPT) or both as XX,GUID'
variant guid 's/type: 83/type: 0FC63DAF-8483-4772-8E79-3D69D8477DE4/'
bad guid '19:15: volume "board", structure #1 ("writable"): invalid type "0FC63DAF-8483-4772-8E79-3D69D8477DE4": a GUID type on a volume of schema mbr'
variant suffix 's/size: 160M/size: 160K/'
bad suffix '22:15: invalid size "160K": unknown suffix "K" (M for MiB, G for GiB, none for bytes)'
variant nosize '/size: 160M/d'
bad nosize '17:9: volume "board", structure #1 ("writable"): no size'
variant nocontent 's/source: extra.txt/source: extra.text/'
bad nocontent '15:13: volume "board", structure #0 ("system-boot"): content #1: extra.text does not exist in the gadget'
variant dupname 's/name: writable/name: system-boot/'
bad dupname '17:9: volume "board", structure #1 ("system-boot"): the name "system-boot" is also structure #0'"'"'s'
variant duplabel 's/filesystem-label: writable/filesystem-label: SYSTEM-BOOT/'
bad duplabel '21:27: volume "board", structure #1 ("writable"): the filesystem-label "SYSTEM-BOOT" is also structure #0'"'"'s'
variant label 's/filesystem-label: writable/filesystem-label: rootfs/'
bad label '21:27: volume "board", structure #1 ("writable"): a structure of role system-data must have filesystem-label writable or none'
variant schema 's/schema: mbr/schema: dos/'
bad schema '3:13: volume "board": unknown schema "dos" (gpt or mbr)'
variant bootloader 's/bootloader: u-boot/bootloader: uboot/'
bad bootloader '4:17: volume "board": unknown bootloader "uboot" (grub, u-boot, android-boot, piboot or lk)'
variant nobootloader '/bootloader:/d'
bad nobootloader '2:3: no volume names a bootloader'
variant fs 's/filesystem: ext4/filesystem: btrfs/'
bad fs '17:9: volume "board", structure #1 ("writable"): unknown filesystem "btrfs" (ext4, vfat, vfat-16, vfat-32, none)'
variant sector 's/size: 128M/size: 1000/'
bad sector '11:15: volume "board", structure #0 ("system-boot"): a partition must start and end on a 512-byte sector (offset 1048576, size 1000)'
variant key 's/size: 160M/sise: 160M/'
bad key '22:9: unknown key "sise" in a structure'
variant save 's/role: system-boot/role: system-save/'
bad save '7:15: volume "board", structure #0 ("system-boot"): role system-save needs a structure of role system-seed'
variant image 's/- source: extra.txt/- image: extra.txt/'
bad image '15:13: volume "board", structure #0 ("system-boot"): content #1: image, offset and size are for bare structures, this one has a filesystem'
variant kernelref 's|source: extra.txt|source: $kernel:dtbs/x|'
bad kernelref '15:13: volume "board", structure #0 ("system-boot"): content #1: kernel references ($kernel:dtbs/x) are not supported here'
variant dotdot 's|source: extra.txt|source: ../extra.txt|'
bad dotdot '15:13: volume "board", structure #0 ("system-boot"): content #1: "../extra.txt" is not a path inside the gadget'
variant notgen '/role: system-boot/d'
bad notgen '12:13: volume "board", structure #0 ("system-boot"): content #0: boot.scr does not exist in the gadget'
variant yaml 's/size: 160M/size: [160M/'
bad yaml '23:1: did not find expected '"','"' or '"']'"' while parsing a flow sequence'

gadget shape <<'EOF'
volumes:
  board:
    bootloader: u-boot
    structure:
      name: one
EOF
bad shape '5:7: structure must be a list, not a mapping'
gadget empty <<'EOF'
volumes:
  board:
    bootloader: u-boot
EOF
bad empty '2:3: volume "board" has no structure'
# ---- the mbr role and bare structures
cat >"$t/mbr.yaml" <<'EOF'
volumes:
  board:
    bootloader: grub
    structure:
      - name: mbr
        role: mbr
        type: mbr
        size: 440
        content:
          - image: boot.img
      - name: core
        type: bare
        size: 65536
        content:
          - image: core.img
EOF
mvariant() {
	gadget "$1" <<EOF
$(sed "$2" "$t/mbr.yaml")
EOF
	head -c 440 /dev/zero >"$t/$1/boot.img"
	head -c 1000 /dev/zero >"$t/$1/core.img"
}
mvariant mbrgood 's/^X//'
is "bare structures: the mbr at 0, the next at 1 MiB" "$(plan mbrgood | tr '\n' ';')" \
	"volume board gpt grub 1131008;structure mbr mbr - 0 440 - -;image boot.img 0 440;structure core - - 1048576 65536 - -;image core.img 1048576 1000;exit 0;"
mvariant mbroffset 's/size: 440/size: 440\n        offset: 512/'
bad mbroffset '9:17: volume "board", structure #0 ("mbr"): a structure of role mbr must start at offset 0'
mvariant mbrbig 's/size: 440/size: 512/'
bad mbrbig '8:15: volume "board", structure #0 ("mbr"): a structure of role mbr is at most 446 bytes, not 512'
mvariant mbrsecond 's/name: core/name: core\n        role: mbr/; s/type: bare/type: mbr/; s/size: 65536/size: 100/'
bad mbrsecond '11:9: volume "board", structure #1 ("core"): a structure of role mbr must start at offset 0'
mvariant barerole 's/type: bare/type: bare\n        role: system-data/'
bad barerole '13:15: volume "board", structure #1 ("core"): role system-data cannot be on a structure of type bare'
mvariant baresource 's/- image: core.img/- source: core.img\n            target: \//'
bad baresource '15:13: volume "board", structure #1 ("core"): content #0: source and target are for structures with a filesystem, this one is bare'
mvariant barebig 's/size: 65536/size: 512/'
bad barebig '15:13: volume "board", structure #1 ("core"): content #0: image core.img ends at 1000, beyond the structure'"'"'s 512 bytes'
mvariant gpttable 's/size: 65536/size: 65536\n        offset: 4096/'
bad gpttable '14:17: volume "board", structure #1 ("core"): on a gpt volume it cannot cover bytes 512 to 17408 (the GPT header and table)'
mvariant nomissing 's/core.img/absent.img/'
bad nomissing '15:13: volume "board", structure #1 ("core"): content #0: absent.img does not exist in the gadget'
mvariant offsetwrite 's/size: 65536/size: 65536\n        offset-write: core+8/'
bad offsetwrite '14:23: volume "board", structure #1 ("core"): offset-write is relative to "core", which is not the first structure'

# ---- scripts/build-image's disk section on the GPT gadget: the partitions
# (names with spaces), the mbr role's boot code around the offset-write, the
# bare image at its offset, the FAT and ext4 filesystems with their content
PATH=$PATH:/usr/sbin:/sbin
if command -v sfdisk >/dev/null && command -v mcopy >/dev/null && command -v debugfs >/dev/null; then
	d=$t/disk && mkdir -p "$d/gadget" "$d/work/boot" "$d/work/root/etc" && cp -r "$t/gpt" "$d/gadget/test"
	head -c 440 /dev/urandom >"$d/gadget/test/pc-boot.img" && head -c 3000 /dev/urandom >"$d/gadget/test/pc-core.img"
	echo env >"$d/work/boot/uboot.env" && echo root >"$d/work/root/etc/hostname"
	{
		echo 'set -eu; die() { echo "build-image: $*" >&2; exit 1; }'
		echo "O=$O board=test gadget=gadget/test work=$d/work boot=$d/work/boot root=$d/work/root"
		sed -n '/^# --- the disk, laid out/,/^mv "\$img"/p' "$SRCDIR/scripts/build-image" | grep -v '^mv '
	} >"$d/disk.sh"
	img=$d/work/disk.img
	(cd "$d" && sh disk.sh >"$d/log" 2>&1) && ok "the disk section lays out the GPT gadget" ||
		{ nok "the disk section lays out the GPT gadget"; sed 's/^/# /' "$d/log"; }
	is "its partitions" "$(sfdisk -d "$img" 2>&1 | sed -n 's/.*: start= *\([0-9]*\), size= *\([0-9]*\), type=\([^,]*\),.*name=\(.*\)/\1 \2 \3 \4/p' |
		tr '\n' ';')" '2048 2048 21686148-6449-6E6F-744E-656564454649 "BIOS Boot";4096 102400 C12A7328-F81F-11D2-BA4B-00A0C93EC93B "EFI System";106496 131072 0FC63DAF-8483-4772-8E79-3D69D8477DE4 "writable";'
	is "the boot code before and after the offset-write" \
		"$(head -c 92 "$img" | md5sum) $(dd if="$img" bs=1 skip=96 count=344 status=none | md5sum)" \
		"$(head -c 92 "$d/gadget/test/pc-boot.img" | md5sum) $(tail -c +97 "$d/gadget/test/pc-boot.img" | md5sum)"
	is "the offset-write: BIOS Boot's first sector, 2048, little-endian" "$(od -An -tx1 -j92 -N4 "$img" | tr -d ' ')" 00080000
	is "the bare images at their offsets" \
		"$(dd if="$img" bs=4096 skip=256 count=3 status=none | md5sum)" \
		"$({ head -c 3000 "$d/gadget/test/pc-core.img"; head -c 1096 /dev/zero; cat "$d/gadget/test/pc-core.img"; head -c 5192 /dev/zero; } | md5sum)"
	is "the FAT: label, a directory's content, a renamed file" \
		"$(mtype -i "$img@@2M" ::/EFI/boot/grubx64.efi; mtype -i "$img@@2M" ::/EFI/ubuntu/grub.cfg; blkid -p -o value -s LABEL -O 2097152 "$img")" \
		"efi
cfg
SYSTEM-BOOT"
	is "the ext4: the root with its label" \
		"$(debugfs -R 'cat /etc/hostname' "$img?offset=$((106496 * 512))" 2>/dev/null; blkid -p -o value -s LABEL -O $((106496 * 512)) "$img")" \
		"root
writable"
	is "the disk's size: the last structure's end and the backup GPT" "$(stat -c %s "$img")" 121651712
else
	echo "# skipped the disk section: sfdisk, mtools or debugfs is missing"
fi

echo "1..$n"
[ "$fails" = 0 ]
