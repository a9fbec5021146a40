#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/debuginfod.sh [--deb|--tree] [--fresh] [--port N] [REL...] [-- COMMAND [ARG...]]
# A real local debuginfod server (elfutils' debuginfod, Debian package `debuginfod`) serving
# the kernel debug files tests/e2e/fetch-debug.sh put in the cache, for the debuginfod tests
# of the type-information layer (issue 14).
#
#   --deb   (default) serve the linux-image-REL-dbg .deb files themselves (debuginfod -U,
#           which unpacks them with bsdtar: package libarchive-tools), the way a distribution
#           server serves packages.  Indexing a fresh database reads every ELF file of every
#           deb: about 2 minutes for the 6.1 deb on 2 cores (3 with source scanning, which is
#           off here); the index is kept in the cache, so later runs are ready in a second;
#   --tree  serve the unpacked trees (debuginfod -F over fetch-debug.sh's trees/REL: the
#           vmlinux and the kvm/vfio/powernv modules only), indexed in seconds;
#   --fresh index into a throw-away database (to measure indexing; nothing is reused);
#   --port N listen on N (default: a free port; debuginfod listens on every interface);
#   REL...  the releases to serve (default: every release fetch-debug.sh has fetched).
#
# It installs debuginfod and libarchive-tools with apt-get when they are missing, picks a
# free port, starts `debuginfod -t 0 -g 0 -c 2 --disable-source-scan`, waits until the first
# traversal is done and no scan is queued or running (its /metrics), and prints
#     DEBUGINFOD_URLS=http://127.0.0.1:PORT
# on stdout.  Then, with a COMMAND, it runs it with DEBUGINFOD_URLS exported, a fresh
# DEBUGINFOD_CACHE_PATH in a temporary directory (unless set), DEBUGINFOD_TIMEOUT=600
# (the first request of a big file from a deb waits for bsdtar to reach it), stops the
# server and exits with the command's status; without one it serves until interrupted
# (Ctrl-C, SIGTERM), e.g. in a script:
#     coproc D { tests/e2e/debuginfod.sh; }
#     read -r l <&"${D[0]}"; export "$l"      # DEBUGINFOD_URLS=...
#     ...; kill "$D_PID"; wait "$D_PID"
# The server is always stopped on exit (trap).  The database, keyed by mode and the set of
# files served, lives in ${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debug/debuginfod/;
# a second instance on the same key while one runs uses a private copy.  Its log:
# $DEBUGINFOD_LOG if set, else it is printed only when the server fails.
# Exit status: the COMMAND's; 1 when the server cannot be started or indexed; 2 on usage.
set -euo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect"
DBG="$CACHE/debug"

log() { printf 'debuginfod.sh: %s\n' "$*" >&2; }
die() { printf 'debuginfod.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

mode=deb fresh=0 port="" rels=() cmd=()
while [ $# -gt 0 ]; do
	case "$1" in
	--deb) mode=deb ;;
	--tree) mode=tree ;;
	--fresh) fresh=1 ;;
	--port) [ $# -ge 2 ] || usage; port=$2; shift ;;
	--port=*) port=${1#--port=} ;;
	--) shift; cmd=("$@"); break ;;
	-h|--help) usage ;;
	-*) log "unknown option $1"; usage ;;
	*) rels+=("$1") ;;
	esac
	shift
done

# ---- the server and what it needs
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need=()
command -v debuginfod >/dev/null || need+=(debuginfod)
command -v debuginfod-find >/dev/null || need+=(debuginfod)
[ "$mode" != deb ] || command -v bsdtar >/dev/null || need+=(libarchive-tools)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
	mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
	log "installing ${need[*]} (apt-get)"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y \
		--no-install-recommends "${need[@]}" >&2 ||
		die "apt-get install ${need[*]} failed"
fi

# ---- what to serve: fetch-debug.sh's trees (their .fetch-debug manifests name the debs)
if [ ${#rels[@]} -eq 0 ]; then
	for m in "$DBG"/trees/*/.fetch-debug; do
		[ -f "$m" ] && rels+=("$(basename "$(dirname "$m")")")
	done
	[ ${#rels[@]} -gt 0 ] || die "nothing to serve: run tests/e2e/fetch-debug.sh first"
fi
paths=()
for r in "${rels[@]}"; do
	m="$DBG/trees/$r/.fetch-debug"
	[ -f "$m" ] || die "$r: no $m (run tests/e2e/fetch-debug.sh $r)"
	if [ "$mode" = deb ]; then
		# shellcheck source=/dev/null
		deb=$(. "$m"; echo "$DEBUG_DEB")
		[ -f "$deb" ] || die "$r: $deb is gone (run tests/e2e/fetch-debug.sh $r)"
		paths+=("$deb")
	else
		paths+=("$DBG/trees/$r")
	fi
done
key=$(printf '%s\n' "${paths[@]}" | sort -u | sha1sum | cut -c1-12)
state="$DBG/debuginfod/$mode-$key"
mkdir -p "$state"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/debuginfod.XXXXXX")
pid=""
stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	pid=""
}
cleanup() { stop; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The served directory: hard links to the debs (same file system as the cache; debuginfod
# ignores symbolic links without -L), or the trees themselves.
if [ "$mode" = deb ]; then
	serve="$state/serve"
	mkdir -p "$serve"
	for f in "$serve"/*; do
		[ -e "$f" ] || continue
		keep=0
		for p in "${paths[@]}"; do [ "$(basename "$p")" = "$(basename "$f")" ] && keep=1; done
		[ $keep = 1 ] || rm -f "$f"
	done
	for p in "${paths[@]}"; do
		[ "$serve/$(basename "$p")" -ef "$p" ] || ln -f "$p" "$serve/" 2>/dev/null || cp -p "$p" "$serve/"
	done
	scan=(-U "$serve")
else
	scan=(-F "${paths[@]}")
fi

# The database: the cache's (locked while in use), a private copy when it is busy, or a
# throw-away one with --fresh.
db="$state/index.sqlite"
if [ $fresh = 1 ]; then
	db="$tmp/index.sqlite"
else
	exec 9>"$state/lock"
	if ! flock -n 9; then
		log "the index in $state is in use: working on a private copy"
		cp "$db" "$tmp/index.sqlite" 2>/dev/null || true
		db="$tmp/index.sqlite"
	fi
fi

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
metrics() { curl -s --max-time 5 "http://127.0.0.1:$1/metrics" 2>/dev/null; }
metric() { # TEXT NAME{LABELS}: its value, or -1
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print -1 }' <<<"$1"
}

dlog=${DEBUGINFOD_LOG:-$tmp/debuginfod.log}
start=$(date +%s%N)
for attempt in 1 2 3 4 5; do
	p=${port:-$(free_port)}
	# bsdtar's unpacked members go to TMPDIR (debuginfod's fdcache): keep them in $tmp.
	TMPDIR=$tmp debuginfod -p "$p" -d "$db" -t 0 -g 0 -c 2 --disable-source-scan \
		--fdcache-mintmp=1 "${scan[@]}" >>"$dlog" 2>&1 &
	pid=$!
	up=0
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		if [ "$(metric "$(metrics "$p")" ready)" = 1 ]; then up=1; break; fi
		sleep 0.1
	done
	[ $up = 1 ] && break
	stop
	[ -z "$port" ] || break
	log "debuginfod did not come up on port $p (attempt $attempt): trying another port"
done
if [ "$up" != 1 ]; then
	[ "$dlog" = "$tmp/debuginfod.log" ] && tail -n 20 "$dlog" >&2
	die "debuginfod did not start"
fi
log "debuginfod (pid $pid) on port $p serving ${mode}s of ${rels[*]}; database $db"

# Indexed: the first traversal is over (-t 0: there is no other) and no scan is queued or
# running, seen twice a second apart (a scan thread takes its work off the queue before it
# counts itself busy).
idle=0
while :; do
	kill -0 "$pid" 2>/dev/null || { [ "$dlog" = "$tmp/debuginfod.log" ] && tail -n 20 "$dlog" >&2; die "debuginfod died while indexing"; }
	m=$(metrics "$p")
	if [ "$(metric "$m" 'thread_work_total{role="traverse"}')" -ge 1 ] 2>/dev/null &&
		[ "$(metric "$m" 'thread_work_pending{role="scan"}')" = 0 ] &&
		[ "$(metric "$m" 'thread_busy{role="scan"}')" = 0 ]; then
		idle=$((idle + 1))
		[ $idle -ge 2 ] && break
	else
		idle=0
	fi
	sleep 1
done
m=$(metrics "$p")
found=$(grep -E '^found_(debuginfo|executable)_total' <<<"$m" | tr '\n' ' ' || true)
ms=$((($(date +%s%N) - start) / 1000000))
log "indexed in $((ms / 1000)).$(printf %03d $((ms % 1000))) s${found:+ (this run: $found)}"

url="http://127.0.0.1:$p"
echo "DEBUGINFOD_URLS=$url"
if [ ${#cmd[@]} -gt 0 ]; then
	export DEBUGINFOD_URLS="$url"
	export DEBUGINFOD_CACHE_PATH="${DEBUGINFOD_CACHE_PATH:-$tmp/client-cache}"
	export DEBUGINFOD_TIMEOUT="${DEBUGINFOD_TIMEOUT:-600}"
	rc=0
	"${cmd[@]}" || rc=$?
	exit $rc
fi
log "serving until interrupted"
wait "$pid" || true
pid=""
die "debuginfod exited"
