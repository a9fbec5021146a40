// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkdiskdump: turns an ELF vmcore (the forge's, or a real sample) into a small
 * kdump-compressed file as makedumpfile lays one out (header version 6, the 64-bit
 * header, the ELF notes in the sub-header's blocks, two page bitmaps, one page
 * descriptor a dumped page, the pages stored uncompressed), and damages it on demand
 * (--set FIELD=VALUE after layout, --cut N).  A real kdump-compressed file can be made
 * from tests/fixtures only by makedumpfile under qemu-user, which CI lacks; this makes
 * valid and corrupt ones from any ELF dump, for the tests of libtce's checks before
 * libkdumpfile reads one (libtce/dump/diskscan.c), and the reproducers of
 * doc/libkdumpfile-defects.md.  Test-side code only.
 *
 * --exclude PHYS[-LAST] leaves the pages holding those physical addresses out, as
 * makedumpfile excludes pages (their bits clear in both bitmaps, no descriptor).
 *
 * --vmcoreinfo LINE appends a line to VMCOREINFO (the note and what the sub-header
 * points at; "\0" in LINE is a NUL byte), --vmcoreinfo-fill N that many lines
 * "FILLn=n" (before the --vmcoreinfo lines, in VMCOREINFO the last line of a key
 * wins).
 *
 * Fields: header.version, header.block_size, header.sub_hdr_size,
 * header.bitmap_blocks, header.max_mapnr, sub.split, sub.offset_vmcoreinfo,
 * sub.size_vmcoreinfo, sub.offset_note, sub.size_note,
 * sub.max_mapnr_64, pd.N.offset, pd.N.size, pd.N.flags (N: the Nth dumped page,
 * "last" the last one, "all" every one, "@PHYS" the one holding physical address
 * PHYS), flat=1 (write the flattened format's header first, then the file as it is:
 * a flattened file whose first record is nonsense).
 *
 * --flatten writes makedumpfile's flattened format instead (what QEMU's
 * dump-guest-memory -z writes, and makedumpfile -F): the 4096-byte header, then
 * records (a big-endian offset and size, then the bytes) as QEMU writes them: the
 * header and the sub-header with its notes each on its own (the rest of their blocks
 * left as holes), the bitmaps a block a record, then the page descriptors and the
 * pages from two caches, each written out when it fills (FLAT_DESCS descriptors,
 * FLAT_PAGES pages), so that records come after records of higher offsets; then the
 * end record.  makedumpfile -R of it is the file mkdiskdump writes without --flatten.
 * Values are C integers (0x..., decimal); "eof" is the file's size.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <argp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 32
#define SH_OFF 104              /* sizeof(struct kdump_sub_header_64) */

struct args {
	const char *in, *out;
	const char *sets[MAX_SETS];
	unsigned nsets;
	const char *lines[MAX_SETS];
	unsigned nlines;
	uint64_t excl[MAX_SETS][2];     /* physical ranges left out, both ends included */
	unsigned nexcl;
	unsigned long fill;
	long long cut;          /* -1: none */
	bool qemu;              /* QEMU's form: see --qemu */
	bool flatten;           /* the flattened format: see --flatten */
	bool verbose;
};

static const struct argp_option options[] = {
	{ "set", 's', "FIELD=VALUE", 0, "overwrite one field after layout (see the "
	  "source's first comment); may be repeated", 0 },
	{ "cut", 'c', "N", 0, "keep only the first N bytes of the file", 0 },
	{ "vmcoreinfo", 'i', "LINE", 0, "append LINE (KEY=VALUE) to VMCOREINFO; may be "
	  "repeated", 0 },
	{ "vmcoreinfo-fill", 'F', "N", 0, "append N lines FILLn=n to VMCOREINFO", 0 },
	{ "exclude", 'x', "PHYS[-LAST]", 0, "leave out the pages holding these physical "
	  "addresses, as makedumpfile excludes pages; may be repeated", 0 },
	{ "qemu", 'q', NULL, 0, "the form QEMU's dump-guest-memory -z writes of a ppc64 "
	  "guest (after makedumpfile -R) from its ELF form (tce-forge --qemu): 64 KiB "
	  "blocks, utsname.machine \"Unknown\" and nothing else in utsname, the ELF's "
	  "notes (QEMU's CORE notes, no VMCOREINFO), in the ELF headers' byte order", 0 },
	{ "flatten", 'f', NULL, 0, "write makedumpfile's flattened format (QEMU's "
	  "dump-guest-memory -z, makedumpfile -F), its records in QEMU's order", 0 },
	{ "verbose", 'v', NULL, 0, "print the layout", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct args *a = state->input;
	char *end;

	switch (key) {
	case 's':
		if (a->nsets == MAX_SETS)
			argp_error(state, "at most %d --set", MAX_SETS);
		a->sets[a->nsets++] = arg;
		break;
	case 'i':
		if (a->nlines == MAX_SETS)
			argp_error(state, "at most %d --vmcoreinfo", MAX_SETS);
		a->lines[a->nlines++] = arg;
		break;
	case 'F':
		a->fill = strtoul(arg, &end, 0);
		if (*end)
			argp_error(state, "--vmcoreinfo-fill needs a number");
		break;
	case 'c':
		a->cut = strtoll(arg, &end, 0);
		if (*end || a->cut < 0)
			argp_error(state, "--cut needs a size");
		break;
	case 'x':
		if (a->nexcl == MAX_SETS)
			argp_error(state, "at most %d --exclude", MAX_SETS);
		errno = 0;
		a->excl[a->nexcl][0] = strtoull(arg, &end, 0);
		a->excl[a->nexcl][1] = *end == '-' ? strtoull(end + 1, &end, 0) :
				       a->excl[a->nexcl][0];
		if (*end || errno || a->excl[a->nexcl][1] < a->excl[a->nexcl][0])
			argp_error(state, "--exclude needs PHYS or PHYS-LAST");
		a->nexcl++;
		break;
	case 'q':
		a->qemu = true;
		break;
	case 'f':
		a->flatten = true;
		break;
	case 'v':
		a->verbose = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0)
			a->in = arg;
		else if (state->arg_num == 1)
			a->out = arg;
		else
			argp_error(state, "too many arguments");
		break;
	case ARGP_KEY_END:
		if (!a->out)
			argp_error(state, "needs IN.elf and OUT");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "IN.elf OUT",
	"Write a kdump-compressed copy of an ELF vmcore, valid or damaged on demand.", NULL,
	NULL, NULL
};

static bool be;

static uint64_t get(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[be ? i : n - 1 - i];
	return v;
}

static void put(unsigned char *p, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static void die(const char *what, const char *msg) __attribute__((noreturn));

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "mkdiskdump: %s: %s\n", what, msg);
	exit(1);
}

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		die(path, "cannot open");
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				die(path, "out of memory");
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size = n;
	return buf;
}

/* The value of KEY= in the VMCOREINFO note of notes[0, len). */
static const char *vmci_value(const unsigned char *notes, size_t len, const char *key,
			      char *out, size_t outsz)
{
	size_t pos = 0, klen = strlen(key);

	while (pos + 12 <= len) {
		uint64_t nsz = get(notes + pos, 4), dsz = get(notes + pos + 4, 4);
		size_t doff = pos + 12 + ((nsz + 3) & ~3ULL);
		const char *p, *e;

		if (doff + dsz > len)
			break;
		if (nsz >= 10 && !memcmp(notes + pos + 12, "VMCOREINFO", 10)) {
			for (p = (const char *)notes + doff, e = p + dsz; p < e;) {
				const char *nl = memchr(p, '\n', e - p);

				if (!nl)
					nl = e;
				if ((size_t)(nl - p) > klen && !memcmp(p, key, klen) &&
				    p[klen] == '=' && (size_t)(nl - p - klen) < outsz) {
					memcpy(out, p + klen + 1, nl - p - klen - 1);
					out[nl - p - klen - 1] = '\0';
					return out;
				}
				p = nl + 1;
			}
		}
		pos = doff + ((dsz + 3) & ~3ULL);
	}
	return NULL;
}

/* The notes with VMCOREINFO's text extended by the --vmcoreinfo-fill and --vmcoreinfo
 * lines (a new buffer), its length in *len. */
static unsigned char *extend_vmcoreinfo(const unsigned char *notes, size_t *len,
					const struct args *a)
{
	size_t pos = 0, n = 0, extra = 0, cap, i;
	unsigned char *out;

	for (i = 0; i < a->nlines; i++)
		extra += strlen(a->lines[i]) + 1;
	extra += a->fill * 32;
	cap = *len + extra + 8;
	out = malloc(cap);
	if (!out)
		die("--vmcoreinfo", "out of memory");
	while (pos + 12 <= *len) {
		uint64_t nsz = get(notes + pos, 4), dsz = get(notes + pos + 4, 4);
		size_t doff = pos + 12 + ((nsz + 3) & ~3ULL), next = doff + ((dsz + 3) & ~3ULL);

		if (doff + dsz > *len)
			break;
		if (next > *len)
			next = *len;
		memcpy(out + n, notes + pos, doff + dsz - pos);
		if (nsz >= 10 && !memcmp(notes + pos + 12, "VMCOREINFO", 10)) {
			size_t d = n + doff - pos, end = d + dsz;
			unsigned long k;

			for (k = 0; k < a->fill; k++)
				end += sprintf((char *)out + end, "FILL%lu=%lu\n", k, k);
			for (i = 0; i < a->nlines; i++) {
				const char *c;

				for (c = a->lines[i]; *c; c++) {
					if (c[0] == '\\' && c[1] == '0') {
						out[end++] = 0;
						c++;
					} else {
						out[end++] = *c;
					}
				}
				out[end++] = '\n';
			}
			dsz = end - d;
			put(out + n + 4, 4, dsz);
		}
		n += doff - pos + dsz;
		while (n % 4)
			out[n++] = 0;
		pos = next;
	}
	*len = n;
	return out;
}

/* The index of the descriptor of the page holding phys (npd if it is not dumped). */
static uint64_t pd_of(const unsigned char *f, uint64_t phys, uint64_t bs, uint64_t bm2,
		      uint64_t npd)
{
	uint64_t pfn = phys / bs, n = 0, i;

	if (!(f[bm2 + pfn / 8] & (1 << (pfn % 8))))
		return npd;
	for (i = 0; i < pfn; i++)
		n += f[bm2 + i / 8] >> (i % 8) & 1;
	return n;
}

/* One "FIELD=VALUE" (see the first comment). */
static void apply(unsigned char *f, size_t size, const char *set, uint64_t bs,
		  uint64_t bm2, uint64_t pd_off, uint64_t npd, bool *flat)
{
	static const struct { const char *name; uint64_t off; int width; } fields[] = {
		{ "header.version", 8, 4 }, { "header.block_size", 428, 4 },
		{ "header.sub_hdr_size", 432, 4 }, { "header.bitmap_blocks", 436, 4 },
		{ "header.max_mapnr", 440, 4 }, { "sub.split", 12, 4 },
		{ "sub.offset_vmcoreinfo", 32, 8 }, { "sub.size_vmcoreinfo", 40, 8 },
		{ "sub.offset_note", 48, 8 }, { "sub.size_note", 56, 8 },
		{ "sub.max_mapnr_64", 96, 8 },
	};
	const char *eq = strchr(set, '=');
	char name[64], *end;
	uint64_t v, off = 0;
	int width = 0;
	size_t i;

	if (!eq || (size_t)(eq - set) >= sizeof(name))
		die(set, "not FIELD=VALUE");
	memcpy(name, set, eq - set);
	name[eq - set] = '\0';
	if (!strcmp(eq + 1, "eof"))
		v = size;
	else {
		errno = 0;
		v = strtoull(eq + 1, &end, 0);
		if (errno || *end)
			die(set, "not a number");
	}
	if (!strcmp(name, "flat")) {
		*flat = v != 0;
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(name, fields[i].name))
			continue;
		off = fields[i].off + (name[0] == 's' ? bs : 0);
		width = fields[i].width;
	}
	if (!width && !strncmp(name, "pd.", 3)) {
		const char *what = strchr(name + 3, '.');
		uint64_t n, first, last;

		if (!strncmp(name + 3, "all.", 4)) {
			first = 0;
			last = npd - 1;
		} else {
			if (!strncmp(name + 3, "last.", 5))
				n = npd - 1;
			else if (name[3] == '@')
				n = pd_of(f, strtoull(name + 4, &end, 0), bs, bm2, npd);
			else
				n = strtoull(name + 3, &end, 10);
			first = last = n;
		}
		if (first >= npd || last >= npd || !what)
			die(set, "no such page descriptor");
		if (!strcmp(what, ".offset"))
			off = 0, width = 8;
		else if (!strcmp(what, ".size"))
			off = 8, width = 4;
		else if (!strcmp(what, ".flags"))
			off = 12, width = 4;
		if (!width)
			die(set, "no such field");
		for (n = first; n <= last; n++)
			put(f + pd_off + 24 * n + off, width, v);
		return;
	}
	if (!width)
		die(set, "no such field");
	put(f + off, width, v);
}

#define FLAT_DESCS 8
#define FLAT_PAGES 4

/* One record of the flattened format: [off, off + len) of f, clipped to size. */
static void flat_record(FILE *out, const unsigned char *f, size_t size, uint64_t off,
			uint64_t len)
{
	unsigned char h[16];
	bool save = be;

	if (off >= size || !len)
		return;
	if (len > size - off)
		len = size - off;
	be = true;
	put(h, 8, off);
	put(h + 8, 8, len);
	be = save;
	if (fwrite(h, 1, sizeof(h), out) != sizeof(h) || fwrite(f + off, 1, len, out) != len)
		die("--flatten", "cannot write");
}

static void flatten(FILE *out, const unsigned char *f, size_t size, uint64_t bs,
		    uint64_t sub_len, uint64_t bm_off, uint64_t pd_off, uint64_t data_off,
		    uint64_t npd)
{
	unsigned char mh[4096] = "makedumpfile", end[16];
	uint64_t o, k, desc_at = pd_off, data_at = data_off;

	mh[23] = 1;     /* type 1, version 1, big-endian */
	mh[31] = 1;
	if (fwrite(mh, 1, sizeof(mh), out) != sizeof(mh))
		die("--flatten", "cannot write");
	flat_record(out, f, size, 0, 464);
	flat_record(out, f, size, bs, sub_len);
	for (o = bm_off; o < pd_off; o += bs)
		flat_record(out, f, size, o, bs);
	for (k = 0; k < npd; k++) {
		/* each cache written out when full, the rest at the end */
		if ((k + 1) % FLAT_PAGES == 0 || k + 1 == npd) {
			flat_record(out, f, size, data_at, data_off + (k + 1) * bs - data_at);
			data_at = data_off + (k + 1) * bs;
		}
		if ((k + 1) % FLAT_DESCS == 0 || k + 1 == npd) {
			flat_record(out, f, size, desc_at, pd_off + (k + 1) * 24 - desc_at);
			desc_at = pd_off + (k + 1) * 24;
		}
	}
	memset(end, 0xff, sizeof(end));
	if (fwrite(end, 1, sizeof(end), out) != sizeof(end))
		die("--flatten", "cannot write");
}

int main(int argc, char **argv)
{
	struct args a = { .cut = -1 };
	unsigned char *in, *f, *notes = NULL, *new_notes = NULL;
	size_t insize, nlen = 0, size, i;
	uint64_t phoff, phnum, bs = 0, max_pfn = 0, nbm, sub_blocks, pd_off, data_off,
		 npd = 0, pfn;
	char val[64];
	bool flat = false;
	FILE *out;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	in = slurp(a.in, &insize);
	if (insize < 64 || memcmp(in, "\177ELF", 4) || in[4] != 2)
		die(a.in, "not a 64-bit ELF file");
	be = in[5] == 2;
	phoff = get(in + 32, 8);
	phnum = get(in + 56, 2);
	if (phoff > insize || phnum * 56 > insize - phoff)
		die(a.in, "program headers outside the file");
	/* the notes (the first PT_NOTE), the page size, the highest pfn */
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = in + phoff + 56 * i;
		uint64_t off = get(ph + 8, 8), fsz = get(ph + 32, 8);

		if (get(ph, 4) == 4 && !notes) {
			if (off > insize || fsz > insize - off)
				die(a.in, "notes outside the file");
			notes = in + off;
			nlen = fsz;
		}
	}
	if (a.qemu)
		snprintf(val, sizeof(val), "65536");	/* QEMU's page_size on pseries */
	else if (!notes || !vmci_value(notes, nlen, "PAGESIZE", val, sizeof(val)))
		die(a.in, "no VMCOREINFO PAGESIZE");
	bs = strtoull(val, NULL, 10);
	if (bs != 4096 && bs != 65536)
		die(a.in, "PAGESIZE is not 4096 or 65536");
	if (a.nlines || a.fill)
		notes = new_notes = extend_vmcoreinfo(notes, &nlen, &a);
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = in + phoff + 56 * i;
		uint64_t end = get(ph + 24, 8) + get(ph + 40, 8);

		if (get(ph, 4) == 1 && (end + bs - 1) / bs > max_pfn)
			max_pfn = (end + bs - 1) / bs;
	}

	/* layout: header block, sub-header and notes, two bitmaps, descriptors, pages */
	sub_blocks = (SH_OFF + nlen + bs - 1) / bs;
	nbm = ((max_pfn + 7) / 8 + bs - 1) / bs;
	if (!nbm)
		nbm = 1;
	pd_off = (1 + sub_blocks + 2 * nbm) * bs;
	/* count the pages first: every page a PT_LOAD's file data touches */
	size = (size_t)pd_off;
	f = calloc(1, size);
	if (!f)
		die(a.out, "out of memory");
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = in + phoff + 56 * i;
		uint64_t pa = get(ph + 24, 8), fsz = get(ph + 32, 8);

		if (get(ph, 4) != 1 || !fsz)
			continue;
		for (pfn = pa / bs; pfn < (pa + fsz + bs - 1) / bs; pfn++) {
			unsigned char *b1 = f + (1 + sub_blocks) * bs,
				      *b2 = b1 + nbm * bs;

			unsigned x;

			if (b2[pfn / 8] & (1 << (pfn % 8)))
				continue;
			for (x = 0; x < a.nexcl; x++)
				if (pfn >= a.excl[x][0] / bs && pfn <= a.excl[x][1] / bs)
					break;
			if (x < a.nexcl)
				continue;
			b1[pfn / 8] |= 1 << (pfn % 8);
			b2[pfn / 8] |= 1 << (pfn % 8);
			npd++;
		}
	}
	data_off = pd_off + 24 * npd;
	size = data_off + npd * bs;
	f = realloc(f, size);
	if (!f)
		die(a.out, "out of memory");
	memset(f + pd_off, 0, size - pd_off);
	{
		unsigned char *b2 = f + (1 + sub_blocks + nbm) * bs;
		uint64_t k = 0;

		for (pfn = 0; pfn < max_pfn; pfn++) {
			unsigned char *pd = f + pd_off + 24 * k, *page = f + data_off + bs * k;

			if (!(b2[pfn / 8] & (1 << (pfn % 8))))
				continue;
			put(pd, 8, data_off + bs * k);
			put(pd + 8, 4, bs);
			/* the page: whatever the PT_LOADs hold of it */
			for (i = 0; i < phnum; i++) {
				const unsigned char *ph = in + phoff + 56 * i;
				uint64_t off = get(ph + 8, 8), pa = get(ph + 24, 8),
					 fsz = get(ph + 32, 8), lo, hi;

				if (get(ph, 4) != 1)
					continue;
				lo = pfn * bs > pa ? pfn * bs : pa;
				hi = (pfn + 1) * bs < pa + fsz ? (pfn + 1) * bs : pa + fsz;
				if (lo >= hi || off + (lo - pa) >= insize)
					continue;
				if (off + (hi - pa) > insize)
					hi = pa + insize - off;
				memcpy(page + (lo - pfn * bs), in + off + (lo - pa), hi - lo);
			}
			k++;
		}
	}

	/* the header (struct disk_dump_header_64) */
	memcpy(f, "KDUMP   ", 8);
	put(f + 8, 4, 6);
	if (a.qemu) {
		/* QEMU's create_header64(): ELF_MACHINE_UNAME, "Unknown" for ppc */
		memcpy(f + 12 + 4 * 65, "Unknown", 7);
	} else {
		memcpy(f + 12, "Linux", 5);
		if (vmci_value(notes, nlen, "OSRELEASE", val, sizeof(val)))
			memcpy(f + 12 + 2 * 65, val, strlen(val) < 64 ? strlen(val) : 64);
		memcpy(f + 12 + 3 * 65, "#1 SMP mkdiskdump", 17);
		memcpy(f + 12 + 4 * 65, be ? "ppc64" : "ppc64le", be ? 5 : 7);
	}
	put(f + 428, 4, bs);
	put(f + 432, 4, sub_blocks);
	put(f + 436, 4, 2 * nbm);
	put(f + 440, 4, max_pfn > 0xffffffffULL ? 0xffffffffULL : max_pfn);
	put(f + 460, 4, 1);
	/* the sub-header (struct kdump_sub_header_64) and the notes after it */
	put(f + bs + 8, 4, 31);
	put(f + bs + 48, 8, bs + SH_OFF);
	put(f + bs + 56, 8, nlen);
	put(f + bs + 96, 8, max_pfn);
	memcpy(f + bs + SH_OFF, notes, nlen);
	{
		/* header version 3 reads VMCOREINFO alone: where its desc lies */
		uint64_t pos = 0;

		while (pos + 12 <= nlen) {
			uint64_t nsz = get(notes + pos, 4), dsz = get(notes + pos + 4, 4),
				 doff = pos + 12 + ((nsz + 3) & ~3ULL);

			if (doff + dsz > nlen)
				break;
			if (nsz >= 10 && !memcmp(notes + pos + 12, "VMCOREINFO", 10)) {
				put(f + bs + 32, 8, bs + SH_OFF + doff);
				put(f + bs + 40, 8, dsz);
				break;
			}
			pos = doff + ((dsz + 3) & ~3ULL);
		}
	}

	for (i = 0; i < a.nsets; i++)
		apply(f, size, a.sets[i], bs, (1 + sub_blocks + nbm) * bs, pd_off, npd, &flat);
	if (a.cut >= 0 && (uint64_t)a.cut < size)
		size = a.cut;
	if (a.verbose)
		printf("block_size=%llu sub_hdr_size=%llu bitmap_blocks=%llu max_pfn=%llu "
		       "pages=%llu descriptors=0x%llx data=0x%llx size=%zu\n",
		       (unsigned long long)bs, (unsigned long long)sub_blocks,
		       (unsigned long long)(2 * nbm), (unsigned long long)max_pfn,
		       (unsigned long long)npd, (unsigned long long)pd_off,
		       (unsigned long long)data_off, size);

	out = fopen(a.out, "wb");
	if (!out)
		die(a.out, "cannot create");
	if (flat) {
		/* struct makedumpfile_header: signature, type 1, version 1 (big-endian) */
		unsigned char mh[4096] = "makedumpfile";

		mh[23] = 1;
		mh[31] = 1;
		fwrite(mh, 1, sizeof(mh), out);
	}
	if (a.flatten)
		flatten(out, f, size, bs, SH_OFF + nlen, (1 + sub_blocks) * bs, pd_off,
			data_off, npd);
	else if (fwrite(f, 1, size, out) != size)
		die(a.out, "cannot write");
	if (fclose(out) != 0)
		die(a.out, "cannot write");
	free(f);
	free(in);
	free(new_notes);
	return 0;
}
