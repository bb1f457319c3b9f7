# core-confine: top-level build (Buildroot conventions).
#
#   make <board>_defconfig   configure for pc, pi2 or dragonboard
#   make                     build the on-device tools for the configured board
#   make check               install what is missing, build, run every test
#   make help                everything else
#
# Outputs go to $(O) (default: output/), never into the source tree.

O ?= output
override O := $(abspath $(O))
SRC := $(CURDIR)
export srctree := $(SRC)

Q := $(if $(V),,@)
MAKEFLAGS += --no-print-directory

BOARDS := pc pi2 dragonboard
CONFIG := $(O)/.config

KCONF := kconfig-conf
KMCONF := kconfig-mconf
# kconfig writes include/generated and include/config relative to its cwd
kconfig = cd $(1) && mkdir -p include/config include/generated && \
	KCONFIG_CONFIG=.config KCONFIG_AUTOHEADER=include/generated/autoconf.h \
	KCONFIG_AUTOCONFIG=include/config/auto.conf KCONFIG_TRISTATE=include/config/tristate.conf

# the user's configuration (absent before the first *_defconfig: the
# Kconfig defaults are used, i.e. the dragonboard)
ifneq ($(wildcard $(CONFIG)),)
include $(CONFIG)
endif
quote := "
unquote = $(subst $(quote),,$(1))
BOARD := $(call unquote,$(CONFIG_BOARD_NAME))
CROSS_COMPILE := $(call unquote,$(CONFIG_CROSS_COMPILE))
DEB_ARCH := $(call unquote,$(CONFIG_DEB_ARCH))

.DEFAULT_GOAL := all
.PHONY: all help list-defconfigs menuconfig savedefconfig olddefconfig deps size check \
	check-unit check-cross check-peer check-live bench fuzz run image clean distclean

# ---------------------------------------------------------------- configuration

$(O)/.stamp-dir:
	$(Q)mkdir -p $(O) && touch $@

%_defconfig: board/%/defconfig | $(O)/.stamp-dir
	$(Q)$(call kconfig,$(O)) $(KCONF) --defconfig=$(SRC)/$< $(SRC)/Kconfig >/dev/null
	@echo "configured for $* in $(CONFIG)"

$(CONFIG): | $(O)/.stamp-dir
	$(Q)$(call kconfig,$(O)) $(KCONF) --alldefconfig $(SRC)/Kconfig >/dev/null
	@echo "no configuration yet: using the Kconfig defaults (board dragonboard) in $(CONFIG)"

menuconfig: | $(O)/.stamp-dir
	$(Q)$(call kconfig,$(O)) $(KMCONF) $(SRC)/Kconfig

olddefconfig: $(CONFIG)
	$(Q)$(call kconfig,$(O)) $(KCONF) --olddefconfig $(SRC)/Kconfig >/dev/null

savedefconfig: $(CONFIG)
	$(Q)$(call kconfig,$(O)) $(KCONF) --savedefconfig=$(O)/defconfig $(SRC)/Kconfig
	@echo "minimal configuration written to $(O)/defconfig (copy it to board/<board>/defconfig to keep it)"

list-defconfigs:
	@for b in $(BOARDS); do printf '  %-24s - %s\n' "$${b}_defconfig" "$$(sed -n 's/^# *//p;q' board/$$b/defconfig)"; done

# new Kconfig symbols take their defaults (silentoldconfig alone would ask)
$(O)/include/generated/autoconf.h: $(CONFIG) Kconfig
	$(Q)$(call kconfig,$(O)) $(KCONF) --olddefconfig $(SRC)/Kconfig >/dev/null
	$(Q)$(call kconfig,$(O)) $(KCONF) --silentoldconfig $(SRC)/Kconfig

deps:
	$(Q)scripts/install-deps

# ---------------------------------------------------------------- sources

include confine/build.mk
include kernel-snaps/kernel-snaps.mk

# ---------------------------------------------------------------- top-level jobs

ifeq ($(wildcard $(CONFIG)),)
all: | $(CONFIG)
	$(Q)$(MAKE) all
else
all: $(TARGET_BINS)
	@echo "built for $(BOARD): $(notdir $(TARGET_BINS)) in $(TARGET_DIR)/bin"
endif

size: deps
	$(Q)scripts/size-report $(BOARDS)

check: deps
	$(Q)scripts/run-checks

check-qemu: deps
	$(Q)O=$(O) prove -f tests-qemu/*.sh

check-unit: host-tests
	$(Q)prove -f $(HOST_TEST_BINS)

fuzz: deps
	$(Q)scripts/run-fuzz $(FUZZ_SECONDS)

bench: deps
	$(Q)scripts/bench

run: deps
	$(Q)scripts/run-demo

# the user's own snaps and gadget in the image (docs/images.md): the make
# variables SNAPS=, GADGET=, DEMO_SNAPS=n, else the configuration's
IMAGE_SNAPS := $(if $(SNAPS),$(SNAPS),$(call unquote,$(CONFIG_IMAGE_SNAPS)))
IMAGE_GADGET := $(if $(GADGET),$(GADGET),$(call unquote,$(CONFIG_IMAGE_GADGET)))
IMAGE_DEMO_SNAPS := $(if $(DEMO_SNAPS),$(DEMO_SNAPS),$(if $(wildcard $(CONFIG)),$(if $(CONFIG_IMAGE_DEMO_SNAPS),y,n),y))
image run: export SNAPS = $(IMAGE_SNAPS)
image run: export GADGET = $(IMAGE_GADGET)
image run: export DEMO_SNAPS = $(IMAGE_DEMO_SNAPS)

image: deps
	$(Q)$(if $(BOARD),,$(MAKE) -s all >/dev/null &&) O=$(O) scripts/build-image $(if $(BOARD),$(BOARD),dragonboard)

clean:
	rm -rf $(O)/host $(O)/host-asan $(O)/target $(O)/fuzz $(O)/boards

distclean:
	rm -rf $(O)

help:
	@echo 'Configuration:'
	@echo '  <board>_defconfig  - configure for a board (make list-defconfigs)'
	@echo '  menuconfig         - change the configuration in a menu'
	@echo '  savedefconfig      - write the minimal configuration to $$(O)/defconfig'
	@echo '  olddefconfig       - update .config after a Kconfig change, new symbols at their default'
	@echo 'Build:'
	@echo '  all (default)      - the on-device tools of the configured board, in $$(O)/target/bin'
	@echo '  host               - snap-seccomp for this machine, in $$(O)/host/bin'
	@echo '  size               - stripped size of every binary for every board'
	@echo '  kernel-snaps       - the boards kernel snaps from Debian kernels (or <board>-kernel)'
	@echo 'Run and test:'
	@echo '  run                - the main job: build the board'"'"'s image and boot it in QEMU (INTERACTIVE=1: a shell)'
	@echo '  image              - the configured board'"'"'s disk image, in $$(O)/images'
	@echo '  check              - install what is missing, then every test (unit, cross, peer, live, launcher, fuzz, QEMU)'
	@echo '  check-unit         - the host unit tests only (ASan, UBSan)'
	@echo '  check-qemu         - the QEMU boot tests only (tests-qemu/)'
	@echo '  bench              - benchmarks against the peers, written to docs/benchmarks.md'
	@echo '  fuzz               - libFuzzer targets, FUZZ_SECONDS each (default 60)'
	@echo 'Other:'
	@echo '  deps               - install the Debian packages the project needs (as root)'
	@echo '  clean, distclean   - remove build outputs (distclean: the configuration too)'
	@echo 'Variables: O=<dir> (output directory, default output/), V=1 (show commands)'
