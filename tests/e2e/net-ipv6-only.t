#!/bin/sh
# net-ipv6-only: F (mx.f.test) has only an IPv6 address, 2001:db8::6 (no
# IPv4 on its interface, no A record, only AAAA), and f.test has "MX 10
# mx.f.test". alice on A (192.0.2.1 and 2001:db8::1) sends to fred@f.test:
# A's remote finds the AAAA record of the exchanger and delivers over IPv6;
# F's smtpd names A's IPv6 address in its Received line and A's log names
# F's. Then d1.test, whose exchanger has a dead A record (192.0.2.99, no
# host there) besides F's AAAA: A's remote tries the IPv4 address first (A before AAAA),
# fails, and delivers over IPv6.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_need6
net_cairn a 192.0.2.1 2001:db8::1
net_cairn f 2001:db8::6
net_dns 'a.test. IN MX 10 mx.a.test.' 'f.test. IN MX 10 mx.f.test.' \
  'd1.test. IN MX 10 mx.d1.test.' 'mx.d1.test. IN A 192.0.2.99' 'mx.d1.test. IN AAAA 2001:db8::6'
net_dns_start
is "$(net_exec f ip -4 -o addr show dev eth0)" "" "F has no IPv4 address"
like "$(net_exec f ip -6 -o addr show dev eth0 scope global)" "inet6 2001:db8::6/64" "F has 2001:db8::6"
is "$(grep -c '^mx\.f\.test\. IN A ' "$NET/dns/test.zone")" 0 "mx.f.test has no A record"
net_use f
echo d1.test >> "$H/control/locals"
echo d1.test >> "$H/control/rcpthosts"
mta_user fred
mta_assign
net_start f
net_smtpd_start f
net_use a
mta_user alice
mta_assign
echo 10 > "$H/control/timeoutconnect"
net_start a

printf 'From: alice@a.test\nTo: fred@f.test\nSubject: over IPv6\n\nhello fred\n' > "$NET/msg"
net_inject a -f alice@a.test fred@f.test < "$NET/msg"
ok $? "inject on A takes a message for fred@f.test"
net_use f
wait_for 60 count_is fred 1
ok $? "fred's Maildir on F gets it"
f=$(find "$T/u/fred/Maildir/new" -type f | head -1)
is "$(net_header "$f" | grep '^Received: ' | tr '\n' '|')" \
  "Received: (qmail PID invoked by uid 0); DATE|Received: from mx.a.test (unknown [2001:db8::1]) by mx.f.test with ESMTP; DATE|Received: (qmail PID invoked by uid 0); DATE|" \
  "F's smtpd's Received line names A's IPv6 address 2001:db8::1"
is "$(sed -n '/^$/,$p' "$f")" "
hello fred" "the body arrives"
net_use a
wait_for 60 log_has '^delivery [0-9]+: success: '
ok $? "A's log: the delivery succeeded"
like "$(grep '^delivery [0-9]*: success' "$T/log")" "2001:db8::6_accepted_message\\./Remote_host_said:_250_2\\.0\\.0_ok_" \
  "A's log: 2001:db8::6 accepted it"
wait_for 60 queue_empty
ok $? "A's queue is empty"

printf 'From: alice@a.test\nTo: fred@d1.test\nSubject: one dead address\n\nhello again\n' | net_inject a -f alice@a.test fred@d1.test
net_use f
wait_for 60 count_is fred 2
ok $? "fred@d1.test: delivered to F"
net_use a
successes() { [ "$(grep -c '^delivery [0-9]*: success' "$T/log")" = 2 ]; }
wait_for 60 successes
like "$(grep '^delivery [0-9]*: success' "$T/log" | tail -1)" "2001:db8::6_accepted_message\\." "A's log: delivered over IPv6 (the IPv4 address of the exchanger leads nowhere)"
wait_for 60 queue_empty
ok $? "A's queue is empty"
log_has '^bounce msg'
is $? 1 "no bounce"
done_testing
