// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VMCOREINFO: the text note every kdump kernel writes ("KEY=VALUE" lines).  We parse it
 * ourselves from the raw blob libkdumpfile found, because libkdumpfile's accessors need
 * the OS type set, and setting it makes libkdumpfile 0.5.1 walk vmemmap_list without a
 * bound (a cyclic list hangs it).  SYMBOL() values are hex, SIZE/OFFSET/NUMBER decimal
 * (a NUMBER written 0x... is hex).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump-priv.h"

int tce_vmci_parse(struct tce_dump *d, const char *raw, size_t len)
{
	char *p, *end, *line;
	unsigned n = 0, cap = 0;

	tce_vmci_free(d);
	d->vmci_raw = malloc(len + 1);
	if (!d->vmci_raw)
		return tce_set_err(d, TCE_ENOMEM, "VMCOREINFO (%zu bytes): out of memory", len);
	memcpy(d->vmci_raw, raw, len);
	d->vmci_raw[len] = '\0';
	/* a NUL inside the note ends it (the kernel pads the note with zeros) */
	end = d->vmci_raw + strlen(d->vmci_raw);
	/* VMCOREINFO is printable ASCII: anything else is damage, and must not reach
	 * text or JSON output as raw bytes */
	for (p = d->vmci_raw; p < end; p++)
		if (*p != '\n' && (*p < 0x20 || *p > 0x7e))
			*p = '?';

	for (p = d->vmci_raw; p < end; p = line) {
		char *nl = memchr(p, '\n', end - p);
		char *eq;

		line = nl ? nl + 1 : end;
		if (nl)
			*nl = '\0';
		eq = strchr(p, '=');
		if (!eq || eq == p)
			continue;
		*eq = '\0';
		if (n == cap) {
			struct vmci_line *v;

			cap = cap ? cap * 2 : 64;
			v = realloc(d->vmci, cap * sizeof(*v));
			if (!v)
				return tce_set_err(d, TCE_ENOMEM, "VMCOREINFO line %u: out of "
						   "memory", n);
			d->vmci = v;
		}
		d->vmci[n].key = p;
		d->vmci[n].value = eq + 1;
		n++;
	}
	d->nvmci = n;
	return 0;
}

void tce_vmci_free(struct tce_dump *d)
{
	free(d->vmci);
	free(d->vmci_raw);
	d->vmci = NULL;
	d->vmci_raw = NULL;
	d->nvmci = 0;
}

/* The value of key, or NULL; sets no message (callers probe with it). */
static const char *find(const struct tce_dump *d, const char *key)
{
	unsigned i;

	/* the last line wins, as when the kernel appends a corrected value */
	for (i = d->nvmci; i-- > 0;)
		if (strcmp(d->vmci[i].key, key) == 0)
			return d->vmci[i].value;
	return NULL;
}

const char *tce_vmcoreinfo(struct tce_dump *d, const char *key)
{
	const char *v = find(d, key);

	if (!v)
		tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no %s", key);
	return v;
}

bool tce_vmcoreinfo_line(const struct tce_dump *d, unsigned i, const char **key,
			 const char **value)
{
	if (i >= d->nvmci)
		return false;
	*key = d->vmci[i].key;
	*value = d->vmci[i].value;
	return true;
}

/* Looks up KIND(a) or KIND(a.b) and converts it. */
static int lookup_num(struct tce_dump *d, const char *kind, const char *a,
		      const char *b, int base, bool is_signed, uint64_t *out)
{
	char key[256], *end;
	const char *v;
	uint64_t x;
	int n;

	if (b)
		n = snprintf(key, sizeof(key), "%s(%s.%s)", kind, a, b);
	else
		n = snprintf(key, sizeof(key), "%s(%s)", kind, a);
	if (n < 0 || n >= (int)sizeof(key))
		return tce_set_err(d, TCE_EINVAL, "VMCOREINFO key %s(%s...) is too long",
				   kind, a);
	v = find(d, key);
	if (!v || !*v)
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no %s", key);
	/* NUMBER() is %ld, except the few the kernel prints as 0x%lx (VMALLOC_START) */
	if (base == 10 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		is_signed = false;
	}
	errno = 0;
	if (is_signed)
		x = (uint64_t)strtoll(v, &end, base);
	else
		x = strtoull(v, &end, base);
	/* *out only for a number: callers may keep a default through a failure */
	if (errno || *end || (!is_signed && *v == '-'))
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO %s=%s is not a number", key,
				   v);
	*out = x;
	return 0;
}

int tce_vmcoreinfo_symbol(struct tce_dump *d, const char *name, uint64_t *addr)
{
	return lookup_num(d, "SYMBOL", name, NULL, 16, false, addr);
}

int tce_vmcoreinfo_size(struct tce_dump *d, const char *name, uint64_t *size)
{
	return lookup_num(d, "SIZE", name, NULL, 10, false, size);
}

int tce_vmcoreinfo_length(struct tce_dump *d, const char *name, uint64_t *len)
{
	return lookup_num(d, "LENGTH", name, NULL, 10, false, len);
}

int tce_vmcoreinfo_offset(struct tce_dump *d, const char *type, const char *field,
			  uint64_t *off)
{
	return lookup_num(d, "OFFSET", type, field, 10, false, off);
}

int tce_vmcoreinfo_number(struct tce_dump *d, const char *name, int64_t *num)
{
	uint64_t v;
	int ret = lookup_num(d, "NUMBER", name, NULL, 10, true, &v);

	if (!ret)
		*num = (int64_t)v;
	return ret;
}

uint64_t tce_max_physmem(struct tce_dump *d)
{
	int64_t bits;

	if (tce_vmcoreinfo_number(d, "MAX_PHYSMEM_BITS", &bits) || bits < 32 || bits > 56)
		bits = 46;
	return 1ULL << bits;
}

/*
 * The end of the linear map: 2^MAX_PHYSMEM_BITS past its start, but never past where
 * the kernel says its other regions start (NUMBER(VMALLOC_START), 6.2 and later: a
 * 4K-page hash kernel puts vmalloc, io and the vmemmap at 0xc0003d0000000000, below
 * 2^51), nor past the highest physical address an ELF dump holds (the linear map
 * there maps nothing the dump can give).
 */
uint64_t tce_linear_end(struct tce_dump *d)
{
	uint64_t end = TCE_LINEAR_BASE + tce_max_physmem(d), vstart;
	int64_t v;

	if (tce_vmcoreinfo_number(d, "VMALLOC_START", &v) == 0) {
		vstart = (uint64_t)v;
		if (vstart > TCE_LINEAR_BASE && vstart < end)
			end = vstart;
	}
	if (d->ranges && d->phys_end && d->phys_end < end - TCE_LINEAR_BASE)
		end = TCE_LINEAR_BASE + d->phys_end;
	return end;
}
