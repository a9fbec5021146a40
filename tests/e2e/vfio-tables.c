// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-tables: makes real VFIO-owned TCE tables in a powernv host kernel (Debian 13's 6.12
 * under QEMU's powernv9; 6.1 cannot make VFIO groups on powerpc) the way a VMM does with
 * the SPAPR TCE v2 IOMMU, prints their ground truth, then waits so that the host can be
 * dumped with the tables, their it_userspace mirrors and the preregistered (pinned) memory
 * in it.  Built by mkdump.sh with powerpc64le-linux-gnu-gcc -static and run as root from
 * the initramfs, after the recipe's setup has bound the PCI devices to vfio-pci.
 *
 * It owns the layout of the d13-pnv-vfio recipes: every device vfio-pci holds (sorted by
 * name; the recipe gives three e1000e on three PHBs, so three IOMMU groups), the first and
 * the third in container 0 (one table set shared by two PEs), the second in container 1.
 * Each container gets the default window (4K IOMMU pages, one level, made by the kernel on
 * first use) and a dynamic window (VFIO_IOMMU_SPAPR_TCE_CREATE, slot 1): container 0's of
 * 16G in two levels with IOMMU pages of the host's page size (64K if hugetlb pages exist),
 * container 1's of 1G in one level with 64K IOMMU pages.  Preregistered regions
 * (VFIO_IOMMU_SPAPR_REGISTER_MEMORY): "anon" (small pages, MADV_NOHUGEPAGE; registered by
 * both containers, so the kernel shares one region with used=2), "thp" (two PMD-sized,
 * PMD-aligned blocks, MADV_HUGEPAGE: transparent huge pages where the kernel makes them),
 * "huge" (two hugetlb pages, when the kernel has them), "idle" (registered,
 * never mapped), "gone" (mapped, unmapped and unregistered again by container 1: no
 * longer in the kernel's list, its pages unpinned), "other" (registered by container 1,
 * mapped by container 0: the kernel finds regions by mm) and "unreg" (never registered:
 * its mapping is refused, but only after the kernel has made it_userspace's level for it,
 * so it_userspace has a leaf level where the hardware table has none).  Mappings (VFIO_IOMMU_MAP_DMA) in the
 * MAPS table below: some host pages are mapped twice at different IOVAs (in one table and
 * in the tables of both containers), read-only, write-only and read-write, some mappings
 * are partly unmapped again (VFIO_IOMMU_UNMAP_DMA), and some the kernel refuses (an IOMMU
 * page larger than the region's pages: THP does not count, hugetlb does); what the kernel
 * did is the truth, refusals included.
 *
 * The truth goes to stdout, one record a line, "KIND key=value ...", numbers in hex with
 * 0x (decimal where said):
 *   info      page_size thp (the THP setting; unknown: the kernel has none) thp_size (the
 *             PMD size THP uses; 0: none) hugepage_size (0: no hugetlb pages; QEMU's
 *             powernv9 under TCG gives radix no 2M pages, powernv8's hash has 16M ones)
 *   device    dev group (decimal) container (decimal)
 *   container id (decimal) groups (decimal, comma-separated) dma32_start dma32_size
 *             pgsizes max_windows (decimal) levels (decimal: the most the kernel allows)
 *   window    container num (decimal: the container's table slot, 0 the default window)
 *             start size page_shift (decimal) levels (decimal) entries (window/IOMMU page)
 *   region    name kind (anon|thp|hugetlb) ua size entries (host pages) containers
 *             (decimal, comma-separated; "-" for none left) state (registered, gone:
 *             unregistered again, never)
 *             used (decimal: containers holding it, the kernel's mem->used) mapped (decimal:
 *             1 + live TCEs pointing into it, the kernel's mem->mapped; 0 when gone)
 *   page      region ua pfn flags (from /proc/kpageflags: thp, huge, head, tail, or "-")
 *                                        (every host page of every region)
 *   note      what could not be made, and why
 *   map       container num iova size ua region perm (r, w, rw) entries (decimal)
 *   refused   container num iova size ua region perm errno (decimal) why
 *   unmap     container num iova size
 *   unregister region ua size container
 *   entry     container num iova index (it_offset + position: iova >> page_shift) ua
 *             region pfn raw (the hardware TCE as the kernel writes it: hpa | 1 read
 *             | 2 write; a write-only mapping reads 3, pnv_tce_xchg adds read)
 *                                        (every live TCE, after all unmaps)
 *   READY                                (then it pause()s)
 * Host pfns come from /proc/self/pagemap, read after every pin (pinned pages do not move)
 * and read again just before READY: equal.  A failure prints "ERROR what: why" and exits 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define MAX_DEVS 8
#define NCONT 2
#define MAX_ENTRIES 65536

/* The dynamic windows: container 0's in two levels, with IOMMU pages of the host's page
 * size (64K when the region "huge" has hugetlb pages), container 1's in one level with 64K
 * IOMMU pages, which small pages of a 4K kernel cannot back. */
static const struct {
	unsigned page_shift;	/* 0: the host's page size, 16 with hugetlb */
	uint64_t size;
	unsigned levels;
} DDW[] = { { 0, 16 * GiB, 2 }, { 16, 1 * GiB, 1 } };

#define P_R 1
#define P_W 2
#define P_RW 3

enum { ANON, THP, HUGE, IDLE, GONE, OTHER, UNREG, NREGIONS };

struct region {
	const char *name;
	const char *kind;
	uint64_t size;		/* anon; THP and hugetlb: two big pages */
	uint64_t big;		/* THP: the PMD size; hugetlb: the huge page size */
	uint8_t *ua;
	unsigned containers;	/* registered with these (bits) */
	int present;		/* made (hugetlb may be unavailable) */
	int registered;		/* still registered at the end */
	int ever;		/* was registered */
};

static struct region regions[NREGIONS] = {
	[ANON] = { "anon", "anon", 1 * MiB },
	[THP] = { "thp", "thp", 0 },
	[HUGE] = { "huge", "hugetlb", 0 },
	[IDLE] = { "idle", "anon", 256 * KiB },
	[GONE] = { "gone", "anon", 256 * KiB },
	[OTHER] = { "other", "anon", 256 * KiB },
	[UNREG] = { "unreg", "anon", 256 * KiB },
};

struct window {
	int present;
	uint64_t start, size;
	unsigned page_shift, levels;
};

struct container {
	int fd;
	int groups[MAX_DEVS], ngroups;
	struct vfio_iommu_spapr_tce_info info;
	struct window win[2];
};

/* A mapping: region + offset at window + offset (IOMMU pages of that window); off and
 * size are bytes plus a number of the region's big pages. */
struct map {
	int cont, num;
	uint64_t iova_off;	/* from the window's start */
	int region;
	uint64_t off, size;
	int off_big, size_big;
	int perm;
	int unmap;		/* then unmap [unmap_off, unmap_off + unmap_size) of it */
	uint64_t unmap_off, unmap_size;
};

static const struct map MAPS[] = {
	/* container 0, default window (4K IOMMU pages) */
	{ 0, 0, 1 * MiB, ANON, 0, 256 * KiB, 0, 0, P_RW, 0, 0, 0 },
	{ 0, 0, 4 * MiB, ANON, 0, 64 * KiB, 0, 0, P_R, 0, 0, 0 },	/* the same pages again */
	{ 0, 0, 32 * MiB, ANON, 512 * KiB, 256 * KiB, 0, 0, P_RW, 1, 64 * KiB, 64 * KiB },
	{ 0, 0, 48 * MiB, ANON, 768 * KiB, 16 * KiB, 0, 0, P_W, 0, 0, 0 },
	{ 0, 0, 64 * MiB, THP, 0, 64 * KiB, 0, 1, P_RW, 0, 0, 0 },	/* a whole THP and a bit */
	{ 0, 0, 96 * MiB, HUGE, 0, 128 * KiB, 0, 0, P_RW, 0, 0, 0 },	/* hugetlb, 4K IOMMU pages */
	/* container 0, its two-level dynamic window */
	{ 0, 1, 0, HUGE, 0, 0, 0, 2, P_RW, 0, 0, 0 },
	{ 0, 1, 1 * GiB, ANON, 0, 256 * KiB, 0, 0, P_RW, 0, 0, 0 },	/* refused with hugetlb on 4K */
	{ 0, 1, 2 * GiB, THP, 0, 0, 0, 1, P_RW, 0, 0, 0 },	/* THP is not hugetlb: likewise */
	{ 0, 1, 8 * GiB, ANON, 0, 64 * KiB, 0, 0, P_R, 0, 0, 0 },	/* far: another leaf level */
	{ 0, 1, 12 * GiB, HUGE, 0, 256 * KiB, 1, 0, P_R, 0, 0, 0 },
	/* never registered: refused, after the kernel made it_userspace's leaf level for it */
	{ 0, 1, 14 * GiB, UNREG, 0, 64 * KiB, 0, 0, P_RW, 0, 0, 0 },
	/* registered by container 1 only: the kernel looks regions up by mm, not container */
	{ 0, 0, 128 * MiB, OTHER, 0, 128 * KiB, 0, 0, P_RW, 0, 0, 0 },
	/* container 1, its default window: the shared region again, and a region that goes */
	{ 1, 0, 1 * MiB, ANON, 0, 32 * KiB, 0, 0, P_RW, 0, 0, 0 },
	{ 1, 0, 8 * MiB, GONE, 0, 256 * KiB, 0, 0, P_RW, 1, 0, 256 * KiB },
	/* container 1, its 64K-page dynamic window: 4K small pages are refused */
	{ 1, 1, 0, ANON, 0, 256 * KiB, 0, 0, P_RW, 0, 0, 0 },
	{ 1, 1, 512 * MiB, THP, 0, 0, 0, 1, P_W, 0, 0, 0 },
};
#define NMAPS (sizeof(MAPS) / sizeof(MAPS[0]))

struct entry {
	int cont, num;
	uint64_t iova;
	uint8_t *ua;
	int region;
	int perm;
	int live;
	uint64_t pfn;		/* as printed */
};

static struct entry entries[MAX_ENTRIES];
static int nentries;
static struct container conts[NCONT];
static long page_size;
static int pagemap_fd = -1, kpageflags_fd = -1;

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	printf("ERROR ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", e ? strerror(e) : "failed");
	fflush(stdout);
	exit(1);
}

static uint64_t pfn_of(const void *va)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)va / (uintptr_t)page_size * 8);

	if (pread(pagemap_fd, &e, sizeof(e), off) != sizeof(e))
		fail("pread /proc/self/pagemap at 0x%jx", (uintmax_t)off);
	if (!(e & (1ULL << 63))) {
		errno = 0;
		fail("%p has no page (pagemap 0x%" PRIx64 ")", va, e);
	}
	e &= (1ULL << 55) - 1;
	if (!e) {
		errno = EPERM;
		fail("pagemap hides pfns (not root?)");
	}
	return e;
}

static void print_flags(uint64_t pfn)
{
	uint64_t f = 0;
	int any = 0;

	if (kpageflags_fd < 0 || pread(kpageflags_fd, &f, sizeof(f), (off_t)(pfn * 8)) != 8) {
		printf(" flags=unknown");
		return;
	}
	printf(" flags=");
	/* include/uapi/linux/kernel-page-flags.h */
	if (f & (1ULL << 22))
		printf("%sthp", any++ ? "," : "");
	if (f & (1ULL << 17))
		printf("%shuge", any++ ? "," : "");
	if (f & (1ULL << 15))
		printf("%shead", any++ ? "," : "");
	if (f & (1ULL << 16))
		printf("%stail", any++ ? "," : "");
	if (!any)
		printf("-");
}

static const char *perm_name(int perm)
{
	static const char *const names[] = { "none", "r", "w", "rw" };

	return names[perm & 3];
}

static void put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		fail("writing %s to %s", s, path);
	close(fd);
}

static void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	if (fd >= 0)
		close(fd);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every device vfio-pci holds, sorted, and its IOMMU group. */
static int find_devices(char **devs, int *groups)
{
	DIR *d = opendir("/sys/bus/pci/drivers/vfio-pci");
	struct dirent *de;
	int n = 0, i;

	if (!d)
		fail("/sys/bus/pci/drivers/vfio-pci (vfio-pci not loaded?)");
	while ((de = readdir(d)) && n < MAX_DEVS) {
		if (!strchr(de->d_name, ':'))
			continue;
		devs[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(devs, (size_t)n, sizeof(devs[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char path[512], link[512];
		ssize_t l;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", devs[i]);
		l = readlink(path, link, sizeof(link) - 1);
		if (l <= 0)
			fail("readlink %s", path);
		link[l] = 0;
		groups[i] = atoi(strrchr(link, '/') + 1);
	}
	return n;
}

static void open_container(struct container *c)
{
	c->fd = open("/dev/vfio/vfio", O_RDWR);
	if (c->fd < 0)
		fail("open /dev/vfio/vfio");
	if (ioctl(c->fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		fail("VFIO_GET_API_VERSION");
	if (ioctl(c->fd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) != 1)
		fail("VFIO_CHECK_EXTENSION VFIO_SPAPR_TCE_v2_IOMMU");
}

static void add_group(struct container *c, int group)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	fd = open(path, O_RDWR);
	if (fd < 0)
		fail("open %s", path);
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status))
		fail("VFIO_GROUP_GET_STATUS %s", path);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = 0;
		fail("group %d is not viable", group);
	}
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &c->fd))
		fail("VFIO_GROUP_SET_CONTAINER group %d", group);
	if (!c->ngroups && ioctl(c->fd, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		fail("VFIO_SET_IOMMU VFIO_SPAPR_TCE_v2_IOMMU");
	c->groups[c->ngroups++] = group;
}

static void make_region(struct region *r)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	uint64_t len = r->size;
	uint8_t *p;

	if (r == &regions[HUGE]) {
		if (!r->big) {
			printf("note region=huge not made: the kernel has no hugetlb pages\n");
			return;
		}
		flags |= MAP_HUGETLB;
		len = r->size = 2 * r->big;
	}
	if (r == &regions[THP]) {
		r->size = 2 * r->big;
		len = r->size + r->big;		/* room to align to a PMD */
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		if (r == &regions[HUGE]) {
			printf("note region=huge not made: mmap(MAP_HUGETLB): %s\n", strerror(errno));
			return;
		}
		fail("mmap of region %s", r->name);
	}
	if (r == &regions[THP]) {
		p = (uint8_t *)(((uintptr_t)p + r->big - 1) & ~(uintptr_t)(r->big - 1));
		if (madvise(p, r->size, MADV_HUGEPAGE))
			fail("madvise(MADV_HUGEPAGE) of region thp");
	} else if (r != &regions[HUGE] && madvise(p, r->size, MADV_NOHUGEPAGE)) {
		fail("madvise(MADV_NOHUGEPAGE) of region %s", r->name);
	}
	for (uint64_t off = 0; off < r->size; off += (uint64_t)page_size)
		p[off] = (uint8_t)(off >> 12 | 1);
	r->ua = p;
	r->present = 1;
}

static void register_region(int ci, struct region *r)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)r->ua, .size = r->size,
	};

	if (ioctl(conts[ci].fd, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		fail("VFIO_IOMMU_SPAPR_REGISTER_MEMORY %s in container %d", r->name, ci);
	r->containers |= 1u << ci;
	r->registered = 1;
	r->ever = 1;
}

static void unregister_region(int ci, struct region *r)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = (uintptr_t)r->ua, .size = r->size,
	};

	if (ioctl(conts[ci].fd, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg))
		fail("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY %s in container %d", r->name, ci);
	r->containers &= ~(1u << ci);
	r->registered = r->containers != 0;
	printf("unregister region=%s ua=%p size=0x%" PRIx64 " container=%d\n", r->name,
	       (void *)r->ua, r->size, ci);
}

static void do_map(const struct map *m)
{
	struct container *c = &conts[m->cont];
	struct window *w = &c->win[m->num];
	struct region *r = &regions[m->region];
	uint64_t iova = w->start + m->iova_off, pg = 1ULL << w->page_shift, off;
	uint64_t moff = m->off + (uint64_t)m->off_big * r->big;
	uint64_t msize = m->size + (uint64_t)m->size_big * r->big;
	struct vfio_iommu_type1_dma_map dm = {
		.argsz = sizeof(dm),
		.flags = (m->perm & P_R ? VFIO_DMA_MAP_FLAG_READ : 0) |
			 (m->perm & P_W ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = (uintptr_t)(r->ua + moff),
		.iova = iova,
		.size = msize,
	};

	if (!r->present)
		return;
	if (ioctl(c->fd, VFIO_IOMMU_MAP_DMA, &dm)) {
		int e = errno;

		printf("refused container=%d num=%d iova=0x%" PRIx64 " size=0x%" PRIx64
		       " ua=%p region=%s perm=%s errno=%d why=%s\n", m->cont, m->num, iova,
		       msize, (void *)(r->ua + moff), r->name, perm_name(m->perm), e,
		       strerror(e));
		return;
	}
	printf("map container=%d num=%d iova=0x%" PRIx64 " size=0x%" PRIx64
	       " ua=%p region=%s perm=%s entries=%" PRIu64 "\n", m->cont, m->num, iova, msize,
	       (void *)(r->ua + moff), r->name, perm_name(m->perm), msize / pg);
	for (off = 0; off < msize; off += pg) {
		struct entry *e;

		if (nentries == MAX_ENTRIES) {
			errno = 0;
			fail("more than %d entries", MAX_ENTRIES);
		}
		e = &entries[nentries++];
		e->cont = m->cont;
		e->num = m->num;
		e->iova = iova + off;
		e->ua = r->ua + moff + off;
		e->region = m->region;
		e->perm = m->perm;
		e->live = 1;
	}
	if (m->unmap) {
		struct vfio_iommu_type1_dma_unmap du = {
			.argsz = sizeof(du), .iova = iova + m->unmap_off, .size = m->unmap_size,
		};
		int i;

		if (ioctl(c->fd, VFIO_IOMMU_UNMAP_DMA, &du))
			fail("VFIO_IOMMU_UNMAP_DMA container %d iova 0x%" PRIx64, m->cont,
			     (uint64_t)du.iova);
		printf("unmap container=%d num=%d iova=0x%" PRIx64 " size=0x%" PRIx64 "\n",
		       m->cont, m->num, (uint64_t)du.iova, (uint64_t)du.size);
		for (i = 0; i < nentries; i++)
			if (entries[i].cont == m->cont && entries[i].num == m->num &&
			    entries[i].iova >= du.iova && entries[i].iova < du.iova + du.size)
				entries[i].live = 0;
	}
}

static void make_ddw(int ci)
{
	struct container *c = &conts[ci];
	struct vfio_iommu_spapr_tce_create create = {
		.argsz = sizeof(create), .page_shift = DDW[ci].page_shift,
		.window_size = DDW[ci].size, .levels = DDW[ci].levels,
	};

	if (!create.page_shift)
		create.page_shift = regions[HUGE].present ? 16 : (unsigned)__builtin_ctzl(page_size);
	if (!(c->info.ddw.pgsizes & (1ULL << create.page_shift))) {
		errno = 0;
		fail("no IOMMU pages of shift %u for a dynamic window (pgsizes 0x%llx)",
		     create.page_shift, (unsigned long long)c->info.ddw.pgsizes);
	}
	if (ioctl(c->fd, VFIO_IOMMU_SPAPR_TCE_CREATE, &create))
		fail("VFIO_IOMMU_SPAPR_TCE_CREATE in container %d", ci);
	c->win[1] = (struct window){ 1, create.start_addr, DDW[ci].size, create.page_shift,
				     DDW[ci].levels };
}

int main(void)
{
	char *devs[MAX_DEVS], buf[256];
	int groups[MAX_DEVS], ndev, i, ci;
	uint64_t hugepage = 0, thp_size;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0)
		fail("open /proc/self/pagemap");
	kpageflags_fd = open("/proc/kpageflags", O_RDONLY);
	slurp("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));
	{
		char *l = strchr(buf, '['), *r = l ? strchr(l, ']') : NULL;

		if (l && r) {
			*r = 0;
			memmove(buf, l + 1, strlen(l + 1) + 1);
		}
	}
	{
		FILE *f = fopen("/proc/meminfo", "r");
		char line[128];

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "Hugepagesize: %" SCNu64, &hugepage) == 1)
				hugepage *= KiB;
		if (f)
			fclose(f);
	}
	{
		char pmd[32];

		slurp("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", pmd, sizeof(pmd));
		thp_size = strtoull(pmd, NULL, 0);
	}
	printf("info page_size=0x%lx thp=%s thp_size=0x%" PRIx64 " hugepage_size=0x%" PRIx64 "\n",
	       page_size, buf[0] ? buf : "unknown", thp_size, hugepage);
	/* Without THP the region is still made, of small pages, in 2M blocks. */
	regions[THP].big = thp_size ? thp_size : 2 * MiB;
	regions[HUGE].big = hugepage;
	if (hugepage)
		put("/proc/sys/vm/nr_hugepages", "4");

	ndev = find_devices(devs, groups);
	if (ndev < 2) {
		errno = ENODEV;
		fail("%d device(s) bound to vfio-pci, two or more needed", ndev);
	}
	for (ci = 0; ci < NCONT; ci++)
		open_container(&conts[ci]);
	for (i = 0; i < ndev; i++) {
		ci = i == 1 ? 1 : 0;
		add_group(&conts[ci], groups[i]);
		printf("device dev=%s group=%d container=%d\n", devs[i], groups[i], ci);
	}
	for (ci = 0; ci < NCONT; ci++) {
		struct container *c = &conts[ci];

		c->info.argsz = sizeof(c->info);
		if (ioctl(c->fd, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &c->info))
			fail("VFIO_IOMMU_SPAPR_TCE_GET_INFO container %d", ci);
		printf("container id=%d groups=", ci);
		for (i = 0; i < c->ngroups; i++)
			printf("%s%d", i ? "," : "", c->groups[i]);
		printf(" dma32_start=0x%x dma32_size=0x%x pgsizes=0x%llx max_windows=%u levels=%u\n",
		       c->info.dma32_window_start, c->info.dma32_window_size,
		       (unsigned long long)c->info.ddw.pgsizes,
		       c->info.ddw.max_dynamic_windows_supported, c->info.ddw.levels);
		/* The kernel makes this window (slot 0, 4K pages, one level) on first use. */
		c->win[0] = (struct window){ 1, c->info.dma32_window_start,
					     c->info.dma32_window_size, 12, 1 };
	}

	for (i = 0; i < NREGIONS; i++)
		make_region(&regions[i]);
	register_region(0, &regions[ANON]);
	register_region(1, &regions[ANON]);
	register_region(0, &regions[THP]);
	if (regions[HUGE].present)
		register_region(0, &regions[HUGE]);
	register_region(0, &regions[IDLE]);
	register_region(1, &regions[GONE]);
	register_region(1, &regions[OTHER]);

	for (ci = 0; ci < NCONT; ci++)
		make_ddw(ci);
	for (ci = 0; ci < NCONT; ci++)
		for (i = 0; i < 2; i++) {
			struct window *w = &conts[ci].win[i];

			if (w->present)
				printf("window container=%d num=%d start=0x%" PRIx64 " size=0x%" PRIx64
				       " page_shift=%u levels=%u entries=0x%" PRIx64 "\n", ci, i,
				       w->start, w->size, w->page_shift, w->levels,
				       w->size >> w->page_shift);
		}

	for (i = 0; i < (int)NMAPS; i++)
		do_map(&MAPS[i]);
	unregister_region(1, &regions[GONE]);

	for (i = 0; i < NREGIONS; i++) {
		struct region *r = &regions[i];
		unsigned used = 0, mapped = 0, c;
		int k, first = 1;

		if (!r->present)
			continue;
		for (c = 0; c < NCONT; c++)
			used += (r->containers >> c) & 1;
		for (k = 0; k < nentries; k++)
			mapped += entries[k].live && entries[k].region == i;
		printf("region name=%s kind=%s ua=%p size=0x%" PRIx64 " entries=0x%" PRIx64
		       " containers=", r->name, r->kind, (void *)r->ua, r->size,
		       r->size / (uint64_t)page_size);
		for (c = 0; c < NCONT; c++)
			if (r->containers & (1u << c)) {
				printf("%s%u", first ? "" : ",", c);
				first = 0;
			}
		printf("%s state=%s used=%u mapped=%u\n", first ? "-" : "",
		       r->registered ? "registered" : r->ever ? "gone" : "never", used,
		       r->registered ? 1 + mapped : 0);
	}
	for (i = 0; i < NREGIONS; i++) {
		struct region *r = &regions[i];

		if (!r->present)
			continue;
		for (uint64_t off = 0; off < r->size; off += (uint64_t)page_size) {
			uint64_t pfn = pfn_of(r->ua + off);

			printf("page region=%s ua=%p pfn=0x%" PRIx64, r->name, (void *)(r->ua + off), pfn);
			print_flags(pfn);
			printf("\n");
		}
	}
	for (i = 0; i < nentries; i++) {
		struct entry *e = &entries[i];
		struct window *w = &conts[e->cont].win[e->num];
		uint64_t pfn, hpa;
		int bits;

		if (!e->live)
			continue;
		pfn = e->pfn = pfn_of(e->ua);
		hpa = pfn * (uint64_t)page_size + ((uintptr_t)e->ua & (uintptr_t)(page_size - 1));
		bits = e->perm & P_W ? P_RW : e->perm;
		printf("entry container=%d num=%d iova=0x%" PRIx64 " index=0x%" PRIx64
		       " ua=%p region=%s pfn=0x%" PRIx64 " raw=0x%" PRIx64 " perm=%s\n", e->cont,
		       e->num, e->iova, e->iova >> w->page_shift, (void *)e->ua,
		       regions[e->region].name, pfn, hpa | (uint64_t)bits, perm_name(e->perm));
	}
	/* Pinned pages do not move: the pfns are the same as when they were printed. */
	for (i = 0; i < nentries; i++)
		if (entries[i].live && pfn_of(entries[i].ua) != entries[i].pfn) {
			errno = 0;
			fail("%p moved from pfn 0x%" PRIx64 " while pinned", (void *)entries[i].ua,
			     entries[i].pfn);
		}
	printf("READY\n");
	fflush(stdout);
	for (;;)
		pause();
}
