dnl SPDX-License-Identifier: GPL-2.0-only
dnl kernel/: options for building and testing the Linux 6.1 series (owned by kernel/).
dnl Nothing here is required: without a Linux source, cross compiler or QEMU
dnl the host tests still build and run; the kernel targets say what is missing.

AC_ARG_WITH([linux],
	[AS_HELP_STRING([--with-linux=DIR|TARBALL],
		[Linux 6.1 source (an unpacked tree or a .tar.xz) for the kernel
		 series; default /usr/src/linux-source-6.1.tar.xz (Debian's
		 linux-source-6.1).  With it, `make -C kernel' patches, builds and
		 tests the kernel pieces])],
	[], [with_linux=no])
AS_CASE([$with_linux],
	[no|yes|""], [LINUX_SRC=/usr/src/linux-source-6.1.tar.xz],
	[LINUX_SRC=$with_linux])
AS_IF([test "x$with_linux" != xno && test "x$with_linux" != xyes && test ! -e "$LINUX_SRC"],
	[AC_MSG_ERROR([--with-linux: $LINUX_SRC does not exist])])
AC_SUBST([LINUX_SRC])
AM_CONDITIONAL([KERNEL_PIPELINE], [test "x$with_linux" != xno])

AC_ARG_WITH([linux-obj],
	[AS_HELP_STRING([--with-linux-obj=DIR],
		[where kernel work trees, object directories and QEMU images go
		 (default: ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/kernel)])],
	[KERNEL_CACHE=$withval], [KERNEL_CACHE=])
AC_SUBST([KERNEL_CACHE])

AC_ARG_VAR([KERNEL_CROSS_COMPILE],
	[cross prefix for the ppc64le kernel build (default powerpc64le-linux-gnu-)])
AS_IF([test -z "$KERNEL_CROSS_COMPILE"],
	[KERNEL_CROSS_COMPILE=powerpc64le-linux-gnu-])
AC_CHECK_PROG([KERNEL_CROSS_CC], [${KERNEL_CROSS_COMPILE}gcc], [yes], [no])

dnl ThreadSanitizer for kernel/tests/test-rm-concurrent (the ordering and
dnl lifetime tests of the series); without it that test is not built.
AC_CACHE_CHECK([whether $CC links -fsanitize=thread], [tce_cv_tsan],
	[tce_save_CFLAGS=$CFLAGS
	 tce_save_LDFLAGS=$LDFLAGS
	 CFLAGS="-fsanitize=thread"
	 LDFLAGS="-fsanitize=thread"
	 AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])], [tce_cv_tsan=yes],
		[tce_cv_tsan=no])
	 CFLAGS=$tce_save_CFLAGS
	 LDFLAGS=$tce_save_LDFLAGS])
AM_CONDITIONAL([HAVE_TSAN], [test "x$tce_cv_tsan" = xyes])
AC_CHECK_TOOL([OBJDUMP], [objdump], [objdump])
