#!/bin/sh
# remote-finds-exchangers-through-dns: remote with a dnsmasq of the test's
# own on 127.0.0.1 as control/resolvers. A relay named in smtproutes is
# found through its A record (and, being a relay, may be this host);
# a domain whose best MX is this host (an exchanger at 127.0.0.1; the
# rule for names is in the unit test remotehosts-backup-mx, since an
# exchanger elsewhere cannot be reached from here) fails for good with qmail's "best-preference MX"
# explanation, and through send the sender gets it in a DSN; a domain that
# does not exist and a null MX fail for good; a resolver that does not
# answer defers.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/remote.sh"
[ -x "$(command -v dnsmasq || echo /usr/sbin/dnsmasq)" ] || skip_all "needs dnsmasq (dnsmasq-base)"

instance_new
mta_domain me.local.test
mta_user alice
mta_assign
printf 'Subject: t\n\nbody\n' > "$T/msg"
dns_start --host-record=relay.test,127.0.0.1 \
  --mx-host=self.test,mx.self.test,10 --host-record=mx.self.test,127.0.0.1 \
  --mx-host=nullmx.test,.,0
peer_start
echo "remote.test:relay.test:$PEER_PORT" > "$H/control/smtproutes"
run_remote remote.test a@me.local.test x@remote.test
is "$REPORT" "r|K127.0.0.1 accepted message.
Remote host said: 250 ok queued
|" "a relay named in smtproutes is found through DNS, and may be this host"
rm "$H/control/smtproutes"

ambig="DSorry. Although I'm listed as a best-preference MX or A for that host,
it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)
|"
run_remote self.test a@me.local.test x@self.test
is "$REPORT" "$ambig" "the best MX at 127.0.0.1: D, qmail's best-preference MX text"

run_remote nope.test a@me.local.test x@nope.test
like "$REPORT" "^DSorry, I couldn't find any host named nope\.test\. \(#5\.1\.2\)$" "a domain that does not exist: D #5.1.2"
run_remote nullmx.test a@me.local.test x@nullmx.test
like "$REPORT" "^DSorry, I couldn't find any host named nullmx\.test\. \(#5\.1\.2\)$" "a null MX: D"

mta_start
printf 'Subject: to myself\n\nbody\n' | "$H/bin/inject" -f alice@me.local.test bob@self.test
wait_for 20 count_is alice 1
ok $? "through send: the sender gets a bounce"
b=$(find "$T/u/alice/Maildir/new" -type f | head -1)
grep -q "listed as a best-preference MX" "$b"
ok $? "which explains the best-preference MX"
log_has '^delivery [0-9]+: failure: Sorry\._Although_I.m_listed_as_a_best-preference_MX_or_A_for_that_host,/'
ok $? "send's log: the failure with qmail's text"

kill "$DNS_PID"; wait "$DNS_PID" 2>/dev/null
run_remote self.test a@me.local.test x@self.test
like "$REPORT" "^ZSorry, I couldn't find any host by that name\. \(#4\.1\.2\)$" "no DNS server answering: Z #4.1.2"
mta_stop
done_testing
