#!/bin/sh
# remote-defers-or-fails-on-misbehaving-peers: remote against scripted
# peers that refuse or fail at each step, and the report for each: a 4xx
# or 5xx greeting (Z, "greeting failed"), a refused sender (D for 5xx, Z
# for 4xx), every recipient refused (D "Giving up", no message content
# sent), DATA refused, the end of data refused (Z for 4xx, D for 5xx), the
# connection closed in the middle of DATA and a peer that stalls past
# timeoutremote (Z "connection died"), a message over the peer's SIZE (D,
# no MAIL sent), no listener (Z #4.4.1), a malformed smtproutes line (Z
# naming file and line), our own address as the domain's literal (D,
# qmail's "best-preference MX" text), and a wrong invocation (D).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"

instance_new
mta_domain local.test
printf 'Subject: t\n\nbody\n' > "$T/msg"

peer_start --greeting '421 4.3.2 busy, come back later'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZConnected to 127.0.0.1 but greeting failed.
Remote host said: 421 4.3.2 busy, come back later
|" "4xx greeting: Z, greeting failed"
peer_wait 1
is "$(peer_in 1)" 'QUIT\r\n' "after a refusing greeting only QUIT is sent"
peer_stop

peer_start --greeting '554 5.7.1 go away'
route remote.test
run_remote remote.test a@local.test x@remote.test
like "$REPORT" "^ZConnected to 127.0.0.1 but greeting failed" "5xx greeting: Z as well (another exchanger may take it)"
peer_stop

peer_start --mail '553 5.7.1 sender refused'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "DConnected to 127.0.0.1 but sender was rejected.
Remote host said: 553 5.7.1 sender refused
|" "5xx to MAIL: D, sender was rejected"
peer_stop

peer_start --mail '451 4.3.0 try later' --pipelining
route remote.test
run_remote remote.test a@local.test x@remote.test
like "$REPORT" "^ZConnected to 127.0.0.1 but sender was rejected" "4xx to MAIL (pipelined): Z"
peer_stop

peer_start --rcpt 'x@remote.test=550 no' --rcpt 'y@remote.test=550 no'
route remote.test
run_remote remote.test a@local.test x@remote.test y@remote.test
is "$REPORT" "h127.0.0.1 does not like recipient.
Remote host said: 550 no
|h127.0.0.1 does not like recipient.
Remote host said: 550 no
|DGiving up on 127.0.0.1.
|" "every recipient refused: h for each, D Giving up"
peer_wait 1
unlike "$(peer_in 1)" 'DATA' "no DATA when no recipient was accepted"
peer_stop

peer_start --pipelining --rcpt 'x@remote.test=550 no' --data '554 5.5.1 no valid recipients'
route remote.test
run_remote remote.test a@local.test x@remote.test
like "$REPORT" '^h127\.0\.0\.1 does not like recipient\.$' "pipelined, the recipient refused: h" 
like "$REPORT" '^\|DGiving up on 127\.0\.0\.1\.$' "pipelined, every recipient refused: D Giving up"
peer_wait 1
unlike "$(peer_in 1)" 'Subject' "and no message content sent"
peer_stop

peer_start --data '554 5.3.0 no data today'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "r|D127.0.0.1 failed on DATA command.
Remote host said: 554 5.3.0 no data today
|" "5xx to DATA: D"
peer_stop

peer_start --end '452 4.3.1 out of space'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "r|Z127.0.0.1 failed after I sent the message.
Remote host said: 452 4.3.1 out of space
|" "4xx after the data: Z"
peer_stop

peer_start --end '552 5.3.4 too big|552 5.3.4 really'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "r|D127.0.0.1 failed after I sent the message.
Remote host said: 552-5.3.4 too big
552 5.3.4 really
|" "5xx after the data: D, with the whole multi-line reply"
peer_stop

peer_start --drop-in-data
route remote.test
awk 'BEGIN { for (i = 0; i < 20000; i++) print "line " i }' > "$T/msg"
run_remote remote.test a@local.test x@remote.test
# whether remote had written the whole message into the socket when it
# noticed depends on timing: "Possible duplicate!" may be said or not
like "$REPORT" '^r\|ZConnected to 127\.0\.0\.1 but connection died\. (Possible duplicate! )?\(#4\.4\.2\)$' \
  "connection closed in the middle of DATA: Z, connection died"
peer_stop
printf 'Subject: t\n\nbody\n' > "$T/msg"

echo 2 > "$H/control/timeoutremote"
peer_start --stall END
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "r|ZConnected to 127.0.0.1 but it did not answer within timeoutremote. Possible duplicate! (#4.4.2)
|" "a peer that stalls after the data past timeoutremote: Z, timed out, possible duplicate"
peer_stop
peer_start --stall MAIL
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZConnected to 127.0.0.1 but it did not answer within timeoutremote. (#4.4.2)
|" "a peer that stalls at MAIL: Z, timed out"
peer_stop
rm "$H/control/timeoutremote"

peer_start --ehlo '250-peer|250 SIZE 10'
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "DSorry, the message is 20 bytes, more than the 10 that 127.0.0.1 accepts. (#5.3.4)
|" "over the peer's SIZE: D"
peer_wait 1
unlike "$(peer_in 1)" 'MAIL' "and no MAIL sent"
peer_stop

port=$PEER_PORT   # nothing listens there any more
echo "remote.test:127.0.0.1:$port" > "$H/control/smtproutes"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)
127.0.0.1: Connection refused
|" "no listener: Z #4.4.1 naming the address and the error"

printf 'other.test:[192.0.2.1]\nremote.test:127.0.0.1:99999\n' > "$H/control/smtproutes"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZUnable to read control files: control/smtproutes:2: bad port (#4.3.0)
|" "malformed smtproutes line: Z naming file and line"
rm "$H/control/smtproutes"

run_remote '[127.0.0.1]' a@local.test 'x@[127.0.0.1]'
is "$REPORT" "DSorry. Although I'm listed as a best-preference MX or A for that host,
it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)
|" "our own address as the domain: D with qmail's explanation"

run_remote remote.test a@local.test
is "$REPORT" "DI (remote) was invoked improperly. (#5.3.5)
|" "no recipient: D, invoked improperly"
is "$REMOTE_EXIT" 0 "and exit 0: it reported"

done_testing
