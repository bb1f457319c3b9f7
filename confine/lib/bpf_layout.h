/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * The memory layout of a seccomp filter inside the kernel, and the padding
 * that spares the kernel a reallocation when it loads one.
 *
 * The kernel copies a classic program into a buffer of whole pages sized
 * for it (a struct bpf_prog header, then 8 bytes an instruction), then
 * converts it in place into its internal instruction set, which takes more
 * instructions (a return becomes two, a test whose two targets are both
 * far becomes two, a test against a constant with the top bit set gets a
 * move first, three come first). When the converted program needs more
 * pages than the copy, the kernel allocates a larger buffer, copies and
 * frees the first: on x86_64 under TCG or a paravirtualised guest that is
 * a tenth of the load. A few unreachable instructions at the end (JA 0s,
 * then a copy of the final return) make the first buffer as large as the
 * converted program needs, for any header size between
 * BPF_LAYOUT_HEADER_MIN and BPF_LAYOUT_HEADER_MAX (32-bit and 64-bit
 * kernels, Linux 3.15 to 6.18).
 */
#ifndef CONFINE_BPF_LAYOUT_H
#define CONFINE_BPF_LAYOUT_H

#include <linux/filter.h>
#include <stddef.h>

#define BPF_LAYOUT_PAGE	      4096
#define BPF_LAYOUT_HEADER_MIN 32
#define BPF_LAYOUT_HEADER_MAX 128

/* the number of internal instructions the kernel converts a seccomp program into */
size_t bpf_kernel_len(const struct sock_filter *f, size_t n);
/*
 * How many instructions to append to the valid program f (n instructions)
 * so that the kernel converts it without reallocating: 0 when it already
 * does, or when no padding within the 4096-instruction limit helps. Never 1
 * (padding is at least one JA 0 and the final return).
 */
size_t bpf_layout_pad_len(const struct sock_filter *f, size_t n);
/* the padding that ends f (JA 0s after a return, then a return), 0 when there is none */
size_t bpf_layout_padding(const struct sock_filter *f, size_t n);

#endif
