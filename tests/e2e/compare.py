#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/compare.py: checks tce-inspect's JSON against oracle.py's ground truth.

It owns the judgement "does the tool under test say what the dump holds".  Three kinds of
tool output are understood, told apart by their top-level key:
  `tce-inspect vmemmap --format json DUMP`  {"vmemmap": {"block_size", "struct_page_size",
      "blocks": [{"index", "entry", "virt", "phys"}]}, "findings": [...]}
  `tce-inspect page --format json DUMP PFN...`  {"pages": [{"pfn", "phys", "error",
      "translations": {"seed2013", "walk", "index", "pgtable"}, "flags", "refcount",
      "mapcount", "compound_head", "states": {"buddy", "offline", ...}}]}
  `tce-inspect info --format json DUMP`  {"mmu", "page_size", "release", ...}
Addresses may be hex strings or integers; extra keys are ignored; a missing required key
is a failure, not a skip.
What is required, by the oracle's answer (see oracle.py's header for its keys):
  vmemmap: block_size (when the dump has a vmemmap_list; a dump without one, 6.12 radix,
      has no block size: null if printed) and struct_page_size; every block in list order
      (none when the dump has no list); findings well formed; "base" (if printed) is the
      vmemmap base, "mmu" (if printed) the MMU where the dump or the guest says which.  If the tool's vmemmap object has "leaves"
      (its page-table reading of the vmemmap), they must be the oracle's vmemmap_pgtable
      leaves, in address order, each {"virt", "phys", "size"}.
  page: "phys" is the struct page's physical address (null where the oracle has none);
      translations.walk and .index equal it and translations.seed2013 is the seed's answer
      when the dump has a vmemmap_list; all three are null when it has none (nothing to
      walk); translations.pgtable equals the oracle's page-table translation on radix and
      is null on hash.  Where the oracle finds no translation or cannot read the struct
      page ("error"), the tool's page has a non-empty "error" and no field values.
      Otherwise flags, refcount (raw _refcount), mapcount (raw _mapcount, i.e. the page_type
      word) and compound_head are equal, and states.buddy and states.offline (and on 6.12,
      where slab is a page type too, states.slab) say what the kernel's own PageType rule
      says of that word (oracle.py's "page_type").
  info: "page_size" and "release" equal the dump's; "mmu" equals the oracle's where the dump
      or the guest says which MMU ran (6.12's NUMBER(RADIX_MMU), mkdump.sh's meta.json);
      where the oracle only probed (a trimmed 6.1 sample) the tool may say null (unknown),
      never the other MMU.  Every check prints one line when it fails and the run ends with
"N passed, M failed".  Exit status: 0 all passed, 1 some failed, 2 unusable input.
With --unmanaged-at-most-info, a vmemmap finding (its pfn_first..pfn_last) over memory the
dump holds but the kernel does not manage (the oracle's "unmanaged" ranges, e.g. a VGA's
video RAM) must be of severity info.
`compare.py --self-test ORACLE.json` turns the oracle's own answer into the tool's format,
checks that it passes, and that each of a set of single corruptions is caught.
"""

import argparse
import copy
import json
import re
import sys

SEVERITIES = ('error', 'warning', 'info')
FINDING_ID = re.compile(r'^TCE-[A-Z0-9]+(-[A-Z0-9]+)*$')


class BadInput(Exception):
	pass


def num(v, what):
	"""An address or count as an int: JSON ints, "0x..." or decimal strings; None stays."""
	if v is None:
		return None
	if isinstance(v, bool):
		raise BadInput('%s: boolean where a number was expected' % what)
	if isinstance(v, int):
		return v
	if isinstance(v, str):
		try:
			return int(v, 0)
		except ValueError:
			pass
	raise BadInput('%s: %r is not a number' % (what, v))


class Result:
	def __init__(self, quiet=False):
		self.passed = 0
		self.failed = 0
		self.quiet = quiet
		self.messages = []

	def check(self, ok, msg):
		if ok:
			self.passed += 1
		else:
			self.failed += 1
			self.messages.append(msg)
			if not self.quiet:
				print('FAIL: %s' % msg)
		return ok

	def eq(self, what, got, want):
		return self.check(got == want, '%s: tool says %s, oracle says %s' %
				  (what, fmt(got), fmt(want)))


def fmt(v):
	if isinstance(v, int) and not isinstance(v, bool):
		return '0x%x' % v if v > 9 or v < 0 else str(v)
	return json.dumps(v)


def need(obj, key, what):
	if not isinstance(obj, dict) or key not in obj:
		raise KeyError('%s: missing "%s"' % (what, key))
	return obj[key]


def compare_vmemmap(tool, orc, res, expect_findings=(), unmanaged_info=False):
	vm = need(tool, 'vmemmap', 'tool output')
	if orc['block_size'] is not None:
		res.eq('vmemmap.block_size', num(need(vm, 'block_size', 'vmemmap'), 'block_size'),
		       orc['block_size'])
	elif isinstance(vm, dict) and 'block_size' in vm:
		res.eq('vmemmap.block_size (no vmemmap_list: none)', num(vm['block_size'], 'block_size'), None)
	# The vmemmap base and the MMU, where the tool prints them.
	if isinstance(vm, dict) and vm.get('base') is not None:
		res.eq('vmemmap.base', num(vm['base'], 'base'), num(orc['vmemmap_base'], 'vmemmap_base'))
	if isinstance(vm, dict) and 'mmu' in vm and orc.get('mmu_from') in ('vmcoreinfo', 'meta.json', 'option'):
		res.eq('vmemmap.mmu (%s says)' % orc['mmu_from'], vm['mmu'], orc['mmu'])
	res.eq('vmemmap.struct_page_size',
	       num(need(vm, 'struct_page_size', 'vmemmap'), 'struct_page_size'),
	       orc['struct_page_size'])
	blocks = need(vm, 'blocks', 'vmemmap')
	want = orc['blocks']
	res.eq('number of vmemmap blocks', len(blocks), len(want))
	# In list order: the order is what the seed's rule depends on.
	for i, (b, w) in enumerate(zip(blocks, want)):
		res.eq('block %d: index' % i, num(need(b, 'index', 'block %d' % i), 'index'), i)
		for k in ('entry', 'virt', 'phys'):
			res.eq('block %d: %s' % (i, k), num(need(b, k, 'block %d' % i), k),
			       num(w[k], k))
	# The tool's own reading of the vmemmap page tables, if it prints one.
	pgt = orc.get('vmemmap_pgtable')
	if isinstance(vm, dict) and 'leaves' in vm:
		want_l = pgt['leaves'] if pgt else []
		got_l = vm['leaves'] if isinstance(vm['leaves'], list) else []
		res.check(isinstance(vm['leaves'], list), 'vmemmap.leaves is not a list')
		res.eq('number of vmemmap page-table leaves', len(got_l), len(want_l))
		for i, (b, w) in enumerate(zip(got_l, want_l)):
			for k in ('virt', 'phys', 'size'):
				res.eq('leaf %d: %s' % (i, k), num(need(b, k, 'leaf %d' % i), k), num(w[k], k))
	findings = need(tool, 'findings', 'tool output')
	res.check(isinstance(findings, list), 'findings is not a list')
	for j, f in enumerate(findings if isinstance(findings, list) else []):
		fid = f.get('id') if isinstance(f, dict) else None
		res.check(isinstance(fid, str) and FINDING_ID.match(fid) is not None,
			  'finding %d: bad id %r' % (j, fid))
		res.check(isinstance(f, dict) and f.get('severity') in SEVERITIES,
			  'finding %d: bad severity %r' % (j, f.get('severity') if isinstance(f, dict) else f))
		for k in ('key', 'message'):
			res.check(isinstance(f, dict) and isinstance(f.get(k), str) and f.get(k) != '',
				  'finding %d: "%s" missing or empty' % (j, k))
	# Memory the dump holds that the kernel does not manage (no present mem_section: a
	# VGA's video RAM) is no fault of the vmemmap: a finding over it is at most info.
	ps = orc.get('page_size') if unmanaged_info else None
	for j, f in enumerate(findings if isinstance(findings, list) and ps else []):
		if not isinstance(f, dict) or 'pfn_first' not in f or 'pfn_last' not in f:
			continue
		lo, hi = num(f['pfn_first'], 'pfn_first'), num(f['pfn_last'], 'pfn_last')
		for r in orc.get('unmanaged') or []:
			a, b = int(r['start'], 16) // ps, (int(r['end'], 16) - 1) // ps
			if lo <= b and a <= hi:
				res.check(f.get('severity') == 'info',
					  'finding %d: %s %s over pfns 0x%x-0x%x, memory the kernel does not '
					  'manage (unmanaged %s-%s): at most info'
					  % (j, f.get('severity'), f.get('id'), lo, hi, r['start'], r['end']))
	ids = [f.get('id') for f in findings if isinstance(f, dict)] if isinstance(findings, list) else []
	for fid in expect_findings:
		res.check(fid in ids, 'expected finding %s is missing (tool has %s)' % (fid, ids))


def compare_pages(tool, orc, res, require_all=False):
	pages = need(tool, 'pages', 'tool output')
	truth = {p['pfn']: p for p in orc['pages']}
	radix = orc.get('mmu') == 'radix'
	has_list = bool(orc['blocks'])
	# Which page types the kernel's rule decides from the page_type word: buddy and offline
	# on 6.1 and 6.12; on 6.12 slab too (6.1 has PG_slab, a page flag, instead).
	types = ['buddy', 'offline']
	if orc.get('page_type_form') == 'top-byte':
		types.append('slab')
	res.check(len(pages) > 0, 'the tool printed no pages')
	seen = set()
	for i, p in enumerate(pages):
		pfn = num(need(p, 'pfn', 'page %d' % i), 'pfn')
		seen.add(pfn)
		w = truth.get(pfn)
		if not res.check(w is not None, 'pfn %d: not in the oracle output (run oracle.py with this pfn)' % pfn):
			continue
		tr = need(p, 'translations', 'pfn %d' % pfn)
		phys = num(w['phys'], 'phys')
		if 'error' in w and p.get('phys') is None:
			# struct page not readable (a page makedumpfile excluded: -d 1 drops
			# the zero-filled vmemmap pages of a hole's pfns): "phys" says where it
			# was read from, so none; the translations below say where it is
			pass
		else:
			res.eq('pfn %d: phys' % pfn, num(need(p, 'phys', 'pfn %d' % pfn), 'phys'), phys)
		if has_list:
			# The hot-remove-safe walk and the index must both find the right block.
			for k in ('walk', 'index'):
				res.eq('pfn %d: translations.%s' % (pfn, k),
				       num(need(tr, k, 'pfn %d translations' % pfn), k), phys)
			res.eq('pfn %d: translations.seed2013' % pfn,
			       num(need(tr, 'seed2013', 'pfn %d translations' % pfn), 'seed2013'),
			       num(w['seed2013'], 'seed2013'))
		else:
			# No vmemmap_list: nothing for the list's walks to find.
			for k in ('walk', 'index', 'seed2013'):
				res.eq('pfn %d: translations.%s (no vmemmap_list)' % (pfn, k),
				       num(need(tr, k, 'pfn %d translations' % pfn), k), None)
		pg = num(need(tr, 'pgtable', 'pfn %d translations' % pfn), 'pgtable')
		if radix and 'pgtable' in w:
			res.eq('pfn %d: translations.pgtable' % pfn, pg, num(w['pgtable'], 'pgtable'))
		elif not radix:
			# Hash maps the vmemmap with bolted HPTEs only: no page-table answer.
			res.eq('pfn %d: translations.pgtable (hash: none)' % pfn, pg, None)
		if 'error' in w:
			# The oracle could not translate or read it: the tool says so and must not
			# invent values.
			res.check(isinstance(p.get('error'), str) and p['error'] != '',
				  'pfn %d: no "error" where the oracle has none to give (%s)' % (pfn, w['error']))
			for k in ('flags', 'refcount', 'mapcount', 'compound_head'):
				res.eq('pfn %d: %s (struct page not readable: %s)' % (pfn, k, w['error']),
				       p.get(k), None)
			continue
		for k in ('flags', 'refcount', 'mapcount', 'compound_head'):
			res.eq('pfn %d: %s' % (pfn, k), num(need(p, k, 'pfn %d' % pfn), k), num(w[k], k))
		if 'page_type' in w:
			st = need(p, 'states', 'pfn %d' % pfn)
			for t in types:
				got = need(st, t, 'pfn %d states' % pfn)
				res.eq('pfn %d: states.%s (page_type word 0x%x)' % (pfn, t, w['mapcount'] & 0xffffffff),
				       got, w['page_type'] == t)
	if require_all:
		missing = sorted(set(truth) - seen)
		res.check(not missing, 'pfns in the oracle output but not in the tool output: %s'
			  % missing[:20])


def compare_info(tool, orc, res):
	res.eq('info.page_size', num(need(tool, 'page_size', 'info'), 'page_size'), orc['page_size'])
	res.eq('info.release', need(tool, 'release', 'info'), orc['osrelease'])
	mmu = need(tool, 'mmu', 'info')
	if orc.get('mmu_from') in ('vmcoreinfo', 'meta.json', 'option'):
		res.eq('info.mmu (%s says)' % orc['mmu_from'], mmu, orc['mmu'])
	else:
		res.check(mmu in (None, orc['mmu']), 'info.mmu: tool says %s, the oracle\'s probe says %s '
			  '(unknown would do, the other MMU never)' % (fmt(mmu), fmt(orc['mmu'])))


def compare(tool, orc, res, expect_findings=(), require_all=False, unmanaged_info=False):
	if isinstance(tool, dict) and 'vmemmap' in tool:
		compare_vmemmap(tool, orc, res, expect_findings, unmanaged_info)
	if isinstance(tool, dict) and 'pages' in tool:
		compare_pages(tool, orc, res, require_all)
	if isinstance(tool, dict) and 'vmemmap' not in tool and 'pages' not in tool and 'mmu' in tool:
		compare_info(tool, orc, res)
	elif not isinstance(tool, dict) or ('vmemmap' not in tool and 'pages' not in tool):
		raise BadInput('tool output has neither "vmemmap" nor "pages" nor "mmu"')


def as_tool_output(orc):
	"""The oracle's answer written the way tce-inspect prints it (for the self-test)."""
	vm = {'vmemmap': {'block_size': orc['block_size'], 'struct_page_size': orc['struct_page_size'],
			  'blocks': [dict(index=i, **b) for i, b in enumerate(orc['blocks'])]},
	      'findings': []}
	if not orc['descending']:
		vm['findings'].append({'id': 'TCE-VMEMMAP-ORDER', 'severity': 'warning',
				       'key': 'vmemmap_list',
				       'message': 'vmemmap_list is not in descending order'})
	if orc.get('vmemmap_pgtable'):
		vm['vmemmap']['leaves'] = [dict(lf) for lf in orc['vmemmap_pgtable']['leaves']]
	pages = []
	listed = bool(orc['blocks'])
	for w in orc['pages']:
		p = {'pfn': w['pfn'], 'phys': w['phys'],
		     'translations': {'seed2013': w['seed2013'], 'walk': w['phys'] if listed else None,
				      'index': w['phys'] if listed else None, 'pgtable': w.get('pgtable')},
		     'error': w.get('error')}
		for k in ('flags', 'refcount', 'mapcount', 'compound_head'):
			p[k] = w.get(k)
		if 'page_type' in w:
			p['states'] = {t: w['page_type'] == t for t in ('buddy', 'offline', 'slab', 'hugetlb')}
		pages.append(p)
	return vm, {'pages': pages}


def as_info_output(orc):
	return {'mmu': orc['mmu'], 'page_size': orc['page_size'], 'release': orc['osrelease']}


def self_test(orc):
	"""Clean output passes; each single corruption fails."""
	vm, pg = as_tool_output(orc)
	out = Result()

	def run(tool, expect_fail, label, **kw):
		r = Result(quiet=True)
		try:
			compare(tool, orc, r, **kw)
		except (KeyError, BadInput) as e:
			r.failed += 1
			r.messages.append(str(e))
		ok = (r.failed > 0) == expect_fail
		out.check(ok, 'self-test %s: %d failed%s' % (label, r.failed,
			  (' (' + r.messages[0] + ')') if r.messages else ''))

	vm['vmemmap']['base'] = orc['vmemmap_base']
	run(vm, False, 'vmemmap as the oracle says')
	t = copy.deepcopy(vm)
	t['vmemmap']['base'] = '0x%x' % (int(orc['vmemmap_base'], 16) ^ (1 << 44))
	run(t, True, 'wrong vmemmap base')
	run(pg, False, 'pages as the oracle says')
	info = as_info_output(orc)
	run(info, False, 'info as the oracle says')
	t = dict(info, mmu='hash' if orc['mmu'] == 'radix' else 'radix')
	run(t, True, 'info names the other MMU')
	t = dict(info, mmu=None)
	run(t, orc.get('mmu_from') in ('vmcoreinfo', 'meta.json', 'option'), 'info says mmu unknown')
	run(dict(info, page_size=info['page_size'] ^ 0x11000), True, 'info with the wrong page size')
	if orc.get('vmemmap_pgtable') and orc['vmemmap_pgtable']['leaves']:
		t = copy.deepcopy(vm)
		t['vmemmap']['leaves'][0]['phys'] = '0x%x' % (int(t['vmemmap']['leaves'][0]['phys'], 16) + 0x1000)
		run(t, True, 'a page-table leaf phys off by 4K')
	# integers instead of hex strings are the same answer
	vm_int = copy.deepcopy(vm)
	for b in vm_int['vmemmap']['blocks']:
		b['phys'] = int(b['phys'], 16)
	run(vm_int, False, 'vmemmap with integer addresses')
	if len(vm['vmemmap']['blocks']) > 1:
		t = copy.deepcopy(vm)
		bl = t['vmemmap']['blocks']
		bl[0], bl[1] = bl[1], bl[0]
		bl[0]['index'], bl[1]['index'] = 0, 1
		run(t, True, 'two blocks swapped')
		t = copy.deepcopy(vm)
		t['vmemmap']['blocks'].pop()
		run(t, True, 'a block missing')
	if vm['vmemmap']['blocks']:
		t = copy.deepcopy(vm)
		t['vmemmap']['blocks'][0]['phys'] = '0x%x' % (int(vm['vmemmap']['blocks'][0]['phys'], 16) + 0x10000)
		run(t, True, 'a block phys off by 64K')
		t = copy.deepcopy(vm)
		t['vmemmap']['block_size'] *= 2
		run(t, True, 'wrong block size')
	else:
		t = copy.deepcopy(vm)
		t['vmemmap']['blocks'].append({'index': 0, 'entry': '0xc000000000001000',
					       'virt': orc['vmemmap_base'], 'phys': '0x1000'})
		run(t, True, 'a block where the dump has no vmemmap_list')
	t = copy.deepcopy(vm)
	t['findings'] = [{'id': 'bogus', 'severity': 'fatal', 'key': '', 'message': 'x'}]
	run(t, True, 'malformed finding')
	if not orc['descending']:
		run(vm, True, 'expected finding absent', expect_findings=('TCE-VMEMMAP-NOSUCH',))
	for r in (orc.get('unmanaged') or [])[:1]:
		pfn = int(r['end'], 16) // orc['page_size'] - 1
		for sev, fails in (('error', True), ('warning', True), ('info', False)):
			t = copy.deepcopy(vm)
			t['findings'].append({'id': 'TCE-VMEMMAP-UNCOVERED', 'severity': sev,
					      'key': 'pfn:0x%x' % pfn, 'message': 'x',
					      'pfn_first': pfn, 'pfn_last': pfn})
			run(t, fails, '%s finding over unmanaged memory' % sev, unmanaged_info=True)
			run(t, False, '%s finding over unmanaged memory, not checked' % sev)
	readable = [i for i, w in enumerate(orc['pages']) if 'error' not in w]
	if readable:
		i = readable[0]
		for field, bad in (('flags', lambda v: '0x%x' % (int(v, 16) ^ 1)),
				   ('refcount', lambda v: v + 1),
				   ('mapcount', lambda v: v - 1),
				   ('compound_head', lambda v: '0x%x' % (int(v, 16) ^ 0x40))):
			t = copy.deepcopy(pg)
			t['pages'][i][field] = bad(t['pages'][i][field])
			run(t, True, 'pfn %d: %s corrupted' % (pg['pages'][i]['pfn'], field))
		for k in ('walk', 'index'):
			t = copy.deepcopy(pg)
			t['pages'][i]['translations'][k] = '0x%x' % (int(orc['pages'][i]['phys'], 16) + 64)
			run(t, True, 'pfn %d: translations.%s off by one struct page' % (pg['pages'][i]['pfn'], k))
		t = copy.deepcopy(pg)
		del t['pages'][i]['translations']['walk']
		run(t, True, 'translations.walk missing')
		t = copy.deepcopy(pg)
		t['pages'][i]['translations']['pgtable'] = '0x1000' if orc.get('mmu') != 'radix' else None
		run(t, True, 'wrong pgtable translation')
		t = copy.deepcopy(pg)
		t['pages'][i]['phys'] = '0x%x' % (int(orc['pages'][i]['phys'], 16) + 64)
		run(t, True, 'pfn %d: phys off by one struct page' % pg['pages'][i]['pfn'])
		t = copy.deepcopy(pg)
		del t['pages'][i]['phys']
		run(t, True, 'phys missing')
		if not orc['blocks']:
			t = copy.deepcopy(pg)
			t['pages'][i]['translations']['walk'] = orc['pages'][i]['phys']
			run(t, True, 'a vmemmap_list walk answer where the dump has no list')
		if 'page_type' in orc['pages'][i]:
			t = copy.deepcopy(pg)
			t['pages'][i]['states']['buddy'] = not t['pages'][i]['states']['buddy']
			run(t, True, 'pfn %d: states.buddy flipped' % pg['pages'][i]['pfn'])
	errs = [i for i, w in enumerate(orc['pages']) if 'error' in w]
	if errs:
		t = copy.deepcopy(pg)
		t['pages'][errs[0]]['error'] = None
		run(t, True, 'no error where the oracle has no translation')
	seedfail = [i for i, w in enumerate(orc['pages']) if w['seed2013'] != w['phys']]
	if seedfail:
		i = seedfail[0]
		t = copy.deepcopy(pg)
		t['pages'][i]['translations']['seed2013'] = orc['pages'][i]['phys']
		run(t, True, 'pfn %d: seed2013 claimed right where it fails' % pg['pages'][i]['pfn'])
	t = copy.deepcopy(pg)
	t['pages'].append(dict(t['pages'][0], pfn=(1 << 40)))
	run(t, True, 'a pfn the oracle does not know')
	run({'pages': pg['pages'][:1]}, True, 'pages missing with --require-all', require_all=True)
	run({'something': 1}, True, 'neither vmemmap nor pages')
	return out


def main():
	ap = argparse.ArgumentParser(description='Check tce-inspect JSON against oracle.py output.')
	ap.add_argument('oracle', help='oracle.py output (JSON)')
	ap.add_argument('tool', nargs='*', help='tce-inspect --format json outputs ("-" for stdin)')
	ap.add_argument('--expect-finding', action='append', default=[], metavar='ID',
			help='the vmemmap output must contain a finding with this id')
	ap.add_argument('--require-all', action='store_true',
			help='the tool must print every pfn the oracle output has')
	ap.add_argument('--unmanaged-at-most-info', action='store_true',
			help='a finding over memory the kernel does not manage (the oracle\'s '
			'"unmanaged" ranges) must have severity info (issue 13)')
	ap.add_argument('--self-test', action='store_true',
			help='check this script against the oracle output itself')
	args = ap.parse_args()
	try:
		with open(args.oracle) as f:
			orc = json.load(f)
		for k in ('block_size', 'struct_page_size', 'blocks', 'pages', 'descending', 'mmu',
			  'page_size', 'osrelease'):
			need(orc, k, 'oracle output')
	except (OSError, ValueError, KeyError) as e:
		print('compare.py: %s: %s' % (args.oracle, e), file=sys.stderr)
		return 2
	if args.self_test:
		res = self_test(orc)
	else:
		if not args.tool:
			ap.error('give the tool output(s) to check, or --self-test')
		res = Result()
		for path in args.tool:
			try:
				if path == '-':
					tool = json.load(sys.stdin)
				else:
					with open(path) as f:
						tool = json.load(f)
				compare(tool, orc, res, args.expect_finding, args.require_all,
					args.unmanaged_at_most_info)
			except (OSError, ValueError) as e:
				print('compare.py: %s: %s' % (path, e), file=sys.stderr)
				return 2
			except (KeyError, BadInput) as e:
				res.check(False, '%s: %s' % (path, e.args[0] if e.args else e))
	print('%d passed, %d failed' % (res.passed, res.failed))
	return 0 if res.failed == 0 else 1


if __name__ == '__main__':
	sys.exit(main())
