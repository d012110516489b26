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
# from mx.a.test[192.0.2.1] and delivered.
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
like "$(sed -n 1,3p "$f")" "^Return-Path: <pat@p.test>
Delivered-To: alice@a.test
Received: \\(qmail [0-9]+ invoked by uid 0\\); " "Return-Path, Delivered-To, A's queue's Received line"
like "$(sed -n '/^Received: from/{N;p;q;}' "$f")" "^Received: from mx.p.test \\(\\[?192\\.0\\.2\\.5\\]?\\)
	by mx.a.test with ESMTP; " "A's smtpd's Received line: Postfix's HELO mx.p.test and 192.0.2.5"
like "$(cat "$f")" "Received: by mx.p.test \\(Postfix, from userid 0\\)" "Postfix's own Received line is below it"
sed -n '/^$/,$p' "$f" > "$T/body"
printf '\nhello alice\n.dot line\n' > "$T/want"
cmp_files "$T/body" "$T/want" "the body arrives byte for byte (a leading dot included)"
like "$(grep -E '^(Subject|Message-ID|From):' "$f")" "From: pat@p.test
Subject: from Postfix
Message-ID: <pf1@p.test>" "the message's own headers arrive unchanged"
wait_for 30 grep -q 'to=<alice@a.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: status=sent"
like "$(grep 'to=<alice@a.test>' "$PF/maillog")" "relay=mx.a.test\\[192\\.0\\.2\\.1\\]:25.*status=sent \\(250 2\\.0\\.0 ok [0-9]+ qp [0-9]+\\)" \
  "Postfix's log: relay mx.a.test[192.0.2.1]:25 through the MX, A's 250 reply"
done_testing
