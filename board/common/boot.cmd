# core-confine's U-Boot script for every U-Boot board (dragonboard, pi2;
# mkimage -T script makes boot.scr): the A/B try-boot of FORMATS.md 8.
#
# The state is kept twice on the FAT system-boot partition, in U-Boot's
# redundant layout: uboot.env and uboot-redund.env, each 0x20000 bytes of
# CRC32 (little-endian, over the data) + a flag byte + key=value\0...\0. The
# copy with a good CRC and the newer flag (incremented at each write, 0
# newer than 255) is current; a write always goes to the other copy, so a
# torn write leaves the current one intact. libubootenv (boot-ok, fw_setenv,
# /etc/fw_env.config with two lines) reads and writes them the same way.
# The QEMU builds of U-Boot keep their own environment in flash, so the
# files are checked, imported and written here by hand.
#
#   snap_mode=try     -> boot snap_try_kernel (and base snap_try_core, when
#                        set), leave "trying" behind
#   snap_mode=trying  -> that try never confirmed: clear it, boot snap_kernel
#   otherwise         -> boot snap_kernel; nothing is written
#   one copy bad      -> (a torn write, a flipped bit) treated as a failed
#                        try: boot snap_kernel of the good copy, clear
#                        snap_mode and write the good state over the bad copy
# Userspace (boot-ok) turns a good "trying" into snap_kernel/snap_core.

# where: the partition U-Boot's distro boot found this script on, or the
# first partition of the first virtio disk when run by hand
if test -n "${devtype}" -a -n "${distro_bootpart}"; then
	setenv snap_devtype ${devtype}
	setenv snap_devpart ${devnum}:${distro_bootpart}
else
	setenv snap_devtype virtio
	setenv snap_devpart 0:1
fi
# the two copies, read below the kernel's load address (loaded later):
# copy N at snap_envN, the same with the flag byte taken out (the layout
# env import -c checks) at snap_envN + envsize
setenv envsize 0x20000
setenv envsize_imp 0x1ffff
setenv envdata 0x1fffb
setexpr snap_env0 ${kernel_addr_r} + 0
setexpr snap_env1 ${kernel_addr_r} + 0x40000
setexpr snap_envw ${kernel_addr_r} + 0x80000
setenv snap_file0 uboot.env
setenv snap_file1 uboot-redund.env
for c in 0 1; do
	if test ${c} = 0; then
		setenv f ${snap_file0}
		setenv a ${snap_env0}
	else
		setenv f ${snap_file1}
		setenv a ${snap_env1}
	fi
	setexpr i ${a} + ${envsize}
	setexpr d ${a} + 5
	setexpr id ${i} + 4
	setenv ok 0
	setenv fl 0
	mw.b ${a} 0 ${envsize}
	if fatload ${snap_devtype} ${snap_devpart} ${a} ${f} && itest ${filesize} -eq ${envsize}; then
		cp.b ${a} ${i} 4
		cp.b ${d} ${id} ${envdata}
		# the CRC check alone: a variable no file holds is all it imports
		if env import -c ${i} ${envsize_imp} snap_no_such_variable; then
			setenv ok 1
			setexpr fa ${a} + 4
			setexpr.b fl *${fa}
		fi
	fi
	if test ${c} = 0; then
		setenv snap_ok0 ${ok}
		setenv snap_flag0 ${fl}
	else
		setenv snap_ok1 ${ok}
		setenv snap_flag1 ${fl}
	fi
done
setenv snap_cur
if test ${snap_ok0} = 1 -a ${snap_ok1} = 1; then
	setenv snap_cur 0
	if itest ${snap_flag1} -gt ${snap_flag0}; then
		setenv snap_cur 1
	fi
	if itest ${snap_flag0} -eq 0xff && itest ${snap_flag1} -eq 0; then
		setenv snap_cur 1
	fi
	if itest ${snap_flag1} -eq 0xff && itest ${snap_flag0} -eq 0; then
		setenv snap_cur 0
	fi
elif test ${snap_ok0} = 1; then
	setenv snap_cur 0
elif test ${snap_ok1} = 1; then
	setenv snap_cur 1
fi
# (hush's exit does not leave a sourced script here: the steps below are
# guarded instead, and without a kernel name the script ends without a reset)
if test -z "${snap_cur}"; then
	echo "core-confine: neither ${snap_file0} nor ${snap_file1} is a valid environment: no kernel to boot"
elif test ${snap_cur} = 0; then
	setexpr i ${snap_env0} + ${envsize}
	setenv snap_flag ${snap_flag0}
	setenv snap_wfile ${snap_file1}
else
	setexpr i ${snap_env1} + ${envsize}
	setenv snap_flag ${snap_flag1}
	setenv snap_wfile ${snap_file0}
fi
setenv snap_mode
setenv snap_kernel
setenv snap_try_kernel
setenv snap_core
setenv snap_try_core
setenv snap_extra_args
if test -n "${snap_cur}"; then
	env import -c ${i} ${envsize_imp} snap_mode snap_kernel snap_try_kernel snap_core snap_try_core snap_extra_args
fi

setenv kernel_snap ${snap_kernel}
setenv core_snap ${snap_core}
setenv snap_write 0
if test ${snap_ok0} != ${snap_ok1}; then
	echo "core-confine: one copy of the boot environment is bad: booting the last known good kernel, repairing ${snap_wfile}"
	setenv snap_mode
	setenv snap_write 1
elif test "${snap_mode}" = "try"; then
	setenv snap_mode trying
	setenv snap_write 1
elif test "${snap_mode}" = "trying"; then
	setenv snap_mode
	setenv snap_write 1
fi
if test ${snap_write} = 1; then
	# the new state into the other copy, its flag one newer
	setexpr snap_flag ${snap_flag} + 1
	if itest ${snap_flag} -eq 0x100; then
		setenv snap_flag 0
	fi
	setexpr e ${snap_envw} + ${envsize}
	env export -c -s ${envsize_imp} ${e} snap_mode snap_kernel snap_try_kernel snap_core snap_try_core snap_extra_args
	cp.b ${e} ${snap_envw} 4
	setexpr fa ${snap_envw} + 4
	mw.b ${fa} ${snap_flag} 1
	setexpr d ${snap_envw} + 5
	setexpr ed ${e} + 4
	cp.b ${ed} ${d} ${envdata}
	fatwrite ${snap_devtype} ${snap_devpart} ${snap_envw} ${snap_wfile} ${envsize}
fi
# what a try boots (snapd's rule: a try variable that is set replaces the
# good one for this boot only; the written state keeps the good ones)
if test "${snap_mode}" = "trying"; then
	if test -n "${snap_try_kernel}"; then
		setenv kernel_snap ${snap_try_kernel}
	fi
	if test -n "${snap_try_core}"; then
		setenv core_snap ${snap_try_core}
	fi
fi
if test -z "${kernel_snap}"; then
	echo "core-confine: the boot environment names no kernel (snap_kernel): not booting"
else
	echo "core-confine: booting ${kernel_snap} with base ${core_snap} (snap_mode=${snap_mode})"
	fatload ${snap_devtype} ${snap_devpart} ${kernel_addr_r} ${kernel_snap}/kernel.img
	fatload ${snap_devtype} ${snap_devpart} ${ramdisk_addr_r} ${kernel_snap}/initrd.img
	setenv snap_initrd ${ramdisk_addr_r}:${filesize}
	# the board's device tree from the kernel snap when U-Boot names one (a real
	# board), else the one U-Boot runs on (QEMU's)
	setenv snap_fdt ${fdtcontroladdr}
	if test -n "${fdtfile}" -a -n "${fdt_addr_r}"; then
		if fatload ${snap_devtype} ${snap_devpart} ${fdt_addr_r} ${kernel_snap}/dtbs/${fdtfile}; then
			setenv snap_fdt ${fdt_addr_r}
			echo "core-confine: device tree ${kernel_snap}/dtbs/${fdtfile}"
		fi
	fi
	# the console: UART0, a PL011 (QEMU's virt, the Pi 2), but the
	# DragonBoard 410c's serial port (ttyMSM0, 115200 baud)
	setenv snap_console ttyAMA0
	if test "${fdtfile}" = "qcom/apq8016-sbc.dtb"; then
		setenv snap_console ttyMSM0,115200n8
	fi
	# apparmor.rawdata_compression_level=0: the kernel keeps each profile's
	# raw data (what /sys/kernel/security/apparmor shows) as loaded instead
	# of compressing it while the boot waits: the image's 40 profiles load
	# in 0.28 s instead of 0.43 s on the pi2 under TCG, for about 0.5 MB of
	# kernel memory
	setenv bootargs "console=${snap_console} panic=-1 quiet apparmor.rawdata_compression_level=0 snap_core=${core_snap} snap_kernel=${kernel_snap} snap_booted=${kernel_snap} ${snap_extra_args}"
	if test "${cpu}" = "armv8"; then
		booti ${kernel_addr_r} ${snap_initrd} ${snap_fdt}
	else
		bootz ${kernel_addr_r} ${snap_initrd} ${snap_fdt}
	fi
	# booti/bootz returned: that kernel does not boot. Reset, like a watchdog
	# would; the next boot sees snap_mode=trying and falls back.
	echo "core-confine: ${kernel_snap} did not boot: resetting"
	reset
fi
