/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host shim for <asm/tce.h>: everything is in shim/kvm.h. */
#include <shim/kvm.h>
