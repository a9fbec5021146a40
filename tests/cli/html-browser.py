#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/html-browser.py [PAGE CHECK.json TABLES.json ENTRIES.json]...: loads each page
# of `check --format html` in a real headless browser (one session for all) (Debian's chromium, driven through
# chromedriver's WebDriver HTTP interface with urllib: no Python package beyond the
# standard library) and checks what it drew against the JSON of the same dump:
#  - the page loads, its script finishes, and the browser logs no error;
#  - the findings listed are check --format json's, in order, each linked where its
#    key says (TABLE:bus=0x...: that table's cell of the bus address; TABLE: the
#    table; pfns: entries mapping them; else nothing); a race (check --samples) says
#    so in its line, "(race: seen in K of N samples)", and no other line does;
#  - per table, in tables --format json's order, the valid entries by state add up to
#    the table's valid count, and every level-0 cell holds the entries of its
#    positions by the state each entry's own facts give (entries --format json: no
#    host page or no readable struct page: unknown; TCE-DMA-FREED about it: free;
#    another finding: finding; else healthy);
#  - a click on a finding highlights its cells (and zooms to them, where the finer
#    cells hold the same counts), a click on a cell lists its findings.
# Exit 0 pass, 1 fail (what differs on stderr), 77 when no browser can start (why said).
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

PAGES = [sys.argv[i:i + 4] for i in range(1, len(sys.argv) - 3, 4)]
WORK = os.path.dirname(os.path.abspath(PAGES[0][0]))
CLICKS = 8                     # findings clicked a page, at most
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
DRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
STATES = ['healthy', 'free', 'not-pinned', 'unknown', 'finding']
MAP_CELLS, ZOOM = 1024, 32
failures = []


current = ['']


def fail(msg):
    failures.append(msg)
    print('FAIL: %s: %s' % (current[0], msg), file=sys.stderr)


def skip(msg):
    print('SKIP: ' + msg)
    sys.exit(77)


for exe in (CHROMIUM, DRIVER):
    if not os.access(exe, os.X_OK):
        skip('%s is not installed (Debian: chromium, chromium-driver)' % exe)

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
base = 'http://127.0.0.1:%d' % port
log = open(os.path.join(WORK, 'chromedriver.log'), 'w')
drv = subprocess.Popen([DRIVER, '--port=%d' % port], stdout=log, stderr=subprocess.STDOUT)


def call(method, path, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.load(r)['value']
    except urllib.error.HTTPError as e:
        raise RuntimeError('%s %s: %s' % (method, path, e.read().decode()[:500]))


session = None
try:
    for _ in range(100):
        try:
            call('GET', '/status', timeout=2)
            break
        except (OSError, RuntimeError):
            time.sleep(0.1)
    else:
        skip('chromedriver does not answer on port %d' % port)
    caps = {'capabilities': {'alwaysMatch': {
        'browserName': 'chrome',
        'goog:chromeOptions': {
            'binary': CHROMIUM,
            'args': ['--headless=new', '--no-sandbox', '--disable-gpu',
                     '--disable-dev-shm-usage', '--window-size=1400,1000',
                     '--user-data-dir=' + os.path.join(WORK, 'chromium-profile')]},
        'goog:loggingPrefs': {'browser': 'ALL'}}}}
    try:
        session = call('POST', '/session', caps, timeout=120)['sessionId']
    except (OSError, RuntimeError) as e:
        skip('chromium cannot start headless: %s' % str(e)[:300])
    S = '/session/' + session

    def js(script, *args):
        return call('POST', S + '/execute/sync', {'script': script, 'args': list(args)})

    def find(css):
        el = call('POST', S + '/element', {'using': 'css selector', 'value': css})
        return list(el.values())[0]

    def one(PAGE, CHECK, TABLES, ENTRIES):
        current[0] = os.path.basename(PAGE)
        call('POST', S + '/url', {'url': 'file://' + os.path.abspath(PAGE)})
        for _ in range(100):
            if js("return document.body && document.body.getAttribute('data-ready')") == '1':
                break
            time.sleep(0.1)
        else:
            fail('the page never finished drawing (body[data-ready] unset)')
        logs = call('POST', S + '/se/log', {'type': 'browser'})
        for e in logs:
            if e.get('level') in ('SEVERE', 'WARNING'):
                fail('browser log: %s %s' % (e['level'], e['message'][:300]))
        errs = js("return document.body.getAttribute('data-errors')")
        if errs:
            fail('the page raised %s script errors' % errs)

        check = json.load(open(CHECK))
        tables = json.load(open(TABLES))['tables']
        entries = json.load(open(ENTRIES))['entries']

        # what the page drew, from its DOM
        dom = js("""
            var out = {tables: [], findings: []};
            document.querySelectorAll('#tce-tables > section.tbl').forEach(function (s) {
                var t = +s.id.slice(1), T = tceReport.data.tables[t];
                out.tables.push({key: T.key, address: T.address, offset: T.offset,
                    entries: T.entries, page_shift: T.page_shift, count: T.count,
                    walk_error: T.walk_error,
                    cells: Array.from(s.querySelectorAll('.strip:not([id$=zstrip]) .cell'))
                        .map(function (c) { return [+c.getAttribute('data-first'),
                            +c.getAttribute('data-last'), c.getAttribute('data-counts')]; })});
            });
            document.querySelectorAll('#tce-findings li').forEach(function (li) {
                out.findings.push({id: li.getAttribute('data-id'), key: li.getAttribute('data-key'),
                    link: li.getAttribute('data-link'), to: li.getAttribute('data-to'),
                    text: li.textContent});
            });
            return out;""")

        # findings: check's, in order
        want_f = check['findings']
        if [(f['id'], f['key']) for f in want_f] != [(f['id'], f['key']) for f in dom['findings']]:
            fail('findings differ from check --format json: %s vs %s' % (
                [(f['id'], f['key']) for f in want_f][:5], dom['findings'][:5]))
        races = 0
        for f, d in zip(want_f, dom['findings']):
            said = '(race: seen in %s of %d samples)' % (f.get('samples_seen'),
                                                         check.get('samples', 1))
            if bool(f.get('race')) != (said in d['text']) or \
                    (not f.get('race') and '(race' in d['text']):
                fail('finding %s [%s]: race %s, its line says %r' % (
                    f['id'], f['key'], f.get('race'), d['text']))
            races += bool(f.get('race'))

        # tables: tables --format json's, in order
        if [t['address'] for t in tables] != [t['address'] for t in dom['tables']]:
            fail('tables differ: %s vs %s' % ([t['address'] for t in tables],
                                              [t['address'] for t in dom['tables']]))
        by_addr = {}
        for e in entries:
            by_addr.setdefault(e['table'], []).append(e)
        free, other = set(), set()
        for f in want_f:
            (free if f['id'] == 'TCE-DMA-FREED' else other).add(f['key'])
        capped = any(f['key'].startswith('more:') for f in want_f)

        def cell_shift(n):
            s = 0
            while s < 63 and (n - 1) >> s >= MAP_CELLS:
                s += 1
            return s

        expect_pos = []   # per table: {position: state}
        for t, (T, D) in enumerate(zip(tables, dom['tables'])):
            states = {}
            for e in by_addr.get(T['address'], []):
                pos = e['index'] - T['offset']
                key = '%s:bus=%s' % (D['key'], e['bus'])
                page = e.get('page')
                if key in free:
                    st = 'free'
                elif key in other:
                    st = 'finding'
                elif e['host'] != 'present' or not page or page.get('error'):
                    st = 'unknown'
                else:
                    st = 'healthy'
                states[pos] = st
            expect_pos.append(states)
            if T['walk_error'] is None and sum(D['count']) != T['valid']:
                fail('table %d: %d entries by state, tables says %d valid' % (
                    t, sum(D['count']), T['valid']))
            if T['userspace'] or capped:
                continue   # not pinned, or findings beyond the cap: counted, not derived
            want = [0] * len(STATES)
            for st in states.values():
                want[STATES.index(st)] += 1
            if want != D['count']:
                fail('table %d (%s): counts by state %s, the entries and findings give %s' % (
                    t, D['key'], D['count'], want))
            shift = cell_shift(T['entries']) if T['entries'] else 0
            ncells = ((T['entries'] - 1) >> shift) + 1 if T['entries'] else 0
            if len(D['cells']) != ncells:
                fail('table %d: %d cells, want %d' % (t, len(D['cells']), ncells))
            cells = {}
            for pos, st in states.items():
                c = cells.setdefault(pos >> shift, [0] * len(STATES))
                c[STATES.index(st)] += 1
            for i, (first, last, counts) in enumerate(D['cells']):
                got = [int(x) for x in counts.split(',')]
                if first != i << shift or got != cells.get(i, [0] * len(STATES)):
                    fail('table %d cell %d (positions %d-%d): %s, want %s' % (
                        t, i, first, last, got, cells.get(i)))
                    break

        # links, from the keys alone
        for fi, (f, d) in enumerate(zip(want_f, dom['findings'])):
            want = ('none', '')
            for t, D in enumerate(dom['tables']):
                if f['key'] == D['key']:
                    want = ('table', '%d:-1' % t)
                    break
                k = D['key'] + ':bus=0x'
                if f['key'].startswith(k):
                    pos = (int(f['key'][len(k):], 16) >> D['page_shift']) - int(D['offset'], 16)
                    want = ('entry', '%d:%d' % (t, pos))
                    break
            if want[0] == 'none' and 'pfn_first' in f:
                if d['link'] not in ('pfn', 'none'):
                    fail('finding %d (%s): linked %s, want by pfn' % (fi, f['key'], d['link']))
                for x in (d['to'].split() if d['to'] else []):
                    t, pos = map(int, x.split(':'))
                    es = [e for e in by_addr.get(tables[t]['address'], [])
                          if e['index'] - tables[t]['offset'] == pos]
                    if not es or not es[0].get('host_pfn') or not (
                            int(f['pfn_first'], 16) <= int(es[0]['host_pfn'], 16) <=
                            int(f['pfn_last'], 16)):
                        fail('finding %d (%s): linked to %s, which maps no pfn of it' % (
                            fi, f['key'], x))
                continue
            if (d['link'], d['to']) != want:
                fail('finding %d (%s): linked %s %s, want %s %s' % (
                    fi, f['key'], d['link'], d['to'], want[0], want[1]))

        # clicks: a linked finding highlights its cells; its cell lists it (the first
        # and last findings of each table, at most CLICKS in all)
        linked = [fi for fi, d in enumerate(dom['findings']) if d['link'] == 'entry']
        ends = {}
        for fi in linked:
            ends.setdefault(dom['findings'][fi]['to'].split(':')[0], []).append(fi)
        chosen = sorted({x for v in ends.values() for x in (v[0], v[-1])})[:CLICKS]
        for fi in chosen:
            d = dom['findings'][fi]
            t, pos = map(int, d['to'].split(':'))
            D = dom['tables'][t]
            c0 = pos >> cell_shift(D['entries'])
            call('POST', S + '/element/%s/click' % find('#f%d' % fi), {})
            got = js("""
                var t = arguments[0], pos = arguments[1], T = tceReport.data.tables[t];
                var hl = Array.from(document.querySelectorAll('.cell.hl')).map(function (c) {
                    return [+c.getAttribute('data-t'), +c.getAttribute('data-l'),
                            +c.getAttribute('data-first'), +c.getAttribute('data-last'),
                            c.getAttribute('data-counts')]; });
                var z = document.getElementById('t' + t + '-zoom');
                var r = {hl: hl, sel: document.querySelector('#tce-findings li.sel').id,
                        zoom: z.hidden ? null : [+z.getAttribute('data-first'),
                                                 +z.getAttribute('data-last')],
                        zcells: Array.from(document.querySelectorAll('#t' + t + '-zstrip .cell'))
                            .map(function (c) { return [+c.getAttribute('data-first'),
                                c.getAttribute('data-counts')]; }),
                        shift1: T.levels.length > 1 ? T.levels[1].shift : null};
                r.selected = r.sel;
                // then the cell of its position clicked: the findings it lists
                document.getElementById(arguments[2]).click();
                r.sel = [document.getElementById('tce-sel').getAttribute('data-findings'),
                         Array.from(document.querySelectorAll('#tce-findings li.hl'))
                             .map(function (l) { return l.id; })];
                return r;""", t, pos, 't%d-l0-c%d' % (t, c0))
            if got['selected'] != 'f%d' % fi:
                fail('finding %d clicked: %s selected' % (fi, got['selected']))
            if not got['hl'] or any(h[0] != t or not h[2] <= pos <= h[3] for h in got['hl']):
                fail('finding %d clicked: highlighted %s, want the cells of table %d position '
                     '%d' % (fi, got['hl'], t, pos))
            if got['zoom'] is None or not got['zoom'][0] <= pos <= got['zoom'][1]:
                fail('finding %d clicked: zoom %s does not show position %d' % (
                    fi, got['zoom'], pos))
            if got['shift1'] is not None and not tables[t]['userspace'] and not capped:
                sh = got['shift1']
                for first, counts in got['zcells']:
                    want = [0] * len(STATES)
                    for p, st in expect_pos[t].items():
                        if p >> sh == first >> sh:
                            want[STATES.index(st)] += 1
                    if [int(x) for x in counts.split(',')] != want:
                        fail('table %d zoomed cell at %d: %s, want %s' % (t, first, counts, want))
                        break
            if os.environ.get('SCREENSHOT') and fi == int(os.environ.get('SCREENSHOT_AT', '0')):
                import base64
                with open(os.environ['SCREENSHOT'], 'wb') as png:
                    png.write(base64.b64decode(call('GET', S + '/screenshot')))
            # the cell of the finding's position, clicked, lists it
            sel = got['sel']
            if str(fi) not in (sel[0] or '').split() or 'f%d' % fi not in sel[1]:
                fail('cell %d of table %d clicked: findings %s, want %d among them' % (
                    c0, t, sel, fi))
        # a cell without findings lists none
        none = js("""
            var c = Array.from(document.querySelectorAll('.strip .cell')).find(function (c) {
                return c.getAttribute('data-counts') !== '0,0,0,0,0' &&
                       c.className.indexOf(' s0') >= 0; });
            if (!c) return null;
            c.click();
            return document.getElementById('tce-sel').getAttribute('data-findings');""")
        if none not in (None, ''):
            fail('a healthy cell clicked lists findings %s' % none)
        logs = call('POST', S + '/se/log', {'type': 'browser'})
        for e in logs:
            if e.get('level') in ('SEVERE', 'WARNING'):
                fail('browser log after the clicks: %s %s' % (e['level'], e['message'][:300]))
        if js("return document.body.getAttribute('data-errors')"):
            fail('the clicks raised script errors')
        print('%s: %d tables, %d findings (%d races), %d clicked: %s' % (
            os.path.basename(PAGE), len(dom['tables']), len(dom['findings']), races,
            len(chosen), 'FAIL' if failures else 'ok'))

    for args in PAGES:
        one(*args)
finally:
    if session:
        try:
            call('DELETE', '/session/' + session)
        except (OSError, RuntimeError):
            pass
    drv.terminate()
    try:
        drv.wait(10)
    except subprocess.TimeoutExpired:
        drv.kill()

sys.exit(1 if failures else 0)
