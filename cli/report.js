// SPDX-License-Identifier: GPL-2.0-or-later
// tce-inspect check --format html: draws the page from the JSON document in
// #tce-data (cli/check-html.c writes it, and embeds this script).  Per table a strip
// of the window (level 0: the whole window in at most 1024 cells), a zoom under it
// (level 1: 32 finer cells for each of 32 level-0 cells, then the entries one by one),
// and the findings beside them: a finding about an entry (key TABLE:bus=0x...) links
// to the cells holding its bus address, one about a table to its strip, one about
// pfns to the entries listed one by one that map them.  Nothing is fetched.
(function () {
	'use strict';

	var errors = [];
	window.addEventListener('error', function (ev) {
		errors.push(String(ev.message));
		document.body.setAttribute('data-errors', String(errors.length));
	});

	var D = JSON.parse(document.getElementById('tce-data').textContent);
	var NS = D.states.length;
	// the colour a cell takes: its most telling state
	var RANK = [1, 2, 4, 3, 0];   // free, not pinned, finding, unknown, healthy
	var ZOOM = D.zoom;
	var MAX_ROWS = 512;           // entries listed one by one in a zoom

	function el(tag, attrs, text) {
		var e = document.createElement(tag);
		var k;

		for (k in attrs || {})
			e.setAttribute(k, attrs[k]);
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function hex(b) {
		return '0x' + b.toString(16);
	}

	// a position's bus address (64-bit: BigInt)
	function bus(T, pos) {
		return (BigInt(T.offset) + BigInt(pos)) << BigInt(T.page_shift);
	}

	function cellState(counts) {
		var i;

		for (i = 0; i < RANK.length; i++)
			if (counts[RANK[i]])
				return RANK[i];
		return -1;
	}

	// a cell's colours, bottom up in RANK's order, each state present at least a
	// fifth of its height: one free entry among thousands stays visible
	function gradient(counts) {
		var parts = [], sum = 0, at = 0, stops = [];
		var tot = counts.reduce(function (a, b) { return a + b; }, 0);

		RANK.forEach(function (s) {
			if (counts[s]) {
				parts.push([s, Math.max(counts[s] / tot, 0.2)]);
				sum += Math.max(counts[s] / tot, 0.2);
			}
		});
		if (parts.length < 2)
			return '';
		parts.forEach(function (p) {
			var h = p[1] / sum * 100;

			stops.push('var(--' + D.states[p[0]] + ') ' + at.toFixed(1) + '% ' +
				   (at + h).toFixed(1) + '%');
			at += h;
		});
		return 'linear-gradient(to top, ' + stops.join(', ') + ')';
	}

	function describe(T, first, last, counts) {
		var parts = [], s, n = 0;

		for (s = 0; s < NS; s++) {
			n += counts[s];
			if (counts[s])
				parts.push(counts[s] + ' ' + D.states[s]);
		}
		return 'positions ' + first + '-' + last + ', bus ' + hex(bus(T, first)) + '-' +
		       hex(bus(T, last + 1) - 1n) + ': ' + n + ' entr' + (n === 1 ? 'y' : 'ies') +
		       (parts.length ? ' (' + parts.join(', ') + ')' : '');
	}

	// ------------------------------------------------------------ the data

	D.tables.forEach(function (T, t) {
		T.t = t;
		T.lv = T.levels.map(function (L) {
			var m = new Map(), i, c = L.cells;

			for (i = 0; i + NS < c.length; i += NS + 1)
				m.set(c[i], c.slice(i + 1, i + 1 + NS));
			return { shift: L.shift, ncells: L.ncells, cells: m };
		});
		T.byPos = new Map();
		T.exact.forEach(function (e) {
			T.byPos.set(e[0], e);
		});
		T.links = [];   // [pos, finding], by position
	});

	// what each finding links to
	var links = D.findings.map(function (f, fi) {
		var i, T, k, pos, out = [];

		for (i = 0; i < D.tables.length; i++) {
			T = D.tables[i];
			if (f.key === T.key)
				return { kind: 'table', to: [[i, -1]] };
			k = T.key + ':bus=0x';
			if (f.key.indexOf(k) === 0 && /^[0-9a-f]+$/.test(f.key.slice(k.length))) {
				pos = (BigInt('0x' + f.key.slice(k.length)) >> BigInt(T.page_shift)) -
				      BigInt(T.offset);
				if (pos >= 0n && pos < BigInt(T.entries))
					return { kind: 'entry', to: [[i, Number(pos)]] };
			}
		}
		if (f.pfn_first !== undefined) {
			var lo = BigInt(f.pfn_first), hi = BigInt(f.pfn_last);

			D.tables.forEach(function (T, t) {
				T.exact.forEach(function (e) {
					if (e[1] !== null && out.length < 64 && BigInt(e[1]) >= lo &&
					    BigInt(e[1]) <= hi)
						out.push([t, e[0]]);
				});
			});
			if (out.length)
				return { kind: 'pfn', to: out };
		}
		return { kind: 'none', to: [] };
	});
	links.forEach(function (l, fi) {
		l.to.forEach(function (x) {
			if (x[1] >= 0)
				D.tables[x[0]].links.push([x[1], fi]);
		});
	});
	D.tables.forEach(function (T) {
		T.links.sort(function (a, b) { return a[0] - b[0]; });
	});

	// findings linked to positions first..last of table t (and to the table itself)
	function findingsIn(t, first, last) {
		var out = [];

		D.tables[t].links.forEach(function (x) {
			if (x[0] >= first && x[0] <= last && out.indexOf(x[1]) < 0)
				out.push(x[1]);
		});
		return out;
	}

	// ------------------------------------------------------------ the page

	var body = document.body;
	var header = el('header');
	var exitText = ['no finding at the fail level', 'findings at the fail level',
			'usage error', 'dump unreadable'];

	header.appendChild(el('h1', {}, 'tce-inspect check: DMA windows'));
	header.appendChild(el('div', { class: 'meta' }, D.dump + ' \u2014 tce-inspect ' +
			      D.version + ' \u2014 ' + D.tables.length + ' table' +
			      (D.tables.length === 1 ? '' : 's') + ', ' + D.findings.length +
			      ' finding' + (D.findings.length === 1 ? '' : 's') + ' \u2014 exit ' +
			      D.exit_status + ' (' + (exitText[D.exit_status] || '') +
			      ', --fail-on ' + D.fail_on + ')'));
	var legend = el('div', { class: 'legend' });
	D.states.forEach(function (s) {
		legend.appendChild(el('span', { style: '--c: var(--' + s + ')' }, s));
	});
	legend.appendChild(el('span', { style: '--c: var(--empty)' }, 'no valid entry'));
	header.appendChild(legend);
	body.appendChild(header);
	body.appendChild(el('div', { id: 'tce-errors' }));

	var layout = el('div', { class: 'layout' });
	var main = el('main', { id: 'tce-tables' });
	var aside = el('aside');
	layout.appendChild(main);
	layout.appendChild(aside);
	body.appendChild(layout);

	function cellEl(T, l, c, counts) {
		var L = T.lv[l];
		var first = c * Math.pow(2, L.shift);
		var last = Math.min(T.entries, (c + 1) * Math.pow(2, L.shift)) - 1;
		var s = counts ? cellState(counts) : -1;
		var e = el('div', {
			class: 'cell' + (s >= 0 ? ' s' + s : ''), id: 't' + T.t + '-l' + l + '-c' + c,
			'data-t': T.t, 'data-l': l, 'data-c': c, 'data-first': first,
			'data-last': last, 'data-counts': (counts || new Array(NS).fill(0)).join(','),
			title: describe(T, first, last, counts || new Array(NS).fill(0))
		});
		if (counts && s >= 0)
			e.style.background = gradient(counts);
		return e;
	}

	function axis(T, first, last) {
		var a = el('div', { class: 'axis' }), i;

		for (i = 0; i <= 4; i++) {
			var p = first + Math.floor((last + 1 - first) * i / 4);
			a.appendChild(el('span', {}, hex(bus(T, p))));
		}
		return a;
	}

	D.tables.forEach(function (T, t) {
		var box = el('section', { class: 'tbl', id: 't' + t });
		var size = Math.pow(2, T.page_shift);
		var tot = T.count.reduce(function (a, b) { return a + b; }, 0);
		var parts = [];

		box.appendChild(el('h2', {}, T.key));
		T.count.forEach(function (n, s) {
			if (n)
				parts.push(n + ' ' + D.states[s]);
		});
		box.appendChild(el('div', { class: 'meta' }, (T.kind || 'table') + ' ' +
				   (T.address || '') + ' id ' + (T.id || '?') + ': ' + T.entries +
				   ' entries of ' + (size >= 1024 ? size / 1024 + ' KiB' : size + ' B') +
				   ', bus ' + hex(bus(T, 0)) + '-' + hex(bus(T, T.entries) - 1n) + '; ' +
				   tot + ' valid' + (parts.length ? ' (' + parts.join(', ') + ')' : '') +
				   (T.found ? '; found: ' + T.found : '')));
		if (T.walk_error)
			box.appendChild(el('div', { class: 'werr' }, 'entries not walked: ' +
					   T.walk_error));
		if (T.lv.length) {
			var strip = el('div', { class: 'strip', id: 't' + t + '-strip' });
			var L = T.lv[0], c;

			for (c = 0; c < L.ncells; c++)
				strip.appendChild(cellEl(T, 0, c, L.cells.get(c)));
			// a few entries in a wide window: their cells wide enough to see
			if (L.cells.size * 4 < L.ncells)
				strip.classList.add('sparse');
			box.appendChild(strip);
			box.appendChild(axis(T, 0, T.entries - 1));
		}
		box.appendChild(el('div', { class: 'zoom', id: 't' + t + '-zoom', hidden: '' }));
		main.appendChild(box);
	});

	aside.appendChild(el('h2', {}, 'Findings (' + D.findings.length + ')'));
	aside.appendChild(el('div', { id: 'tce-sel' }, 'Click a cell or a finding.'));
	var list = el('ul', { id: 'tce-findings' });
	D.findings.forEach(function (f, fi) {
		var l = links[fi];
		var li = el('li', {
			id: 'f' + fi, class: f.severity + (f.baselined ? ' base' : ''),
			'data-fi': fi, 'data-id': f.id, 'data-key': f.key, 'data-link': l.kind,
			'data-to': l.to.map(function (x) { return x[0] + ':' + x[1]; }).join(' ')
		});
		var where;

		li.appendChild(el('span', { class: 'sev' }, f.severity + ' '));
		li.appendChild(el('b', {}, f.id));
		li.appendChild(document.createTextNode(' ' + f.message +
						       (f.baselined ? ' (baselined)' : '') +
						       (f.race ? ' (race: seen in ' + f.samples_seen +
							' of ' + D.samples + ' samples)' : '')));
		if (l.kind === 'entry')
			where = 'table ' + l.to[0][0] + ', position ' + l.to[0][1];
		else if (l.kind === 'table')
			where = 'table ' + l.to[0][0];
		else if (l.kind === 'pfn')
			where = l.to.length + ' entr' + (l.to.length === 1 ? 'y' : 'ies') +
				' mapping its pfns';
		else
			where = 'not about a TCE entry: ' + f.key;
		li.appendChild(el('span', { class: 'where' }, where));
		list.appendChild(li);
	});
	aside.appendChild(list);

	// ------------------------------------------------------------ zoom, selection

	// before a new selection: nothing highlighted, the zooms of other tables closed
	function clearHl(t) {
		document.querySelectorAll('.hl, .sel').forEach(function (e) {
			e.classList.remove('hl');
			e.classList.remove('sel');
		});
		document.querySelectorAll('.zoom').forEach(function (z) {
			if (z.id !== 't' + t + '-zoom') {
				z.hidden = true;
				z.textContent = '';
			}
		});
		document.querySelectorAll('.inzoom').forEach(function (e) {
			if (e.getAttribute('data-t') !== String(t))
				e.classList.remove('inzoom');
		});
	}

	// The zoom of table t around level-0 cell c0: level-0 cells z0..z0+ZOOM-1 in their
	// finer cells, and the entries one by one there (those the map lists)
	function zoom(t, c0) {
		var T = D.tables[t], box = document.getElementById('t' + t + '-zoom');
		var L0 = T.lv[0], z0, z1, first, last, c;

		z0 = Math.max(0, Math.min(c0 - ZOOM / 2, L0.ncells - ZOOM));
		z1 = Math.min(L0.ncells, z0 + ZOOM) - 1;
		first = z0 * Math.pow(2, L0.shift);
		last = Math.min(T.entries, (z1 + 1) * Math.pow(2, L0.shift)) - 1;
		box.textContent = '';
		box.hidden = false;
		box.setAttribute('data-first', first);
		box.setAttribute('data-last', last);
		document.querySelectorAll('#t' + t + '-strip .inzoom').forEach(function (e) {
			e.classList.remove('inzoom');
		});
		for (c = z0; c <= z1; c++)
			document.getElementById('t' + t + '-l0-c' + c).classList.add('inzoom');
		var bar = el('div', { class: 'meta' });
		var prev = el('button', { type: 'button' }, '\u25c0'), next = el('button',
			{ type: 'button' }, '\u25b6'), close = el('button', { type: 'button' },
			'zoom out');
		prev.onclick = function () { zoom(t, Math.max(0, c0 - ZOOM)); };
		next.onclick = function () { zoom(t, Math.min(L0.ncells - 1, c0 + ZOOM)); };
		close.onclick = function () { box.hidden = true; box.textContent = ''; };
		bar.appendChild(prev);
		bar.appendChild(next);
		bar.appendChild(close);
		bar.appendChild(document.createTextNode(' positions ' + first + '-' + last +
							', bus ' + hex(bus(T, first)) + '-' +
							hex(bus(T, last + 1) - 1n)));
		box.appendChild(bar);
		if (T.lv.length > 1) {
			var L1 = T.lv[1], strip = el('div', { class: 'strip', id: 't' + t + '-zstrip' });
			var f1 = Math.floor(first / Math.pow(2, L1.shift));
			var l1 = Math.floor(last / Math.pow(2, L1.shift));

			for (c = f1; c <= l1 && c < L1.ncells; c++)
				strip.appendChild(cellEl(T, 1, c, L1.cells.get(c)));
			if (strip.querySelectorAll('.cell[class*=" s"]').length * 4 <
			    strip.children.length)
				strip.classList.add('sparse');
			box.appendChild(strip);
			box.appendChild(axis(T, first, last));
		}
		// the entries listed one by one in the range
		var rows = T.exact.filter(function (e) {
			return e[0] >= first && e[0] <= last;
		});
		var note = T.exact_all ? 'every valid entry' :
			'entries free, not pinned or with a finding' +
			(T.exact_more ? ' (the first ' + T.exact.length + '; ' + T.exact_more +
			 ' more are counted in the cells only)' : '');
		box.appendChild(el('div', { class: 'meta' }, rows.length + ' entr' +
				   (rows.length === 1 ? 'y' : 'ies') + ' here, one by one (' +
				   note + ')' + (rows.length > MAX_ROWS ? ', the first ' +
				   MAX_ROWS + ' shown' : '')));
		if (rows.length) {
			var tab = el('table', { class: 'exact' }), tr = el('tr');
			['position', 'bus', 'pfn', 'state'].forEach(function (h) {
				tr.appendChild(el('th', {}, h));
			});
			tab.appendChild(tr);
			rows.slice(0, MAX_ROWS).forEach(function (e) {
				var r = el('tr', { id: 't' + t + '-e' + e[0], 'data-pos': e[0] });
				var st = el('td');

				r.appendChild(el('td', {}, String(e[0])));
				r.appendChild(el('td', {}, hex(bus(T, e[0]))));
				r.appendChild(el('td', {}, e[1] === null ? '-' : e[1]));
				st.appendChild(el('span', { class: 'dot cell s' + e[2] }));
				st.appendChild(document.createTextNode(D.states[e[2]]));
				r.appendChild(st);
				r.onclick = function () { selectPos(t, e[0]); };
				tab.appendChild(r);
			});
			box.appendChild(tab);
		}
	}

	function cellOf(T, l, pos) {
		return Math.floor(pos / Math.pow(2, T.lv[l].shift));
	}

	function mark(t, pos) {
		var T = D.tables[t], l, e;

		for (l = 0; l < T.lv.length; l++) {
			e = document.getElementById('t' + t + '-l' + l + '-c' + cellOf(T, l, pos));
			if (e)
				e.classList.add('hl');
		}
		e = document.getElementById('t' + t + '-e' + pos);
		if (e)
			e.classList.add('hl');
	}

	function showFindings(fis, what) {
		var sel = document.getElementById('tce-sel');

		sel.textContent = what + ': ' + (fis.length ? fis.length + ' finding' +
			(fis.length === 1 ? '' : 's') : 'no finding');
		sel.setAttribute('data-findings', fis.join(' '));
		fis.forEach(function (fi) {
			document.getElementById('f' + fi).classList.add('hl');
		});
		if (fis.length)
			document.getElementById('f' + fis[0]).scrollIntoView({ block: 'nearest' });
	}

	// a cell clicked: it highlighted, its findings listed
	function selectCell(t, l, c) {
		var T = D.tables[t], e = document.getElementById('t' + t + '-l' + l + '-c' + c);
		var first = +e.getAttribute('data-first'), last = +e.getAttribute('data-last');

		clearHl(t);
		if (l === 0 && (T.lv.length > 1 || T.exact.length))
			zoom(t, c);
		document.getElementById('t' + t + '-l' + l + '-c' + c).classList.add('hl');
		showFindings(findingsIn(t, first, last), 'table ' + t + ', ' +
			     describe(T, first, last, e.getAttribute('data-counts').split(',')
				      .map(Number)));
	}

	function selectPos(t, pos) {
		var T = D.tables[t];

		clearHl(t);
		mark(t, pos);
		showFindings(findingsIn(t, pos, pos), 'table ' + t + ', position ' + pos +
			     ', bus ' + hex(bus(T, pos)));
	}

	// a finding clicked: the cells it links to highlighted (zoomed to the first)
	function selectFinding(fi) {
		var l = links[fi], sel = document.getElementById('tce-sel');

		clearHl(l.to.length ? l.to[0][0] : -1);
		document.getElementById('f' + fi).classList.add('sel');
		l.to.forEach(function (x, i) {
			var T = D.tables[x[0]];

			if (x[1] < 0) {
				document.getElementById('t' + x[0]).scrollIntoView({ block: 'nearest' });
				return;
			}
			if (i === 0 && T.lv.length)
				zoom(x[0], cellOf(T, 0, x[1]));
			mark(x[0], x[1]);
		});
		if (l.to.length && l.to[0][1] >= 0) {
			var e = document.getElementById('t' + l.to[0][0] + '-l0-c' +
							cellOf(D.tables[l.to[0][0]], 0, l.to[0][1]));
			if (e)
				e.scrollIntoView({ block: 'nearest' });
		}
		sel.textContent = D.findings[fi].id + ' [' + D.findings[fi].key + ']: ' +
				  (l.kind === 'none' ? 'about no TCE entry' :
				   l.to.length + ' place' + (l.to.length === 1 ? '' : 's') + ' highlighted');
		sel.setAttribute('data-findings', String(fi));
	}

	main.addEventListener('click', function (ev) {
		var e = ev.target.closest('.strip .cell');

		if (e)
			selectCell(+e.getAttribute('data-t'), +e.getAttribute('data-l'),
				   +e.getAttribute('data-c'));
	});
	list.addEventListener('click', function (ev) {
		var li = ev.target.closest('li');

		if (li)
			selectFinding(+li.getAttribute('data-fi'));
	});

	window.tceReport = { data: D, links: links, selectCell: selectCell,
			     selectFinding: selectFinding, errors: errors };
	body.setAttribute('data-ready', '1');
})();
