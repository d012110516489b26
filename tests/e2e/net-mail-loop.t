#!/bin/sh
# net-mail-loop: a mail loop across two hosts, as administrators make one
# by mistake (seeds 000 and 004): on A, ~alias/.qmail-x forwards to
# x@b.test; on B, ~alias/.qmail-x forwards back to x@a.test. alice sends to
# x@a.test. The message goes A -> B -> A, and there A's local delivery
# finds its own "Delivered-To: x@a.test" already in the header and stops
# the loop: exactly one bounce reaches the original sender alice, naming
# the loop (#5.4.6) and x@a.test, with the looping message's header
# showing the two trips (B's and A's Delivered-To lines, A's and B's
# smtpd Received lines). Nothing else moves: one forward on each host, no
# other bounce, both queues empty.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_cairn b 192.0.2.2
net_dns 'a.test. IN MX 10 mx.a.test.' 'b.test. IN MX 10 mx.b.test.'
net_dns_start
net_use a
mta_user alice
mta_assign
echo '&x@b.test' > "$H/alias/.qmail-x"
net_use b
echo '&x@a.test' > "$H/alias/.qmail-x"
for h in a b; do
  net_use $h
  echo 10 > "$H/control/timeoutconnect"
  net_start $h
  net_smtpd_start $h
done

printf 'From: alice@a.test\nTo: x@a.test\nSubject: round and round\n\nhello\n' > "$NET/msg"
net_inject a -f alice@a.test x@a.test < "$NET/msg"
ok $? "inject on A takes a message for x@a.test"
net_use a
wait_for 60 count_is alice 1
ok $? "alice gets a bounce"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
like "$(net_header "$f" | grep -E '^(Return-Path|From|Subject|Content-Type):' | tr '\n' '|')" \
  "^Return-Path: <>\\|From: \"MAILER-DAEMON\" <MAILER-DAEMON@mx\\.a\\.test>\\|.*Content-Type: multipart/report; report-type=delivery-status;" \
  "a DSN from A's MAILER-DAEMON, with the null sender"
grep -q '^<x@a.test>:$' "$f"
ok $? "it names the failed address x@a.test"
grep -q 'This message is looping: it already has my Delivered-To line. (#5.4.6)' "$f"
ok $? "it says the message is looping (#5.4.6)"
grep -q '^Status: 5.4.6$' "$f"
ok $? "its delivery-status part says Status: 5.4.6"
# the header of the looping message, in the bounce's third part
sed -n '/^Content-Type: text\/rfc822-headers/,/^--/p' "$f" | sed '1,/^$/d' > "$T/orig"
is "$(grep '^Delivered-To: ' "$T/orig" | tr '\n' '|')" "Delivered-To: x@b.test|Delivered-To: x@a.test|" \
  "the looping message carries two Delivered-To lines: B's x, then A's x (two trips)"
is "$(net_header "$T/orig" | grep '^Received: from' | sed 's/;.*//' | tr '\n' '|')" \
  "Received: from mx.b.test (unknown [192.0.2.2]) by mx.a.test with ESMTP|Received: from mx.a.test (unknown [192.0.2.1]) by mx.b.test with ESMTP|" \
  "and two smtpd Received lines: A from B, then B from A"

wait_for 60 queue_empty
ok $? "A's queue ends empty"
net_use b
wait_for 60 queue_empty
ok $? "B's queue ends empty"
sleep 1
for h in a b; do
  net_use $h
  is "$(grep -c 'to local x@' "$T/log")" "$([ $h = a ] && echo 2 || echo 1)" "$h's log: x@$h.test delivered locally $([ $h = a ] && echo 'twice (the second one fails)' || echo once)"
  is "$(grep -c 'to remote x@' "$T/log")" 1 "$h's log: one forward sent on"
done
net_use a
is "$(grep -c '^bounce msg' "$T/log")" 1 "A's log: one bounce"
like "$(grep '^delivery [0-9]*: failure' "$T/log")" "This_message_is_looping" "A's log: the failure says why"
net_use b
log_has '^bounce msg'
is $? 1 "B bounced nothing"
net_use a
is "$(count_new alice)" 1 "alice got one message only"
done_testing
