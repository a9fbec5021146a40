// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ELF notes and VMCOREINFO, before libkdumpfile sees them (ELF PT_NOTEs, and the notes
 * or raw VMCOREINFO of a kdump-compressed file).  libkdumpfile 0.5.1 acts on what it
 * finds there without a bound: every VMCOREINFO line becomes an attribute (300,000
 * lines take minutes), every PAGESIZE line resizes its caches (PAGESIZE=2147483648
 * asks for 2 TiB), a Xen note sets the page size from its contents, a key that
 * starts with '.' crashes it, a NUL in a key makes it another key.  The notes are
 * walked the way libkdumpfile walks them, and anything a ppc64 Linux kernel does not
 * write is refused here with one line.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dump/dump-priv.h"

/* The kernel's VMCOREINFO is at most one page (VMCOREINFO_BYTES is PAGE_SIZE, 64 KiB
 * at most on ppc64) and has about 200 lines (3.4 KiB on Debian's 6.1). */
#define VMCI_MAX_BYTES 65536
#define VMCI_MAX_LINES 4096
/* libkdumpfile makes a directory of every '.' in a key, in time quadratic in their
 * number (a key of 29,000 takes 20 s); the longest key of 6.1 has 40 bytes. */
#define VMCI_MAX_KEY 256
/* One PRSTATUS note a CPU (NR_CPUS is at most 8192 on ppc64) and a few others. */
#define NOTES_MAX 16384

/* Its bytes, printable and short, for a message. */
static void quote(char *out, size_t outsz, const char *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 4 < outsz && p[i] != '\0'; i++)
		out[n++] = p[i] >= 0x20 && p[i] <= 0x7e ? p[i] : '?';
	if (i < len && p[i] != '\0') {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
}

static bool all_nul(const char *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * One VMCOREINFO blob as libkdumpfile parses it (vmcoreinfo_raw_post_hook): every
 * '\n'-separated line of the whole blob, NULs included, its key up to the first '='
 * (the whole line without one).  *pagesize: the last PAGESIZE value, 0 if none.
 */
int tce_vmci_precheck(struct tce_dump *d, const char *p, size_t len, uint64_t *pagesize)
{
	const char *end = p + len, *endl, *eq, *key;
	size_t lines = 0, klen, vlen;
	char val[40];

	*pagesize = 0;
	if (len > VMCI_MAX_BYTES)
		return tce_set_err(d, TCE_EFORMAT, "%s: VMCOREINFO of %zu bytes: a kernel "
				   "writes at most %d", d->path, len, VMCI_MAX_BYTES);
	for (; p < end; p = endl + 1) {
		endl = memchr(p, '\n', end - p);
		if (!endl)
			endl = end;
		if (++lines > VMCI_MAX_LINES)
			return tce_set_err(d, TCE_EFORMAT, "%s: VMCOREINFO has more than %d "
					   "lines: a kernel writes about 200", d->path,
					   VMCI_MAX_LINES);
		eq = memchr(p, '=', endl - p);
		key = p;
		klen = (eq ? eq : endl) - p;
		if (klen > VMCI_MAX_KEY)
			return tce_set_err(d, TCE_EFORMAT, "%s: VMCOREINFO line %zu has a key "
					   "of %zu bytes: a kernel writes at most about 40",
					   d->path, lines, klen);
		/* libkdumpfile names a line's attribute with the key's bytes and reads
		 * that name back up to a NUL: "PAGESIZE\0x" (no '=') became PAGESIZE
		 * with an empty value, page size 0, and it asked for 2^63 bytes.  A
		 * kernel writes text; NULs that only pad the end are let be. */
		if (klen && memchr(key, '\0', klen) && !(endl == end && all_nul(p, endl - p)))
			return tce_set_err(d, TCE_EFORMAT, "%s: VMCOREINFO line %zu has a NUL "
					   "byte in its key: a kernel writes text", d->path,
					   lines);
		/* libkdumpfile 0.5.1 crashes (SIGSEGV in kdump_open) on a key that
		 * starts with '.', the separator of its attribute paths */
		if (klen && *key == '.')
			return tce_set_err(d, TCE_EFORMAT, "%s: VMCOREINFO line %zu has a "
					   "key that starts with '.': a kernel writes none",
					   d->path, lines);
		if (klen != 8 || memcmp(key, "PAGESIZE", 8) != 0)
			continue;
		vlen = eq ? (size_t)(endl - eq - 1) : 0;
		quote(val, sizeof(val), eq ? eq + 1 : endl, vlen);
		/* the value as libkdumpfile's strtoul reads it: up to a NUL */
		if (strcmp(val, "4096") == 0)
			*pagesize = 4096;
		else if (strcmp(val, "65536") == 0)
			*pagesize = 65536;
		else
			return tce_set_err(d, TCE_EUNSUPP, "%s: VMCOREINFO PAGESIZE=%s is not "
					   "4096 or 65536", d->path, val);
	}
	return 0;
}

/* libkdumpfile's note_equal(): namesz is the name's length, or that plus its NUL. */
static bool name_is(const char *want, const unsigned char *name, uint32_t namesz)
{
	size_t n = strlen(want);

	return (namesz == n || namesz == n + 1) && memcmp(want, name, namesz) == 0;
}

/*
 * A run of ELF notes at file offset off, walked as libkdumpfile's do_notes() walks it
 * (32-bit headers in the dump's byte order, name and desc padded to 4 bytes).  A note
 * that claims more than the run holds is corrupt; so is a Xen note (libkdumpfile
 * trusts its contents, and a ppc64 Linux kernel writes none).  Every VMCOREINFO is
 * checked; *pagesize is the last one's PAGESIZE (0 if none).
 */
int tce_notes_check(struct tce_dump *d, const unsigned char *p, size_t size, bool be,
		    uint64_t off, uint64_t *pagesize)
{
	static const char *const xen[] = { "Xen", ".note.Xen", "VMCOREINFO_XEN" };
	size_t pos = 0, n = 0, i;
	int ret;

	*pagesize = 0;
	while (pos < size) {
		uint32_t namesz, descsz;
		uint64_t descoff, next, ps;
		const unsigned char *name;

		if (size - pos < 12)
			goto corrupt;
		namesz = tce_get32(p + pos, be);
		descsz = tce_get32(p + pos + 4, be);
		descoff = 12 + (((uint64_t)namesz + 3) & ~3ULL);
		next = descoff + (((uint64_t)descsz + 3) & ~3ULL);
		/* the last note's desc need not be padded */
		if (descoff + descsz > size - pos)
			goto corrupt;
		if (++n > NOTES_MAX)
			return tce_set_err(d, TCE_EFORMAT, "%s: more than %d notes at file "
					   "offset 0x%llx", d->path, NOTES_MAX,
					   (unsigned long long)off);
		name = p + pos + 12;
		for (i = 0; i < ARRAY_SIZE(xen); i++)
			if (name_is(xen[i], name, namesz))
				return tce_set_err(d, TCE_EUNSUPP, "%s: a %s note: not a ppc64 "
						   "Linux dump", d->path, xen[i]);
		if (name_is("VMCOREINFO", name, namesz)) {
			ret = tce_vmci_precheck(d, (const char *)p + pos + descoff, descsz,
						&ps);
			if (ret)
				return ret;
			if (ps)
				*pagesize = ps;
		}
		if (next >= size - pos)
			break;
		pos += next;
	}
	return 0;
corrupt:
	return tce_set_err(d, TCE_EFORMAT, "%s: corrupt note at file offset 0x%llx",
			   d->path, (unsigned long long)(off + pos));
}
