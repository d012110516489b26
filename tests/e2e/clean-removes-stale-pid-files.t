#!/bin/bash
# clean-removes-stale-pid-files: when it starts, clean removes the files in
# pid/ that nothing has read or written for 36 hours (129600 s: left by a
# queue that died; queue never lives past 24 hours), and keeps the others.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
P=$H/queue/pid

: > "$P/111.1700000000.1"; touch -d '2 days ago' "$P/111.1700000000.1"
: > "$P/222.1700000000.1"; touch -d '37 hours ago' "$P/222.1700000000.1"
: > "$P/333.1700000000.1"; touch -d '35 hours ago' "$P/333.1700000000.1"
: > "$P/444.1700000000.1"
: > "$P/555.1700000000.1"; touch -m -d '2 days ago' "$P/555.1700000000.1"   # read just now
: > "$P/666.1700000000.1"; touch -a -d '2 days ago' "$P/666.1700000000.1"   # written just now
mkdir "$P/dir"; touch -d '2 days ago' "$P/dir"
: > "$P/.hidden"; touch -d '2 days ago' "$P/.hidden"
echo 'body' > "$T/mess"; ln "$T/mess" "$P/777.1700000000.1"; touch -d '3 days ago' "$T/mess"

"$H/bin/clean" < /dev/null > "$T/out" 2> "$T/err"
is $? 0 "clean exits 0 at end of input"
is "$(cat "$T/out")$(cat "$T/err")" "" "and prints nothing"
is "$(ls "$P" | sort | tr '\n' ' ')" "333.1700000000.1 444.1700000000.1 555.1700000000.1 666.1700000000.1 dir " \
  "removed: 2 days and 37 hours old, and a stale link; kept: 35 hours, fresh, recently read or written, a directory"
ok "$([ -e "$P/.hidden" ]; echo $?)" "a dot file is not clean's"
is "$(cat "$T/mess")" "body" "removing a stale pid/ name leaves the file's other link"
done_testing
