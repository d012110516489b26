#!/bin/sh
# net-dns-outcomes: what the test DNS (nsd, authoritative for .test) says
# decides where A's remote delivers, or whether it bounces or waits:
#   imp.test has only an A record (192.0.2.2): the implicit MX, B
#   cn.test is a CNAME for b.test: followed, b.test's MX, B
#   nosuch.test does not exist (NXDOMAIN): a bounce, #5.1.2
#   nullmx.test has "MX 0 ." (RFC 7505): a bounce, it takes no mail
#   self.test has "MX 10 mx.a.test" but is not in A's locals: a bounce
#     with qmail's "listed as a best-preference MX" text (#5.4.6)
#   with the DNS server down, mail for b.test waits (#4.1.2) and goes
#     once the server is back and ALRM is sent.
# alice gets exactly the three bounces, each naming its address.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_cairn b 192.0.2.2
net_dns 'a.test. IN MX 10 mx.a.test.' 'b.test. IN MX 10 mx.b.test.' \
  'imp.test. IN A 192.0.2.2' 'cn.test. IN CNAME b.test.' 'nullmx.test. IN MX 0 .' \
  'self.test. IN MX 10 mx.a.test.'
net_dns_start
net_use b
printf '%s\n' imp.test cn.test >> "$H/control/locals"
printf '%s\n' imp.test cn.test >> "$H/control/rcpthosts"
mta_user bob
mta_assign
net_start b
net_smtpd_start b
net_use a
mta_user alice
mta_assign
echo 5 > "$H/control/timeoutconnect"
net_start a

send() { printf 'From: alice@a.test\nSubject: to %s\n\nhello\n' "$1" | net_inject a -f alice@a.test "$1"; }
# bounce_for ADDR: the bounce in alice's Maildir that names ADDR
bounce_for() { grep -l "^<$1>:\$" "$NET"/host-a/u/alice/Maildir/new/* 2>/dev/null | head -1; }
# got SUBJECT: bob's Maildir holds one message with Subject: to SUBJECT
got() { [ "$(grep -l "^Subject: to $1\$" "$NET"/host-b/u/bob/Maildir/new/* 2>/dev/null | wc -l)" = 1 ]; }

for r in bob@imp.test bob@cn.test bob@nosuch.test bob@nullmx.test bob@self.test; do send $r; done
wait_for 60 got bob@imp.test
ok $? "imp.test (an A record, no MX): delivered to B, its implicit MX"
wait_for 60 got bob@cn.test
ok $? "cn.test (a CNAME for b.test): delivered to B through b.test's MX"
net_use a
wait_for 60 count_is alice 3
ok $? "alice gets three bounces"
f=$(bounce_for bob@nosuch.test)
grep -q "Sorry, I couldn't find any host named nosuch.test. (#5.1.2)" "$f" 2>/dev/null
ok $? "nosuch.test (NXDOMAIN): bounced, no host by that name (#5.1.2)"
f=$(bounce_for bob@nullmx.test)
grep -q "null MX" "$f" 2>/dev/null
ok $? "nullmx.test (MX 0 .): bounced, saying null MX"
f=$(bounce_for bob@self.test)
grep -q "Although I'm listed as a best-preference MX or A for that host," "$f" 2>/dev/null
ok $? "self.test (A is its best MX, not local): bounced with qmail's best-preference MX text"
grep -q "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)" "$f" 2>/dev/null
ok $? "  which ends (#5.4.6)"
wait_for 60 queue_empty
ok $? "A's queue is empty"
like "$(grep 'to remote bob@imp.test' "$T/log")" "^starting delivery" "A's log: the delivery to imp.test"
like "$(grep '^delivery [0-9]*: success' "$T/log" | head -2 | tr '\n' ' ')" "192\\.0\\.2\\.2_accepted_message.* 192\\.0\\.2\\.2_accepted_message" \
  "A's log: both went to 192.0.2.2"

# the DNS server goes away
net_exec ns sh -c 'kill $(cat "$1")' x "$NET/dns/nsd.pid"
wait_for 60 _net_ns_empty
ok $? "nsd is stopped"
d0=$(grep -c '^delivery [0-9]*: deferral' "$T/log")
send bob@b.test
deferred() { [ "$(grep -c '^delivery [0-9]*: deferral' "$T/log")" -gt "$d0" ]; }
wait_for 60 deferred
ok $? "without a DNS server, mail for b.test is deferred"
like "$(grep '^delivery [0-9]*: deferral' "$T/log" | tail -1)" "Sorry,_I_couldn't_find_any_host_by_that_name\\._\\(#4\\.1\\.2\\)" \
  "A's log: no host by that name, for now (#4.1.2)"
like "$("$H/bin/qread")" "	remote	bob@b.test" "qread: it waits for bob@b.test"
net_dns_start
mta_alrm
wait_for 60 got bob@b.test
ok $? "the DNS server is back: after ALRM B gets it"
wait_for 60 queue_empty
ok $? "A's queue is empty"
is "$(count_new alice)" 3 "alice got the three bounces and nothing more"
done_testing
