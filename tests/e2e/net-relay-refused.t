#!/bin/sh
# net-relay-refused: an outside host (198.51.100.7, in no tcprules entry of
# B) cannot relay through B (mx.b.test, 192.0.2.2) to C's domain: B's smtpd
# answers RCPT with "553 5.7.1 sorry, that domain isn't in my list of
# allowed rcpthosts", also for a source-routed address and an upper-case
# domain, then refuses DATA with no valid recipient, and nothing is queued
# on B (qstat, the queue's files, send's log). The same client may still
# send to B's own users: bob gets the message with B's Received line naming
# the client's address. A host of B's network, given RELAYCLIENT by B's
# tcprules, may relay: the refusal comes from where the client is, not
# from the domain alone.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
net_init
net_cairn b 192.0.2.2
net_host out 198.51.100.7
net_host lan 192.0.2.9
net_dns 'b.test. IN MX 10 mx.b.test.' 'c.test. IN MX 10 mx.c.test.' 'mx.c.test. IN A 192.0.2.3'
net_dns_start
net_use b
mta_user bob
mta_assign
net_start b
net_smtpd_start b '192.0.2.9:allow,RELAYCLIENT=""' ':allow'

# smtp_from HOST CHUNK...: a raw SMTP session from HOST to B's port 25
smtp_from() {
  _h=$1; shift
  net_exec "$_h" "$NETPY" "$top/tests/lib/smtpraw.py" -h 192.0.2.2 25 "$@"
}
DENIED="553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts"

out=$(smtp_from out 'EHLO out.example\r\n' 'MAIL FROM:<eve@out.example>\r\n' 'RCPT TO:<carol@c.test>\r\n' \
  'RCPT TO:<@b.test:carol@c.test>\r\n' 'RCPT TO:<carol@C.TEST>\r\n' 'DATA\r\n' 'QUIT\r\n')
like "$out" "^220 " "the outside host reaches B's smtpd on 192.0.2.2:25"
is "$(printf '%s\n' "$out" | sed -n 's/^\(5[0-9][0-9] .*\)$/\1/p' | head -3)" "$DENIED
$DENIED
$DENIED" "RCPT to carol@c.test, to <@b.test:carol@c.test> and to carol@C.TEST: each refused with 553 5.7.1"
like "$out" "^554 5.5.1 no valid recipients" "DATA without a recipient: 554 5.5.1"
like "$out" "^221 " "the session ends with QUIT"
queue_empty
ok $? "nothing is queued on B (qstat: $("$H/bin/qstat" | head -1))"
is "$(find "$H/queue/mess" "$H/queue/todo" "$H/queue/intd" -type f | wc -l)" 0 "no file in B's queue"
log_has '^new msg'
is $? 1 "send's log on B shows no new message"

out=$(smtp_from out 'EHLO out.example\r\n' 'MAIL FROM:<eve@out.example>\r\n' 'RCPT TO:<carol@c.test>\r\n' \
  'RCPT TO:<bob@b.test>\r\n' 'DATA\r\n' 'Subject: hi bob\r\n\r\nhello\r\n.\r\n' 'QUIT\r\n')
is "$(printf '%s\n' "$out" | sed -n '/^250 2.1.0/{n;p;n;p;}')" "$DENIED
250 2.1.5 ok" "in one session: the relay recipient is refused, B's own user bob@b.test accepted"
like "$out" "^250 2.0.0 ok" "the message is taken for bob alone"
wait_for 60 count_is bob 1
ok $? "bob's Maildir gets it"
f=$(find "$T/u/bob/Maildir/new" -type f | head -1)
is "$(net_header "$f")" "Return-Path: <eve@out.example>
Delivered-To: bob@b.test
Received: (qmail PID invoked by uid 0); DATE
Received: from out.example (unknown [198.51.100.7]) by mx.b.test with ESMTP; DATE
Subject: hi bob" "bob's header: B's smtpd's Received line names the client's HELO and address 198.51.100.7"
is "$(sed -n '/^$/,$p' "$f")" "
hello" "the body is there"
wait_for 60 queue_empty
ok $? "B's queue is empty again"
is "$(grep -c 'to local bob@b.test$' "$T/log")" 1 "send's log: one delivery to local bob@b.test"
like "$(cat "$T/log")" "delivery [0-9]+: success: " "send's log: it succeeded"
unlike "$(cat "$T/log")" "carol@c.test" "send's log never names carol@c.test"

out=$(smtp_from lan 'EHLO lan.b.test\r\n' 'MAIL FROM:<ann@b.test>\r\n' 'RCPT TO:<carol@c.test>\r\n' \
  'DATA\r\n' 'Subject: relayed\r\n\r\nhello\r\n.\r\n' 'QUIT\r\n')
is "$(printf '%s\n' "$out" | sed -n '/^250 2.1.0/{n;p;}')" "250 2.1.5 ok" "from 192.0.2.9, with RELAYCLIENT: carol@c.test accepted"
like "$out" "^250 2.0.0 ok" "the relayed message is taken"
wait_for 60 sh -c '"$1/bin/qread" | grep -q "	remote	carol@c.test"' qread "$H"
ok $? "qread on B: queued for remote delivery to carol@c.test"
done_testing
