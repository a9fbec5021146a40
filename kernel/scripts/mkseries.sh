#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/mkseries.sh: makes the patch series in kernel/patches from
# its one source of truth: each new file comes from kernel/src or
# kernel/kunit byte for byte, each change to an existing file from
# kernel/series/NNNN.diff, each commit message from kernel/series/NNNN.msg.
# The commits are made on the pristine 6.1 tree with fixed dates and
# exported with `git format-patch --zero-commit`, so the same sources and
# sender always give the same bytes.
#
# Author and Signed-off-by are the sender's: git config user.name and
# user.email (of the repository holding KERNEL_SRCDIR, else global), or
# SERIES_NAME / SERIES_EMAIL.  No .msg of the series' own patches carries a
# Signed-off-by, and the script refuses to run without an identity: a
# Developer's Certificate of Origin is given by a person, never made up here.
#
# A backport of an upstream commit is the exception: its .msg starts with
# "commit <40 hex digits> upstream." and keeps the upstream trailers
# (sign-offs included) as the commit has them, followed by its
# "[ Backport ... ]" note; NNNN.author names the upstream author
# ("Name <email>"), and the sender's Signed-off-by is added after the note.
#
# usage: mkseries.sh KERNEL_SRCDIR OUTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

ksrc=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(pristine_repo)
work="$TCE_KCACHE/series-work"

if [ ! -e "$work/.git" ]; then
	rm -rf "$work"
	git -C "$repo" worktree prune
	git -C "$repo" worktree add -q --detach "$work" pristine
fi
git -C "$work" checkout -q --detach pristine
git -C "$work" reset -q --hard pristine
git -C "$work" clean -q -f -d -x

name=${SERIES_NAME:-$(git -C "$ksrc" config user.name || true)}
email=${SERIES_EMAIL:-$(git -C "$ksrc" config user.email || true)}
[ -n "$name" ] && [ -n "$email" ] ||
	die "no sender: set git config user.name and user.email (or SERIES_NAME and SERIES_EMAIL); they sign off the series"
case "$email" in
*@*.*) ;;
*) die "sender e-mail '$email' is not an address" ;;
esac
GIT_AUTHOR_NAME=$name
GIT_AUTHOR_EMAIL=$email
GIT_COMMITTER_NAME=$name
GIT_COMMITTER_EMAIL=$email
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
note "sender (author, Signed-off-by): $name <$email>"

for msg in "$ksrc"/series/[0-9][0-9][0-9][0-9].msg; do
	n=${msg%.msg}
	if sed -n 3p "$msg" | grep -Eq '^commit [0-9a-f]{40} upstream\.$'; then
		[ -f "$n.author" ] ||
			die "$msg is a backport: $n.author must name the upstream author"
		grep -q '^Signed-off-by:' "$msg" ||
			die "$msg is a backport without the upstream sign-offs"
		author=$(cat "$n.author")
		GIT_AUTHOR_NAME=${author% <*}
		GIT_AUTHOR_EMAIL=${author##*<}
		GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
	else
		grep -q '^Signed-off-by:' "$msg" &&
			die "$msg carries a Signed-off-by: the sender's is added"
		[ ! -f "$n.author" ] ||
			die "$n.author: only a backport has an author other than the sender"
		GIT_AUTHOR_NAME=$name
		GIT_AUTHOR_EMAIL=$email
	fi
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	if [ -s "$n.diff" ]; then
		git -C "$work" apply --whitespace=error-all "$n.diff"
	fi
	if [ -f "$n.files" ]; then
		while read -r f; do
			[ -n "$f" ] || continue
			if [ -f "$ksrc/src/$f" ]; then
				from="$ksrc/src/$f"
			elif [ -f "$ksrc/kunit/$f" ]; then
				from="$ksrc/kunit/$f"
			else
				die "$n.files: $f is in neither kernel/src nor kernel/kunit"
			fi
			mkdir -p "$work/$(dirname "$f")"
			cp "$from" "$work/$f"
			# Debian's tree ignores everything at the top level.
			git -C "$work" add -f "$f"
		done < "$n.files"
	fi
	git -C "$work" add -u
	git -C "$work" commit -q -s -F "$msg"
done

mkdir -p "$out"
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
rm -f "$out"/0000-cover-letter.patch
cover=
[ -f "$ksrc/series/cover.msg" ] && cover=--cover-letter
# shellcheck disable=SC2086
git -C "$work" format-patch -q --zero-commit --no-signature $cover \
	-o "$out" pristine..HEAD
if [ -n "$cover" ]; then
	# The cover letter: series/cover.msg's first line is the subject, the
	# rest the text above format-patch's shortlog and diffstat.
	awk -v msg="$ksrc/series/cover.msg" '
		BEGIN {
			getline subject < msg
			getline blank < msg
			while ((getline l < msg) > 0)
				blurb = blurb l "\n"
		}
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
		/^\*\*\* BLURB HERE \*\*\*$/ { printf "%s", blurb; next }
		{ print }
	' "$out/0000-cover-letter.patch" > "$out/0000-cover-letter.patch.tmp"
	mv "$out/0000-cover-letter.patch.tmp" "$out/0000-cover-letter.patch"
fi
# The patches git am takes, in order (the cover letter is not one of them).
(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') > "$out/series"
note "series of $(wc -l < "$out/series") patches in $out"
