#!/bin/bash
# queue-recycles-spare-files: clean keeps a delivered message's queue
# files as spares in pid/ (pid/spare.K) instead of removing them, and the
# queue writers (queued, and queue when queued is not running) write the
# next messages into them: a later message's id (its mess file's inode)
# is one a spare had, and every delivered message is exactly what was
# sent, with nothing of a longer message that had the inode before. qread
# and qstat do not count spares. Spares removed by hand cost nothing: the
# writers make new files and mail keeps flowing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
export LC_ALL=C
instance_new
Q=$H/queue
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign

# A message with a complete header (inject adds nothing to it); $2 lines
# of body. inject and smtpd put Return-Path, Delivered-To and Received
# lines before it: strip takes those off a delivered file.
msg() {
  "$PY" - "$1" "$2" > "$T/$1" <<'PY'
import sys
name, n = sys.argv[1], int(sys.argv[2])
sys.stdout.write("From: bob@example.org\nTo: alice@example.org\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n"
                 "Message-ID: <%s@example.org>\nSubject: %s\n\n" % (name, name))
for k in range(n):
    sys.stdout.write("%s line %06d of %d, some words to make it longer\n" % (name, k, n))
PY
}
strip() { awk 'p || !/^(Return-Path:|Delivered-To:|Received:|\t)/ { p = 1; print }' "$1"; }
delivered() { grep -l -x "Subject: $1" "$T/u/alice/Maildir/new/"* 2>/dev/null | head -1; }
arrived() { [ -n "$(delivered "$1")" ]; }
# exact NAME: NAME's delivered bytes, cairn's lines off, are NAME as sent
exact() {
  f=$(delivered "$1")
  strip "$f" > "$T/got.$1"
  cmp_files "$T/got.$1" "$T/$1" "$1 ($(wc -c < "$T/$1") bytes) is delivered exactly as sent"
}
spares() { ls -i "$Q/pid" | awk '$2 ~ /^spare\.[0-9]+$/ { print $1 }' | sort -n; }
nspares() { [ "$(spares | wc -l)" -ge "$1" ]; }
lastid() { grep -E '^new msg [0-9]+$' "$T/log" | tail -1 | cut -d' ' -f3; }
by_inject() { "$H/bin/inject" -f bob@example.org alice@example.org < "$T/$1"; }
by_smtp() {
  "$PY" - "$SMTP_PORT" "$T/$1" <<'PY'
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="client.example")
s.sendmail("bob@example.org", ["alice@example.org"], open(sys.argv[2], "rb").read().replace(b"\n", b"\r\n"))
s.quit()
PY
}

mta_start
smtpd_start

# A long message; once delivered, its files are spares.
msg big 3700
by_inject big
ok $? "inject takes a message of $(wc -c < "$T/big") bytes"
wait_for 20 arrived big
ok $? "it is delivered"
exact big
bigid=$(lastid)
wait_for 10 nspares 2
ok $? "its envelope and message files become spares in pid/ ($(spares | wc -l))"
ok "$(spares | grep -qx "$bigid"; echo $?)" "one of them is its mess file, inode $bigid"
is "$(find "$Q/mess" "$Q/intd" "$Q/todo" -type f | wc -l)" 0 "mess/, intd/ and todo/ hold nothing"
wait_for 10 queue_empty
ok $? "qstat counts no message with spares in pid/"
is "$("$H/bin/qread")" "" "qread lists none"
is "$("$H/bin/qstat")" "messages in queue: 0
messages in queue but not yet preprocessed: 0" "qstat's both counts are 0"

# queue (queued stopped): with only the long message's inode left as a
# spare, a short message is written into it.
mta_stop
for i in $(spares); do [ "$i" = "$bigid" ] || find "$Q/pid" -maxdepth 1 -inum "$i" -delete; done
is "$(spares)" "$bigid" "the long message's file is the one spare left (the other removed by hand)"
msg short1 3
by_inject short1
ok $? "with send and queued stopped, inject runs queue"
is "$(ls "$Q/todo")" "$bigid" "the short message's id is the long one's inode: queue took the spare"
is "$(spares)" "" "and no spare is left"
is "$(stat -c %s "$Q/mess/$((bigid % 23))/$bigid")" "$(($(wc -c < "$T/short1") + $(sed -n 1p "$Q/mess/$((bigid % 23))/$bigid" | wc -c)))" \
  "its mess file is the Received line and the short message, the long message's bytes cut off"
is "$("$H/bin/qstat" | head -1)" "messages in queue: 1" "qstat counts the one message"
is "$("$H/bin/qread" | grep -o ' #[0-9]* ')" " #$bigid " "qread lists that one message"

# queued again: the short message is delivered, and the next messages,
# through inject and SMTP, are written into spares.
mta_start
wait_for 20 arrived short1
ok $? "the short message is delivered after the restart"
exact short1
ids=
for n in 2 3 4 5 6; do
  wait_for 10 nspares 2 || fail "spares before short$n: $(ls "$Q/pid")"
  before=$(spares)
  msg "short$n" "$n"
  if [ $((n % 2)) = 0 ]; then by_smtp "short$n"; else by_inject "short$n"; fi
  wait_for 20 arrived "short$n" || fail "short$n is not delivered"
  id=$(lastid)
  printf '%s\n' "$before" | grep -qx "$id" && ids="$ids $id"
  exact "short$n"
done
like "$ids" "^ [0-9]+" "short2, the first message queued took after its start, was written into a spare (recycled ids:$ids)"

# Spares removed by hand: nothing to take, new files, and mail flows.
wait_for 10 nspares 2
rm -f "$Q"/pid/spare.*
is "$(ls -A "$Q/pid")" "" "pid/ emptied by hand"
msg after1 40; by_inject after1
msg after2 7; by_smtp after2
wait_for 20 arrived after2 && wait_for 20 arrived after1
ok $? "both messages sent after the spares were removed are delivered"
exact after1
exact after2
wait_for 10 nspares 2
ok $? "and their files are spares again ($(spares | wc -l))"
wait_for 10 queue_empty
ok $? "the queue is empty at the end"
is "$(count_new alice)" 9 "alice has the 9 messages, each once"
is "$(grep -c '^warning\|^alert' "$T/log")" 0 "send logged no warning"
done_testing
