#!/bin/sh
# net-mx-delivery: alice on A (mx.a.test, 192.0.2.1) sends to bob@b.test.
# b.test has no address of its own, only "MX 10 mx.b.test" (192.0.2.2) in
# the test DNS: A's remote finds B through the MX, B's smtpd takes the
# message and B delivers it to bob's Maildir. What bob gets: the message as
# alice wrote it under Return-Path, Delivered-To, B's queue's Received
# line, B's smtpd's Received line (A's HELO mx.a.test and 192.0.2.1) and
# A's queue's Received line. A's log shows the remote delivery to
# bob@b.test succeed with B's "250 2.0.0 ok"; both queues end empty. A
# message of 0.75 MB with 8-bit text, 998-byte lines and lines of dots
# arrives byte for byte too.
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
net_use b
mta_user bob
mta_assign
net_start b
net_smtpd_start b
net_use a
echo 10 > "$H/control/timeoutconnect"
net_start a

printf 'From: alice@a.test\nTo: bob@b.test\nSubject: across\n\nhello bob\n.a dot\n' > "$NET/msg"
net_inject a -f alice@a.test bob@b.test < "$NET/msg"
ok $? "inject on A takes the message"
net_use b
wait_for 60 count_is bob 1
ok $? "bob's Maildir on B gets it"
f=$(find "$T/u/bob/Maildir/new" -type f | head -1)
net_header "$f" | sed 's/^\(Date\|Message-ID\): .*/\1: X/' > "$T/got"
cat > "$T/want" <<'EOW'
Return-Path: <alice@a.test>
Delivered-To: bob@b.test
Received: (qmail PID invoked by uid 0); DATE
Received: from mx.a.test (unknown [192.0.2.1]) by mx.b.test with ESMTP; DATE
Received: (qmail PID invoked by uid 0); DATE
Date: X
Message-ID: X
From: alice@a.test
To: bob@b.test
Subject: across
EOW
cmp_files "$T/got" "$T/want" "bob's header: B's queue's and smtpd's Received lines (A's HELO mx.a.test, 192.0.2.1), A's queue's, then alice's fields"
is "$(sed -n '/^$/,$p' "$f")" "
hello bob
.a dot" "the body arrives byte for byte"
is "$(grep -c '^Received: ' "$f")" 3 "three Received lines: B's queue, B's smtpd, A's queue"

net_use a
wait_for 60 log_has '^delivery [0-9]+: success: '
ok $? "A's log: the delivery succeeded"
like "$(grep 'to remote ' "$T/log")" "^starting delivery [0-9]+: msg [0-9]+ to remote bob@b.test$" "A's log: one delivery to remote bob@b.test"
like "$(grep '^delivery [0-9]*: success' "$T/log")" "192\\.0\\.2\\.2_accepted_message\\./Remote_host_said:_250_2\\.0\\.0_ok_" \
  "A's log: 192.0.2.2 (mx.b.test) accepted it, with B's 250 2.0.0 ok"
wait_for 60 queue_empty
ok $? "A's queue is empty"
net_use b
wait_for 60 queue_empty
ok $? "B's queue is empty"
is "$(grep -c 'to local bob@b.test$' "$T/log")" 1 "B's log: one local delivery to bob"

# a big one: 0.75 MB of 8-bit text, lines of 998 bytes and lines of dots
"$NETPY" -c '
import sys
out = sys.stdout.buffer
out.write(b"From: alice@a.test\nTo: bob@b.test\nSubject: big\n\n")
for i in range(1500):
    out.write((b"." * (i % 4) + ("line %d \u00e9\u00e8 " % i).encode() + b"x" * (i % 998))[:998] + b"\n")
# 998 octets starting with a dot: 999 on the wire, which RFC 5321 allows
# (4.5.3.1.6: the transparency dot does not count)
out.write(b"." * 998 + b"\n.\n..\nend\n")
' > "$NET/big"
net_inject a -f alice@a.test bob@b.test < "$NET/big"
ok $? "inject on A takes a message of $(wc -c < "$NET/big") bytes"
net_use b
wait_for 90 count_is bob 2
ok $? "bob gets it"
f=$(grep -l '^Subject: big$' "$T"/u/bob/Maildir/new/*)
sed '1,/^$/d' "$f" > "$T/got"
sed '1,/^$/d' "$NET/big" > "$T/want"
cmp_files "$T/got" "$T/want" "its body arrives byte for byte (dots, 8-bit bytes, 998-byte lines)"
done_testing
