#!/bin/sh
# net-postfix-starttls-to-cairn: Postfix (P, mx.p.test, 192.0.2.5), with
# smtp_tls_security_level=may as most MTAs, sends to alice@a.test through
# the test DNS's MX to A, whose smtpd runs under tlsd with a self-signed
# certificate for mx.a.test: Postfix sees STARTTLS, its log says that an
# unverified ("Untrusted" or "Anonymous")
# TLS 1.2 connection with an ECDHE suite was established to
# mx.a.test[192.0.2.1] and the message was sent; alice's copy has A's
# Received line "with ESMTPS" and the same suite.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v postfix > /dev/null || skip_all "needs Postfix (package/deps test)"
command -v openssl > /dev/null || skip_all "needs openssl"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_host p 192.0.2.5
net_dns 'a.test. IN MX 10 mx.a.test.' 'p.test. IN MX 10 mx.p.test.'
net_dns_start
net_use a
mta_user alice
mta_assign
tls_cert ec mx.a.test
net_start a
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd" net_smtpd_start a
net_postfix p p.test pat
postconf -c "$PF/etc" -e 'smtp_tls_security_level = may' 'smtp_tls_loglevel = 1' \
  || { echo "Bail out! postconf failed"; exit 1; }
net_postfix_start p

printf 'From: pat@p.test\nTo: alice@a.test\nSubject: over TLS\n\nhello alice\n' > "$NET/m1"
net_exec p /usr/sbin/sendmail -C "$PF/etc" -f pat@p.test alice@a.test < "$NET/m1"
ok $? "Postfix's sendmail takes a message for alice@a.test"
net_use a
wait_for 60 count_is alice 1
ok $? "alice's Maildir on A gets it"
wait_for 30 grep -q 'to=<alice@a.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: status=sent"
tlsline=$(grep 'TLS connection established to mx.a.test' "$PF/maillog" | head -n 1)
like "$tlsline" '(Anonymous|Untrusted) TLS connection established to mx\.a\.test\[192\.0\.2\.1\]:25: TLSv1\.2 with cipher ECDHE-ECDSA-[A-Z0-9-]+' \
  "Postfix's log: an (unverified) TLS 1.2 connection with an ECDHE suite to A"
suite=$(echo "$tlsline" | sed -n 's/.* with cipher \([A-Z0-9-]*\).*/\1/p')
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
is "$(net_header "$f" | grep '^Received: from mx.p.test' | sed 's/; DATE$//')" \
  "Received: from mx.p.test (unknown [192.0.2.5]) by mx.a.test with ESMTPS (TLSv1.2 $suite)" \
  "alice's copy: A's Received line says ESMTPS and the suite Postfix logged"
done_testing
