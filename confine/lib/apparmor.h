/* SPDX-License-Identifier: GPL-3.0-only */
/*
 * AppArmor without libapparmor: change_onexec is a write of "exec LABEL" to
 * the task's attr file, which is all the launcher needs.
 */
#ifndef CONFINE_APPARMOR_H
#define CONFINE_APPARMOR_H

#include <stdbool.h>

#include "diag.h"

/* /sys/module/apparmor/parameters/enabled says Y */
bool sc_apparmor_enabled(void);
/* the next exec runs under label; a clear error when the profile is not loaded */
int sc_apparmor_change_onexec(const char *label, struct diag *err);

#endif
