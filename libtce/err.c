// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The error unit: one message buffer per handle, set where a failure happens and given
 * context on its way up ("vmemmap_list entry 3: physical 0x... is not in the dump").
 * No allocation, so running out of memory has a message too.  Also the library's
 * version and the short texts of error codes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base.h"

void tce_mark_cut(char *buf, size_t size, int n)
{
	size_t pos;

	if (n < 0 || (size_t)n < size || size < 4)
		return;
	/* not inside a character of UTF-8 (a path's) */
	for (pos = size - 4; pos && ((unsigned char)buf[pos] & 0xc0) == 0x80; pos--)
		;
	memcpy(buf + pos, "...", 4);
}

int tce_err_vset(struct tce_err *e, int err, const char *fmt, va_list ap)
{
	int n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);

	tce_mark_cut(e->msg, sizeof(e->msg), n);
	return err > 0 ? -err : err;
}

/* (the name in parentheses: the function, not base.h's macro) */
int (tce_err_set)(struct tce_err *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = tce_err_vset(e, err, fmt, ap);
	va_end(ap);
	return err;
}

int tce_err_vprepend(struct tce_err *e, int err, const char *fmt, va_list ap)
{
	char ctx[TCE_ERR_LEN], old[TCE_ERR_LEN];

	int n;

	n = vsnprintf(ctx, sizeof(ctx), fmt, ap);
	tce_mark_cut(ctx, sizeof(ctx), n);
	memcpy(old, e->msg, sizeof(old));
	/* a message too long for the buffer is cut at its end, and says so */
	n = snprintf(e->msg, sizeof(e->msg), "%s: %s", ctx, old[0] ? old : tce_strerror(err));
	if (n < 0)
		e->msg[0] = '\0';
	tce_mark_cut(e->msg, sizeof(e->msg), n);
	return err > 0 ? -err : err;
}

void tce_err_clear(struct tce_err *e)
{
	e->msg[0] = '\0';
}

const char *tce_strerror(int err)
{
	static const char *const names[] = {
		[TCE_OK] = "ok",
		[TCE_ENOMEM] = "out of memory",
		[TCE_EIO] = "cannot read file",
		[TCE_EFORMAT] = "not a dump",
		[TCE_EUNSUPP] = "unsupported dump",
		[TCE_ENODATA] = "not in the dump",
		[TCE_ENOXLAT] = "no translation",
		[TCE_ENOENT] = "unknown",
		[TCE_ECORRUPT] = "corrupt dump",
		[TCE_EINVAL] = "invalid argument",
	};

	if (err < 0)
		err = -err;
	if ((size_t)err >= ARRAY_SIZE(names) || !names[err])
		return "unknown error";
	return names[err];
}

unsigned tce_version(void)
{
	return TCE_VERSION;
}

const char *tce_version_string(void)
{
	return TCE_VERSION_STRING;
}
