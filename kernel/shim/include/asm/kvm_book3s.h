/* SPDX-License-Identifier: GPL-2.0-only */
/* Host shim for <asm/kvm_book3s.h>: everything is in shim/kvm.h. */
#include <shim/kvm.h>
