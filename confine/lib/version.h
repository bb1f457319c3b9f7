/* SPDX-License-Identifier: GPL-3.0-only */
#ifndef CONFINE_VERSION_H
#define CONFINE_VERSION_H

#define CONFINE_VERSION "0.1.0"
/* bumped whenever the generated code can change for the same input */
#define CONFINE_GEN_VERSION "ccgen-2"

#endif
