#!/bin/bash
# local-forwards-through-queue: the forward lines of a .qmail ("&addr" and
# bare addresses) become ONE new queue entry: its envelope keeps the
# original sender and lists the forward targets in order; its message is
# queue's Received line, this delivery's Delivered-To line, then the
# original message. A mailing list with .qmail-LIST-owner forwards with
# LIST-owner@host as sender (and VERP with -owner-default). If queue
# cannot be run, the delivery defers (111).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
uid=$(id -u)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked from network); 24 Nov 2026 05:33:12 -0000\nFrom: ann@example.net\nSubject: fwd\n\nbody\n' > "$msg"
Q=$H/queue
run() { # run LOCAL DASH EXT SENDER
  out=$("$T/bin/local" "$me" "$home" "$1" "$2" "$3" example.org "$4" ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}
# newentry: the todo entry made since the last call (its id in $id)
seen=
newentry() {
  id=$(ls "$Q/todo" | grep -vxF -e "${seen:-none}" | head -1)
  seen=$(ls "$Q/todo")
}
# The entry's items with NULs shown as "|", without the trailing ones
# (whether the file keeps the envelope's final NUL is queue's business).
envelope() { tr '\0' '|' < "$Q/todo/$1" | sed 's/|*$//'; }

printf '# forwards\n&fwd1@example.com\nfwd2@example.net\n./Maildir/\n&fwd3@example.com\n' > "$home/.qmail"
run joe "" "" ann@example.net
is "$rc" 0 "a .qmail with three forwards and a Maildir: exit 0"
qp=$(printf '%s\n' "$out" | sed -n 's/^qp \([0-9]*\)$/\1/p')
like "$out" '^did 3\+1\+0'$'\n''qp [0-9]+$' "report: did 3+1+0 then qp PID"
is "$(ls "$Q/todo" | wc -l)" 1 "exactly one new queue entry for all forwards"
newentry
is "$(envelope "$id")" "u$uid|p$qp|Fann@example.net|Tfwd1@example.com|Tfwd2@example.net|Tfwd3@example.com" \
  "its envelope: the original sender, the three targets in order (p is the qp reported)"
mess=$Q/mess/$((id % 23))/$id
like "$(head -n 1 "$mess")" "^Received: \(qmail $qp invoked by uid $uid\); " "the queued message starts with queue's Received line"
{ printf 'Delivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
tail -n +2 "$mess" > "$T/got"
cmp_files "$T/got" "$T/want" "then the Delivered-To line, then the original message exactly"
is "$(ls "$home/Maildir/new" | wc -l)" 1 "the Maildir line is delivered too"

# The null sender stays null: a bounce forwarded is still a bounce.
printf 'fwd@example.com\n' > "$home/.qmail"
run joe "" "" ""
is "$rc" 0 "forward of a bounce (null sender): exit 0"
newentry
is "$(envelope "$id")" "u$uid|p$(printf '%s\n' "$out" | sed -n 's/^qp //p')|F|Tfwd@example.com" "  envelope sender stays empty"

# A mailing list: .qmail-list forwards; .qmail-list-owner exists, so the
# list's bounces go to joe-list-owner@example.org.
printf '&m1@example.com\n&m2@example.net\n' > "$home/.qmail-list"
printf './Maildir/\n' > "$home/.qmail-list-owner"
run joe-list - list ann@example.net
is "$rc" 0 "a list with a .qmail-list-owner: exit 0"
newentry
like "$(envelope "$id")" "^u$uid\|p[0-9]+\|Fjoe-list-owner@example.org\|Tm1@example.com\|Tm2@example.net$" "  envelope sender is joe-list-owner@example.org"
tail -n +2 "$Q/mess/$((id % 23))/$id" | head -n 1 > "$T/got"
printf 'Delivered-To: joe-list@example.org\n' > "$T/want"
cmp_files "$T/got" "$T/want" "  Delivered-To names the list address"
: > "$home/.qmail-list-owner-default"
run joe-list - list ann@example.net
newentry
like "$(envelope "$id")" "^u$uid\|p[0-9]+\|Fjoe-list-owner-@example.org-@\[\]\|" "  with .qmail-list-owner-default: the VERP sender joe-list-owner-@example.org-@[]"
run joe-list - list ""
newentry
like "$(envelope "$id")" "^u$uid\|p[0-9]+\|F\|Tm1" "  a bounce to the list keeps the null sender"

# queue cannot be run: temporary failure, nothing queued.
printf 'fwd@example.com\n' > "$home/.qmail"
mv "$H/bin/queue" "$H/bin/queue.away"
run joe "" "" ann@example.net
is "$rc" 111 "queue missing: the forward defers (111)"
like "$out" '^Unable to forward message: ' "  report: Unable to forward message: ..."
mv "$H/bin/queue.away" "$H/bin/queue"
newentry
is "$id" "" "  and nothing was queued"
done_testing
