/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for <linux/kvm_host.h>: everything is in shim/kvm.h. */
#include <shim/kvm.h>
