#!/bin/sh
# net-backup-mx: b.test has "MX 10 mx.b.test" (B, 192.0.2.2) and "MX 20
# mx.c.test" (C, 192.0.2.3); C lists b.test in rcpthosts but not in locals:
# it is b.test's backup MX. B's smtpd is down. alice on A sends to
# bob@b.test: A's remote finds B refusing and hands the message to C; C
# takes it, tries only the better exchanger B (never itself), is refused
# too, logs the deferral and keeps the message (qread on C lists it for
# remote bob@b.test). B's smtpd comes back; the message stays on C (its
# next retry is minutes away) until ALRM to send on C, which delivers it
# to B at once. bob gets exactly one copy, with the Received lines of A,
# C and B; nothing bounces on any host and every queue ends empty.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_cairn b 192.0.2.2
net_cairn c 192.0.2.3
net_dns 'a.test. IN MX 10 mx.a.test.' 'c.test. IN MX 10 mx.c.test.' \
  'b.test. IN MX 10 mx.b.test.' 'b.test. IN MX 20 mx.c.test.'
net_dns_start
for h in a b c; do
  net_use $h
  echo 10 > "$H/control/timeoutconnect"
  echo 20 > "$H/control/timeoutremote"
done
net_use a
mta_user alice
mta_assign
net_use b
mta_user bob
mta_assign
net_use c
echo b.test >> "$H/control/rcpthosts"
for h in a b c; do net_start $h; done
net_smtpd_start a
net_smtpd_start c
# B's send runs, its smtpd does not

printf 'From: alice@a.test\nTo: bob@b.test\nSubject: while B is down\n\nhello\n' > "$NET/msg"
net_inject a -f alice@a.test bob@b.test < "$NET/msg"
ok $? "inject on A takes a message for bob@b.test"
net_use a
wait_for 60 log_has '^delivery [0-9]+: success: '
ok $? "A's remote delivery succeeds"
like "$(grep '^delivery [0-9]*: success' "$T/log")" "192\\.0\\.2\\.3_accepted_message\\." "A's log: C (192.0.2.3) accepted it, B being down"
net_use c
c_has_bob() { "$H/bin/qread" | grep -qxF "	remote	bob@b.test"; }
wait_for 60 c_has_bob
ok $? "qread on C: the message waits for remote bob@b.test"
like "$("$H/bin/qread")" "<alice@a.test>" "qread on C: from alice@a.test"
wait_for 60 log_has '^delivery [0-9]+: deferral: '
ok $? "C's log: a deferral"
like "$(grep '^delivery [0-9]*: deferral' "$T/log" | head -1)" \
  "^delivery [0-9]+: deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_connection\\._\\(#4\\.4\\.1\\)/192\\.0\\.2\\.2:_" \
  "C's log: it could not connect to B (192.0.2.2), and says so"
unlike "$(grep '^delivery' "$T/log")" "192\\.0\\.2\\.3" "C never tries itself (192.0.2.3)"
is "$(grep -c 'to remote bob@b.test$' "$T/log")" 1 "C tried once so far"
net_use b
is "$(count_new bob)" 0 "bob has nothing yet"

net_smtpd_start b
# C does not retry by itself for minutes: the message stays
sleep 2
net_use c
is "$(grep -c 'to remote bob@b.test$' "$T/log")" 1 "B is back, but C waits for its retry time"
c_has_bob
ok $? "qread on C still lists it"
mta_alrm
net_use b
wait_for 60 count_is bob 1
ok $? "after ALRM on C, bob's Maildir gets it"
net_use c
wait_for 60 log_has '^delivery [0-9]+: success: '
ok $? "C's log: the delivery succeeds"
like "$(grep '^delivery [0-9]*: success' "$T/log")" "192\\.0\\.2\\.2_accepted_message\\./Remote_host_said:_250_2\\.0\\.0_ok_" "C's log: B (192.0.2.2) accepted it"
wait_for 60 queue_empty
ok $? "C's queue is empty"
net_use b
f=$(find "$T/u/bob/Maildir/new" -type f | head -1)
net_header "$f" | grep '^Received: ' > "$T/got"
cat > "$T/want" <<'EOW'
Received: (qmail PID invoked by uid 0); DATE
Received: from mx.c.test (unknown [192.0.2.3]) by mx.b.test with ESMTP; DATE
Received: (qmail PID invoked by uid 0); DATE
Received: from mx.a.test (unknown [192.0.2.1]) by mx.c.test with ESMTP; DATE
Received: (qmail PID invoked by uid 0); DATE
EOW
cmp_files "$T/got" "$T/want" "bob's Received lines: B from C, C from A, A's queue"
like "$(sed -n 1,2p "$f" | tr '\n' ' ')" "^Return-Path: <alice@a.test> Delivered-To: bob@b.test $" "Return-Path alice@a.test, Delivered-To bob@b.test"

sleep 1
is "$(count_new bob)" 1 "exactly one copy for bob"
for h in a b c; do
  net_use $h
  log_has '^bounce msg'
  is $? 1 "no bounce on ${h}"
  queue_empty
  ok $? "${h}'s queue is empty"
done
net_use a
is "$(count_new alice)" 0 "alice got no bounce"
done_testing
