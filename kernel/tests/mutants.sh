#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/tests/mutants.sh: proves that the host tests can fail.  For each
# fixed point of the series (an ordering, the lifetime of tables, a
# reference count that must not go below zero, a hook of the shipped
# init_64.c hunk, the absence of instrumentation in real-mode code) it
# copies kernel/ to a scratch directory, breaks that one point with sed,
# builds the tests that guard it straight from the copy and runs them: each
# mutant must make at least one of them fail.  The copies are deleted;
# nothing broken is ever committed.  Prints TAP; `make -C kernel
# check-mutants' runs it (minutes: not part of `make check').
#
# usage: mutants.sh KERNEL_SRCDIR
set -eu
d=$(cd "$1" && pwd)
: "${CC:=cc}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check_flags=$(pkg-config --cflags --libs check)
n=0
fail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

# build_and_run COPY TEST: 0 when TEST passes on COPY, 1 when it fails
# (or does not build: a mutant that breaks the build is caught too).
run_test() {
	c=$1
	inc="-I$c/shim/include -I$c/src/arch/powerpc/include -I$c/gen"
	rt_mm=$c/src/arch/powerpc/mm/realmode_page.c
	rt_kvm=$c/src/arch/powerpc/kvm/book3s_64_vio_hv.c
	case $2 in
	page)
		# shellcheck disable=SC2086
		$CC -std=gnu11 -O1 -g -fsanitize=address,undefined \
			-fno-sanitize-recover=all $inc -o "$c/page" \
			"$c/tests/test-realmode-page.c" "$rt_mm" "$c/shim/shim.c" \
			$check_flags -lpthread 2>"$c/build.log" || return 1
		"$c/page" >"$c/run.log" 2>&1 || return 1
		;;
	tce)
		# shellcheck disable=SC2086
		$CC -std=gnu11 -O1 -g -fsanitize=address,undefined \
			-fno-sanitize-recover=all $inc -o "$c/tce" \
			"$c/tests/test-rm-tce.c" "$rt_kvm" "$c/shim/shim.c" \
			"$c/shim/kvm.c" $check_flags 2>"$c/build.log" || return 1
		"$c/tce" >"$c/run.log" 2>&1 || return 1
		;;
	concurrent)
		# shellcheck disable=SC2086
		$CC -std=gnu11 -O1 -g -fsanitize=thread -DSHIM_PAGE_SHIFT=12 \
			$inc -o "$c/conc" "$c/tests/test-rm-concurrent.c" "$rt_mm" \
			"$rt_kvm" "$c/shim/shim.c" "$c/shim/kvm.c" -lpthread \
			2>"$c/build.log" || return 1
		"$c/conc" >"$c/run.log" 2>&1 || return 1
		;;
	noinstr)
		KERNEL_SRCDIR=$c CC=$CC sh "$c/tests/test-noinstr.sh" \
			>"$c/run.log" 2>&1 || return 1
		;;
	esac
	return 0
}

# mutant NAME FILE SED-EXPRESSION TEST...
mutant() {
	name=$1
	file=$2
	expr=$3
	shift 3
	c="$tmp/copy"
	rm -rf "$c"
	mkdir -p "$c"
	cp -R "$d/src" "$d/shim" "$d/tests" "$d/series" "$c/"
	cp "$c/$file" "$c/$file.orig"
	sed -i "$expr" "$c/$file"
	if cmp -s "$c/$file" "$c/$file.orig"; then
		not_ok "$name: the mutation changed nothing (stale expression?)"
		return
	fi
	mkdir -p "$c/gen"
	if ! sh "$c/tests/shipped.sh" "$c" arch/powerpc/mm/init_64.c next \
		num_left num_freed vmemmap_list_alloc vmemmap_list_populate \
		vmemmap_list_free >"$c/gen/init_64-vmemmap.c" 2>"$c/gen.log" ||
	   ! sh "$c/tests/shipped.sh" "$c" arch/powerpc/kvm/book3s_64_vio.c \
		kvmppc_tce_pages kvmppc_stt_pages kvm_spapr_tce_iommu_table_free \
		kvm_spapr_tce_liobn_put release_spapr_tce_table \
		kvm_spapr_get_tce_page kvm_spapr_tce_release \
		>"$c/gen/book3s_64_vio-tables.c" 2>>"$c/gen.log"; then
		not_ok "$name: the mutated series does not apply"
		sed 's/^/# /' "$c/gen.log"
		return
	fi
	caught=
	for t in "$@"; do
		if ! run_test "$c" "$t"; then
			caught="$caught $t"
		fi
	done
	if [ -n "$caught" ]; then
		ok "$name: caught by$caught"
	else
		not_ok "$name: no test failed ($*)"
	fi
}

# The unmutated copy must pass everything, or the mutants prove nothing.
c="$tmp/copy"
mkdir -p "$c/gen"
cp -R "$d/src" "$d/shim" "$d/tests" "$d/series" "$c/"
sh "$c/tests/shipped.sh" "$c" arch/powerpc/mm/init_64.c next num_left \
	num_freed vmemmap_list_alloc vmemmap_list_populate vmemmap_list_free \
	>"$c/gen/init_64-vmemmap.c"
sh "$c/tests/shipped.sh" "$c" arch/powerpc/kvm/book3s_64_vio.c \
	kvmppc_tce_pages kvmppc_stt_pages kvm_spapr_tce_iommu_table_free \
	kvm_spapr_tce_liobn_put release_spapr_tce_table kvm_spapr_get_tce_page \
	kvm_spapr_tce_release >"$c/gen/book3s_64_vio-tables.c"
for t in page tce concurrent noinstr; do
	if run_test "$c" "$t"; then
		ok "unmutated: $t passes"
	else
		not_ok "unmutated: $t passes"
		sed 's/^/# /' "$c/build.log" "$c/run.log" 2>/dev/null | tail -n 20
	fi
done

mm=src/arch/powerpc/mm/realmode_page.c
kvm=src/arch/powerpc/kvm/book3s_64_vio_hv.c

# -- the index: every release and acquire --
mutant "index root published without release" $mm \
	's/smp_store_release(&idx->root, root);/WRITE_ONCE(idx->root, root);/' \
	concurrent
mutant "index root read without acquire" $mm \
	's/table = smp_load_acquire(&idx->root);/table = READ_ONCE(idx->root);/' \
	concurrent
mutant "index node published without release" $mm \
	's/smp_store_release(&table\[slot\], (unsigned long)child);/WRITE_ONCE(table[slot], (unsigned long)child);/' \
	concurrent
mutant "index node read without acquire" $mm \
	's/table = (unsigned long \*)smp_load_acquire(&table\[slot\]);/table = (unsigned long *)READ_ONCE(table[slot]);/' \
	concurrent
mutant "index leaf published without release" $mm \
	'/A reader that sees the leaf/{n;s/smp_store_release(&table\[vmemmap_rm_slot(key, level, idx->levels)\],/WRITE_ONCE(table[vmemmap_rm_slot(key, level, idx->levels)],/}' \
	concurrent
mutant "index leaf read without acquire" $mm \
	's/ent = smp_load_acquire(&table\[/ent = READ_ONCE(table[/' \
	concurrent
# -- real mode never walks vmemmap_list: a miss is refused --
mutant "real mode falls back to the walk of vmemmap_list" $mm \
	'/vmemmap_rm_index_find(pg_va, &phys, &shift))/{n;s/return NULL;/return vmemmap_rm_walk(pfn);/}' \
	page concurrent
# -- references --
mutant "put drives a count of zero below zero" $mm \
	's/if (c <= 1)/if (c == 1)/' page
mutant "get raises a negative count" $mm \
	's/if (c <= 0)/if (c == 0)/' page
# -- the shipped init_64.c hunk --
mutant "init_64.c: populate does not index the block" series/0001.diff \
	's/^+\tvmemmap_rm_index_add(start, phys, node);$/+\t(void)phys;/' page
mutant "init_64.c: free does not forget the block" series/0001.diff \
	's/^+\tvmemmap_rm_index_del(start);$/+\t(void)start;/' page
# -- TCE tables: lifetime and publication (book3s_64_vio.c hunk) --
mutant "table freed without waiting for kvm->srcu" series/0003.diff \
	's/^+\t\tsynchronize_srcu(&kvm->srcu);$/+\t\t;/' concurrent
mutant "table page published without release" series/0003.diff \
	's/^+\t\tsmp_store_release(&stt->pages\[sttpage\], page);$/+\t\tstt->pages[sttpage] = page;/' \
	concurrent
mutant "table page read without acquire" $kvm \
	's/page = smp_load_acquire(&stt->pages\[/page = READ_ONCE(stt->pages[/' \
	concurrent
# -- the hcalls --
mutant "H_PUT_TCE_INDIRECT writes before knowing every page is there" $kvm \
	's/if (tce \&\& !kvmppc_rm_tce_page(stt, entry + i)) {/if (0) {/' tce
mutant "H_PUT_TCE_INDIRECT writes TCEs not checked again" $kvm \
	's/if (kvmppc_rm_tce_validate(stt, tce) != H_SUCCESS ||$/if (/' tce
mutant "H_PUT_TCE_INDIRECT writes what the first pass read" $kvm \
	'/entry = ioba >> stt->page_shift;/,/The list is read again/s/unsigned long tce = be64_to_cpu(READ_ONCE(tces\[i\]));/unsigned long tce = kvmppc_rm_stale[i] = be64_to_cpu(READ_ONCE(tces[i]));/; /The list is read again/,/ret = H_SUCCESS;/s/unsigned long tce = be64_to_cpu(READ_ONCE(tces\[i\]));/unsigned long tce = kvmppc_rm_stale[i];/; s/^#define KVMPPC_RM_TCE_LIST_MAX\t512$/#define KVMPPC_RM_TCE_LIST_MAX\t512\nstatic unsigned long kvmppc_rm_stale[512];/' \
	tce
mutant "the TCE list read with an invalidation in flight" $kvm \
	's/ptep = find_kvm_host_pte(kvm, mmu_seq, hva, &shift);/ptep = find_kvm_host_pte(kvm, kvm->mmu_invalidate_seq, hva, \&shift);/' \
	tce
# -- no instrumentation in real mode --
mutant "realmode_get_page traced" $mm \
	's/^noinstr int realmode_get_page/int realmode_get_page/' noinstr
mutant "kvmppc_rm_h_put_tce traced" $kvm \
	's/^noinstr long kvmppc_rm_h_put_tce(/long kvmppc_rm_h_put_tce(/' \
	noinstr

echo "1..$n"
exit $fail
