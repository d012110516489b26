#!/bin/sh
# remote-delivers-cairn-to-cairn-over-loopback: two instances on one host.
# The sending one (local.test) routes remote.test to the receiving one's
# smtpd under tcpserver (smtproutes remote.test:127.0.0.1:PORT); mail
# injected for bob@remote.test lands in bob's Maildir with both Received
# lines (the sender's queue, the receiver's smtpd naming the sender's
# helohost and "with ESMTP") and the message intact (a leading dot, 8-bit
# text, a last line without newline); both logs show the delivery.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
command -v tcpserver >/dev/null || skip_all "needs tcpserver (ucspi-tcp-ipv6)"

# the receiving instance: its directory is kept apart from the sender's
instance_new
TB=$T HB=$H
at_exit "rm -rf '$TB'"
mta_domain remote.test
echo remote.test > "$H/control/rcpthosts"
mta_user bob
mta_assign
mta_start
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="sender.local.test"'
smtpd_start
echo "receiver: smtpd on 127.0.0.1:$SMTP_PORT" | sed 's/^/# /'

# the sending instance
instance_new
mta_domain local.test
echo out.local.test > "$H/control/helohost"
echo "remote.test:127.0.0.1:$SMTP_PORT" > "$H/control/smtproutes"
mta_start

printf 'To: bob@remote.test\nSubject: cairn to cairn\n\n.dot first\ncaf\303\251\nno newline at the end' \
  | "$H/bin/inject" -f alice@local.test bob@remote.test
ok $? "inject exits 0 on the sender"
wait_for 20 eval '[ "$(find "$TB/u/bob/Maildir/new" -type f | wc -l)" = 1 ]'
ok $? "bob's Maildir on the receiver gets the message"
f=$(find "$TB/u/bob/Maildir/new" -type f | head -1)
sed -e 's/; [A-Z][a-z][a-z], [0-9]* [A-Z][a-z]* [0-9]* [0-9:]* +0000$/; DATE/' \
    -e 's/^\(Received: (qmail \)[0-9]*\( invoked by uid \)[0-9]*); .*/\1PID\2UID); DATE/' \
    -e 's/^\(Date: \).*/\1DATE/' -e 's/^\(Message-ID: <\).*@local.test>$/\1ID@local.test>/' "$f" > "$T/got"
cat > "$T/want" <<'EOW'
Return-Path: <alice@local.test>
Delivered-To: bob@remote.test
Received: (qmail PID invoked by uid UID); DATE
Received: from out.local.test (sender.local.test [127.0.0.1])
	by remote.test with ESMTP; DATE
Received: (qmail PID invoked by uid UID); DATE
Date: DATE
Message-ID: <ID@local.test>
From: anonymous@local.test
To: bob@remote.test
Subject: cairn to cairn

.dot first
café
no newline at the end
EOW
cmp_files "$T/got" "$T/want" "the delivered bytes: both instances' Received lines, the message intact"
wait_for 10 log_has '^delivery [0-9]+: success: 127\.0\.0\.1_accepted_message\./Remote_host_said:_250_2\.0\.0_ok_[0-9]+_qp_[0-9]+/$'
ok $? "the sender's log: success with the receiver's 250 2.0.0 ok"
wait_for 10 queue_empty
ok $? "the sender's queue empties"
grep -Eq '^delivery [0-9]+: success: did_[0-9]+\+[0-9]+\+[0-9]+/$' "$TB/log"
ok $? "the receiver's log: the local delivery"
done_testing
