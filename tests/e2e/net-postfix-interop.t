#!/bin/sh
# net-postfix-interop: Debian's Postfix as one of the hosts. Postfix on P
# (mx.p.test, 192.0.2.5) sends to alice@a.test: it finds A (mx.a.test,
# 192.0.2.1) through a.test's MX in the test DNS and A's smtpd takes the
# message; alice's Maildir gets it byte for byte with Postfix's Received
# line and A's, and Postfix's log says status=sent with A's 250 reply.
# Then cairn sends back: a message injected on A for pat@p.test goes
# through p.test's MX to Postfix, which delivers it to pat's Maildir with
# A's Received lines; A's log shows the remote delivery succeed with
# Postfix's "250 2.0.0 Ok: queued as" and Postfix's log shows it received
# from mx.a.test[192.0.2.1] and delivered. Bounces go both ways: Postfix
# refuses an unknown user of p.test at RCPT and alice gets cairn's DSN
# quoting Postfix's 550; cairn takes mail for an unknown user of a.test and
# its DSN reaches pat through Postfix.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
command -v postfix > /dev/null || skip_all "needs Postfix (package/deps test)"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_host p 192.0.2.5
net_dns 'a.test. IN MX 10 mx.a.test.' 'p.test. IN MX 10 mx.p.test.'
net_dns_start
net_use a
mta_user alice
mta_assign
net_start a
net_smtpd_start a
net_postfix p p.test pat
net_postfix_start p

# Postfix -> cairn
printf 'From: pat@p.test\nTo: alice@a.test\nSubject: from Postfix\nMessage-ID: <pf1@p.test>\n\nhello alice\n.dot line\n' > "$NET/m1"
net_exec p /usr/sbin/sendmail -C "$PF/etc" -f pat@p.test alice@a.test < "$NET/m1"
ok $? "Postfix's sendmail takes a message for alice@a.test"
wait_for 60 count_is alice 1
ok $? "alice's Maildir on A gets it"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
net_header "$f" | sed 's/ id [0-9A-F]*; DATE$/ id QID; DATE/' > "$T/got"
cat > "$T/want" <<'EOW'
Return-Path: <pat@p.test>
Delivered-To: alice@a.test
Received: (qmail PID invoked by uid 0); DATE
Received: from mx.p.test (unknown [192.0.2.5]) by mx.a.test with ESMTP; DATE
Received: by mx.p.test (Postfix, from userid 0) id QID; DATE
From: pat@p.test
To: alice@a.test
Subject: from Postfix
Message-ID: <pf1@p.test>
EOW
grep -v '^Date: ' "$T/got" > "$T/got2"
cmp_files "$T/got2" "$T/want" "alice's header: A's queue's and smtpd's Received lines (Postfix's HELO mx.p.test, 192.0.2.5), then Postfix's, then the message's own fields"
like "$(grep '^Date: ' "$T/got")" "^Date: [A-Z][a-z]{2}, [0-9]+ [A-Z][a-z]{2} [0-9]{4} " "and the Date field Postfix added"
sed -n '/^$/,$p' "$f" > "$T/body"
printf '\nhello alice\n.dot line\n' > "$T/want"
cmp_files "$T/body" "$T/want" "the body arrives byte for byte (a leading dot included)"
wait_for 60 grep -q 'to=<alice@a.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: status=sent"
like "$(grep 'to=<alice@a.test>' "$PF/maillog")" "relay=mx.a.test\\[192\\.0\\.2\\.1\\]:25.*status=sent \\(250 2\\.0\\.0 ok [0-9]+ qp [0-9]+\\)" \
  "Postfix's log: relay mx.a.test[192.0.2.1]:25 through the MX, A's 250 reply"

# cairn -> Postfix
printf 'From: alice@a.test\nTo: pat@p.test\nSubject: from cairn\n\nhello pat\n.dot line\n' > "$NET/m2"
net_inject a -f alice@a.test pat@p.test < "$NET/m2"
ok $? "inject on A takes a message for pat@p.test"
pat_has() { [ "$(net_maildir_count "$PF/vmail/pat/Maildir")" = "$1" ]; }
wait_for 60 pat_has 1
ok $? "pat's Maildir on Postfix's host gets it"
f=$(find "$PF/vmail/pat/Maildir/new" -type f | head -1)
net_header "$f" | sed -e 's/ id [0-9A-F]*\( for <[^>]*>\)\?; DATE$/ id QID\1; DATE/' -e 's/^\(Date\|Message-ID\): .*/\1: X/' > "$T/got"
cat > "$T/want" <<'EOW'
Return-Path: <alice@a.test>
X-Original-To: pat@p.test
Delivered-To: pat@p.test
Received: from mx.a.test (mx.a.test [192.0.2.1]) by mx.p.test (Postfix) with ESMTP id QID for <pat@p.test>; DATE
Received: (qmail PID invoked by uid 0); DATE
Date: X
Message-ID: X
From: alice@a.test
To: pat@p.test
Subject: from cairn
EOW
cmp_files "$T/got" "$T/want" "pat's header: Postfix's Received line (A's HELO mx.a.test, 192.0.2.1), then A's queue's, then alice's fields"
is "$(sed -n '/^$/,$p' "$f")" "
hello pat
.dot line" "the body arrives byte for byte (a leading dot included)"
wait_for 60 log_has '^delivery [0-9]+: success: '
ok $? "A's log: the remote delivery succeeded"
like "$(grep '^delivery [0-9]*: success' "$T/log")" "192\\.0\\.2\\.5_accepted_message\\./Remote_host_said:_250_2\\.0\\.0_Ok:_queued_as_[0-9A-F]+/" \
  "A's log: 192.0.2.5 accepted it, with Postfix's 250 2.0.0 Ok: queued as"
wait_for 60 grep -q 'to=<pat@p.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: delivered to pat (status=sent)"
like "$(grep 'connect from .*192\.0\.2\.1' "$PF/maillog" | head -1)" "connect from mx\\.a\\.test\\[192\\.0\\.2\\.1\\]" "Postfix's log: the connection came from mx.a.test[192.0.2.1] (its PTR and A agree)"
like "$(grep 'to=<pat@p.test>' "$PF/maillog")" "relay=virtual.*status=sent \\(delivered to maildir\\)" "Postfix's log: delivered to maildir by virtual"
wait_for 60 queue_empty
ok $? "A's queue is empty"

# bounces both ways
printf 'From: alice@a.test\nSubject: to nobody at p\n\nhello\n' | net_inject a -f alice@a.test nobody@p.test
wait_for 60 count_is alice 2
ok $? "cairn -> Postfix for an unknown user: alice gets a bounce"
b=$(grep -l '^<nobody@p.test>:$' "$T"/u/alice/Maildir/new/* | head -1)
grep -q 'Recipient address rejected: User unknown in virtual mailbox table' "$b" 2>/dev/null
ok $? "  naming nobody@p.test and quoting Postfix's 550 reply"
like "$(grep '^delivery [0-9]*: failure' "$T/log")" "192\\.0\\.2\\.5_does_not_like_recipient\\./Remote_host_said:_550_5\\.1\\.1_<nobody@p\\.test>:" \
  "A's log: a failure with Postfix's 550 5.1.1"
printf 'From: pat@p.test\nSubject: to nobody at a\n\nhello\n' > "$NET/m3"
net_exec p /usr/sbin/sendmail -C "$PF/etc" -f pat@p.test nobody@a.test < "$NET/m3"
wait_for 60 pat_has 2
ok $? "Postfix -> cairn for an unknown user: pat gets a bounce"
b=$(grep -l 'nobody@a.test' "$PF"/vmail/pat/Maildir/new/* | head -1)
is "$(net_header "$b" | grep -E '^(Return-Path|From|Subject):' | tr '\n' '|')" \
  'Return-Path: <>|From: "MAILER-DAEMON" <MAILER-DAEMON@mx.a.test>|Subject: failure notice|' \
  "  cairn took the message and bounced it: a DSN from A's MAILER-DAEMON with the null sender, through Postfix"
grep -q '^<nobody@a.test>:$' "$b" && grep -q '^Sorry, no mailbox here by that name. (#5.1.1)$' "$b"
ok $? "  naming nobody@a.test: no mailbox here by that name (#5.1.1)"
like "$(grep 'from=<>' "$PF/maillog")" "from=<>" "Postfix's log: a message with the null sender"
wait_for 60 queue_empty
ok $? "A's queue is empty"
done_testing
