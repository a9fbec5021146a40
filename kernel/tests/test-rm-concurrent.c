// SPDX-License-Identifier: GPL-2.0-only
/*
 * The series' lock-free readers against their writers, under
 * ThreadSanitizer: the shipped realmode_page.c, book3s_64_vio_hv.c and the
 * shipped init_64.c and book3s_64_vio.c code (tests/shipped.sh), with
 *
 * - a hotplug thread adding and removing vmemmap blocks through
 *   vmemmap_list_populate() / vmemmap_list_free() (serialised among
 *   themselves, as the memory hotplug lock does), now and then with an
 *   allocation failing, while two threads translate random pfns with
 *   realmode_pfn_to_page() and read the struct page they get (each carries
 *   its own pfn, written before the block was published) and take and drop
 *   a reference on it;
 * - a "userspace" thread creating TCE tables, allocating their pages with
 *   kvm_spapr_get_tce_page() and releasing them with kvm_spapr_tce_release()
 *   (which frees them, call_rcu() being immediate: real mode is no RCU
 *   reader), while two "vcpu" threads issue the real-mode H_PUT_TCE,
 *   H_PUT_TCE_INDIRECT and H_STUFF_TCE under kvm->srcu, as guest entry holds
 *   it.
 *
 * ThreadSanitizer reports any access not ordered after the write it reads
 * and any use of freed memory, and the process then exits non-zero; so does
 * a wrong struct page or an hcall answer no handler may give.  Each fixed
 * point of the series makes it fail when dropped (tests/mutants.sh does it
 * in a scratch copy, one at a time): a release or acquire of the index
 * (root, node, leaf), a fallback to the walk of vmemmap_list in real mode,
 * the release that publishes a table page, and the synchronize_srcu() in
 * kvm_spapr_tce_release().  Built with -DSHIM_PAGE_SHIFT=12: 4K blocks and
 * index nodes keep the memory small, as removed blocks are kept (whoever
 * translates must keep the memory online; nobody here does, so blocks are
 * never reused under a reader).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include <shim/kvm.h>
#include <asm/realmode_page.h>

#include "init_64-vmemmap.c"
#include "book3s_64_vio-tables.c"

#define SZ		sizeof(struct page)
#define VBASE		((unsigned long)vmemmap)
#define BLOCK_SHIFT	12
#define BLOCK		(1UL << BLOCK_SHIFT)
#define NBLK		64UL
#define PFNS		(NBLK * BLOCK / SZ)
#define HOTPLUG_STEPS	3000
#define TABLES		400

static int done;		/* writers finished (atomic) */
static unsigned long errors;	/* atomic */

static void fail(const char *what, unsigned long a, unsigned long b)
{
	fprintf(stderr, "test-rm-concurrent: %s (%#lx, %#lx)\n", what, a, b);
	__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
}

/* ---- the vmemmap index ---- */

static void *hotplug(void *arg)
{
	unsigned int seed = 1;
	bool online[NBLK] = { false };
	unsigned long step, k, i;

	(void)arg;
	for (step = 0; step < HOTPLUG_STEPS; step++) {
		unsigned long start;
		struct page *blk;

		k = rand_r(&seed) % NBLK;
		start = VBASE + k * BLOCK;
		if (online[k]) {
			/* The block stays allocated: readers may hold it. */
			if (!vmemmap_list_free(start))
				fail("vmemmap_list_free found no entry", k, 0);
			online[k] = false;
			continue;
		}
		if (step % 400 == 399)
			shim_alloc_fail_after = 1 + rand_r(&seed) % 3;
		blk = vmemmap_alloc_block(BLOCK, 0);
		if (!blk)
			continue;
		for (i = 0; i < BLOCK / SZ; i++) {
			blk[i].flags = k * (BLOCK / SZ) + i;
			atomic_set(&blk[i]._refcount, 1);
		}
		if (vmemmap_list_populate(__pa(blk), start, 0))
			continue;	/* hot-add failed */
		online[k] = true;
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *translate(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg;
	unsigned long hits = 0, n = 0;

	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE) || n < 100000) {
		unsigned long pfn = rand_r(&seed) % (PFNS + 64);
		struct page *p = realmode_pfn_to_page(pfn);

		n++;
		if (!p)
			continue;
		hits++;
		if (pfn >= PFNS)
			fail("a pfn beyond every block translated", pfn, 0);
		else if (p->flags != pfn)
			fail("wrong struct page", pfn, p->flags);
		if (realmode_get_page(p) == 0 && realmode_put_page(p))
			fail("a reference taken could not be dropped", pfn, 0);
	}
	if (!hits)
		fail("no translation ever hit", n, 0);
	return NULL;
}

/* ---- TCE tables ---- */

#define LIST_GPA	0x200000UL
#define GUEST_RAM	(1UL << 30)
#define GUEST_HVA	0x7e0000000000UL
#define WIN_PAGES	3UL
#define WIN_SIZE	(WIN_PAGES * TCES_PER_PAGE)

static struct kvm kvm;
static struct mm_struct mm;
static __be64 *list;
static int tables_done;	/* atomic */

static struct kvmppc_spapr_tce_table *new_table(unsigned long liobn)
{
	struct kvmppc_spapr_tce_table *stt;

	stt = calloc(1, sizeof(*stt) + WIN_PAGES * sizeof(struct page *));
	if (!stt)
		abort();
	stt->kvm = &kvm;
	stt->liobn = liobn;
	stt->page_shift = 12;
	stt->offset = 0;
	stt->size = WIN_SIZE;
	INIT_LIST_HEAD(&stt->iommu_tables);
	mutex_init(&stt->alloc_lock);
	account_locked_vm(kvm.mm, kvmppc_stt_pages(kvmppc_tce_pages(WIN_SIZE)),
			  true);
	/* kvm_vm_ioctl_create_spapr_tce(): published under kvm->lock. */
	mutex_lock(&kvm.lock);
	list_add_rcu(&stt->list, &kvm.arch.spapr_tce_tables);
	mutex_unlock(&kvm.lock);
	return stt;
}

static void *userspace(void *arg)
{
	struct inode inode = { 0 };
	struct file file;
	unsigned long t, i;

	(void)arg;
	for (t = 0; t < TABLES; t++) {
		struct kvmppc_spapr_tce_table *stt = new_table(1 + t % 2);

		/* Table pages appear while the vcpus use the table. */
		for (i = 0; i < WIN_PAGES; i++) {
			sched_yield();
			if (!kvm_spapr_get_tce_page(stt, i))
				fail("kvm_spapr_get_tce_page", t, i);
		}
		sched_yield();
		file.private_data = stt;
		kvm_spapr_tce_release(&inode, &file);
	}
	__atomic_store_n(&tables_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *vcpu_run(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg;
	struct kvm_vcpu vcpu = { .kvm = &kvm };
	unsigned long ok = 0, n = 0;

	while (!__atomic_load_n(&tables_done, __ATOMIC_ACQUIRE) || n < 20000) {
		unsigned long liobn = 1 + rand_r(&seed) % 2;
		unsigned long entry = rand_r(&seed) % (WIN_SIZE - 8);
		unsigned long ioba = entry << 12;
		long ret;
		int idx;

		n++;
		/* kvmppc_run_core(): guest entry holds kvm->srcu. */
		idx = srcu_read_lock(&kvm.srcu);
		switch (rand_r(&seed) % 3) {
		case 0:
			ret = kvmppc_rm_h_put_tce(&vcpu, liobn, ioba,
						  (entry << 12) | TCE_PCI_READ);
			break;
		case 1:
			ret = kvmppc_rm_h_put_tce_indirect(&vcpu, liobn, ioba,
							   LIST_GPA, 8);
			break;
		default:
			ret = kvmppc_rm_h_stuff_tce(&vcpu, liobn, ioba, 0, 8);
			break;
		}
		srcu_read_unlock(&kvm.srcu, idx);
		if (ret == H_SUCCESS)
			ok++;
		else if (ret != H_TOO_HARD)
			fail("an hcall answer no handler may give", ioba, ret);
	}
	if (!ok)
		fail("no hcall ever completed in real mode", n, 0);
	return NULL;
}

int main(void)
{
	pthread_t t[6];
	unsigned long i;

	mmu_vmemmap_psize = 3;
	mmu_psize_defs[3].shift = BLOCK_SHIFT;

	mutex_init(&kvm.lock);
	INIT_LIST_HEAD(&kvm.arch.spapr_tce_tables);
	kvm.mm = &mm;
	kvm.memslots.slots[0].npages = GUEST_RAM >> PAGE_SHIFT;
	kvm.memslots.slots[0].userspace_addr = GUEST_HVA;
	kvm.memslots.used = 1;
	if (posix_memalign((void **)&list, PAGE_SIZE, PAGE_SIZE))
		abort();
	for (i = 0; i < 8; i++)
		list[i] = cpu_to_be64(((i + 1) << 12) | TCE_PCI_WRITE);
	mm.hva[0] = GUEST_HVA + LIST_GPA;
	mm.pte[0].pte = ((unsigned long)list >> PAGE_SHIFT) <<
			SHIM_PTE_RPN_SHIFT | SHIM_PTE_PRESENT;
	mm.used = 1;

	pthread_create(&t[0], NULL, hotplug, NULL);
	pthread_create(&t[1], NULL, translate, (void *)1UL);
	pthread_create(&t[2], NULL, translate, (void *)2UL);
	pthread_create(&t[3], NULL, userspace, NULL);
	pthread_create(&t[4], NULL, vcpu_run, (void *)3UL);
	pthread_create(&t[5], NULL, vcpu_run, (void *)4UL);
	for (i = 0; i < 6; i++)
		pthread_join(t[i], NULL);

	if (shim_kvm_puts != TABLES)
		fail("kvm_put_kvm() calls", shim_kvm_puts, TABLES);
	if (shim_locked_vm)
		fail("locked_vm left accounted", shim_locked_vm, 0);
	if (!list_empty(&kvm.arch.spapr_tce_tables))
		fail("a table left on the list", 0, 0);
	printf("%s: %lu errors\n", errors ? "FAIL" : "PASS", errors);
	return errors ? 1 : 0;
}
