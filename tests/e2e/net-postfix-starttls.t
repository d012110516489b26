#!/bin/sh
# net-postfix-starttls: cairn and Debian's Postfix over STARTTLS, both
# ways, in the multi-host harness. A (mx.a.test, 192.0.2.1) runs smtpd
# under tlsd with a self-signed certificate; Postfix on P (mx.p.test,
# 192.0.2.5) has a certificate from a test authority made here, with
# smtpd_tls_security_level=may and smtp_tls_security_level=may.
# Postfix -> cairn: Postfix's log says "TLS connection established to
# mx.a.test[192.0.2.1]:25", and alice's Received line from A's smtpd says
# "with ESMTPS" and the very suite Postfix logged. cairn -> Postfix, with p.test a verified
# destination on A (control/tlsdestinations, control/tlsca naming the test
# authority): the certificate is checked against the MX host name
# mx.p.test from the test DNS; Postfix's log says "Anonymous TLS connection
# established from mx.a.test[192.0.2.1]", pat's Received line from Postfix
# says "with ESMTPS" and the suite, and A's log shows the delivery with
# "TLS: TLSv1.2 ... (verified mx.p.test)". Then p.test's verification
# against the wrong authority (the system bundle) defers with the reason,
# and Postfix sees no MAIL from A.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/netns.sh"
command -v postfix > /dev/null || skip_all "needs Postfix (package/deps test)"
command -v openssl > /dev/null || skip_all "needs openssl"
export LC_ALL=C
net_init
net_cairn a 192.0.2.1
net_host p 192.0.2.5
net_dns 'a.test. IN MX 10 mx.a.test.' 'p.test. IN MX 10 mx.p.test.'
net_dns_start

# certificates: a test authority, Postfix's from it, A's self-signed
C=$NET/certs
mkdir -p "$C"
ossl() { openssl "$@" 2>>"$C/openssl.err" || { echo "Bail out! openssl $1: $(cat "$C/openssl.err")"; exit 1; }; }
EC="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
ossl req -x509 $EC -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 -subj "/CN=cairn net test CA"
ossl req $EC -keyout "$C/p.key" -out "$C/p.csr" -subj "/CN=mx.p.test"
echo 'subjectAltName=DNS:mx.p.test' > "$C/p.ext"
ossl x509 -req -in "$C/p.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 -extfile "$C/p.ext" -out "$C/p.pem"
chmod 600 "$C/p.key"

net_use a
mta_user alice
mta_assign
(umask 077; ossl req -x509 $EC -keyout "$H/control/tlskey" -out "$H/control/tlscert" -days 2 -subj /CN=mx.a.test \
  -addext subjectAltName=DNS:mx.a.test)
net_start a
# A's smtpd under tlsd, as net_smtpd_start runs it but with the engine in front
echo ':allow' > "$T/tcp.smtp"
tcprules "$T/tcp.smtp.cdb" "$T/tcp.smtp.tmp" < "$T/tcp.smtp" || { echo "Bail out! tcprules failed"; exit 1; }
: > "$T/tcpserver.log"
net_exec a tcpserver -v -H -R -l mx.a.test -x "$T/tcp.smtp.cdb" 192.0.2.1 25 "$H/bin/tlsd" "$H/bin/smtpd" 2>> "$T/tcpserver.log" &
wait_for 60 grep -q 'status: 0/' "$T/tcpserver.log" || { echo "Bail out! tcpserver on a did not start"; exit 1; }

net_postfix p p.test pat
cat >> "$PF/etc/main.cf" <<EOC
# STARTTLS both ways, opportunistic
smtpd_tls_cert_file = $C/p.pem
smtpd_tls_key_file = $C/p.key
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_loglevel = 1
EOC
net_postfix_start p

# Postfix -> cairn
printf 'From: pat@p.test\nTo: alice@a.test\nSubject: from Postfix over TLS\n\nhello alice\n' > "$NET/m1"
net_exec p /usr/sbin/sendmail -C "$PF/etc" -f pat@p.test alice@a.test < "$NET/m1"
ok $? "Postfix's sendmail takes a message for alice@a.test"
net_use a
wait_for 60 count_is alice 1
ok $? "alice's Maildir on A gets it"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
like "$(net_header "$f" | grep '^Received: from mx\.p\.test')" \
  '^Received: from mx\.p\.test \(unknown \[192\.0\.2\.5\]\) by mx\.a\.test with ESMTPS \(TLSv1\.2 ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)\); DATE$' \
  "alice's Received line from A's smtpd: with ESMTPS and the suite"
wait_for 60 grep -q 'to=<alice@a.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: status=sent"
like "$(grep 'TLS connection established to mx\.a\.test' "$PF/maillog")" \
  'smtp\[[0-9]+\]: (Untrusted|Anonymous) TLS connection established to mx\.a\.test\[192\.0\.2\.1\]:25: TLSv1\.2 with cipher ECDHE-ECDSA-' \
  "Postfix's log: its smtp client established TLS 1.2 to mx.a.test"
suite=$(grep 'TLS connection established to mx\.a\.test' "$PF/maillog" | head -n 1 | sed -n 's/.* with cipher \([A-Z0-9-]*\).*/\1/p')
is "$(net_header "$f" | grep '^Received: from mx\.p\.test' | sed 's/; DATE$//')" \
  "Received: from mx.p.test (unknown [192.0.2.5]) by mx.a.test with ESMTPS (TLSv1.2 $suite)" \
  "alice's Received line names the very suite Postfix logged"
is "$(grep -c 'TLS handshake with .* failed' "$T/tcpserver.log")" 0 "A's tlsd logged no failed handshake"

# cairn -> Postfix, verified against the test authority and mx.p.test
echo p.test > "$H/control/tlsdestinations"
echo "$C/ca.pem" > "$H/control/tlsca"
printf 'From: alice@a.test\nTo: pat@p.test\nSubject: from cairn over TLS\n\nhello pat\n' > "$NET/m2"
net_inject a -f alice@a.test pat@p.test < "$NET/m2"
ok $? "inject on A takes a message for pat@p.test"
pat_has() { [ "$(net_maildir_count "$PF/vmail/pat/Maildir")" = "$1" ]; }
wait_for 60 pat_has 1
ok $? "pat's Maildir on Postfix's host gets it"
f=$(find "$PF/vmail/pat/Maildir/new" -type f | head -1)
like "$(net_header "$f" | grep '^Received: from mx\.a\.test')" \
  '^Received: from mx\.a\.test \(mx\.a\.test \[192\.0\.2\.1\]\) \(using TLSv1\.2 with cipher ECDHE-ECDSA-[A-Z0-9-]+ \([0-9]+/[0-9]+ bits\)\) .*by mx\.p\.test \(Postfix\) with ESMTPS id ' \
  "pat's Received line from Postfix: TLS 1.2, an ECDHE suite, with ESMTPS"
wait_for 60 log_has '^delivery [0-9]+: success: 192\.0\.2\.5'
like "$(grep '^delivery [0-9]*: success: 192' "$T/log")" \
  '192\.0\.2\.5_accepted_message\./Remote_host_said:_250_2\.0\.0_Ok:_queued_as_[0-9A-F]+/TLS:_TLSv1\.2_ECDHE-ECDSA-[A-Z0-9-]+_\(verified_mx\.p\.test\)/$' \
  "A's log: delivered over TLS 1.2, the certificate verified for the MX host mx.p.test"
like "$(grep 'TLS connection established from mx\.a\.test' "$PF/maillog")" \
  'smtpd\[[0-9]+\]: Anonymous TLS connection established from mx\.a\.test\[192\.0\.2\.1\]: TLSv1\.2 with cipher ECDHE-ECDSA-' \
  "Postfix's log: Anonymous TLS connection established from mx.a.test"
wait_for 60 grep -q 'to=<pat@p.test>.*status=sent' "$PF/maillog"
ok $? "Postfix's log: delivered to pat"

# a verified destination against the wrong authorities: deferred, no MAIL
rm "$H/control/tlsca"
mails=$(grep -c 'from=<alice@a.test>' "$PF/maillog")
printf 'From: alice@a.test\nTo: pat@p.test\nSubject: not trusted\n\nnot sent\n' | net_inject a -f alice@a.test pat@p.test
wait_for 60 log_has '^delivery [0-9]+: deferral: Connected_to_192\.0\.2\.5_but_TLS_is_required'
ok $? "A's log: the delivery is deferred, TLS required"
like "$(grep '^delivery [0-9]*: deferral: ' "$T/log")" \
  'Connected_to_192\.0\.2\.5_but_TLS_is_required_for_p\.test_\(tlsdestinations:_verify\)_and_the_TLS_handshake_failed:_[^/]+\._\(#4\.7\.5\)/$' \
  "A's log names the reason"
is "$(grep -c 'from=<alice@a.test>' "$PF/maillog")" "$mails" "Postfix took no MAIL for it"
ok "$(queue_is 1; echo $?)" "the message waits in A's queue"
is "$(net_maildir_count "$PF/vmail/pat/Maildir")" 1 "pat got nothing more"
done_testing
