/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structures of a Linux 6.12 ppc64 kernel (Debian 13's config: PPC64, PPC_BOOK3S_64,
 * KVM_BOOK3S_HV_POSSIBLE, IOMMU_API, PCI_IOV, DEBUG_FS, no lock debugging) that the
 * forge lays out and that TCE table walkers read, declared here from reading the 6.12
 * source (linux-source-6.12): arch/powerpc/include/asm/iommu.h,
 * arch/powerpc/include/asm/kvm_host.h, include/linux/kvm_host.h,
 * include/linux/mm_types.h, arch/powerpc/platforms/powernv/pci.h,
 * arch/powerpc/include/asm/pci-bridge.h, include/linux/module.h, include/linux/sysfs.h.
 * It is kernel-6.1-types.h with 6.12's changes to what the forge writes: struct page
 * without the compound fields of the first tail page (they moved to struct folio),
 * pci_controller's one more controller op and its struct iommu_device, pnv_phb's ioda
 * without dma32_count and dma32_segmap, kvm_arch's one more word before radix, mm_struct's
 * cache-line-aligned mm_count first, struct kvm's shorter tail, struct module's mem[]
 * (struct module_memory) in place of core_layout and init_layout, and bin_attribute's
 * llseek.  The same conventions: members in the kernel's order with the kernel's types,
 * a run the forge never touches is a char array __pad_<start>_<end> (byte offsets) whose
 * comment names the members it replaces, and every offset relied on is asserted at the
 * end with the value read from Debian's 6.12.107+deb13-powerpc64le vmlinux and kvm.ko
 * DWARF (`tce-inspect types`; the -64k flavour has the same offsets for all of them).
 *
 * Used like kernel-6.1-types.h: compiled with -g by the cross compiler into the forge's
 * vmlinux-like debug file of a 6.12-shaped dump, and included by fk-tables-6.12.c (which
 * compiles fk-tables.c in the 6.12 shape).  Include nothing else before it in a file that
 * uses <elf.h> or <linux/types.h>.
 */
#ifndef TCE_FORGE_KERNEL_612_TYPES_H
#define TCE_FORGE_KERNEL_612_TYPES_H

/* ------------------------------------------------------------ include/linux/types.h */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef __u64 __be64;
#ifndef __bool_true_false_are_defined /* <stdbool.h> makes bool _Bool already */
typedef _Bool bool;
#endif
typedef u64 resource_size_t;
typedef u64 gfn_t;
typedef int pid_t;

typedef struct {
	int counter;
} atomic_t;
typedef struct {
	long counter;
} atomic64_t;
typedef atomic64_t atomic_long_t;
typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

struct kref {
	refcount_t refcount;
};

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

/* rcu_head is #defined to callback_head (include/linux/types.h) */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
} __attribute__((aligned(sizeof(void *))));
#define rcu_head callback_head

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

/* spinlock_t without DEBUG_SPINLOCK / DEBUG_LOCK_ALLOC: arch_spinlock_t's slock */
typedef struct {
	volatile unsigned int slock;
} arch_spinlock_t;
typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;
typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

struct optimistic_spin_queue {
	atomic_t tail;
};

struct mutex {
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	struct optimistic_spin_queue osq;
	struct list_head wait_list;
};

/* ------------------------------------------------------------ mm */

struct address_space;
struct mem_section_usage;

/*
 * struct page (include/linux/mm_types.h), 64 bytes (SIZE(page)=64): the page-cache words
 * and the tail pages' compound_head of the first union, _mapcount, _refcount,
 * memcg_data.  6.12 keeps a compound page's order in struct folio (the first tail page's
 * _flags_1), not here.  The other union members only alias these words.
 */
struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			struct address_space *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {
			unsigned long compound_head;
		};
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
};

/*
 * struct folio (include/linux/mm_types.h), its head page and the first tail page's
 * fields: _pincount counts the FOLL_PIN pins of a large folio.
 */
struct folio {
	struct page page;
	unsigned long _flags_1;
	unsigned long _head_1;
	atomic_t _large_mapcount;
	atomic_t _entire_mapcount;
	atomic_t _nr_pages_mapped;
	atomic_t _pincount;
	unsigned int _folio_nr_pages;
};

/* asm/book3s/64/pgalloc.h */
struct vmemmap_backing {
	struct vmemmap_backing *list;
	unsigned long phys;
	unsigned long virt_addr;
};

#define MMU_PAGE_COUNT 16
/* asm/book3s/64/mmu.h */
struct mmu_psize_def {
	unsigned int shift;
	int penc[MMU_PAGE_COUNT];
	unsigned int tlbiel;
	unsigned long avpnm;
	unsigned long h_rpt_pgsize;
	union {
		unsigned long sllp;
		unsigned long ap;
	};
};

/*
 * include/linux/mmzone.h, as the forge writes it (SIZE(mem_section)=16, no
 * PAGE_EXTENSION).  Debian's real 6.1 build has PAGE_EXTENSION: page_ext and pad follow
 * usage there, 32 bytes in all.
 */
struct mem_section {
	unsigned long section_mem_map;
	struct mem_section_usage *usage;
};

/* ------------------------------------------------------------ arch/powerpc/include/asm/iommu.h */

struct iommu_table;
struct iommu_table_ops;
struct iommu_table_group_ops;
struct iommu_group;

#define IOMMU_POOL_HASHBITS 2
#define IOMMU_NR_POOLS (1 << IOMMU_POOL_HASHBITS)
/* ____cacheline_aligned_in_smp: L1_CACHE_BYTES is 128 on ppc64 */
#define FK_CACHELINE_ALIGNED __attribute__((aligned(128)))

struct iommu_pool {
	unsigned long start;
	unsigned long end;
	unsigned long hint;
	spinlock_t lock;
} FK_CACHELINE_ALIGNED;

struct iommu_table {
	unsigned long it_busno;
	unsigned long it_size;
	unsigned long it_indirect_levels;
	unsigned long it_level_size;
	unsigned long it_allocated_size;
	unsigned long it_offset;
	unsigned long it_base;
	unsigned long it_index;
	unsigned long it_type;
	unsigned long it_blocksize;
	unsigned long poolsize;
	unsigned long nr_pools;
	struct iommu_pool large_pool;
	struct iommu_pool pools[IOMMU_NR_POOLS];
	unsigned long *it_map;
	unsigned long it_page_shift;
	struct list_head it_group_list;
	__be64 *it_userspace;
	struct iommu_table_ops *it_ops;
	struct kref it_kref;
	int it_nid;
	unsigned long it_reserved_start;
	unsigned long it_reserved_end;
};

#define IOMMU_TABLE_GROUP_MAX_TABLES 2

struct iommu_table_group_link {
	struct list_head next;
	struct rcu_head rcu;
	struct iommu_table_group *table_group;
};

struct iommu_table_group {
	__u32 tce32_start;
	__u32 tce32_size;
	__u64 pgsizes;
	__u32 max_dynamic_windows_supported;
	__u32 max_levels;
	struct iommu_group *group;
	struct iommu_table *tables[IOMMU_TABLE_GROUP_MAX_TABLES];
	struct iommu_table_group_ops *ops;
};

/* asm/tce.h */
#define TCE_PCI_WRITE 0x2
#define TCE_PCI_READ 0x1
/* it_type (asm/iommu.h: TCE_VB 0, TCE_PCI 1) */
#define TCE_PCI 1

/* ------------------------------------------------------------ asm/pci-bridge.h */

struct pci_bus;
struct device_node;
struct device;
struct pci_ops;
struct pci_dn;
struct irq_domain;
struct fwnode_handle;
struct pci_dev;
struct dentry;

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

struct pci_controller {
	struct pci_bus *bus;
	char is_dynamic;
	int node;
	struct device_node *dn;
	struct list_head list_node;
	struct device *parent;
	int first_busno;
	int last_busno;
	int self_busno;
	struct resource busn;
	void *io_base_virt;
	void *io_base_alloc;
	resource_size_t io_base_phys;
	resource_size_t pci_io_size;
	resource_size_t isa_mem_phys;
	resource_size_t isa_mem_size;
	/* controller_ops: struct pci_controller_ops, 14 function pointers */
	char __pad_176_288[112];
	struct pci_ops *ops;
	unsigned int *cfg_addr;
	void *cfg_data;
	u32 indirect_type;
	struct resource io_resource;
	struct resource mem_resources[3];
	resource_size_t mem_offset[3];
	int global_number;
	resource_size_t dma_window_base_cur;
	resource_size_t dma_window_size;
	unsigned long buid;
	struct pci_dn *pci_data;
	void *private_data;
	struct irq_domain *dev_domain;
	struct irq_domain *msi_domain;
	struct fwnode_handle *fwnode;
	/* iommu: struct iommu_device (list, ops, fwnode, dev, singleton_group,
	 * max_pasids) */
	char __pad_672_728[56];
};

/* ------------------------------------------------------------ platforms/powernv/pci.h */

enum pnv_phb_type {
	PNV_PHB_IODA2,
	PNV_PHB_NPU_OCAPI,
};

enum pnv_phb_model {
	PNV_PHB_MODEL_UNKNOWN,
	PNV_PHB_MODEL_P7IOC,
	PNV_PHB_MODEL_PHB3,
};

struct pnv_phb;

struct pnv_ioda_pe {
	unsigned long flags;
	struct pnv_phb *phb;
	int device_count;
	struct pci_dev *parent_dev; /* PCI_IOV */
	struct pci_dev *pdev;
	struct pci_bus *pbus;
	unsigned int rid;
	unsigned int pe_number;
	struct iommu_table_group table_group;
	bool tce_bypass_enabled;
	u64 tce_bypass_base; /* uint64_t in the source */
	bool dma_setup_done;
	int mve_number;
	struct pnv_ioda_pe *master;
	struct list_head slaves;
	struct list_head list;
};

struct msi_bitmap {
	struct device_node *of_node;
	unsigned long *bitmap;
	spinlock_t lock;
	unsigned int irq_count;
	bool bitmap_from_slab;
};

struct pnv_phb {
	struct pci_controller *hose;
	enum pnv_phb_type type;
	enum pnv_phb_model model;
	u64 hub_id;
	u64 opal_id;
	int flags;
	void *regs;
	u64 regs_phys;
	spinlock_t lock;
	int has_dbgfs; /* DEBUG_FS */
	struct dentry *dbgfs;
	unsigned int msi_base;
	struct msi_bitmap msi_bmp;
	int (*init_m64)(struct pnv_phb *phb);
	int (*get_pe_state)(struct pnv_phb *phb, int pe_no);
	void (*freeze_pe)(struct pnv_phb *phb, int pe_no);
	int (*unfreeze_pe)(struct pnv_phb *phb, int pe_no, int opt);
	struct {
		unsigned int total_pe_num;
		unsigned int reserved_pe_idx;
		unsigned int root_pe_idx;
		unsigned int m32_size;
		unsigned int m32_segsize;
		unsigned int m32_pci_base;
		unsigned int m64_bar_idx;
		unsigned long m64_size;
		unsigned long m64_segsize;
		unsigned long m64_base;
		unsigned long m64_bar_alloc;
		unsigned int io_size;
		unsigned int io_segsize;
		unsigned int io_pci_base;
		struct mutex pe_alloc_mutex;
		unsigned long *pe_alloc;
		struct pnv_ioda_pe *pe_array;
		unsigned int *m64_segmap;
		unsigned int *m32_segmap;
		unsigned int *io_segmap;
		int irq_chip_init;
		/* irq_chip: struct irq_chip, 264 bytes at ioda+160 */
		char __pad_304_568[264];
		struct list_head pe_list;
		struct mutex pe_list_mutex;
		unsigned int pe_rmap[0x10000];
	} ioda;
	unsigned int diag_data_size;
	u8 *diag_data;
};

/* ------------------------------------------------------------ arch/powerpc/include/asm/kvm_host.h */

struct kvm;

/* Only kvm.ko's DWARF describes these (Debian's vmlinux has struct kvm, not them): the
 * forge's vmlinux of a modular KVM leaves them out (FK_MODULE_TYPES_ONLY_IN_KO), its
 * kvm.ko has them. */
#ifndef FK_MODULE_TYPES_ONLY_IN_KO
struct kvmppc_spapr_tce_iommu_table {
	struct rcu_head rcu;
	struct list_head next;
	struct iommu_table *tbl;
	struct kref kref;
};

struct kvmppc_spapr_tce_table {
	struct list_head list;
	struct kvm *kvm;
	u64 liobn;
	struct rcu_head rcu;
	u32 page_shift;
	u64 offset; /* in pages */
	u64 size;   /* window size in pages */
	struct list_head iommu_tables;
	struct mutex alloc_lock;
	struct page *pages[];
};
#endif

struct kvm_arch {
	unsigned int lpid;
	unsigned int smt_mode;
	unsigned int emul_smt_mode;
	unsigned int tlb_sets;
	/* hpt, mmio_update, host_lpid, host_lpcr, sdr1, host_sdr1, lpcr, vrma_slb_v,
	 * mmu_ready, vcpus_running, online_vcores, hpte_mod_interest, need_tlb_flush
	 * (6.12: a word more) */
	char __pad_16_376[360];
	u8 radix;
	/* fwnmi_enabled, secure_guest, svm_enabled, nested_enable, dawr1_enabled */
	char __pad_377_384[7];
	void *pgtable; /* pgd_t * */
	u64 process_table;
	struct kvm_resize_hpt *resize_hpt;
	struct list_head spapr_tce_tables;
	struct list_head rtas_tokens;
	/* rtas_token_lock, enabled_hcalls, xics, xics_device, xive, xive_devices, pimap,
	 * kvm_ops, uvmem_lock, uvmem_pfns, mmu_setup_lock, l1_ptcr,
	 * kvm_nested_guest_idr, vcores[] */
	char __pad_440_17064[16624];
};

/* ------------------------------------------------------------ include/linux/mm_types.h */

/* book3s64's pgd_t (asm/book3s/64/pgtable-be-types.h): a big-endian word */
typedef struct {
	__be64 pgd;
} pgd_t;

/* asm/book3s/64/mmu.h: the members before iommu_group_mem_list (id, extended_id,
 * active_cpus, copros, vas_windows, hash_context, vdso, pte_frag, pmd_frag) and after
 * it (pkey_allocation_map, execute_only_pkey) left out */
typedef struct {
	char __pad_0_56[56];
	struct list_head iommu_group_mem_list;
	char __pad_72_80[8];
} mm_context_t;

/* The members of struct mm_struct sit in an anonymous struct (followed by cpu_bitmap[]),
 * as in the source. */
struct mm_struct {
	struct {
		struct {
			atomic_t mm_count;
		} FK_CACHELINE_ALIGNED;
		/* mm_mt (struct maple_tree), mmap_base, mmap_legacy_base, task_size */
		char __pad_128_168[40];
		pgd_t *pgd;
		/* membarrier_state */
		char __pad_176_180[4];
		atomic_t mm_users;
		/* pgtables_bytes ... */
		char __pad_184_1224[1040];
		mm_context_t context;
		/* flags, ioctx_lock, ioctx_table, owner, ... */
		char __pad_1304_1536[232];
	};
	unsigned long cpu_bitmap[];
};

/* ------------------------------------------------------------ include/linux/kvm_host.h */

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

/* include/linux/interval_tree.h */
struct interval_tree_node {
	struct rb_node rb;
	unsigned long start;
	unsigned long last;
	unsigned long __subtree_last;
};

/* asm/kvm_host.h */
struct kvm_arch_memory_slot {
	unsigned long *rmap;
};

/* KVM_ADDRESS_SPACE_NUM is 1 on powerpc; each slot is in two sets (node_idx) */
struct kvm_memory_slot {
	struct hlist_node id_node[2];
	struct interval_tree_node hva_node[2];
	struct rb_node gfn_node[2];
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long *dirty_bitmap;
	struct kvm_arch_memory_slot arch;
	unsigned long userspace_addr;
	u32 flags;
	short id;
	u16 as_id;
};

struct kvm_memslots {
	u64 generation;
	atomic_long_t last_used_slot;
	struct rb_root_cached hva_tree;
	struct rb_root gfn_tree;
	struct hlist_head id_hash[1 << 7];
	int node_idx;
};

struct kvm {
	spinlock_t mmu_lock;
	struct mutex slots_lock;
	struct mutex slots_arch_lock;
	struct mm_struct *mm;
	unsigned long nr_memslot_pages;
	struct kvm_memslots __memslots[1][2];
	struct kvm_memslots *memslots[1];
	/* vcpu_array, mn_invalidate_lock, mn_active_invalidate_count,
	 * mn_memslots_update_rcuwait, gpc_lock, gpc_list */
	char __pad_2240_2304[64];
	atomic_t online_vcpus;
	int max_vcpus;
	int created_vcpus;
	int last_boosted_vcpu;
	struct list_head vm_list;
	struct mutex lock;
	/* buses, irqfds, ioeventfds, stat */
	char __pad_2368_2520[152];
	struct kvm_arch arch;
	refcount_t users_count;
	/* irq_lock, irq_routing, irq_ack_notifier_list, mmu_notifier,
	 * mmu_invalidate_*, devices, manual_dirty_log_protect, debugfs_dentry,
	 * debugfs_stat_data, srcu, irq_srcu */
	char __pad_19588_19816[228];
	pid_t userspace_pid;
	/* override_halt_poll_ns, max_halt_poll_ns, dirty_ring_size, dirty_ring_with_bitmap,
	 * vm_bugged, vm_dead, stats_id */
	char __pad_19820_19888[68];
} __attribute__((aligned(8)));

/* ------------------------------------------------------------ include/linux/module.h */

enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

#define MODULE_NAME_LEN (64 - sizeof(unsigned long))

struct latch_tree_node {
	struct rb_node node[2];
};

struct module;

struct mod_tree_node {
	struct module *mod;
	struct latch_tree_node node;
};

/* 6.4 and later: a module's memory by kind (enum mod_mem_type: text, data, rodata,
 * ro_after_init, init_text, init_data, init_rodata) */
#define MOD_MEM_NUM_TYPES 7
struct module_memory {
	void *base;
	unsigned int size;
	bool is_rox;
	struct mod_tree_node mtn;
};

/* Elf64_Sym of include/uapi/linux/elf.h (the typedef is left out: <elf.h> has one) */
struct elf64_sym {
	u32 st_name;
	unsigned char st_info;
	unsigned char st_other;
	u16 st_shndx;
	u64 st_value;
	u64 st_size;
};

struct mod_kallsyms {
	struct elf64_sym *symtab;
	unsigned int num_symtab;
	char *strtab;
	char *typetab;
};

/* include/linux/sysfs.h, kernel/module/internal.h and sysfs.c: where the loader put
 * each section (sect_attrs) and the notes (notes_attrs) */
typedef unsigned short umode_t;
struct kobject;

struct attribute {
	const char *name;
	umode_t mode;
};

struct attribute_group {
	const char *name;
	void *is_visible;
	void *is_bin_visible;
	struct attribute **attrs;
	struct bin_attribute **bin_attrs;
};

struct bin_attribute {
	struct attribute attr;
	unsigned long size;
	void *private;
	/* f_mapping, read, write, mmap: function pointers */
	void *f_mapping, *read, *write, *llseek, *mmap;
};

struct module_sect_attr {
	struct bin_attribute battr;
	unsigned long address;
};

struct module_sect_attrs {
	struct attribute_group grp;
	unsigned int nsections;
	struct module_sect_attr attrs[];
};

struct module_notes_attrs {
	struct kobject *dir;
	unsigned int notes;
	struct bin_attribute attrs[];
};

struct module {
	enum module_state state;
	struct list_head list;
	char name[MODULE_NAME_LEN];
	/* mkobj, modinfo_attrs, version, srcversion, holders_dir, syms, crcs, num_syms,
	 * param_lock, kp, num_kp, num_gpl_syms, gpl_syms, gpl_crcs,
	 * using_gplonly_symbols, sig_ok, async_probe_requested, num_exentries, extable,
	 * init */
	char __pad_80_384[304];
	struct module_memory mem[MOD_MEM_NUM_TYPES] FK_CACHELINE_ALIGNED;
	/* arch (struct mod_arch_specific), taints, num_bugs, bug_list, bug_table */
	char __pad_888_976[88];
	struct mod_kallsyms *kallsyms;
	struct mod_kallsyms core_kallsyms;
	struct module_sect_attrs *sect_attrs;
	struct module_notes_attrs *notes_attrs;
	/* args, percpu, ... source_list, target_list, exit, refcnt */
	char __pad_1032_1408[376];
} FK_CACHELINE_ALIGNED;

/* ------------------------------------------------------------ VFIO (iommu_api.c, vfio.ko, vfio_iommu_spapr_tce.ko) */

/* arch/powerpc/mm/book3s64/iommu_api.c: one preregistered region */
struct mm_iommu_table_group_mem_t {
	struct list_head next;
	struct rcu_head rcu;
	unsigned long used;
	atomic64_t mapped;
	unsigned int pageshift;
	u64 ua;
	u64 entries;
	union {
		struct page **hpages;
		u64 *hpas;
	};
	u64 dev_hpa;
};

/* drivers/iommu/iommu.c: the members before owner (kobj, devices_kobj, devices,
 * pasid_array, mutex, iommu_data, iommu_data_release, name, id, default_domain,
 * blocking_domain, domain, entry, owner_cnt) left out */
struct iommu_group {
	char __pad_0_216[216];
	void *owner;
};

struct vfio_container;
/* drivers/vfio/vfio.h: dev, cdev, drivers, container_users before iommu_group; the
 * members after container (device_list ...) left out */
struct vfio_group {
	char __pad_0_928[928];
	struct iommu_group *iommu_group;
	struct vfio_container *container;
};

struct vfio_iommu_driver_ops {
	char *name;
	struct module *owner;
};

struct vfio_iommu_driver {
	const struct vfio_iommu_driver_ops *ops;
	struct list_head vfio_next;
};

/* drivers/vfio/container.c; group_lock (a struct rw_semaphore) left out */
struct vfio_container {
	struct kref kref;
	struct list_head group_list;
	char __pad_24_64[40];
	struct vfio_iommu_driver *iommu_driver;
	void *iommu_data;
	bool noiommu;
};

/* drivers/vfio/vfio_iommu_spapr_tce.c */
struct tce_container {
	struct mutex lock;
	bool enabled;
	bool v2;
	bool def_window_pending;
	unsigned long locked_pages;
	struct mm_struct *mm;
	struct iommu_table *tables[IOMMU_TABLE_GROUP_MAX_TABLES];
	struct list_head group_list;
	struct list_head prereg_list;
};

/* ------------------------------------------------------------ the offsets, checked */

#define FK_ASSERT_OFFSET(type, member, off)                                          \
	_Static_assert(__builtin_offsetof(type, member) == (off),                    \
		       #type "." #member " is not at " #off " as in 6.12")
#define FK_ASSERT_SIZE(type, size)                                                   \
	_Static_assert(sizeof(type) == (size), #type " is not " #size " bytes as in 6.12")

FK_ASSERT_SIZE(struct list_head, 16);
FK_ASSERT_SIZE(struct mutex, 32);
FK_ASSERT_SIZE(struct page, 64);
FK_ASSERT_OFFSET(struct page, mapping, 24);
FK_ASSERT_OFFSET(struct page, compound_head, 8);
FK_ASSERT_OFFSET(struct page, _mapcount, 48);
FK_ASSERT_OFFSET(struct page, _refcount, 52);
FK_ASSERT_SIZE(struct mmu_psize_def, 96);
FK_ASSERT_SIZE(struct vmemmap_backing, 24);

FK_ASSERT_SIZE(struct iommu_pool, 128);
FK_ASSERT_OFFSET(struct iommu_table, it_size, 8);
FK_ASSERT_OFFSET(struct iommu_table, it_indirect_levels, 16);
FK_ASSERT_OFFSET(struct iommu_table, it_level_size, 24);
FK_ASSERT_OFFSET(struct iommu_table, it_allocated_size, 32);
FK_ASSERT_OFFSET(struct iommu_table, it_offset, 40);
FK_ASSERT_OFFSET(struct iommu_table, it_base, 48);
FK_ASSERT_OFFSET(struct iommu_table, it_index, 56);
FK_ASSERT_OFFSET(struct iommu_table, it_type, 64);
FK_ASSERT_OFFSET(struct iommu_table, it_blocksize, 72);
FK_ASSERT_OFFSET(struct iommu_table, large_pool, 128);
FK_ASSERT_OFFSET(struct iommu_table, pools, 256);
FK_ASSERT_OFFSET(struct iommu_table, it_map, 768);
FK_ASSERT_OFFSET(struct iommu_table, it_page_shift, 776);
FK_ASSERT_OFFSET(struct iommu_table, it_group_list, 784);
FK_ASSERT_OFFSET(struct iommu_table, it_userspace, 800);
FK_ASSERT_OFFSET(struct iommu_table, it_ops, 808);
FK_ASSERT_OFFSET(struct iommu_table, it_kref, 816);
FK_ASSERT_OFFSET(struct iommu_table, it_nid, 820);
FK_ASSERT_OFFSET(struct iommu_table, it_reserved_end, 832);
FK_ASSERT_SIZE(struct iommu_table, 896);
FK_ASSERT_OFFSET(struct iommu_table_group, tables, 32);
FK_ASSERT_OFFSET(struct iommu_table_group, ops, 48);
FK_ASSERT_SIZE(struct iommu_table_group, 56);

FK_ASSERT_OFFSET(struct pci_controller, list_node, 24);
FK_ASSERT_OFFSET(struct pci_controller, busn, 64);
FK_ASSERT_OFFSET(struct pci_controller, ops, 288);
FK_ASSERT_OFFSET(struct pci_controller, io_resource, 320);
FK_ASSERT_OFFSET(struct pci_controller, global_number, 600);
FK_ASSERT_OFFSET(struct pci_controller, pci_data, 632);
FK_ASSERT_OFFSET(struct pci_controller, private_data, 640);
FK_ASSERT_SIZE(struct pci_controller, 728);
FK_ASSERT_OFFSET(struct pnv_ioda_pe, pe_number, 52);
FK_ASSERT_OFFSET(struct pnv_ioda_pe, table_group, 56);
FK_ASSERT_OFFSET(struct pnv_ioda_pe, tce_bypass_base, 120);
FK_ASSERT_OFFSET(struct pnv_ioda_pe, list, 160);
FK_ASSERT_SIZE(struct pnv_ioda_pe, 176);
FK_ASSERT_OFFSET(struct pnv_phb, msi_bmp, 80);
FK_ASSERT_OFFSET(struct pnv_phb, ioda, 144);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.pe_alloc_mutex, 224);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.pe_array, 264);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.io_segmap, 288);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.irq_chip_init, 296);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.pe_list, 568);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.pe_list_mutex, 584);
FK_ASSERT_OFFSET(struct pnv_phb, ioda.pe_rmap, 616);
FK_ASSERT_OFFSET(struct pnv_phb, diag_data, 262768);
FK_ASSERT_SIZE(struct pnv_phb, 262776);

#ifndef FK_MODULE_TYPES_ONLY_IN_KO
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_iommu_table, next, 16);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_iommu_table, tbl, 32);
FK_ASSERT_SIZE(struct kvmppc_spapr_tce_iommu_table, 48);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, liobn, 24);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, page_shift, 48);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, offset, 56);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, size, 64);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, iommu_tables, 72);
FK_ASSERT_OFFSET(struct kvmppc_spapr_tce_table, pages, 120);
FK_ASSERT_SIZE(struct kvmppc_spapr_tce_table, 120);
#endif
FK_ASSERT_OFFSET(struct kvm_arch, radix, 376);
FK_ASSERT_OFFSET(struct kvm_arch, pgtable, 384);
FK_ASSERT_OFFSET(struct kvm_arch, spapr_tce_tables, 408);
FK_ASSERT_OFFSET(struct kvm_arch, rtas_tokens, 424);
FK_ASSERT_SIZE(struct kvm_arch, 17064);
FK_ASSERT_OFFSET(struct mm_struct, mm_count, 0);
FK_ASSERT_OFFSET(struct mm_struct, pgd, 168);
FK_ASSERT_OFFSET(struct mm_struct, mm_users, 180);
FK_ASSERT_SIZE(struct mm_struct, 1536);
FK_ASSERT_SIZE(struct kvm_memslots, 1072);
FK_ASSERT_OFFSET(struct kvm_memslots, gfn_tree, 32);
FK_ASSERT_OFFSET(struct kvm_memslots, node_idx, 1064);
FK_ASSERT_OFFSET(struct kvm_memory_slot, hva_node, 32);
FK_ASSERT_OFFSET(struct kvm_memory_slot, gfn_node, 128);
FK_ASSERT_OFFSET(struct kvm_memory_slot, base_gfn, 176);
FK_ASSERT_OFFSET(struct kvm_memory_slot, userspace_addr, 208);
FK_ASSERT_OFFSET(struct kvm_memory_slot, id, 220);
FK_ASSERT_SIZE(struct kvm_memory_slot, 224);
FK_ASSERT_OFFSET(struct kvm, mm, 72);
FK_ASSERT_OFFSET(struct kvm, __memslots, 88);
FK_ASSERT_OFFSET(struct kvm, memslots, 2232);
FK_ASSERT_OFFSET(struct kvm, online_vcpus, 2304);
FK_ASSERT_OFFSET(struct kvm, vm_list, 2320);
FK_ASSERT_OFFSET(struct kvm, arch, 2520);
FK_ASSERT_OFFSET(struct kvm, lock, 2336);
FK_ASSERT_OFFSET(struct kvm, users_count, 19584);
FK_ASSERT_OFFSET(struct kvm, userspace_pid, 19816);
FK_ASSERT_SIZE(struct kvm, 19888);

FK_ASSERT_OFFSET(struct module, list, 8);
FK_ASSERT_OFFSET(struct module, name, 24);
FK_ASSERT_OFFSET(struct module, mem, 384);
FK_ASSERT_OFFSET(struct module, kallsyms, 976);
FK_ASSERT_OFFSET(struct module, core_kallsyms, 984);
FK_ASSERT_SIZE(struct module, 1408);
FK_ASSERT_SIZE(struct module_memory, 72);
FK_ASSERT_OFFSET(struct module_memory, mtn, 16);
FK_ASSERT_SIZE(struct mod_kallsyms, 32);
FK_ASSERT_OFFSET(struct module, sect_attrs, 1016);
FK_ASSERT_OFFSET(struct module, notes_attrs, 1024);
FK_ASSERT_SIZE(struct bin_attribute, 72);
FK_ASSERT_SIZE(struct module_sect_attr, 80);
FK_ASSERT_OFFSET(struct module_sect_attrs, nsections, 40);
FK_ASSERT_OFFSET(struct module_sect_attrs, attrs, 48);
FK_ASSERT_OFFSET(struct module_notes_attrs, attrs, 16);

FK_ASSERT_OFFSET(struct folio, _pincount, 92);
FK_ASSERT_OFFSET(struct mm_struct, context, 1224);
FK_ASSERT_OFFSET(mm_context_t, iommu_group_mem_list, 56);
FK_ASSERT_SIZE(mm_context_t, 80);
FK_ASSERT_SIZE(struct mm_iommu_table_group_mem_t, 88);
FK_ASSERT_OFFSET(struct mm_iommu_table_group_mem_t, mapped, 40);
FK_ASSERT_OFFSET(struct mm_iommu_table_group_mem_t, ua, 56);
FK_ASSERT_OFFSET(struct mm_iommu_table_group_mem_t, hpas, 72);
FK_ASSERT_OFFSET(struct mm_iommu_table_group_mem_t, dev_hpa, 80);
FK_ASSERT_OFFSET(struct iommu_group, owner, 216);
FK_ASSERT_OFFSET(struct vfio_group, iommu_group, 928);
FK_ASSERT_OFFSET(struct vfio_group, container, 936);
FK_ASSERT_OFFSET(struct vfio_container, iommu_driver, 64);
FK_ASSERT_OFFSET(struct vfio_container, iommu_data, 72);
FK_ASSERT_SIZE(struct vfio_container, 88);
FK_ASSERT_OFFSET(struct tce_container, v2, 33);
FK_ASSERT_OFFSET(struct tce_container, mm, 48);
FK_ASSERT_OFFSET(struct tce_container, tables, 56);
FK_ASSERT_OFFSET(struct tce_container, prereg_list, 88);
FK_ASSERT_SIZE(struct tce_container, 104);
FK_ASSERT_OFFSET(struct iommu_table_group, group, 24);

#endif /* TCE_FORGE_KERNEL_612_TYPES_H */
