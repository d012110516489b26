#!/bin/sh
# net-misbehaving-peer: m.test's exchanger mx.m.test (M, 192.0.2.7) is a
# scripted SMTP server (tests/lib/netpeer.py) that misbehaves in a new way
# for each message alice sends from A:
#  1. a 421 greeting: A defers (the log quotes the greeting), keeps the
#     message; once the peer behaves, ALRM delivers it, once.
#  2. 550 for one recipient, 250 for the other: the message reaches the
#     peer for the good one only; one bounce to alice, for the bad one
#     only, quoting the 550.
#  3. the connection closed in the middle of DATA: A defers ("connection
#     died"); on ALRM the retry succeeds and the peer holds one copy, every
#     line of it ended by CRLF.
#  4. a peer that accepts the connection and then never answers: with
#     control/timeoutremote at 3 seconds A gives up after 3 seconds or
#     more (not the default 1200), closes the connection and defers saying
#     so ("did not answer within timeoutremote"); on ALRM, against a peer
#     that answers again, it delivers the message.
# Every phase ends with A's queue empty; alice's only bounce is phase 2's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_host m 192.0.2.7
net_dns 'a.test. IN MX 10 mx.a.test.' 'm.test. IN MX 10 mx.m.test.'
net_dns_start
net_use a
mta_user alice
mta_assign
echo 10 > "$H/control/timeoutconnect"
echo 3 > "$H/control/timeoutremote"
net_start a

# send N RCPT...: message N from alice (Subject: message N)
send() {
  _n=$1; shift
  printf 'From: alice@a.test\nSubject: message %s\n\nbody %s\n' "$_n" "$_n" | net_inject a -f alice@a.test "$@"
}
# results KIND: send's "delivery N: KIND: ..." lines so far
results() { grep "^delivery [0-9]*: $1: " "$T/log"; }
nresults() { results "$1" | wc -l; }
# more KIND N: more than N such lines
more() { [ "$(nresults "$1")" -gt "$2" ]; }
# taken DIR N: the peer of DIR took N messages
taken() { [ "$(find "$1" -name 'msg.[0-9]*' | wc -l)" = "$2" ]; }

# 1. 421 greeting
P=$NET/peer1
net_peer m "$P" --greeting '421 4.3.2 mx.m.test is too busy, try again later'
send 1 u1@m.test
wait_for 60 more deferral 0
ok $? "421 greeting: A defers"
like "$(results deferral | tail -1)" "192\\.0\\.2\\.7.*421_4\\.3\\.2_mx\\.m\\.test_is_too_busy" "the log names the peer and quotes its greeting"
like "$("$H/bin/qread")" "	remote	u1@m.test" "qread: the message waits for u1@m.test"
grep -q '^S: 421 4.3.2' "$P/log"
ok $? "the peer's log: it greeted 421"
taken "$P" 0
ok $? "the peer took nothing"
net_peer_stop m
P=$NET/peer1b
net_peer m "$P"
mta_alrm
wait_for 60 taken "$P" 1
ok $? "the peer behaves again; after ALRM it takes the message"
like "$(cat "$P/env.1")" "^from alice@a.test
to u1@m.test$" "its envelope: alice to u1@m.test"
wait_for 60 queue_empty
ok $? "A's queue is empty"
net_peer_stop m

# 2. one recipient refused, the other accepted
P=$NET/peer2
net_peer m "$P" --rcpt 'bad@m.test=550 5.1.1 bad@m.test: no such user here'
send 2 good@m.test bad@m.test
wait_for 60 count_is alice 1
ok $? "alice gets a bounce"
wait_for 60 queue_empty
ok $? "A's queue is empty"
taken "$P" 1
ok $? "the peer took one message"
is "$(cat "$P/env.1")" "from alice@a.test
to good@m.test" "for good@m.test only"
tr -d '\r' < "$P/msg.1" | grep -q '^Subject: message 2$'
ok $? "it is message 2"
b=$(find "$T/u/alice/Maildir/new" -type f | head -1)
grep -q '^<bad@m.test>:$' "$b"
ok $? "the bounce names bad@m.test"
grep -q '550 5.1.1 bad@m.test: no such user here' "$b"
ok $? "and quotes the peer's 550 reply"
grep -q 'good@m.test' "$b"
is $? 1 "and does not name good@m.test"
grep -q '^Status: 5.1.1$' "$b"
ok $? "its delivery-status part says Status: 5.1.1"
like "$(results failure)" "550_5\\.1\\.1_bad@m\\.test:_no_such_user_here" "A's log: a failure with the 550"
net_peer_stop m

# 3. the connection drops in the middle of DATA
P=$NET/peer3
net_peer m "$P" --drop-data 1
d0=$(nresults deferral)
send 3 u3@m.test
wait_for 60 more deferral "$d0"
ok $? "dropped in DATA: A defers"
like "$(results deferral | tail -1)" "Connected_to_192\\.0\\.2\\.7_but_connection_died" "A's log: connected to 192.0.2.7 but connection died"
grep -q '^dropped in DATA' "$P/log"
ok $? "the peer's log: it dropped the connection in DATA"
taken "$P" 0
ok $? "the peer took nothing yet"
mta_alrm
wait_for 60 taken "$P" 1
ok $? "after ALRM the retry succeeds"
wait_for 60 queue_empty
ok $? "A's queue is empty"
sleep 1
taken "$P" 1
ok $? "the peer holds one copy of message 3"
tr -d '\r' < "$P/msg.1" | grep -q '^Subject: message 3$'
ok $? "and it is message 3"
is "$(tr -d '\r' < "$P/msg.1" | sed -n '/^$/,$p')" "
body 3" "its body, whole"
is "$(grep -c "$(printf '\r')\$" "$P/msg.1")" "$(wc -l < "$P/msg.1")" "every line of it ended in CRLF on the wire"
net_peer_stop m

# 4. a peer that never answers
P=$NET/peer4
net_peer m "$P" --stall greeting
d0=$(nresults deferral)
t0=$(date +%s)
send 4 u4@m.test
wait_for 60 more deferral "$d0"
ok $? "a silent peer: A defers within a minute (timeoutremote 3, not 1200)"
t1=$(date +%s)
ok "$([ $((t1 - t0)) -ge 3 ]; echo $?)" "not before timeoutremote's 3 seconds (took $((t1 - t0)) s)"
like "$(results deferral | tail -1)" "Connected_to_192\\.0\\.2\\.7_but_it_did_not_answer_within_timeoutremote" "A's log: connected to 192.0.2.7 but it did not answer within timeoutremote"
grep -q '^stalled' "$P/log"
ok $? "the peer's log: it stalled"
grep -q '^closed 1$' "$P/log"
ok $? "the peer's log: A closed the connection (it gave up waiting)"
net_peer_stop m
P=$NET/peer4b
net_peer m "$P"
mta_alrm
wait_for 60 taken "$P" 1
ok $? "against a peer that answers again, ALRM delivers it"
wait_for 60 queue_empty
ok $? "A's queue is empty"

is "$(count_new alice)" 1 "alice got one bounce in all (phase 2's)"
is "$(grep -c '^bounce msg' "$T/log")" 1 "A's log: one bounce"
done_testing
