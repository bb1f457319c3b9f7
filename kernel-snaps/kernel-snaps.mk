# The boards' kernel snaps, included by the top Makefile:
#   make kernel-snaps       pc-kernel, pi2-kernel and dragonboard-kernel
#   make <board>-kernel     one of them (pc-kernel, pi2-kernel, dragonboard-kernel)
# Each is $(O)/kernel-snaps/<board>-kernel_<version>.snap, made by
# scripts/build-kernel-snap from Debian's kernel package (see
# kernel-snaps/README.md); a snap whose inputs have not changed is reused.

KERNEL_SNAPS := $(addsuffix -kernel,$(BOARDS))

.PHONY: kernel-snaps $(KERNEL_SNAPS)

kernel-snaps: $(KERNEL_SNAPS)

$(KERNEL_SNAPS): deps
	$(Q)O=$(O) scripts/build-kernel-snap $(@:-kernel=)
