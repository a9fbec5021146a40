/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for <linux/export.h>: everything is in shim/shim.h. */
#include <shim/shim.h>
