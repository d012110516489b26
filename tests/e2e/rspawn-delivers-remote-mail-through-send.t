#!/bin/sh
# rspawn-delivers-remote-mail-through-send: the whole chain from inject
# through send, rspawn and remote to an SMTP peer on loopback
# (control/smtproutes remote.test:127.0.0.1:PORT). Of three remote
# recipients, the peer takes one (the message arrives whole, with CR LF
# and the Received line), refuses one for good (550: send logs a failure
# and the sender gets a DSN naming the recipient and the peer's words)
# and one for now (451: send logs a deferral, the recipient stays queued
# and qread shows it; once the peer takes it, ALRM delivers it at once,
# exactly once). The bounce goes out when the message is done; the queue
# empties.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"

instance_new
mta_domain local.test
mta_user alice
mta_assign
peer_start --pipelining --rcpt 'bad@remote.test=550 5.1.1 no such user here' --rcpt 'later@remote.test=451 4.2.1 mailbox busy'
route remote.test
port=$PEER_PORT
mta_start

printf 'Subject: over the wire\n\n.first line starts with a dot\nsecond\n' \
  | "$H/bin/inject" -f alice@local.test good@remote.test bad@remote.test later@remote.test
ok $? "inject exits 0"

wait_for 20 log_has '^delivery [0-9]+: success: 127\.0\.0\.1_accepted_message\./Remote_host_said:_250_ok_queued/$'
ok $? "log: success: 127.0.0.1_accepted_message./Remote_host_said:_250_ok_queued/"
wait_for 20 log_has '^delivery [0-9]+: failure: 127\.0\.0\.1_does_not_like_recipient\./Remote_host_said:_550_5\.1\.1_no_such_user_here/Giving_up_on_127\.0\.0\.1\./$'
ok $? "log: failure: the 550 with the peer's words"
wait_for 20 log_has '^delivery [0-9]+: deferral: 127\.0\.0\.1_does_not_like_recipient\./Remote_host_said:_451_4\.2\.1_mailbox_busy/'
ok $? "log: deferral: the 451 with the peer's words"
for a in good bad later; do
  n=$(grep -E "^starting delivery [0-9]+: msg [0-9]+ to remote $a@remote.test$" "$T/log" | sed 's/^starting delivery \([0-9]*\):.*/\1/')
  [ -n "$n" ] && log_has "^delivery $n: " || n=
  ok $([ -n "$n" ]; echo $?) "log: the delivery to $a@remote.test has its starting and result lines"
done

good=$(grep -l 'RCPT TO:<good@remote.test>' "$PEER"/*.in)
ok $([ -n "$good" ]; echo $?) "the peer had a session for good@remote.test"
msg=$("$PY" -c 'import sys; d = open(sys.argv[1], "rb").read(); i = d.index(b"DATA\r\n") + 6; print(repr(d[i:d.index(b"\r\n.\r\n", i) + 5]))' "$good")
like "$msg" "^b'Received: \(qmail [0-9]+ invoked by uid [0-9]+\); [^\\]+\\\\r\\\\nDate: " "the message starts with the queue's Received line, CR LF ended"
like "$msg" "Subject: over the wire\\\\r\\\\n\\\\r\\\\n\.\.first line starts with a dot\\\\r\\\\nsecond\\\\r\\\\n\.\\\\r\\\\n'$" "the body dot-stuffed, CR LF, ended by a dot"
is "$(grep -c '^RCPT' "$good")" 1 "one recipient per session"

"$H/bin/qread" | grep -q "^	remote	later@remote.test$"
ok $? "qread lists later@remote.test still to do"
"$H/bin/qread" | grep -q "^	remote	bad@remote.test$"
ok $((1 - $?)) "bad@remote.test is not to do any more"
is "$(count_new alice)" 0 "no bounce yet: the message is not done"

peer_stop
peer_start --pipelining --port "$port"
mta_alrm
successes() { [ "$(grep -c '^delivery [0-9]*: success: 127' "$T/log")" = "$1" ]; }
wait_for 20 successes 2
ok $? "after ALRM the waiting recipient is delivered"
wait_for 20 count_is alice 1
ok $? "the sender gets one bounce"
b=$(find "$T/u/alice/Maildir/new" -type f | head -1)
grep -q '^Final-Recipient: rfc822; bad@remote.test' "$b"
ok $? "the DSN names bad@remote.test"
grep -q '550 5.1.1 no such user here' "$b"
ok $? "the DSN carries the peer's words"
grep -q 'later@remote.test\|good@remote.test' "$b"
ok $((1 - $?)) "the DSN names no delivered recipient"
wait_for 20 queue_empty
ok $? "the queue empties"
is "$(grep -l 'RCPT TO:<later@remote.test>' "$PEER"/*.in | wc -l)" 1 "later@remote.test delivered exactly once"
mta_stop
done_testing
