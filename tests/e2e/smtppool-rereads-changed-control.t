#!/bin/sh
# smtppool-rereads-changed-control: one smtppool worker (-c 1 -n 1000)
# serves every connection below and keeps the control files it read
# from one to the next (ctlcache), yet each edit counts from the next
# connection on, as when smtpd is run for each: rcpthosts appended to in
# place, replaced by rename, edited in place to the same size (inode and
# size kept: only the times tell) after the worker came to trust the
# stamp it had; morercpthosts.cdb created and removed; databytes created
# (and overridden per connection by the DATABYTES of a tcprules rule),
# then removed; badmailfrom created and removed; a control file that
# cannot be read (a directory) gives the 421 smtpd gives, until it is
# fixed. And under strace, a second connection with nothing changed
# opens far fewer files than the first.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
command -v tcprules > /dev/null || skip_all "needs tcprules (ucspi-tcp)"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_rules '127.0.0.2:allow,DATABYTES="300"' '127.:allow'
pool_start -n 1000 -c 1
C=$H/control
from() { _src=$1; shift; "$PY" "$top/tests/lib/smtpraw.py" -s "$_src" "$SMTP_PORT" "$@"; }
# rcpt ADDR...: one connection, the replies to RCPT for each address
rcpt() {
  _r=
  for _a in "$@"; do _r="${_r}RCPT TO:<$_a>\\r\\n"; done
  from 127.0.0.1 'HELO a\r\n' 'MAIL FROM:<a@example.com>\r\n' "$_r" 'QUIT\r\n' | grep -E '^(250 2\.1\.5|553|421)'
}
DENIED="553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts"

# strace: a worker's first connection reads the control files, the
# second with nothing changed only stats them. The files were written
# just now: a file read within a second of its change is read again at
# the next connection (the same stamp may hide a second edit), so wait.
sleep 1.2
worker=$(cat "/proc/$POOL_PID/task/$POOL_PID/children" 2>/dev/null | tr -s ' ' '\n' | grep . | head -1)
openats() { awk '$NF == "openat" { print $4; f = 1 } END { if (!f) print 0 }' "$1"; }
traced() { # traced OUT: strace -f -c of the worker around one connection
  strace -f -c -o "$1" -p "$worker" 2> "$1.err" &
  _sp=$!
  wait_for 5 grep -q attached "$1.err" || { kill "$_sp" 2>/dev/null; wait "$_sp" 2>/dev/null; return 1; }
  rcpt alice@example.org > /dev/null
  kill -INT "$_sp"; wait "$_sp" 2>/dev/null
  [ -s "$1" ]
}
why=
if ! command -v strace > /dev/null; then why="strace is not installed"
elif [ -z "$worker" ]; then why="the idle worker's pid is not in /proc"
elif ! traced "$T/first"; then why="strace cannot attach to the worker: $(head -1 "$T/first.err")"
elif ! traced "$T/second"; then why="strace cannot attach to the worker a second time: $(head -1 "$T/second.err")"
fi
if [ -z "$why" ]; then
  first=$(openats "$T/first"); second=$(openats "$T/second")
  ok $([ "$first" -ge 8 ] && echo 0 || echo 1) "the worker's first connection opens the control files ($first openat)"
  ok $([ $((second * 4)) -lt "$first" ] && echo 0 || echo 1) "  the second, nothing changed, far fewer ($second openat)"
  like "$(cat "$T/second")" 'newfstatat|[^l]stat' "  it stats them instead"
else
  pass "# SKIP $why"
fi

out=$(rcpt x@other.example)
is "$out" "$DENIED" "other.example is not in rcpthosts: 553"
echo other.example >> "$C/rcpthosts"
out=$(rcpt x@other.example)
is "$out" "250 2.1.5 ok" "rcpthosts appended to in place: the next connection takes other.example"
printf 'example.org\n' > "$C/rcpthosts.tmp" && mv "$C/rcpthosts.tmp" "$C/rcpthosts"
out=$(rcpt x@other.example)
is "$out" "$DENIED" "rcpthosts replaced by rename: other.example refused again"

# an edit that keeps the inode and size, after the worker has come to
# trust the file's stamp (read more than a second after its change):
# only mtime and ctime tell (the same second is the unit test's case)
printf 'example.org\nabcde.example\n' > "$C/rcpthosts.tmp" && mv "$C/rcpthosts.tmp" "$C/rcpthosts"
rcpt x@abcde.example > /dev/null
sleep 1.2
out=$(rcpt x@abcde.example)
is "$out" "250 2.1.5 ok" "abcde.example added"
ino=$(stat -c %i "$C/rcpthosts"); size=$(stat -c %s "$C/rcpthosts")
printf 'example.org\nvwxyz.example\n' > "$C/rcpthosts"
is "$(stat -c %i:%s "$C/rcpthosts")" "$ino:$size" "(rcpthosts edited in place: same inode, same size)"
out=$(rcpt x@vwxyz.example x@abcde.example)
is "$out" "250 2.1.5 ok
$DENIED" "  the next connection takes vwxyz.example and refuses abcde.example"

# morercpthosts.cdb, written aside and renamed as qmail-newmrh does
printf 'more.example\n' | "$PY" "$top/tests/lib/cdbmake.py" "$C/morercpthosts.tmp" && mv "$C/morercpthosts.tmp" "$C/morercpthosts.cdb"
out=$(rcpt x@more.example)
is "$out" "250 2.1.5 ok" "morercpthosts.cdb created: more.example taken"
rm "$C/morercpthosts.cdb"
out=$(rcpt x@more.example)
is "$out" "$DENIED" "morercpthosts.cdb removed: its effect is gone"

# databytes, and the DATABYTES of the rule of 127.0.0.2 over it
big="Subject: big\\r\\n\\r\\n$(i=0; while [ $i -lt 40 ]; do printf '%048d\\r\\n' $i; i=$((i + 1)); done)"
msg() { from "$1" 'EHLO a\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' "$big\\r\\n.\\r\\n" 'QUIT\r\n'; }
echo 1000 > "$C/databytes"
out=$(msg 127.0.0.1)
like "$out" "^250 SIZE 1000$" "databytes created: SIZE 1000"
like "$out" "^552 5\.3\.4" "  and a 2000-byte message refused"
out=$(msg 127.0.0.2)
like "$out" "^250 SIZE 300$" "the rule's DATABYTES=300 over it for 127.0.0.2"
out=$(msg 127.0.0.1)
like "$out" "^250 SIZE 1000$" "  and control/databytes again for the next connection"
rm "$C/databytes"
out=$(msg 127.0.0.1)
like "$out" "^250 SIZE$" "databytes removed: no limit"
like "$out" "^250 2\.0\.0 ok" "  and the 2000-byte message accepted"

# badmailfrom
mailfrom() { from 127.0.0.1 'HELO a\r\n' "MAIL FROM:<$1>\\r\\n" 'QUIT\r\n' | grep -E '^(250 2\.1\.0|553)'; }
echo bad@example.com > "$C/badmailfrom"
like "$(mailfrom bad@example.com)" "^553 5\.7\.1" "badmailfrom created: bad@example.com refused"
is "$(mailfrom good@example.com)" "250 2.1.0 ok" "  others taken"
rm "$C/badmailfrom"
is "$(mailfrom bad@example.com)" "250 2.1.0 ok" "badmailfrom removed: bad@example.com taken"

# a control file that cannot be read
mkdir "$C/badmailfrom"
out=$(from 127.0.0.1 'HELO a\r\n')
is "$out" "421 4.3.0 temporary configuration problem; try again later
[closed]" "badmailfrom unreadable (a directory): 421, as smtpd says"
grep -q 'smtppool: warning: control/badmailfrom:1: unable to read' "$T/smtppool.log"
ok $? "  and the worker logs which file"
out=$(from 127.0.0.1 'HELO a\r\n')
like "$out" "^421 " "  again at the next connection"
rmdir "$C/badmailfrom"
out=$(rcpt alice@example.org)
is "$out" "250 2.1.5 ok" "fixed: the next connection is served"

wait_for 30 count_is alice 1
ok $? "the accepted message is delivered"
is "$(grep -o 'smtppool: pid [0-9]*' "$T/smtppool.log" | sort -u | wc -l)" 1 "one worker served every connection"
pool_stop
done_testing
