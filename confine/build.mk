# Sources of the C tools and how they are built, included by the top Makefile.
#
# Three builds of the same sources:
#   $(O)/host       tools for this machine (image builds), all features on
#   $(O)/host-asan  the same with ASan+UBSan, plus the unit tests
#   $(O)/target     the configured board's on-device binaries (cross, static)

# shared logic, split by concern; LIB_CORE needs nothing but libc (the
# launcher uses it), LIB_COMPILER needs libseccomp's tables
LIB_CORE := diag arch fileio path_walk bin2 bpf_prog bpf_check bpf_run bpf_disasm bpf_cache trusted_path kernel_features system_key sha256
LIB_LAUNCHER_ONLY := strnum tag sc_log env_expand run_file device_cgroup device_cgroup_v2 seccomp_load mountinfo lock privs apparmor mount_ns fstab mount_profile mount_ro
LIB_COMPILER := policy_parse policy_consts filter_ir syscall_table lower bpf_gen bpf_layout gen_frag gen_tree gen_args \
	libseccomp_gen sysprofile sysprofile_default compile
# the interface generator (libyaml); it also needs tag, fstab and strnum from the launcher's part
LIB_IFACE_OWN := iface/yamltree iface/textbuf iface/spec iface/snap iface/command iface/services iface/connect iface/render iface/updatens iface/apply \
	iface/aacache
LIB_IFACE := $(LIB_IFACE_OWN) tag fstab strnum run_file
# the service supervisor (snap-supervisor), and what it needs of the rest
LIB_SVC := svc_file svc_order svc_log svc_proc svc_ctl svc_hook svc_net svc_daemon
LIB_SVC_DEPS := diag fileio path_walk trusted_path strnum tag
# gadget.yaml (libyaml through the interface generator's YAML tree)
LIB_GADGET := gadget_read gadget_check gadget_plan iface/yamltree

# libapparmor (snap-interfaces' AppArmor policy cache and kernel interface, iface/aacache): static, from
# Debian's libapparmor-dev of each architecture, fetched into $(O)/dl and copied to $(O)/libapparmor/ARCH
$(O)/libapparmor/%/.stamp:
	$(Q)d=$$(O=$(O) scripts/fetch-deb libapparmor-dev:$*) && mkdir -p $(@D) && \
		cp $$d/usr/lib/*/libapparmor.a $(@D)/ && cp -r $$d/usr/include $(@D)/ && touch $@
$(O)/libapparmor/%/libapparmor.a: $(O)/libapparmor/%/.stamp ;
HOST_AA := $(O)/libapparmor/amd64
TARGET_AA := $(O)/libapparmor/$(DEB_ARCH)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Iconfine/lib

HOST_CC ?= gcc
HOST_DIR := $(O)/host
ASAN_DIR := $(O)/host-asan
TARGET_DIR := $(O)/target
HOST_AUTOCONF := $(HOST_DIR)/include/generated/autoconf.h
TARGET_AUTOCONF := $(O)/include/generated/autoconf.h

# the host tools take every default of Kconfig (all features), whatever the board
$(HOST_DIR)/.config:
	$(Q)mkdir -p $(HOST_DIR)
	$(Q)$(call kconfig,$(HOST_DIR)) $(KCONF) --alldefconfig $(SRC)/Kconfig >/dev/null
$(HOST_AUTOCONF): $(HOST_DIR)/.config Kconfig
	$(Q)$(call kconfig,$(HOST_DIR)) $(KCONF) --olddefconfig $(SRC)/Kconfig >/dev/null
	$(Q)$(call kconfig,$(HOST_DIR)) $(KCONF) --silentoldconfig $(SRC)/Kconfig

HOST_CFLAGS := $(BASE_CFLAGS) -O2 -g -include $(HOST_AUTOCONF) -isystem $(HOST_AA)/include
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -include $(HOST_AUTOCONF) -isystem $(HOST_AA)/include

lib_objs = $(addprefix $(1)/obj/confine/lib/,$(addsuffix .o,$(2)))
HOST_LIB_OBJS := $(call lib_objs,$(HOST_DIR),$(LIB_CORE) $(LIB_COMPILER))
# the unit tests also reach the launcher's parsers and helpers, and the interface generator
ASAN_LIB_OBJS := $(call lib_objs,$(ASAN_DIR),$(LIB_CORE) $(LIB_COMPILER) $(LIB_LAUNCHER_ONLY) \
	$(LIB_IFACE_OWN) $(LIB_SVC))
HDRS := $(wildcard confine/lib/*.h confine/lib/iface/*.h)

$(HOST_DIR)/obj/confine/lib/iface/aacache.o $(ASAN_DIR)/obj/confine/lib/iface/aacache.o: $(HOST_AA)/.stamp
$(HOST_DIR)/obj/%.o: %.c $(HDRS) $(HOST_AUTOCONF)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@
$(ASAN_DIR)/obj/%.o: %.c $(HDRS) $(HOST_AUTOCONF)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) -c $< -o $@

# ---- snap-seccomp for the host
SNAP_SECCOMP_SRCS := confine/snap-seccomp/main.c
HOST_SNAP_SECCOMP := $(HOST_DIR)/bin/snap-seccomp
$(HOST_SNAP_SECCOMP): $(HOST_DIR)/obj/confine/snap-seccomp/main.o $(HOST_LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -lseccomp
ASAN_SNAP_SECCOMP := $(ASAN_DIR)/bin/snap-seccomp
$(ASAN_SNAP_SECCOMP): $(ASAN_DIR)/obj/confine/snap-seccomp/main.o $(ASAN_LIB_OBJS) $(HOST_AA)/libapparmor.a
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@ -lseccomp -l:libyaml.a

# ---- snap-interfaces for the host (image builds)
HOST_SNAP_INTERFACES := $(HOST_DIR)/bin/snap-interfaces
$(HOST_SNAP_INTERFACES): $(HOST_DIR)/obj/confine/snap-interfaces/main.o $(HOST_LIB_OBJS) \
		$(call lib_objs,$(HOST_DIR),$(LIB_IFACE)) $(HOST_AA)/libapparmor.a
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -lseccomp -l:libyaml.a

# the same with ASan and UBSan, for the tests (confine/tests/aa-cache.sh)
ASAN_SNAP_INTERFACES := $(ASAN_DIR)/bin/snap-interfaces
$(ASAN_SNAP_INTERFACES): $(ASAN_DIR)/obj/confine/snap-interfaces/main.o $(ASAN_LIB_OBJS) $(HOST_AA)/libapparmor.a
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@ -lseccomp -l:libyaml.a

# ---- gadget-layout for the host (image builds)
HOST_GADGET_LAYOUT := $(HOST_DIR)/bin/gadget-layout
$(HOST_GADGET_LAYOUT): $(HOST_DIR)/obj/confine/gadget-layout/main.o \
		$(call lib_objs,$(HOST_DIR),$(LIB_GADGET) diag fileio)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -l:libyaml.a
ASAN_GADGET_LAYOUT := $(ASAN_DIR)/bin/gadget-layout
$(ASAN_GADGET_LAYOUT): $(ASAN_DIR)/obj/confine/gadget-layout/main.o \
		$(call lib_objs,$(ASAN_DIR),$(LIB_GADGET) diag fileio)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@ -l:libyaml.a

.PHONY: host host-tests
host: $(HOST_SNAP_SECCOMP) $(HOST_SNAP_INTERFACES) $(HOST_GADGET_LAYOUT)

# ---- unit tests: confine/tests/test_*.c, each a TAP program (see tap.h)
HOST_TEST_SRCS := $(wildcard confine/tests/test_*.c)
HOST_TEST_BINS := $(patsubst confine/tests/%.c,$(ASAN_DIR)/tests/%,$(HOST_TEST_SRCS))
$(ASAN_DIR)/tests/%: $(ASAN_DIR)/obj/confine/tests/%.o $(ASAN_LIB_OBJS) $(HOST_AA)/libapparmor.a
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@ -lseccomp -l:libyaml.a
host-tests: $(HOST_TEST_BINS) $(ASAN_SNAP_SECCOMP) $(HOST_SNAP_SECCOMP) $(HOST_SNAP_INTERFACES) $(ASAN_SNAP_INTERFACES) \
	$(ASAN_GADGET_LAYOUT) $(HOST_GADGET_LAYOUT)

# ---- fuzz targets: confine/fuzz/fuzz_*.c (clang, libFuzzer)
FUZZ_SRCS := $(wildcard confine/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst confine/fuzz/%.c,$(O)/fuzz/%,$(FUZZ_SRCS))
FUZZ_CFLAGS := $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -include $(HOST_AUTOCONF) \
	-isystem $(HOST_AA)/include
FUZZ_LIB_SRCS := $(addprefix confine/lib/,$(addsuffix .c,$(LIB_CORE) $(LIB_COMPILER) $(LIB_LAUNCHER_ONLY) \
	$(LIB_IFACE_OWN)))
$(O)/fuzz/%: confine/fuzz/%.c $(FUZZ_LIB_SRCS) $(HDRS) $(HOST_AUTOCONF) $(HOST_AA)/libapparmor.a
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) $< $(FUZZ_LIB_SRCS) -o $@ -lseccomp -l:libyaml.a $(HOST_AA)/libapparmor.a
.PHONY: fuzz-bins
fuzz-bins: $(FUZZ_BINS)

# ---- on-device binaries for the configured board
TARGET_CC := $(CROSS_COMPILE)gcc
TARGET_STRIP := $(CROSS_COMPILE)strip
MUSL_TRIPLET_amd64 := x86_64-linux-musl
MUSL_TRIPLET_arm64 := aarch64-linux-musl
MUSL_TRIPLET_armhf := arm-linux-musleabihf
MUSL_SPECS := -specs /usr/lib/$(MUSL_TRIPLET_$(DEB_ARCH))/musl-gcc.specs
comma := ,
TARGET_OPT := $(if $(CONFIG_OPTIMIZE_SIZE),-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-stack-protector,-O2)
TARGET_LDOPT := $(if $(CONFIG_OPTIMIZE_SIZE),-Wl$(comma)--gc-sections -Wl$(comma)-z$(comma)noseparate-code \
	-Wl$(comma)--build-id=none) -Wl,-z,max-page-size=4096 -static
TARGET_CFLAGS := $(BASE_CFLAGS) $(TARGET_OPT) -g $(call unquote,$(CONFIG_TARGET_CPU_FLAGS)) \
	$(call unquote,$(CONFIG_EXTRA_CFLAGS)) -include $(TARGET_AUTOCONF)
# glibc objects (snap-seccomp links libseccomp, which needs glibc) and libc-of-choice objects
$(TARGET_DIR)/obj-glibc/%.o: %.c $(HDRS) $(TARGET_AUTOCONF)
	@mkdir -p $(@D)
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -c $< -o $@
TARGET_LIBC_SPECS := $(if $(CONFIG_LIBC_MUSL),$(MUSL_SPECS))
$(TARGET_DIR)/obj-libc/%.o: %.c $(HDRS) $(TARGET_AUTOCONF) $(TARGET_DIR)/kheaders/.stamp
	@mkdir -p $(@D)
	$(Q)$(TARGET_CC) $(TARGET_LIBC_SPECS) $(TARGET_CFLAGS) -isystem $(TARGET_DIR)/kheaders -c $< -o $@

TARGET_BINS :=
ifeq ($(CONFIG_SNAP_SECCOMP),y)
TARGET_BINS += $(TARGET_DIR)/bin/snap-seccomp
endif
$(TARGET_DIR)/bin/snap-seccomp: $(patsubst %,$(TARGET_DIR)/obj-glibc/confine/lib/%.o,$(LIB_CORE) $(LIB_COMPILER)) \
		$(TARGET_DIR)/obj-glibc/confine/snap-seccomp/main.o
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(filter %.o,$^) -o $(TARGET_DIR)/debug/$(@F) -lseccomp
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)

ifeq ($(CONFIG_SNAP_INTERFACES),y)
TARGET_BINS += $(TARGET_DIR)/bin/snap-interfaces
endif
# static with glibc like snap-seccomp: it compiles the seccomp profiles in process, and reads YAML with libyaml
$(TARGET_DIR)/bin/snap-interfaces: $(patsubst %,$(TARGET_DIR)/obj-glibc/confine/lib/%.o,$(LIB_CORE) $(LIB_COMPILER) \
		$(LIB_IFACE)) $(TARGET_DIR)/obj-glibc/confine/snap-interfaces/main.o $(if $(CONFIG_CONFINE_APPARMOR),$(TARGET_AA)/libapparmor.a)
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(filter %.o %.a,$^) -o $(TARGET_DIR)/debug/$(@F) -lseccomp -lyaml
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)

# libapparmor's header (AppArmor on: CONFIG_CONFINE_APPARMOR)
$(TARGET_DIR)/obj-glibc/confine/lib/iface/aacache.o: TARGET_CFLAGS += -isystem $(TARGET_AA)/include
$(TARGET_DIR)/obj-glibc/confine/lib/iface/aacache.o: $(if $(CONFIG_CONFINE_APPARMOR),$(TARGET_AA)/.stamp)

# the configuration must exist before anything is built for the target
$(TARGET_AUTOCONF): | $(CONFIG)

# ---- benchmark tools (host)
HOST_BENCH := $(HOST_DIR)/bin/bench-seccomp
$(HOST_BENCH): $(HOST_DIR)/obj/confine/bench/bench_seccomp.o $(HOST_LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -lseccomp
.PHONY: bench-bins
bench-bins: $(HOST_BENCH) $(HOST_SNAP_SECCOMP)

# ---- the launcher and its helpers: static, no libseccomp
# tiny_stdio replaces libc's printf family (no floating point) in the static launcher only
LIB_LAUNCHER := $(LIB_CORE) $(LIB_LAUNCHER_ONLY) $(if $(CONFIG_LIBC_MUSL),tiny_stdio tiny_malloc)
LAUNCHER_TOOLS := snap-confine snap-discard-ns snap-update-ns snap-run confine-probe confine-oldkernel \
	snap-device-helper
MUSL_SPECS_HOST := -specs /usr/lib/x86_64-linux-musl/musl-gcc.specs

# musl's specs hide /usr/include: a directory with only the kernel's headers
# kheaders DIR TRIPLET: links linux, asm and asm-generic for TRIPLET
define kheaders
	$(Q)mkdir -p $(1)
	$(Q)if [ -d /usr/$(2)/include/linux ]; then k=/usr/$(2)/include; a=$$k/asm; \
	else k=/usr/include; a=/usr/include/$(2)/asm; fi; \
	ln -sfn $$k/linux $(1)/linux; ln -sfn $$a $(1)/asm; ln -sfn $$k/asm-generic $(1)/asm-generic
	$(Q)touch $(1)/.stamp
endef

HOST_LAUNCHER_DIR := $(HOST_DIR)/launcher
HOST_KHDR := $(HOST_LAUNCHER_DIR)/kheaders
$(HOST_KHDR)/.stamp:
	$(call kheaders,$(HOST_KHDR),x86_64-linux-gnu)
# the host launcher is the tests' and the benchmark's: every default, but installed in the
# fake root's /opt/confine with a short lock wait (confine/tests/launcher/host.config)
HOST_LAUNCHER_AUTOCONF := $(HOST_LAUNCHER_DIR)/include/generated/autoconf.h
$(HOST_LAUNCHER_DIR)/.config: confine/tests/launcher/host.config
	$(Q)mkdir -p $(HOST_LAUNCHER_DIR)
	$(Q)$(call kconfig,$(HOST_LAUNCHER_DIR)) $(KCONF) --alldefconfig $(SRC)/Kconfig >/dev/null
	$(Q)cat $< >>$@
$(HOST_LAUNCHER_AUTOCONF): $(HOST_LAUNCHER_DIR)/.config Kconfig
	$(Q)$(call kconfig,$(HOST_LAUNCHER_DIR)) $(KCONF) --olddefconfig $(SRC)/Kconfig >/dev/null 2>&1
	$(Q)$(call kconfig,$(HOST_LAUNCHER_DIR)) $(KCONF) --silentoldconfig $(SRC)/Kconfig
HOST_LAUNCHER_CFLAGS := $(MUSL_SPECS_HOST) $(BASE_CFLAGS) -isystem $(HOST_KHDR) -Os -g -ffunction-sections \
	-fdata-sections -include $(HOST_LAUNCHER_AUTOCONF)
$(HOST_LAUNCHER_DIR)/obj/%.o: %.c $(HDRS) $(HOST_LAUNCHER_AUTOCONF) $(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LAUNCHER_CFLAGS) -c $< -o $@
HOST_LAUNCHER_BINS := $(addprefix $(HOST_LAUNCHER_DIR)/bin/,$(LAUNCHER_TOOLS))
$(HOST_LAUNCHER_DIR)/bin/%: $(HOST_LAUNCHER_DIR)/obj/confine/%/main.o \
		$(patsubst %,$(HOST_LAUNCHER_DIR)/obj/confine/lib/%.o,$(LIB_CORE) $(LIB_LAUNCHER_ONLY) tiny_stdio tiny_malloc)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LAUNCHER_CFLAGS) -static -Wl,--gc-sections $^ -o $@
.PHONY: host-launcher
host-launcher: $(HOST_LAUNCHER_BINS)
host-tests: host-launcher

# the board's launcher
TARGET_TRIPLET := $(patsubst %-,%,$(CROSS_COMPILE))
TARGET_KHDR := $(TARGET_DIR)/kheaders
$(TARGET_KHDR)/.stamp: | $(CONFIG)
	$(call kheaders,$(TARGET_KHDR),$(TARGET_TRIPLET))
# musl's static start-up never applies PT_GNU_RELRO (the pages stay writable; glibc's does), so
# for musl the segment is only padding up to a page: left out
LAUNCHER_LDOPT := $(if $(CONFIG_LIBC_MUSL),-Wl$(comma)-z$(comma)norelro)
$(addprefix $(TARGET_DIR)/bin/,$(LAUNCHER_TOOLS)): $(TARGET_DIR)/bin/%: $(TARGET_DIR)/obj-libc/confine/%/main.o \
		$(patsubst %,$(TARGET_DIR)/obj-libc/confine/lib/%.o,$(LIB_LAUNCHER))
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_LIBC_SPECS) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(LAUNCHER_LDOPT) $(filter %.o,$^) \
		-o $(TARGET_DIR)/debug/$(@F)
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)
ifeq ($(CONFIG_CONFINE_LAUNCHER),y)
TARGET_BINS += $(addprefix $(TARGET_DIR)/bin/,$(LAUNCHER_TOOLS))
endif
# snap-run's debugging options, --shell and --strace (a second file)
SNAP_RUN_OBJDIRS := $(HOST_LAUNCHER_DIR)/obj/confine/snap-run $(TARGET_DIR)/obj-libc/confine/snap-run
$(HOST_LAUNCHER_DIR)/bin/snap-run: $(HOST_LAUNCHER_DIR)/obj/confine/snap-run/debug.o
$(TARGET_DIR)/bin/snap-run: $(TARGET_DIR)/obj-libc/confine/snap-run/debug.o
$(foreach d,$(SNAP_RUN_OBJDIRS),$(d)/main.o $(d)/debug.o): confine/snap-run/debug.h

# the launcher tests' app, static so it runs inside any base snap
HOST_PROBE := $(HOST_LAUNCHER_DIR)/bin/probe
$(HOST_PROBE): confine/tests/launcher/probe.c $(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(MUSL_SPECS_HOST) $(BASE_CFLAGS) -isystem $(HOST_KHDR) -O2 -static $< -o $@
host-tests: $(HOST_PROBE)
bench-bins: $(HOST_PROBE)

# tiny_stdio against glibc's printf: one source, two builds
HOST_STDIO_CHECK := $(HOST_LAUNCHER_DIR)/bin/stdio-cases-tiny $(HOST_DIR)/bin/stdio-cases-glibc
$(HOST_LAUNCHER_DIR)/bin/stdio-cases-tiny: confine/tests/launcher/stdio_cases.c confine/lib/tiny_stdio.c \
		$(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(MUSL_SPECS_HOST) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-format-truncation \
		-isystem $(HOST_KHDR) -O2 -static $(filter %.c,$^) -o $@
$(HOST_DIR)/bin/stdio-cases-glibc: confine/tests/launcher/stdio_cases.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-format-truncation -O2 $< -o $@
host-tests: $(HOST_STDIO_CHECK)
# tiny_malloc's cases, linked as the launcher is
HOST_MALLOC_CHECK := $(HOST_LAUNCHER_DIR)/bin/malloc-cases-tiny
$(HOST_MALLOC_CHECK): confine/tests/launcher/malloc_cases.c confine/lib/tiny_malloc.c $(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(MUSL_SPECS_HOST) $(BASE_CFLAGS) -isystem $(HOST_KHDR) -O1 -static $(filter %.c,$^) -o $@
host-tests: $(HOST_MALLOC_CHECK)
HOST_BENCH_LAUNCH := $(HOST_DIR)/bin/bench-launch
$(HOST_BENCH_LAUNCH): confine/bench/bench_launch.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(BASE_CFLAGS) -O2 $< -o $@
bench-bins: $(HOST_BENCH_LAUNCH) host-launcher
host-tests: $(HOST_BENCH_LAUNCH)
# one extra exec of a small static binary, the floor of a launch (scripts/bench-launcher)
HOST_BENCH_EXEC := $(HOST_LAUNCHER_DIR)/bin/bench-exec
$(HOST_BENCH_EXEC): confine/bench/exec_once.c $(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(MUSL_SPECS_HOST) $(BASE_CFLAGS) -isystem $(HOST_KHDR) -Os -static $< -o $@
bench-bins: $(HOST_BENCH_EXEC)
host-tests: $(HOST_BENCH_EXEC)
# snap-confine with its step timestamps (confine/lib/bench_steps.h), for the launch breakdown only:
# the host launcher's objects but its own main.o, never built for a board
HOST_BENCH_STEPS := $(HOST_LAUNCHER_DIR)/bench-steps/snap-confine
$(HOST_LAUNCHER_DIR)/bench-steps/main.o: confine/snap-confine/main.c $(HDRS) $(HOST_LAUNCHER_AUTOCONF) $(HOST_KHDR)/.stamp
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LAUNCHER_CFLAGS) -DCONFINE_BENCH_STEPS -c $< -o $@
$(HOST_BENCH_STEPS): $(HOST_LAUNCHER_DIR)/bench-steps/main.o \
		$(patsubst %,$(HOST_LAUNCHER_DIR)/obj/confine/lib/%.o,$(LIB_CORE) $(LIB_LAUNCHER_ONLY) tiny_stdio tiny_malloc)
	$(Q)$(HOST_CC) $(HOST_LAUNCHER_CFLAGS) -static -Wl,--gc-sections $^ -o $@
bench-bins: $(HOST_BENCH_STEPS)

# boot-ok links Debian's libubootenv (and zlib): static, with glibc like snap-seccomp
UBOOTENV_DL = $(O)/dl/libubootenv-dev_$(DEB_ARCH)/root
ZLIB_DL = $(O)/dl/zlib1g-dev_$(DEB_ARCH)/root
$(UBOOTENV_DL)/.stamp $(ZLIB_DL)/.stamp: | $(CONFIG)
	$(Q)O=$(O) scripts/fetch-deb $(if $(findstring zlib,$@),zlib1g-dev,libubootenv-dev):$(DEB_ARCH) >/dev/null
	$(Q)touch $@
BOOT_OK_SRCS = confine/boot-ok/main.c confine/boot-ok/grubenv.c confine/lib/sha256.c
$(TARGET_DIR)/bin/boot-ok: $(BOOT_OK_SRCS) confine/boot-ok/grubenv.h $(UBOOTENV_DL)/.stamp $(ZLIB_DL)/.stamp $(TARGET_AUTOCONF)
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(BASE_CFLAGS) -Os $(call unquote,$(CONFIG_TARGET_CPU_FLAGS)) \
		-I$(UBOOTENV_DL)/usr/include/$(TARGET_TRIPLET) $(BOOT_OK_SRCS) -o $(TARGET_DIR)/debug/boot-ok -static \
		-L$(UBOOTENV_DL)/usr/lib/$(TARGET_TRIPLET) -L$(ZLIB_DL)/usr/lib/$(TARGET_TRIPLET) -lubootenv -lz
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/boot-ok
# its GRUB layout's unit test (confine/tests/test_grubenv.c)
$(ASAN_DIR)/tests/test_grubenv: $(ASAN_DIR)/obj/confine/boot-ok/grubenv.o
ifeq ($(CONFIG_CONFINE_LAUNCHER),y)
TARGET_BINS += $(TARGET_DIR)/bin/boot-ok
endif

# ---- snap-scanlog, the denial scanner: static with glibc (libyaml reads the interface data),
# no libseccomp on the board: the syscall names of x86_64, i386, aarch64 and arm come from a
# table generated here from the host's libseccomp (into $(O), never committed)
LIB_SCANLOG := scanlog syscall_names devcheck iface/aaglob iface/explain
LIB_SCANLOG_DEPS := diag fileio tag strnum sc_log device_cgroup iface/yamltree iface/textbuf iface/spec
SYSNAMES_GEN := $(HOST_DIR)/bin/gen-syscall-names
SYSNAMES_C := $(HOST_DIR)/gen/syscall_names_data.c
$(SYSNAMES_GEN): confine/snap-scanlog/gen-syscall-names.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(BASE_CFLAGS) -O2 $< -o $@ -lseccomp
$(SYSNAMES_C): $(SYSNAMES_GEN)
	@mkdir -p $(@D)
	$(Q)$(SYSNAMES_GEN) $@.tmp && mv $@.tmp $@
$(HOST_DIR)/obj/gen/syscall_names_data.o: $(SYSNAMES_C) confine/lib/syscall_names.h
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(BASE_CFLAGS) -O2 -c $< -o $@
$(ASAN_DIR)/obj/gen/syscall_names_data.o: $(SYSNAMES_C) confine/lib/syscall_names.h $(HOST_AUTOCONF)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) -c $< -o $@
$(TARGET_DIR)/obj-glibc/gen/syscall_names_data.o: $(SYSNAMES_C) confine/lib/syscall_names.h $(TARGET_AUTOCONF)
	@mkdir -p $(@D)
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -c $< -o $@

HOST_SNAP_SCANLOG := $(HOST_DIR)/bin/snap-scanlog
$(HOST_SNAP_SCANLOG): $(HOST_DIR)/obj/confine/snap-scanlog/main.o \
		$(call lib_objs,$(HOST_DIR),$(LIB_SCANLOG) $(LIB_SCANLOG_DEPS)) $(HOST_DIR)/obj/gen/syscall_names_data.o
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@ -l:libyaml.a
host: $(HOST_SNAP_SCANLOG)
host-tests: $(HOST_SNAP_SCANLOG)
# the unit tests link the rest of the library already
$(ASAN_DIR)/tests/test_scanlog: $(call lib_objs,$(ASAN_DIR),$(LIB_SCANLOG)) $(ASAN_DIR)/obj/gen/syscall_names_data.o
$(O)/fuzz/fuzz_scanlog: confine/fuzz/fuzz_scanlog.c $(FUZZ_LIB_SRCS) $(SYSNAMES_C) $(HDRS) $(HOST_AUTOCONF) \
		$(addprefix confine/lib/,$(addsuffix .c,$(LIB_SCANLOG)))
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) $< $(FUZZ_LIB_SRCS) $(addprefix confine/lib/,$(addsuffix .c,$(LIB_SCANLOG))) \
		$(SYSNAMES_C) -o $@ -lseccomp -l:libyaml.a $(HOST_AA)/libapparmor.a

ifeq ($(CONFIG_SNAP_SCANLOG),y)
TARGET_BINS += $(TARGET_DIR)/bin/snap-scanlog
endif
$(TARGET_DIR)/bin/snap-scanlog: $(patsubst %,$(TARGET_DIR)/obj-glibc/confine/lib/%.o,$(LIB_SCANLOG) $(LIB_SCANLOG_DEPS)) \
		$(TARGET_DIR)/obj-glibc/gen/syscall_names_data.o $(TARGET_DIR)/obj-glibc/confine/snap-scanlog/main.o
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(filter %.o,$^) -o $(TARGET_DIR)/debug/$(@F) -lyaml
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)

# ---- snap-supervisor: static and trimmed like the launcher tools, but with libc's malloc (it runs
# for the whole uptime; tiny_malloc never gives memory back)
SVC_LIBS = $(LIB_SVC) $(LIB_SVC_DEPS) $(if $(CONFIG_LIBC_MUSL),tiny_stdio)
$(TARGET_DIR)/bin/snap-supervisor: $(TARGET_DIR)/obj-libc/confine/snap-supervisor/main.o \
		$(patsubst %,$(TARGET_DIR)/obj-libc/confine/lib/%.o,$(SVC_LIBS))
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_LIBC_SPECS) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(LAUNCHER_LDOPT) $(filter %.o,$^) \
		-o $(TARGET_DIR)/debug/$(@F)
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)
ifeq ($(CONFIG_SUPERVISOR),y)
TARGET_BINS += $(TARGET_DIR)/bin/snap-supervisor
endif
# ---- snap: snaps installed, reverted and staged on the device (libc only: it runs snap-interfaces)
LIB_SNAP_MGR := snap_mgr loop_mount mount_ro tree_copy diag fileio path_walk tag
SNAP_MGR_LIBS = $(LIB_SNAP_MGR) $(if $(CONFIG_LIBC_MUSL),tiny_stdio)
$(TARGET_DIR)/bin/snap: $(TARGET_DIR)/obj-libc/confine/snap/main.o \
		$(patsubst %,$(TARGET_DIR)/obj-libc/confine/lib/%.o,$(SNAP_MGR_LIBS))
	@mkdir -p $(@D) $(TARGET_DIR)/debug
	$(Q)$(TARGET_CC) $(TARGET_LIBC_SPECS) $(TARGET_CFLAGS) $(TARGET_LDOPT) $(LAUNCHER_LDOPT) $(filter %.o,$^) \
		-o $(TARGET_DIR)/debug/$(@F)
	$(Q)$(TARGET_STRIP) -o $@ $(TARGET_DIR)/debug/$(@F)
ifeq ($(CONFIG_SNAP_MANAGER),y)
TARGET_BINS += $(TARGET_DIR)/bin/snap
endif
# the host's, for the tests: with ASan and UBSan (confine/tests/snap.sh)
ASAN_SNAP_MGR := $(ASAN_DIR)/bin/snap
$(ASAN_SNAP_MGR): $(ASAN_DIR)/obj/confine/snap/main.o $(call lib_objs,$(ASAN_DIR),$(LIB_SNAP_MGR))
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@
host-tests: $(ASAN_SNAP_MGR)

# the host's, for the tests: with ASan and UBSan (confine/tests/snap-supervisor.sh)
ASAN_SUPERVISOR := $(ASAN_DIR)/bin/snap-supervisor
$(ASAN_SUPERVISOR): $(ASAN_DIR)/obj/confine/snap-supervisor/main.o $(call lib_objs,$(ASAN_DIR),$(LIB_SVC) $(LIB_SVC_DEPS))
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(ASAN_CFLAGS) $^ -o $@
host-tests: $(ASAN_SUPERVISOR)
