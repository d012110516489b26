#!/bin/sh
# A running instance delivers to a user's Maildir, bounces mail for an
# unknown user back to the sender's Maildir as a valid RFC 3464 report,
# logs every step in qmail-send's formats, and leaves the queue empty.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
mta_start

printf 'To: alice@example.org\nSubject: first\n\nhello alice\n' | "$H/bin/inject" -f carol@example.org alice@example.org
ok $? "inject to alice exits 0"
wait_for 10 count_is alice 1
ok $? "alice's Maildir/new gets one message"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$f")" "Return-Path: <carol@example.org>" "first line is Return-Path with the envelope sender"
is "$(sed -n 2p "$f")" "Delivered-To: alice@example.org" "second line is Delivered-To"
like "$(sed -n 3p "$f")" '^Received: \(qmail [0-9]+ invoked by uid [0-9]+\); ' "third line is queue's Received line"
is "$(tail -n 1 "$f")" "hello alice" "body delivered unchanged"
is "$(find "$T/u/alice/Maildir/tmp" -type f | wc -l)" 0 "nothing left in Maildir/tmp"

printf 'Subject: to nobody\n\nlost\n' | "$H/bin/inject" -f carol@example.org nobody@example.org
ok $? "inject to an unknown user exits 0"
wait_for 10 count_is carol 1
ok $? "the bounce reaches the sender's Maildir"
b=$(find "$T/u/carol/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$b")" "Return-Path: <>" "the bounce has the null envelope sender"
python3 - "$b" <<'PY'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
assert m.get_content_type() == 'multipart/report', m.get_content_type()
assert m.get_param('report-type') == 'delivery-status'
parts = m.get_payload()
assert parts[0].get_content_type() == 'text/plain'
assert 'nobody@example.org' in parts[0].get_payload(decode=True).decode()
assert 'Sorry, no mailbox here by that name' in parts[0].get_payload(decode=True).decode()
ds = parts[1]
assert ds.get_content_type() == 'message/delivery-status', ds.get_content_type()
blocks = ds.get_payload()
rcpt = blocks[1]
assert rcpt['Final-Recipient'].strip() == 'rfc822; nobody@example.org', rcpt['Final-Recipient']
assert rcpt['Action'].strip() == 'failed'
assert rcpt['Status'].strip() == '5.1.1', rcpt['Status']
assert parts[2].get_content_type() == 'text/rfc822-headers'
assert 'Subject: to nobody' in parts[2].get_payload()
PY
ok $? "python's email package reads the bounce as a delivery-status report for nobody@ with 5.1.1"

wait_for 10 queue_empty
ok $? "the queue is empty afterwards"
mta_stop
ok $? "send exits 0 on TERM"
log=$(cat "$T/log")
like "$log" '^new msg [0-9]+$' "log: new msg N"
like "$log" '^info msg [0-9]+: bytes [0-9]+ from <carol@example.org> qp [0-9]+ uid [0-9]+$' "log: info msg line"
like "$log" '^starting delivery [0-9]+: msg [0-9]+ to local alice@example.org$' "log: starting delivery to alice"
like "$log" '^delivery [0-9]+: success: did_0\+1\+0/$' "log: success with qmail's did_0+1+0/"
like "$log" '^delivery [0-9]+: failure: Sorry,_no_mailbox_here_by_that_name._\(#5.1.1\)/$' "log: failure text for the unknown user"
like "$log" '^bounce msg [0-9]+ qp [0-9]+$' "log: bounce msg N qp P"
like "$log" '^end msg [0-9]+$' "log: end msg N"
like "$log" '^status: local [0-9]+/10 remote 0/20$' "log: status line with the default concurrencies"
done_testing
