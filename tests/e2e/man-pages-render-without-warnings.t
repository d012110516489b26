#!/bin/sh
# man-pages-render-without-warnings: every page in man/ renders with
# groff -ww -z -man without a single warning (as "make man-check" and
# "man -l" need), and every program (src/*.c holding "int main") has its
# page NAME.8 (or NAME.1).
. "$(dirname "$0")/../lib/tap.sh"
top=${CAIRN_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v groff > /dev/null || skip_all "needs groff"
for f in "$top"/man/*.[1-8]; do
  out=$(groff -ww -z -man "$f" 2>&1)
  is "$out" "" "${f##*/} renders without warnings"
done
for c in $(grep -l '^int main' "$top"/src/*.c); do
  n=$(basename "$c" .c)
  [ -f "$top/man/$n.8" ] || [ -f "$top/man/$n.1" ]
  ok $? "the program $n has a man page (man/$n.8)"
done
done_testing
