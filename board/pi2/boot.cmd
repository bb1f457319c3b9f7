# core-confine's U-Boot script for the pi2 (mkimage -T script makes boot.scr):
# the A/B try-boot of kernel snaps of FORMATS.md 8, with the state in
# uboot.env on the FAT system-boot partition (single copy, 128 KiB; QEMU's
# U-Boot keeps its own environment in flash, so the file is imported and
# exported by hand).
#   snap_mode=try     -> boot snap_try_kernel, leave "trying" behind
#   snap_mode=trying  -> that try never confirmed: clear it, boot snap_kernel
#   otherwise         -> boot snap_kernel
# Userspace (boot-ok) turns a good "trying" into snap_kernel.
setenv envsize 0x20000
fatload virtio 0:1 ${loadaddr} uboot.env
env import -c ${loadaddr} ${envsize}
setenv kernel_snap ${snap_kernel}
if test "${snap_mode}" = "try"; then
	setenv snap_mode trying
	setenv kernel_snap ${snap_try_kernel}
elif test "${snap_mode}" = "trying"; then
	setenv snap_mode
fi
env export -c -s ${envsize} ${loadaddr} snap_mode snap_kernel snap_try_kernel snap_core snap_try_core snap_extra_args
fatwrite virtio 0:1 ${loadaddr} uboot.env ${envsize}
echo "core-confine: booting ${kernel_snap} (snap_mode=${snap_mode})"
fatload virtio 0:1 ${kernel_addr_r} ${kernel_snap}/kernel.img
fatload virtio 0:1 ${ramdisk_addr_r} ${kernel_snap}/initrd.img
setenv bootargs "console=ttyAMA0 panic=-1 quiet snap_booted=${kernel_snap} ${snap_extra_args}"
bootz ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
# booti/bootz returned: that kernel does not boot. Reset, like a watchdog
# would; the next boot sees snap_mode=trying and falls back.
echo "core-confine: ${kernel_snap} did not boot: resetting"
reset
