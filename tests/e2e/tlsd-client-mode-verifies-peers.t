#!/bin/sh
# tlsd-client-mode-verifies-peers: tlsd -c, the engine's client side as
# remote uses it (tests/lib/tlsclient.py plays remote: its own SMTP up to
# STARTTLS's 220, then tlsd -c on the connection, the outcome record, and
# SMTP again over the channel). Without -a any certificate is taken and
# the record names protocol, suite and the SNI sent; with -a and a test
# certificate authority made here, a certificate it signed for the name
# is verified (TLS_PEER_VERIFIED=1), and a wrong name, another authority
# or a self-signed certificate fail the handshake with an N record, a
# log line saying why, and exit 111. Implicit TLS the same way.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
smtpd_rules '127.0.0.1:allow'

# a test authority and a server certificate it signs for mx.example.org
C=$T/ca; mkdir "$C"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" \
  -days 2 -subj "/CN=cairn test CA" 2>/dev/null || { echo "Bail out! openssl: CA"; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$C/other.key" -out "$C/other.pem" \
  -days 2 -subj "/CN=another CA" 2>/dev/null || { echo "Bail out! openssl: other CA"; exit 1; }
(umask 077; openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$H/control/tlskey" \
  -out "$C/mx.csr" -subj "/CN=mx.example.org" 2>/dev/null) || { echo "Bail out! openssl: csr"; exit 1; }
printf 'subjectAltName=DNS:mx.example.org\nbasicConstraints=CA:FALSE\n' > "$C/ext"
openssl x509 -req -in "$C/mx.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 \
  -extfile "$C/ext" -out "$H/control/tlscert" 2>/dev/null || { echo "Bail out! openssl: sign"; exit 1; }

SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"
smtpd_start
client() { "$PY" "$top/tests/lib/tlsclient.py" "$SMTP_PORT" "$H/bin/tlsd" "$@" 2> "$T/client.err"; }

out=$(client starttls -n mx.example.org)
is "$(echo "$out" | sed -n '1,4p')" "Y
TLS_PROTOCOL=TLSv1.2
TLS_CIPHER=$(echo "$out" | sed -n 's/^TLS_CIPHER=//p')
TLS_SNI=mx.example.org" "no -a: Y, TLS 1.2, the suite, the SNI sent; no TLS_PEER_VERIFIED"
like "$(echo "$out" | grep '^TLS_CIPHER=')" '^TLS_CIPHER=ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$' "  an ECDHE-ECDSA AEAD suite"
is "$(echo "$out" | sed -n '5,$p')" "250 SIZE
221 2.0.0 example.org
exit 0" "  SMTP over the channel: EHLO and QUIT answered, tlsd -c exits 0"

out=$(client starttls -n mx.example.org -a "$C/ca.pem")
like "$(echo "$out" | tr '\n' '|')" '^Y\|.*TLS_PEER_VERIFIED=1\|250 SIZE\|221 2\.0\.0 example\.org\|exit 0\|$' "-a the authority, the right name: verified, and SMTP goes on"

out=$(client starttls -n wrong.example.org -a "$C/ca.pem")
is "$(echo "$out" | tr '\n' '|')" "N|TLS_ERROR=the certificate does not match the host name|exit 111|" "a wrong name: N with the reason, exit 111"
like "$(cat "$T/client.err")" '^tlsd: warning: TLS handshake with wrong\.example\.org failed: the certificate does not match the host name$' "  and the log line"

out=$(client starttls -n mx.example.org -a "$C/other.pem")
is "$(echo "$out" | tr '\n' '|')" "N|TLS_ERROR=the certificate is not signed by a trusted authority|exit 111|" "another authority: N, not trusted"

out=$(client starttls -a "$C/ca.pem")
like "$(echo "$out" | tail -n 1)" '^exit 100$' "-a without -n: a usage error, exit 100"
like "$(cat "$T/client.err")" 'tlsd: fatal: -a needs -n' "  saying so"
smtpd_stop

# a self-signed server, implicit TLS
tls_cert ec mx.example.org
SMTPD_CMD="$H/bin/tlsd -i $H/bin/smtpd"
smtpd_start
out=$(client implicit -n mx.example.org)
is "$(echo "$out" | sed -n '1p;$p' | tr '\n' '|')" "Y|exit 0|" "implicit TLS, no -a: a self-signed certificate is taken"
like "$(echo "$out" | tr '\n' '|')" '\|220 example\.org ESMTP\|250 SIZE\|221 2\.0\.0 example\.org\|' "  greeting, EHLO and QUIT over the channel"
out=$(client implicit -n mx.example.org -a "$C/ca.pem")
is "$(echo "$out" | tr '\n' '|')" "N|TLS_ERROR=the certificate is not signed by a trusted authority|exit 111|" "a self-signed certificate against the authority: not trusted"
smtpd_stop
done_testing
