#!/bin/sh
# net-smarthost: A sends everything through a smarthost, C, with the
# default route ":mx.c.test" in control/smtproutes; C lets A relay
# (RELAYCLIENT for 192.0.2.1 in its tcprules) and delivers to B through
# b.test's MX. bob's message carries the Received lines of A, C and B.
# Then a "b.test:" line (an empty relay: use the MX) ahead of the default
# sends mail for b.test straight to B, and C sees nothing of it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_cairn b 192.0.2.2
net_cairn c 192.0.2.3
net_dns 'a.test. IN MX 10 mx.a.test.' 'b.test. IN MX 10 mx.b.test.' 'c.test. IN MX 10 mx.c.test.'
net_dns_start
net_use b
mta_user bob
mta_assign
net_start b
net_smtpd_start b
net_use c
net_start c
net_smtpd_start c '192.0.2.1:allow,RELAYCLIENT=""' ':allow'
net_use a
echo 10 > "$H/control/timeoutconnect"
echo ':mx.c.test' > "$H/control/smtproutes"
net_start a

printf 'From: alice@a.test\nSubject: one\n\nvia C\n' | net_inject a -f alice@a.test bob@b.test
ok $? "inject on A: a message for bob@b.test"
net_use b
wait_for 60 count_is bob 1
ok $? "bob gets it"
f=$(find "$T/u/bob/Maildir/new" -type f | head -1)
is "$(net_header "$f" | grep '^Received: ' | tr '\n' '|')" \
  "Received: (qmail PID invoked by uid 0); DATE|Received: from mx.c.test (unknown [192.0.2.3]) by mx.b.test with ESMTP; DATE|Received: (qmail PID invoked by uid 0); DATE|Received: from mx.a.test (unknown [192.0.2.1]) by mx.c.test with ESMTP; DATE|Received: (qmail PID invoked by uid 0); DATE|" \
  "its Received lines: B from C, C from A (the smarthost relayed it)"
net_use a
wait_for 60 log_has '^delivery [0-9]+: success: '
like "$(grep '^delivery [0-9]*: success' "$T/log")" "192\\.0\\.2\\.3_accepted_message\\." "A's log: C (192.0.2.3) accepted it"
net_use c
wait_for 60 log_has '^delivery [0-9]+: success: 192\.0\.2\.2_accepted'
ok $? "C's log: B (192.0.2.2) accepted it"
wait_for 60 queue_empty
ok $? "C's queue is empty"
nc=$(grep -c '^new msg' "$T/log")

net_use a
printf 'b.test:\n:mx.c.test\n' > "$H/control/smtproutes"
printf 'From: alice@a.test\nSubject: two\n\nstraight\n' | net_inject a -f alice@a.test bob@b.test
net_use b
wait_for 60 count_is bob 2
ok $? "with a b.test: line, bob gets the second message"
f=$(grep -l '^Subject: two$' "$T"/u/bob/Maildir/new/*)
is "$(net_header "$f" | grep '^Received: ' | tr '\n' '|')" \
  "Received: (qmail PID invoked by uid 0); DATE|Received: from mx.a.test (unknown [192.0.2.1]) by mx.b.test with ESMTP; DATE|Received: (qmail PID invoked by uid 0); DATE|" \
  "its Received lines: B from A, straight through b.test's MX"
net_use c
is "$(grep -c '^new msg' "$T/log")" "$nc" "C saw nothing of it"
net_use a
wait_for 60 queue_empty
ok $? "A's queue is empty"
log_has '^bounce msg'
is $? 1 "no bounce on A"
done_testing
