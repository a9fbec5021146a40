#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/guest.py: runs one ppc64 guest under qemu-system-ppc64 (TCG) for mkdump.sh.

It owns the guest's life: starting QEMU with its console on a pipe and QMP (the QEMU monitor,
in JSON) on a unix socket, typing shell commands on the guest console and waiting for their
answers, hot-adding and hot-removing memory, `dump-guest-memory`, and always stopping QEMU.
Every wait has a deadline, so a guest that does not boot makes this fail with the tail of
its console, never hang.  What happened (the QEMU command, the VMCOREINFO address the guest
printed, the kernel release, the memory layout, timings) is written as JSON for mkdump.sh.
The recipes (which machine, which hotplug steps) are the RECIPES table at the bottom.
Only the Python standard library is used.
"""

import argparse
import json
import os
import re
import select
import shlex
import socket
import subprocess
import sys
import threading
import time


class GuestError(Exception):
	pass


def log(msg):
	print('guest.py: %s' % msg, file=sys.stderr, flush=True)


class Qmp:
	"""A minimal QMP client: one command at a time, events kept for wait_event()."""

	def __init__(self, path, deadline, alive=lambda: True, why=lambda: ''):
		while True:
			try:
				self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				self.sock.connect(path)
				break
			except OSError:
				self.sock.close()
				if not alive():
					raise GuestError('QEMU exited before its monitor came up:\n%s' % why())
				if time.monotonic() > deadline:
					raise GuestError('QMP socket %s never came up' % path)
				time.sleep(0.1)
		self.buf = b''
		self.events = []
		self._recv(deadline)			# the greeting
		self.cmd('qmp_capabilities')

	def _recv(self, deadline):
		while b'\n' not in self.buf:
			left = deadline - time.monotonic()
			if left <= 0:
				raise GuestError('QMP: no answer in time')
			r, _, _ = select.select([self.sock], [], [], left)
			if not r:
				continue
			data = self.sock.recv(65536)
			if not data:
				raise GuestError('QMP: connection closed')
			self.buf += data
		line, self.buf = self.buf.split(b'\n', 1)
		return json.loads(line)

	def cmd(self, name, timeout=60, **args):
		msg = {'execute': name}
		if args:
			msg['arguments'] = args
		self.sock.sendall(json.dumps(msg).encode() + b'\n')
		deadline = time.monotonic() + timeout
		while True:
			m = self._recv(deadline)
			if 'event' in m:
				self.events.append(m)
				continue
			if 'error' in m:
				raise GuestError('QMP %s: %s' % (name, m['error'].get('desc', m['error'])))
			return m.get('return')

	def wait_event(self, name, timeout, match=None):
		deadline = time.monotonic() + timeout
		while True:
			for i, e in enumerate(self.events):
				if e['event'] == name and (match is None or match(e.get('data', {}))):
					return self.events.pop(i)
			m = self._recv(deadline)
			if 'event' in m:
				self.events.append(m)


class Guest:
	"""QEMU plus its console.  Use as a context manager: QEMU is always stopped."""

	def __init__(self, workdir, argv, console_log):
		self.workdir = workdir
		self.qmp_path = os.path.join(workdir, 'qmp.sock')
		if os.path.exists(self.qmp_path):
			os.unlink(self.qmp_path)
		self.argv = argv + ['-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path]
		self.console_log = open(console_log, 'wb')
		self.out = b''
		self.lock = threading.Lock()
		self.cond = threading.Condition(self.lock)
		self.proc = None
		self.qmp = None
		self.seq = 0

	def __enter__(self):
		self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
					     stderr=subprocess.STDOUT, cwd=self.workdir)
		self.reader = threading.Thread(target=self._read, daemon=True)
		self.reader.start()
		try:
			self.qmp = Qmp(self.qmp_path, time.monotonic() + 30,
				       lambda: self.proc.poll() is None, self._exit_report)
		except BaseException:
			self._stop()
			raise
		return self

	def __exit__(self, *exc):
		self._stop()
		return False

	def _stop(self):
		if self.proc.poll() is None and self.qmp:
			try:
				self.qmp.cmd('quit', timeout=10)
			except Exception:
				pass
		try:
			self.proc.wait(10 if self.qmp else 0.1)
		except subprocess.TimeoutExpired:
			self.proc.kill()
			self.proc.wait()
		self.reader.join(5)
		self.console_log.close()

	def _exit_report(self):
		self.reader.join(2)		# let the reader take QEMU's last words
		return self.tail(10)

	def _read(self):
		fd = self.proc.stdout.fileno()
		while True:
			data = os.read(fd, 65536)
			with self.cond:
				if not data:
					self.cond.notify_all()
					return
				self.console_log.write(data)
				self.console_log.flush()
				self.out += data
				self.cond.notify_all()

	def tail(self, n=30):
		with self.lock:
			text = self.out.decode('utf-8', 'replace')
		return '\n'.join(text.splitlines()[-n:])

	def expect(self, pattern, timeout, start=0):
		"""Wait until the console, from offset start, matches pattern; return the match."""
		rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
		deadline = time.monotonic() + timeout
		with self.cond:
			while True:
				m = rx.search(self.out, start)
				if m:
					return m
				if self.proc.poll() is not None:
					raise GuestError('QEMU exited (status %s) while waiting for %r; console tail:\n%s'
							 % (self.proc.returncode, pattern, self._tail_locked()))
				left = deadline - time.monotonic()
				if left <= 0:
					raise GuestError('timed out after %ds waiting for %r; console tail:\n%s'
							 % (timeout, pattern, self._tail_locked()))
				self.cond.wait(min(left, 1.0))

	def _tail_locked(self, n=30):
		return '\n'.join(self.out.decode('utf-8', 'replace').splitlines()[-n:])

	def mark(self):
		with self.lock:
			return len(self.out)

	def sh(self, command, timeout=60):
		"""Run one shell command on the guest console and return its output.

		The output is what lies between two markers the guest prints; they are made
		by shell arithmetic so that the console's echo of the typed line (which line
		editing may also wrap) can never be mistaken for them."""
		self.seq += 1
		n = self.seq
		start = self.mark()
		line = 'echo "@@TCE-BEGIN-$((%d+1))@@"; %s; echo "@@TCE-END-$((%d+1))-$?@@"\n' % (
			n - 1, command, n - 1)
		self.proc.stdin.write(line.encode())
		self.proc.stdin.flush()
		b = self.expect(r'@@TCE-BEGIN-%d@@\r?\n' % n, timeout, start)
		m = self.expect(r'@@TCE-END-%d-(\d+)@@' % n, timeout, b.end())
		with self.lock:
			text = self.out[b.end():m.start()].decode('utf-8', 'replace')
		body = text.replace('\r', '').rstrip('\n')
		status = int(m.group(1))
		if status != 0:
			raise GuestError('guest command %r failed with status %d: %s'
					 % (command, status, body))
		return body


class CInitGuest(Guest):
	"""A guest whose /init is be-init.c (no shell: Debian has no BE ppc64 userspace).
	It understands the few commands this file sends, each as one request line."""

	MEMORY_BLOCKS = 'for b in /sys/devices/system/memory/memory*; do'

	def sh(self, command, timeout=60):
		if command.startswith(self.MEMORY_BLOCKS):
			req = 'blocks'
		elif command == 'sync':
			req = 'sync'
		elif re.fullmatch(r'cat [^ ;|&]+', command):
			req = command
		else:
			raise GuestError('be-init cannot run %r' % command)
		self.seq += 1
		n = self.seq
		start = self.mark()
		self.proc.stdin.write(('%d %s\n' % (n, req)).encode())
		self.proc.stdin.flush()
		b = self.expect(r'@@TCE-BEGIN-%d@@\r?\n' % n, timeout, start)
		m = self.expect(r'@@TCE-END-%d-(\d+)@@' % n, timeout, b.end())
		with self.lock:
			text = self.out[b.end():m.start()].decode('utf-8', 'replace')
		body = text.replace('\r', '').rstrip('\n')
		status = int(m.group(1))
		if status != 0:
			raise GuestError('guest request %r failed with status %d: %s' % (req, status, body))
		return body


def memory_blocks(g):
	"""The guest's memory blocks as {phys_index: state}."""
	out = g.sh('for b in /sys/devices/system/memory/memory*; do echo ${b##*memory} $(cat $b/state); done')
	blocks = {}
	for ln in out.splitlines():
		parts = ln.split()
		if len(parts) == 2 and parts[0].isdigit():
			blocks[int(parts[0])] = parts[1]
	return blocks


def block_size(g):
	return int(g.sh('cat /sys/devices/system/memory/block_size_bytes'), 16)


def wait_memory(g, want_online, timeout):
	"""Wait until exactly want_online memory blocks are online (the kernel onlines
	hot-added memory itself, auto_online_blocks, and offlines it before removal)."""
	deadline = time.monotonic() + timeout
	while True:
		blocks = memory_blocks(g)
		online = sorted(i for i, s in blocks.items() if s == 'online')
		if len(online) == want_online:
			return online
		if time.monotonic() > deadline:
			raise GuestError('expected %d online memory blocks, have %d: %s'
					 % (want_online, len(online), blocks))
		time.sleep(1)


def hot_add(g, dimm, size):
	g.qmp.cmd('object-add', **{'qom-type': 'memory-backend-ram', 'id': 'mem-' + dimm, 'size': size})
	g.qmp.cmd('device_add', driver='pc-dimm', id=dimm, memdev='mem-' + dimm)
	addr = g.qmp.cmd('qom-get', path='/machine/peripheral/' + dimm, property='addr')
	return addr


def hot_remove(g, dimm, timeout):
	g.qmp.cmd('device_del', id=dimm)
	g.qmp.wait_event('DEVICE_DELETED', timeout, lambda d: d.get('device') == dimm)
	g.qmp.cmd('object-del', id='mem-' + dimm)


def boot(g, timeout):
	"""Wait for our /init's report and return it as a dict."""
	m = g.expect(r'@@TCE-READY@@', timeout)
	with g.lock:
		text = g.out[:m.end()].decode('utf-8', 'replace')
	info = {}
	for key in ('uname', 'vmcoreinfo', 'mmu', 'platform', 'cmdline', 'mode'):
		mm = re.search(r'@@TCE-%s: ([^\r\n]*)' % key, text)
		if mm:
			info[key] = mm.group(1).strip()
	if 'vmcoreinfo' not in info:
		raise GuestError('the guest did not print /sys/kernel/vmcoreinfo')
	addr, size = info['vmcoreinfo'].split()
	info['vmcoreinfo_addr'] = int(addr, 16)
	info['vmcoreinfo_size'] = int(size, 16)
	return info


def step_plan(g, meta, plan, bs, timeout):
	"""Run the recipe's hotplug steps, recording where each DIMM landed."""
	online = len([s for s in memory_blocks(g).values() if s == 'online'])
	dimms = {}
	for op in plan:
		t0 = time.monotonic()
		if op[0] == 'add':
			_, dimm, size = op
			addr = hot_add(g, dimm, size)
			online += size // bs
			wait_memory(g, online, timeout)
			dimms[dimm] = (addr, size)
			meta['steps'].append({'op': 'add', 'dimm': dimm, 'addr': '0x%x' % addr, 'size': size,
					      'seconds': round(time.monotonic() - t0, 1)})
		elif op[0] == 'del':
			_, dimm = op
			hot_remove(g, dimm, timeout)
			online -= dimms[dimm][1] // bs
			wait_memory(g, online, timeout)
			meta['steps'].append({'op': 'del', 'dimm': dimm, 'addr': '0x%x' % dimms[dimm][0],
					      'size': dimms[dimm][1],
					      'seconds': round(time.monotonic() - t0, 1)})
		log('%s done in %.1fs' % (' '.join(str(x) for x in op), time.monotonic() - t0))


def run_setup(g, meta, recipe, args):
	"""The recipe's 'setup' commands, in order, each with its own deadline; their
	output goes to meta['setup'].  A command that fails stops the run, with its output."""
	meta['setup'] = []
	for cmd in recipe.get('setup', []):
		t0 = time.monotonic()
		out = g.sh(cmd, timeout=args.step_timeout)
		meta['setup'].append({'command': cmd, 'output': out,
				      'seconds': round(time.monotonic() - t0, 1)})
		log('%s: done in %.1fs' % (cmd, time.monotonic() - t0))


def run_truth(g, meta, truth, args):
	"""Starts the recipe's truth program in the background (it prints its ground truth,
	says READY and waits, so that the dump holds what it made), waits for READY or
	ERROR in its output, and copies that output to args.truth through the console."""
	if not args.truth:
		raise GuestError('the recipe prints ground truth: --truth FILE is needed')
	t0 = time.monotonic()
	g.sh('(%s >/tmp/truth.txt 2>/tmp/truth.err </dev/null &)' % truth['command'])
	deadline = time.monotonic() + truth.get('timeout', 300)
	while True:
		state = g.sh('if grep -q "^READY" /tmp/truth.txt; then echo ready; '
			     'elif grep -q "^ERROR" /tmp/truth.txt; then echo error; '
			     'elif pidof %s >/dev/null; then echo running; else echo gone; fi'
			     % os.path.basename(truth['command'].split()[0]))
		if state == 'ready':
			break
		if state in ('error', 'gone'):
			raise GuestError('%s failed: %s %s' % (truth['command'],
				g.sh('tail -n 5 /tmp/truth.txt'), g.sh('cat /tmp/truth.err')))
		if time.monotonic() > deadline:
			raise GuestError('%s: no READY after %ds' % (truth['command'],
								 truth.get('timeout', 300)))
		time.sleep(2)
	meta['seconds']['truth_program'] = round(time.monotonic() - t0, 1)
	t0 = time.monotonic()
	text = g.sh('cat /tmp/truth.txt', timeout=truth.get('print_timeout', 600))
	if not text.rstrip().endswith('READY'):
		raise GuestError('the truth came through the console incomplete')
	with open(args.truth, 'w') as f:
		f.write(text.rstrip('\n') + '\n')
	meta['seconds']['truth_print'] = round(time.monotonic() - t0, 1)
	meta['truth_lines'] = text.count('\n') + 1
	log('%s: READY after %.1fs, %d lines of truth in %.1fs'
	    % (truth['command'], meta['seconds']['truth_program'], meta['truth_lines'],
	       meta['seconds']['truth_print']))


def qemu_argv(recipe, kernel, initrd, extra_append):
	append = 'console=hvc0 rdinit=/init quiet ' + recipe.get('append', '')
	if extra_append:
		append += ' ' + extra_append
	argv = ['qemu-system-ppc64', '-M', recipe['machine'], '-m', recipe['memory'],
		'-smp', '1', '-display', 'none', '-nodefaults', '-serial', 'stdio',
		'-monitor', 'none', '-kernel', kernel, '-initrd', initrd,
		'-append', append.strip()]
	if 'cpu' in recipe:
		argv[3:3] = ['-cpu', recipe['cpu']]
	if recipe.get('defaults'):
		# QEMU 7.2's powernv makes its PHBs (pcie.N) only as default devices.
		argv.remove('-nodefaults')
	return argv + recipe.get('qemu', [])


def run_qemu_dump(args, recipe):
	meta = {'name': args.name, 'recipe': recipe, 'steps': [], 'seconds': {}}
	argv = qemu_argv(recipe, args.kernel, args.initrd, None)
	meta['qemu'] = ' '.join(shlex.quote(a) for a in argv)
	t_all = time.monotonic()
	guest_class = CInitGuest if recipe.get('init') == 'c' else Guest
	with guest_class(args.workdir, argv, os.path.join(args.workdir, 'console.log')) as g:
		t0 = time.monotonic()
		info = boot(g, args.boot_timeout)
		meta['seconds']['boot'] = round(time.monotonic() - t0, 1)
		log('booted in %.1fs: %s, %s' % (meta['seconds']['boot'], info.get('uname'), info.get('mmu')))
		meta['guest'] = info
		bs = block_size(g)
		meta['memory_block_size'] = bs
		t0 = time.monotonic()
		step_plan(g, meta, recipe.get('plan', []), bs, args.step_timeout)
		meta['seconds']['hotplug'] = round(time.monotonic() - t0, 1)
		meta['memory_blocks'] = {str(k): v for k, v in sorted(memory_blocks(g).items())}
		meta['iomem'] = g.sh('cat /proc/iomem')
		run_setup(g, meta, recipe, args)
		if 'truth' in recipe:
			run_truth(g, meta, recipe['truth'], args)
		# Quiesce: let the guest settle so the dump is of an idle kernel.
		g.sh('sync')
		t0 = time.monotonic()
		g.qmp.cmd('stop')
		g.qmp.cmd('dump-guest-memory', timeout=args.dump_timeout, paging=False,
			  protocol='file:' + args.out)
		meta['seconds']['dump'] = round(time.monotonic() - t0, 1)
		log('dump-guest-memory done in %.1fs' % meta['seconds']['dump'])
		# the same stopped guest in QEMU's kdump-compressed forms (dump-guest-memory
		# -z and its lzo and snappy siblings: makedumpfile's flattened format)
		have = (g.qmp.cmd('query-dump-guest-memory-capability') or {}).get('formats', []) \
			if args.out_kdump else []
		for spec in args.out_kdump:
			fmt, _, path = spec.partition('=')
			if fmt not in have:
				# Debian 12's QEMU has no lzo: said, not failed
				log('dump-guest-memory format=%s: not in this QEMU (it has %s)' % (fmt, ', '.join(have)))
				meta.setdefault('kdump_formats_missing', []).append(fmt)
				continue
			t0 = time.monotonic()
			g.qmp.cmd('dump-guest-memory', timeout=args.dump_timeout, paging=False,
				  protocol='file:' + path, format=fmt)
			meta['seconds']['dump_' + fmt] = round(time.monotonic() - t0, 1)
			log('dump-guest-memory format=%s done in %.1fs' % (fmt, meta['seconds']['dump_' + fmt]))
		if 'change' in recipe:
			run_change(g, meta, recipe['change'], args)
	meta['seconds']['total'] = round(time.monotonic() - t_all, 1)
	return meta


def run_change(g, meta, change, args):
	"""A second dump of the same running guest after a change: the guest runs again, the
	recipe's change command tells its truth program to change its tables (it prints
	AFTER, their truth then, and READY again), that truth goes to args.truth_after and
	the dump to args.out_after."""
	if not args.out_after or not args.truth_after:
		raise GuestError('the recipe dumps twice: --out-after and --truth-after are needed')
	g.qmp.cmd('cont')
	t0 = time.monotonic()
	g.sh(change['command'])
	deadline = time.monotonic() + change.get('timeout', 120)
	while g.sh('grep -c "^READY" /tmp/truth.txt').strip() != '2':
		if time.monotonic() > deadline:
			raise GuestError('%s: no second READY after %ds: %s' % (
				change['command'], change.get('timeout', 120),
				g.sh('tail -n 3 /tmp/truth.txt; cat /tmp/truth.err')))
		time.sleep(2)
	text = g.sh("sed -n '/^AFTER/,$p' /tmp/truth.txt", timeout=600)
	if not text.startswith('AFTER') or not text.rstrip().endswith('READY'):
		raise GuestError('the truth after the change came through the console incomplete')
	with open(args.truth_after, 'w') as f:
		f.write(text.rstrip('\n') + '\n')
	meta['seconds']['change'] = round(time.monotonic() - t0, 1)
	g.sh('sync')
	t0 = time.monotonic()
	g.qmp.cmd('stop')
	g.qmp.cmd('dump-guest-memory', timeout=args.dump_timeout, paging=False,
		  protocol='file:' + args.out_after)
	meta['seconds']['dump_after'] = round(time.monotonic() - t0, 1)
	log('changed in %.1fs, second dump in %.1fs' % (meta['seconds']['change'],
							 meta['seconds']['dump_after']))


def run_kdump(args, recipe):
	"""The dump users get: kexec -p a capture kernel, panic, and let the capture
	kernel's init save /proc/vmcore with makedumpfile onto a virtio disk."""
	meta = {'name': args.name, 'recipe': recipe, 'steps': [], 'seconds': {}}
	disk = os.path.join(args.workdir, 'capture.img')
	with open(disk, 'wb') as f:
		f.truncate(recipe['disk_size'])
	argv = qemu_argv(recipe, args.kernel, args.initrd, None)
	argv += ['-drive', 'file=%s,format=raw,if=none,id=cap' % disk,
		 '-device', 'virtio-blk-pci,drive=cap']
	meta['qemu'] = ' '.join(shlex.quote(a) for a in argv)
	t_all = time.monotonic()
	with Guest(args.workdir, argv, os.path.join(args.workdir, 'console.log')) as g:
		t0 = time.monotonic()
		info = boot(g, args.boot_timeout)
		meta['seconds']['boot'] = round(time.monotonic() - t0, 1)
		log('booted in %.1fs: %s, %s' % (meta['seconds']['boot'], info.get('uname'), info.get('mmu')))
		meta['guest'] = info
		bs = block_size(g)
		meta['memory_block_size'] = bs

		def kexec_load():
			t0 = time.monotonic()
			g.sh('kexec -p /boot/vmlinux --initrd=/boot/initrd.gz --append="%s"'
			     % recipe.get('capture_append',
					  'console=hvc0 rdinit=/init maxcpus=1 noirqdistrib reset_devices quiet'),
			     timeout=args.step_timeout)
			meta['seconds']['kexec_load'] = round(time.monotonic() - t0, 1)

		# 6.1 has no crash hotplug: the capture kernel's ELF headers are made when
		# kexec -p loads it, so load it after the hotplug steps, unless the recipe
		# says 'kexec_first' (then the capture kernel knows only the boot memory).
		if recipe.get('kexec_first'):
			kexec_load()
		t0 = time.monotonic()
		step_plan(g, meta, recipe.get('plan', []), bs, args.step_timeout)
		meta['seconds']['hotplug'] = round(time.monotonic() - t0, 1)
		meta['memory_blocks'] = {str(k): v for k, v in sorted(memory_blocks(g).items())}
		meta['iomem'] = g.sh('cat /proc/iomem')
		if not recipe.get('kexec_first'):
			kexec_load()
		t0 = time.monotonic()
		start = g.mark()
		g.proc.stdin.write(b'echo c > /proc/sysrq-trigger\n')
		g.proc.stdin.flush()
		m = g.expect(r'@@TCE-READY@@', args.boot_timeout, start)
		meta['seconds']['capture_boot'] = round(time.monotonic() - t0, 1)
		t0 = time.monotonic()
		m = g.expect(r'@@TCE-CAPTURE-(OK|FAILED)([^@]*)@@', args.dump_timeout, m.end())
		if m.group(1) != b'OK':
			raise GuestError('capture kernel failed: %s\n%s' % (m.group(2).decode(), g.tail()))
		meta['seconds']['capture'] = round(time.monotonic() - t0, 1)
		log('panic to saved dump in %.1fs (capture kernel boot %.1fs, makedumpfile %.1fs)'
		    % (meta['seconds']['capture_boot'] + meta['seconds']['capture'],
		       meta['seconds']['capture_boot'], meta['seconds']['capture']))
		try:
			g.proc.wait(60)
		except subprocess.TimeoutExpired:
			pass
	meta['seconds']['total'] = round(time.monotonic() - t_all, 1)
	meta['capture_disk'] = disk
	return meta


# The recipes.  'plan' is what is done on the monitor after boot; sizes are multiples of
# the pseries memory block (256 MiB).
MiB = 1 << 20
KVM_SETUP = [
	'insmod /lib/modules/kvm.ko',
	'insmod /lib/modules/kvm-hv.ko',
	'ls -l /dev/kvm',
]
RECIPES = {
	# Hash MMU: 64K vmemmap pages, so many vmemmap_list entries; add d1, add d2, remove
	# d1, add d3 (lands where d1 was): the list is then NOT in descending order.
	'hash-hotplug': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix',
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	# hash-hotplug plus QEMU's standard VGA (what a pseries machine gets by default without
	# -nodefaults): its 16 MiB of video RAM is RAM to QEMU, so dump-guest-memory writes it
	# as a PT_LOAD at the BAR SLOF gave it in the PHB's 64-bit window, memory the kernel
	# does not manage (no mem_section covers it).  romfile= (none): Debian 12's QEMU
	# lacks vgabios-stdvga.bin, and the guest never runs the VGA BIOS anyway.
	'hash-vga': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix',
		'qemu': ['-device', 'VGA,romfile='],
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	# Radix MMU: 2M vmemmap pages, each backing the struct pages of 2 GiB, and a block is
	# freed only when no section in it is left.  So: fill [1G, 2G) with d1, put d2 alone
	# in [2G, 4G) and d3 at 4G, remove d2 (its block goes to the freed list) and add d4:
	# it lands at 2G again, its recycled block goes to the head, ahead of d3's higher one.
	'radix': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER9', 'memory': '1G,slots=4,maxmem=8G',
		'plan': [('add', 'd1', 1024 * MiB), ('add', 'd2', 2048 * MiB),
			 ('add', 'd3', 256 * MiB), ('del', 'd2'), ('add', 'd4', 256 * MiB)],
	},
	# A 1 GiB pseries guest whose memory is mostly not zero (640 MiB of random bytes in a
	# file of its initramfs): the cost of QEMU's kdump-compressed output (-z), which
	# stores zero pages once, read directly and repaired (mkdump.sh fill-1g.qemu-z).
	'fill-1g': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER9', 'memory': '1G',
		'setup': ['dd if=/dev/urandom of=/fill bs=1M count=640 2>&1 | tail -n 1'],
	},
	# Bare-metal (hypervisor mode) POWER9: radix, OPAL, no memory hotplug.
	'powernv': {
		'kind': 'qemu',
		'machine': 'powernv9', 'memory': '1G',
		'plan': [],
	},
	# Real KVM guest-view TCE tables (no guest runs): powernv9 (radix, hypervisor mode),
	# kvm.ko and kvm-hv.ko of the same Debian kernel, then kvm-tables.c makes a VM, memslots
	# and sparse KVM_CREATE_SPAPR_TCE_64 tables, prints their truth and waits.
	'pnv-kvm': {
		'kind': 'qemu',
		'machine': 'powernv9', 'memory': '1G',
		'setup': KVM_SETUP,
		'truth': {'command': '/bin/kvm-tables', 'timeout': 300},
	},
	# The same guest dumped twice: kvm-tables --change waits after its truth, the first dump
	# is taken, then it unmaps, remaps, maps and write-protects entries, closes a table and
	# makes another, prints the truth then, and the second dump is taken (tce-inspect diff
	# of the two against the two truths: tests/e2e/check-diff.py).
	'pnv-kvm-change': {
		'kind': 'qemu',
		'machine': 'powernv9', 'memory': '1G',
		'setup': KVM_SETUP,
		'truth': {'command': '/bin/kvm-tables --change', 'timeout': 300},
		'change': {'command': 'kill -USR1 $(pidof kvm-tables)', 'timeout': 120},
	},
	# The same plus one table of 16M entries (page shift 16), every entry written: 128 MiB
	# of TCEs in a 2 GiB machine.
	'pnv-kvm-16m': {
		'kind': 'qemu',
		'machine': 'powernv9', 'memory': '2G',
		'setup': KVM_SETUP,
		'truth': {'command': '/bin/kvm-tables --big', 'timeout': 900},
	},
	# POWER8: the hash MMU in hypervisor mode.  KVM-HV loads there under TCG too (Debian's
	# 6.1.176, QEMU 7.2: insmod kvm-hv.ko succeeds, /dev/kvm appears, KVM_CREATE_VM and
	# KVM_CREATE_SPAPR_TCE_64 work; no guest is ever run).
	'pnv8-kvm': {
		'kind': 'qemu',
		'machine': 'powernv8', 'memory': '1G',
		'setup': KVM_SETUP,
		'truth': {'command': '/bin/kvm-tables', 'timeout': 300},
	},
	# A real KVM-HV guest's hcalls: powernv8 as pnv8-kvm, then kvm-hcall.c runs a vcpu
	# (kernel/qemu/kvm-guest.h) whose H_PUT_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE write
	# guest-view tables, reads them back, prints their truth and waits.  -patched: the
	# project's patched 6.1 (patched-kernel.sh: KVM-HV built in, the real-mode handlers).
	'pnv8-hcall': {
		'kind': 'qemu',
		'machine': 'powernv8', 'memory': '1G',
		'setup': KVM_SETUP,
		'truth': {'command': '/bin/kvm-hcall', 'timeout': 600},
	},
	'pnv8-hcall-patched': {
		'kind': 'qemu',
		'machine': 'powernv8', 'memory': '1G',
		'setup': ['ls -l /dev/kvm'],
		'truth': {'command': '/bin/kvm-hcall', 'timeout': 600},
	},
	# A real two-level hardware TCE table: the IOMMU bypass window off, an e1000e on the
	# first PHB, its link up and a few pings to QEMU's user-mode gateway (restrict=on: it
	# reaches nothing outside QEMU; romfile= (none): Debian 12's QEMU lacks efi-e1000e.rom,
	# and skiboot runs no option ROM).  The truth is read from the dump by tables-oracle.py.
	'pnv-nic': {
		'kind': 'qemu',
		'machine': 'powernv9', 'memory': '1G',
		'append': 'iommu=nobypass',
		'defaults': True,
		'qemu': ['-netdev', 'user,id=n0,restrict=on', '-device', 'e1000e,netdev=n0,bus=pcie.0,romfile='],
		'setup': [
			'insmod /lib/modules/e1000e.ko',
			'i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do sleep 0.2; '
			'i=$((i+1)); done; [ -e /sys/class/net/eth0 ]',
			'ip link set eth0 up',
			'ip addr add 10.0.2.15/24 dev eth0',
			'i=0; while ! grep -q 1 /sys/class/net/eth0/carrier && [ $i -lt 100 ]; do '
			'sleep 0.2; i=$((i+1)); done; cat /sys/class/net/eth0/carrier',
			'ping -c 5 -W 2 10.0.2.2 || true',
			'cat /sys/class/net/eth0/statistics/rx_packets /sys/class/net/eth0/statistics/tx_packets',
			'dmesg | grep -i -E "iommu|PE#|TCE|e1000e" | tail -n 40',
		],
	},
	# Big-endian ppc64 (be-kernel.sh's pseries_defconfig build, be-init.c as /init), hash
	# MMU, the same hotplug steps as hash-hotplug.
	'be-hash-hotplug': {
		'kind': 'qemu', 'init': 'c',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix',
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	# Debian 13's 6.12 (4K pages in the default flavour, 64K in -64k): the same machines
	# and hotplug steps as radix and hash-hotplug.  6.12 radix keeps no vmemmap_list (the
	# kernel page tables are the only map of the vmemmap); 6.12 hash with 4K pages maps
	# it in 4K blocks, so hash-hotplug's list grows to thousands of entries.
	'd13-radix': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER9', 'memory': '1G,slots=4,maxmem=8G',
		'plan': [('add', 'd1', 1024 * MiB), ('add', 'd2', 2048 * MiB),
			 ('add', 'd3', 256 * MiB), ('del', 'd2'), ('add', 'd4', 256 * MiB)],
	},
	'd13-hash-hotplug': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix',
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	'd13-64k-radix': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER9', 'memory': '1G,slots=4,maxmem=8G',
		'plan': [('add', 'd1', 1024 * MiB), ('add', 'd2', 2048 * MiB),
			 ('add', 'd3', 256 * MiB), ('del', 'd2'), ('add', 'd4', 256 * MiB)],
	},
	'd13-64k-hash-hotplug': {
		'kind': 'qemu',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix',
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	# kdump inside the guest, after the same hotplug as hash-hotplug.
	'kdump-hash-hotplug': {
		'kind': 'kdump',
		'machine': 'pseries', 'cpu': 'POWER8', 'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix crashkernel=256M',
		'disk_size': 512 * MiB,
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	# The same on Debian 13's 6.12 (CONFIG_CRASH_HOTPLUG=y, but Debian 12's kexec-tools has no
	# --hotplug: the capture kernel is loaded after the hotplug steps, as for 6.1).  With
	# QEMU's default resize-hpt, a 6.12 hash guest resizes its hash page table when memory
	# is hot-added, and the capture kernel then dies silently right after purgatory (seen
	# with one hot-add, with kexec loaded before or after it; radix, or no hotplug, boot
	# fine): resize-hpt=disabled sizes the HPT for maxmem from the start.
	'kdump-d13-hash-hotplug': {
		'kind': 'kdump',
		'machine': 'pseries,resize-hpt=disabled', 'cpu': 'POWER8',
		'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix crashkernel=256M',
		'disk_size': 512 * MiB,
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
	'kdump-d13-64k-hash-hotplug': {
		'kind': 'kdump',
		'machine': 'pseries,resize-hpt=disabled', 'cpu': 'POWER8',
		'memory': '1G,slots=4,maxmem=4G',
		'append': 'disable_radix crashkernel=256M',
		'disk_size': 512 * MiB,
		'plan': [('add', 'd1', 256 * MiB), ('add', 'd2', 512 * MiB), ('del', 'd1'),
			 ('add', 'd3', 256 * MiB)],
	},
}

# Debian 13's 6.12 with the TCE-table recipes: the same machines, modules (from the 6.12
# deb) and truth program; d13-pnv-kvm, d13-pnv-kvm-16m and d13-pnv8-kvm on the default
# flavour (4K pages), d13-64k-pnv-kvm on -64k.
for _name in ('pnv-kvm', 'pnv-kvm-16m', 'pnv8-kvm', 'pnv-nic'):
	RECIPES['d13-' + _name] = dict(RECIPES[_name])
RECIPES['d13-64k-pnv-kvm'] = dict(RECIPES['pnv-kvm'])

# VFIO-owned hardware tables (6.12: powerpc has iommu_ops since 6.4, 6.1 makes no VFIO
# group): three e1000e on three PHBs (three PEs, three IOMMU groups; no e1000e driver, so
# they are free for vfio-pci), the IOMMU bypass off as in pnv-nic, the vfio modules of the
# same deb, every e1000e handed to vfio-pci through driver_override; then vfio-tables.c
# makes SPAPR TCE v2 containers, preregistered regions and mappings, prints their truth and
# waits.  d13-64k-pnv-vfio is the same on the -64k flavour.
RECIPES['d13-pnv-vfio'] = {
	'kind': 'qemu',
	'machine': 'powernv9', 'memory': '1G',
	'append': 'iommu=nobypass',
	'defaults': True,
	'qemu': [a for i in range(3) for a in (
		'-netdev', 'user,id=n%d,restrict=on' % i,
		'-device', 'e1000e,netdev=n%d,bus=pcie.%d,romfile=' % (i, i))],
	'setup': [
		'insmod /lib/modules/vfio.ko',
		'insmod /lib/modules/vfio_iommu_spapr_tce.ko',
		'insmod /lib/modules/vfio-pci-core.ko',
		'insmod /lib/modules/vfio-pci.ko',
		'for d in /sys/bus/pci/devices/*; do [ "$(cat $d/vendor):$(cat $d/device)" = '
		'0x8086:0x10d3 ] || continue; echo vfio-pci >$d/driver_override; '
		'echo ${d##*/} >/sys/bus/pci/drivers_probe; done',
		'ls /sys/bus/pci/drivers/vfio-pci /dev/vfio',
		'for d in /sys/bus/pci/drivers/vfio-pci/*:*; do echo ${d##*/} $(readlink $d/iommu_group); done',
		'dmesg | grep -i -E "iommu|PE#|TCE|vfio" | tail -n 60',
	],
	'truth': {'command': '/bin/vfio-tables', 'timeout': 300},
}
RECIPES['d13-64k-pnv-vfio'] = dict(RECIPES['d13-pnv-vfio'])
# POWER8's hash MMU in hypervisor mode: QEMU's powernv8 gives 16M pages (powernv9's radix
# gets no 2M ones under TCG), so the -64k kernel has 16M THP and hugetlb pages there.
RECIPES['d13-64k-pnv8-vfio'] = dict(RECIPES['d13-pnv-vfio'], machine='powernv8')

# The same VFIO layout on the project's patched 6.1 (patched-kernel.sh: kernel/patches 0001-0007,
# whose 0005-0007 give powerpc the iommu_ops VFIO needs; vfio, vfio_iommu_spapr_tce, vfio-pci
# and e1000e built in, so no insmod): e1000e takes the three NICs at boot and each is
# unbound from it before vfio-pci is offered it.
RECIPES['pnv-vfio-patched'] = dict(RECIPES['d13-pnv-vfio'], setup=[
	'for d in /sys/bus/pci/devices/*; do [ "$(cat $d/vendor):$(cat $d/device)" = '
	'0x8086:0x10d3 ] || continue; echo vfio-pci >$d/driver_override; '
	'[ ! -e $d/driver ] || echo ${d##*/} >$d/driver/unbind; '
	'echo ${d##*/} >/sys/bus/pci/drivers_probe; done',
	'ls /sys/bus/pci/drivers/vfio-pci /dev/vfio',
	'for d in /sys/bus/pci/drivers/vfio-pci/*:*; do echo ${d##*/} $(readlink $d/iommu_group); done',
	'dmesg | grep -i -E "iommu|PE#|TCE|vfio" | tail -n 60',
])

# KVM guest-view tables with VFIO groups attached (the project's patched 6.1 on POWER8, KVM-HV
# and VFIO built in): three e1000e on three PHBs (three PEs, three IOMMU groups) handed to
# vfio-pci as in pnv-vfio-patched; kvm-vfio.c puts each group in a SPAPR TCE v2 container, attaches the
# hardware windows to its guest's LIOBNs (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE), and its vcpu's
# hcalls write the guest views and the hardware tables; it prints their truth and waits.
RECIPES['pnv8-kvm-vfio-patched'] = dict(RECIPES['pnv-vfio-patched'], machine='powernv8',
	setup=RECIPES['pnv-vfio-patched']['setup'] + ['ls -l /dev/kvm'],
	truth={'command': '/bin/kvm-vfio', 'timeout': 600})


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('name', choices=sorted(RECIPES))
	ap.add_argument('--kernel', required=True)
	ap.add_argument('--initrd', required=True)
	ap.add_argument('--workdir', required=True)
	ap.add_argument('--out', help='where dump-guest-memory writes (qemu recipes)')
	ap.add_argument('--truth', help="where the recipe's truth program's output goes")
	ap.add_argument('--out-after', help='the second dump of a recipe that dumps twice')
	ap.add_argument('--out-kdump', action='append', default=[], metavar='FORMAT=FILE',
			help='after --out, the same stopped guest dumped again in a kdump-compressed '
			'FORMAT (kdump-zlib: dump-guest-memory -z; kdump-lzo, kdump-snappy) to FILE '
			'(qemu recipes; may be repeated)')
	ap.add_argument('--truth-after', help='the truth after its change')
	ap.add_argument('--meta', required=True, help='JSON file to write')
	ap.add_argument('--boot-timeout', type=int, default=180)
	ap.add_argument('--step-timeout', type=int, default=120)
	ap.add_argument('--dump-timeout', type=int, default=600)
	ap.add_argument('--print-recipe', action='store_true')
	args = ap.parse_args()
	recipe = RECIPES[args.name]
	try:
		if recipe['kind'] == 'qemu':
			meta = run_qemu_dump(args, recipe)
		else:
			meta = run_kdump(args, recipe)
	except GuestError as e:
		log('error: %s' % e)
		return 1
	with open(args.meta, 'w') as f:
		json.dump(meta, f, indent=1, sort_keys=True)
	return 0


if __name__ == '__main__':
	sys.exit(main())
