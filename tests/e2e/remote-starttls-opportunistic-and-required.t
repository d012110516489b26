#!/bin/sh
# remote-starttls-opportunistic-and-required: remote's STARTTLS through the
# TLS engine (tlsd -c), against a cairn smtpd under tlsd and a scripted
# peer. (a) opportunistic, through send: the receiver's Received line says
# "with ESMTPS" and the suite, the sender's log says "TLS: TLSv1.2 ..."; a
# test certificate authority made here: (b) a verified destination
# (control/tlsdestinations, control/tlsca naming the test CA) is delivered
# with "(verified remote.test)"; (c) a self-signed certificate and (d) a
# certificate for another name defer it with the reason, on one connection
# only (no plaintext retry); (e) a peer without STARTTLS defers it before
# MAIL; encrypt takes the self-signed certificate; (f) opportunistic
# failures: a STARTTLS refused 454 goes on in plaintext on the same
# connection, a failed handshake connects once more without STARTTLS; an
# encrypt destination refused 454 is deferred; none never says STARTTLS.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/remote.sh"
command -v tcpserver >/dev/null || skip_all "needs tcpserver (ucspi-tcp-ipv6)"
command -v openssl >/dev/null || skip_all "needs openssl"

# the receiving instance: remote.test, smtpd under tlsd
instance_new
TB=$T HB=$H
at_exit "rm -rf '$TB'"
mta_domain remote.test
echo remote.test > "$H/control/rcpthosts"
mta_user bob
mta_assign
mta_start
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="sender.local.test"'
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"

# a test certificate authority, and certificates from it and of their own
C=$TB/certs
mkdir "$C"
ossl() { openssl "$@" 2>>"$C/openssl.err" || { echo "Bail out! openssl $1: $(cat "$C/openssl.err")"; exit 1; }; }
EC="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
ossl req -x509 $EC -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 -subj "/CN=cairn test CA"
signed() { # NAME FILE: a key and a certificate for NAME signed by the test CA
  ossl req $EC -keyout "$C/$2.key" -out "$C/$2.csr" -subj "/CN=$1"
  printf 'subjectAltName=DNS:%s\n' "$1" > "$C/$2.ext"
  ossl x509 -req -in "$C/$2.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 -extfile "$C/$2.ext" -out "$C/$2.pem"
}
signed remote.test good
signed wrong.test wrong
ossl req -x509 $EC -keyout "$C/self.key" -out "$C/self.pem" -days 2 -subj "/CN=remote.test" -addext subjectAltName=DNS:remote.test
use_cert() { # FILE: the receiver's certificate and key
  (umask 077; cp "$C/$1.pem" "$HB/control/tlscert"; cp "$C/$1.key" "$HB/control/tlskey")
}
use_cert self
smtpd_start
RPORT=$SMTP_PORT
# connections the receiver has taken so far
conns() { grep -c 'tcpserver: pid [0-9]* from 127\.0\.0\.1' "$TB/tcpserver.log"; }

# the sending instance
instance_new
mta_domain local.test
echo out.local.test > "$H/control/helohost"
echo "remote.test:127.0.0.1:$RPORT" > "$H/control/smtproutes"
mta_start

# (a) opportunistic, the whole chain
printf 'To: bob@remote.test\nSubject: opportunistic\n\nover STARTTLS\n' | "$H/bin/inject" -f alice@local.test bob@remote.test
wait_for 20 eval '[ "$(find "$TB/u/bob/Maildir/new" -type f | wc -l)" = 1 ]'
ok $? "(a) bob gets the message"
f=$(find "$TB/u/bob/Maildir/new" -type f | head -1)
is "$(sed -n 4p "$f")" "Received: from out.local.test (sender.local.test [127.0.0.1])" "(a) Received names the sender's EHLO after TLS"
like "$(sed -n 5p "$f")" '^	by remote\.test with ESMTPS \(TLSv1\.2 ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)\); ' "(a) the receiver's Received line says ESMTPS and the suite"
suite=$(sed -n '5s/.*ESMTPS (TLSv1\.2 \([A-Z0-9-]*\)).*/\1/p' "$f")
wait_for 10 log_has '^delivery [0-9]+: success: '
like "$(grep '^delivery [0-9]*: success: ' "$T/log")" "^delivery [0-9]+: success: 127\\.0\\.0\\.1_accepted_message\\./Remote_host_said:_250_2\\.0\\.0_ok_[0-9]+_qp_[0-9]+/TLS:_TLSv1\\.2_${suite}_\\(not_verified\\)/\$" \
  "(a) the sender's log says TLS, the same suite, not verified"
mta_stop

msg() { printf 'Subject: %s\n\n%s\n' "$1" "$1" > "$T/msg"; }
delivered() { find "$TB/u/bob/Maildir/new" -type f | wc -l; }

# (b) a verified destination, the test CA in control/tlsca
echo remote.test > "$H/control/tlsdestinations"
echo "$C/ca.pem" > "$H/control/tlsca"
use_cert good
msg verified
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^r\\|K127\\.0\\.0\\.1 accepted message\\.
Remote host said: 250 2\\.0\\.0 ok [0-9]+ qp [0-9]+
TLS: TLSv1\\.2 ECDHE-ECDSA-[A-Z0-9-]+ \\(verified remote\\.test\\)
\\|\$" "(b) verified: delivered, the report says TLS verified remote.test"
wait_for 10 eval '[ "$(delivered)" = 2 ]'
ok $? "(b) bob gets it"

# (c) a self-signed certificate: deferred, one connection, no MAIL
use_cert self
n=$(conns)
msg selfsigned
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^ZConnected to 127\\.0\\.0\\.1 but TLS is required for remote\\.test \\(tlsdestinations: verify\\) and the TLS handshake failed: [^|]+\\. \\(#4\\.7\\.5\\)
\\|\$" "(c) self-signed: deferred (Z) with the reason"
echo "$REPORT" | sed 's/^/# /'
is "$(($(conns) - n))" 1 "(c) one connection only: no retry in plaintext"
sleep 1
is "$(delivered)" 2 "(c) nothing delivered"

# (d) a certificate from the CA for another name
use_cert wrong
n=$(conns)
msg wrongname
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^ZConnected to 127\\.0\\.0\\.1 but TLS is required for remote\\.test \\(tlsdestinations: verify\\) and the TLS handshake failed: [^|]*(name|match)[^|]*\\. \\(#4\\.7\\.5\\)
\\|\$" "(d) wrong name: deferred, the reason names the mismatch"
echo "$REPORT" | sed 's/^/# /'
is "$(($(conns) - n))" 1 "(d) one connection only"
# the same certificate with the other CA file (the system bundle): not trusted either
rm "$H/control/tlsca"
use_cert good
msg systemca
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^ZConnected to 127\\.0\\.0\\.1 but TLS is required .* handshake failed: " "(d) the test CA's certificate against the system bundle (no control/tlsca): deferred"
# encrypt: any certificate
echo remote.test:encrypt > "$H/control/tlsdestinations"
use_cert self
msg encrypt
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^r\\|K127\\.0\\.0\\.1 accepted message\\..*
TLS: TLSv1\\.2 ECDHE-ECDSA-[A-Z0-9-]+ \\(not verified\\)
\\|\$" "encrypt: a self-signed certificate is taken, not verified"
wait_for 10 eval '[ "$(delivered)" = 3 ]'
ok $? "encrypt: bob gets it"
is "$(cat "$TB"/u/bob/Maildir/new/* | grep -c '^Subject: \(selfsigned\|wrongname\|systemca\)')" 0 "(c)(d) none of the deferred messages reached bob"

# (e) required, and the peer offers no STARTTLS
peer_start
route remote.test
echo remote.test > "$H/control/tlsdestinations"
msg nostarttls
run_remote remote.test alice@local.test bob@remote.test
is "$REPORT" "ZConnected to 127.0.0.1 but TLS is required for remote.test (tlsdestinations: verify) and it does not offer STARTTLS. (#4.7.10)
|" "(e) no STARTTLS offered: deferred"
peer_wait 1
is "$(peer_in 1)" 'EHLO out.local.test\r\nQUIT\r\n' "(e) the peer saw EHLO and QUIT, no MAIL"
peer_stop

# (f) opportunistic: STARTTLS refused 454: plaintext on the same connection
rm "$H/control/tlsdestinations"
peer_start --ehlo '250-peer|250-STARTTLS|250 8BITMIME' --starttls '454 4.7.0 TLS not available'
route remote.test
msg refused
run_remote remote.test alice@local.test bob@remote.test
is "$REPORT" "r|K127.0.0.1 accepted message.
Remote host said: 250 ok queued
TLS: STARTTLS was refused (454 4.7.0 TLS not available); went on in plaintext
|" "(f) may, STARTTLS refused: delivered in plaintext, the report says so"
peer_wait 1
like "$(peer_in 1)" '^EHLO out\.local\.test\\r\\nSTARTTLS\\r\\nMAIL FROM:<alice@local\.test>\\r\\n' "(f) on the same connection: STARTTLS, then MAIL"
ok "$([ ! -e "$PEER/2.in" ]; echo $?)" "(f) one session"
# required (encrypt) and refused: deferred, no MAIL
echo .test:encrypt > "$H/control/tlsdestinations"
msg refusedrequired
run_remote remote.test alice@local.test bob@remote.test
is "$REPORT" "ZConnected to 127.0.0.1 but TLS is required for remote.test (tlsdestinations: encrypt) and STARTTLS was refused: 454 4.7.0 TLS not available. (#4.7.10)
|" "(f) encrypt (.test), STARTTLS refused: deferred"
peer_wait 2
is "$(peer_in 2)" 'EHLO out.local.test\r\nSTARTTLS\r\nQUIT\r\n' "(f) encrypt: no MAIL after the refusal"
# none: no STARTTLS at all, even when offered
echo remote.test:none > "$H/control/tlsdestinations"
msg none
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" '^r\|K127\.0\.0\.1 accepted message\.' "none: delivered"
peer_wait 3
unlike "$(peer_in 3)" 'STARTTLS' "none: STARTTLS never sent"
peer_stop

# (f) opportunistic: the handshake fails: one more connection, without STARTTLS
rm "$H/control/tlsdestinations"
peer_start --ehlo '250-peer|250-STARTTLS|250 8BITMIME' --starttls '220 go ahead'
route remote.test
msg handshake
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^r\\|K127\\.0\\.0\\.1 accepted message\\.
Remote host said: 250 ok queued
TLS: the handshake failed \\([^|]+\\); connected again without STARTTLS
\\|\$" "(f) may, failed handshake: delivered on a new connection, the report says so"
echo "$REPORT" | sed 's/^/# /'
peer_wait 2
is "$(cat "$PEER/1.end")" tls-dropped "(f) session 1: STARTTLS, then the handshake failed"
like "$(peer_in 2)" '^EHLO out\.local\.test\\r\\nMAIL FROM:<alice@local\.test>' "(f) session 2: EHLO then MAIL, no STARTTLS"
ok "$([ ! -e "$PEER/3.in" ]; echo $?)" "(f) no third session: the fallback happens once"
# and required: the failed handshake defers, no second connection
echo remote.test:encrypt > "$H/control/tlsdestinations"
msg handshakerequired
run_remote remote.test alice@local.test bob@remote.test
like "$REPORT" "^ZConnected to 127\\.0\\.0\\.1 but TLS is required for remote\\.test \\(tlsdestinations: encrypt\\) and the TLS handshake failed: " "(f) encrypt, failed handshake: deferred"
peer_wait 3
sleep 1
ok "$([ ! -e "$PEER/4.in" ]; echo $?)" "(f) encrypt: no plaintext retry"
peer_stop
done_testing
