#!/bin/sh
# A .qmail program that exits 100 with a text fails the delivery for good:
# one bounce reaches the sender, from MAILER-DAEMON@ME with the null
# envelope sender, and python3's email package reads it as an RFC 3464
# multipart/report (delivery-status) whose text part holds the program's
# text, whose status part says failed with a 5.x.x Status taken from it,
# and whose text/rfc822-headers part holds the original Subject.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
echo '|echo "This mailbox is closed for good. (#5.2.1)"; exit 100' > "$T/u/alice/.qmail"
mta_start

printf 'Subject: Quarterly report 7\nX-Mark: kept\n\nthe body\n' | "$H/bin/inject" -f carol@example.org alice@example.org
ok $? "inject exits 0"
wait_for 10 count_is carol 1
ok $? "one bounce reaches the sender"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(count_new alice)" 0 "nothing delivered to alice"
b=$(find "$T/u/carol/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$b")" "Return-Path: <>" "the bounce has the null envelope sender"
python3 - "$b" <<'PY'
import email, email.policy, re, sys
raw = open(sys.argv[1], 'rb').read()
m = email.message_from_bytes(raw, policy=email.policy.compat32)
def check(cond, what):
    if not cond:
        sys.exit('bounce: ' + what)
check(not m.defects, 'defects %r' % m.defects)
check(m['From'] is not None and 'MAILER-DAEMON@example.org' in m['From'], 'From: %r' % m['From'])
check('carol@example.org' in (m['To'] or ''), 'To: %r' % m['To'])
check(m.get_content_type() == 'multipart/report', 'type ' + m.get_content_type())
check(m.get_param('report-type') == 'delivery-status', 'report-type %r' % m.get_param('report-type'))
parts = m.get_payload()
check(len(parts) == 3, '%d parts' % len(parts))
check(parts[0].get_content_type() == 'text/plain', 'part 1 ' + parts[0].get_content_type())
text = parts[0].get_payload(decode=True).decode()
check('<alice@example.org>:' in text, 'text lacks <alice@example.org>: ' + text)
check('This mailbox is closed for good. (#5.2.1)' in text, 'text lacks the program text: ' + text)
check(parts[1].get_content_type() == 'message/delivery-status', 'part 2 ' + parts[1].get_content_type())
blocks = parts[1].get_payload()
check(len(blocks) == 2, '%d status blocks' % len(blocks))
check(blocks[0]['Reporting-MTA'] is not None and 'example.org' in blocks[0]['Reporting-MTA'], 'Reporting-MTA %r' % blocks[0]['Reporting-MTA'])
r = blocks[1]
check(r['Final-Recipient'].strip() == 'rfc822; alice@example.org', 'Final-Recipient %r' % r['Final-Recipient'])
check(r['Action'].strip() == 'failed', 'Action %r' % r['Action'])
check(re.fullmatch(r'5\.\d{1,3}\.\d{1,3}', r['Status'].strip()) is not None, 'Status %r' % r['Status'])
check(r['Status'].strip() == '5.2.1', 'Status %r, not the 5.2.1 of the text' % r['Status'])
check('closed for good' in ' '.join((r['Diagnostic-Code'] or '').split()), 'Diagnostic-Code %r' % r['Diagnostic-Code'])
check(parts[2].get_content_type() == 'text/rfc822-headers', 'part 3 ' + parts[2].get_content_type())
hdr = parts[2].get_payload()
check('Subject: Quarterly report 7' in hdr, 'headers part lacks the Subject: ' + hdr)
check('X-Mark: kept' in hdr, 'headers part lacks X-Mark')
check('the body' not in hdr, 'headers part holds the body')
PY
ok $? "python's email package reads a valid delivery-status report: text, failed, Status 5.2.1, original Subject"
mta_stop
like "$(cat "$T/log")" '^delivery [0-9]+: failure: This_mailbox_is_closed_for_good._\(#5\.2\.1\)/$' "log: failure with the program's text"
done_testing
