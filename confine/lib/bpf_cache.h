/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * Linux >= 5.11 caches, per architecture and syscall number, the calls
 * that every loaded filter allows whatever the arguments: it emulates each
 * filter with only nr and arch known, and accepts a path only when it
 * loads nothing else and uses only JEQ/JGE/JGT/JSET with constants, JA,
 * AND with a constant, and ends in RET ALLOW. This is that emulation.
 */
#ifndef CONFINE_BPF_CACHE_H
#define CONFINE_BPF_CACHE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool bpf_const_allow(const struct sock_filter *f, size_t n, uint32_t arch, uint32_t nr);

#endif
