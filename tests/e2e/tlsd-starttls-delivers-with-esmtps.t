#!/bin/sh
# tlsd-starttls-delivers-with-esmtps: smtpd under tlsd (tcpserver ... tlsd
# smtpd) with a certificate in control/tlscert and its key in
# control/tlskey offers STARTTLS after EHLO; openssl s_client sees that
# certificate (same SHA-256 fingerprint), TLS 1.2 and an ECDHE suite with
# AES-GCM or ChaCha20-Poly1305; a client offering only suites without
# ECDHE, or only TLS 1.3, fails the handshake and tlsd logs why; swaks
# --tls delivers a message whose Received line says "with ESMTPS" and the
# suite; after the handshake EHLO no longer offers STARTTLS, a second
# STARTTLS is refused 503, MAIL before the new EHLO is refused (the
# session starts over). Both an EC (P-256) and an RSA (2048) key.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
command -v swaks >/dev/null || skip_all "needs swaks"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="client.example"'
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"

# STARTTLS is not offered before there is a certificate
smtpd_start
is "$(smtp 'EHLO c.example\r\n' 'STARTTLS\r\n' 'QUIT\r\n' | grep -c STARTTLS)" 0 "no certificate: STARTTLS not in EHLO"
like "$(cat "$T/tcpserver.log")" 'tlsd: warning: no TLS \(STARTTLS not offered\): control/tlscert: No such file' "no certificate: tlsd says so in the log"
is "$(smtp 'STARTTLS\r\n' 'QUIT\r\n' | sed -n 2p)" "502 5.5.2 unrecognized command" "no certificate: STARTTLS is an unknown command"
smtpd_stop

n=0
for kind in ec rsa; do
  n=$((n + 1))
  case $kind in
    ec) newkey="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1"; auth=ECDSA ;;
    rsa) newkey="-newkey rsa:2048"; auth=RSA ;;
  esac
  rm -f "$H/control/tlscert" "$H/control/tlskey"
  (umask 077; openssl req -x509 $newkey -nodes -keyout "$H/control/tlskey" -out "$H/control/tlscert" \
    -days 2 -subj "/CN=mx.example.org" 2>"$T/openssl.err") || { echo "Bail out! openssl req: $(cat "$T/openssl.err")"; exit 1; }
  want=$(openssl x509 -in "$H/control/tlscert" -noout -fingerprint -sha256)
  smtpd_start

  like "$(smtp 'EHLO c.example\r\n' 'QUIT\r\n')" '250-STARTTLS' "$kind: EHLO offers STARTTLS"
  echo QUIT | openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" -servername mx.example.org > "$T/s_client.out" 2>&1
  openssl x509 -noout -fingerprint -sha256 < "$T/s_client.out" > "$T/got.fp" 2>/dev/null
  is "$(cat "$T/got.fp")" "$want" "$kind: s_client sees the certificate of control/tlscert"
  like "$(grep -E '^ *Protocol *:' "$T/s_client.out")" 'TLSv1\.2$' "$kind: the protocol is TLS 1.2"
  like "$(grep -E '^ *Cipher *:' "$T/s_client.out")" "ECDHE-$auth-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)\$" "$kind: an ECDHE suite with AES-GCM or ChaCha20-Poly1305"
  echo QUIT | openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" -tls1_2 -cipher 'AES128-GCM-SHA256:AES256-SHA256:AES128-SHA' > "$T/s_client.out" 2>&1
  isnt=$?
  ok $((isnt == 0)) "$kind: a client offering only suites without ECDHE fails (s_client status $isnt)"
  wait_for 5 grep -q 'tlsd: warning: TLS handshake with 127.0.0.1 failed: .*alert 40' "$T/tcpserver.log"
  ok $? "$kind: tlsd logs the failed handshake and the alert"
  echo QUIT | openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" -tls1_3 > "$T/s_client.out" 2>&1
  isnt=$?
  ok $((isnt == 0)) "$kind: a TLS 1.3-only client fails (s_client status $isnt)"

  swaks --server "127.0.0.1:$SMTP_PORT" --tls --helo helo.example --from bob@example.net --to alice@example.org \
    --header "Subject: tls $kind" --body "over TLS ($kind)" > "$T/swaks.out" 2>&1
  ok $? "$kind: swaks --tls delivers"
  like "$(cat "$T/swaks.out")" '<-  220 2.0.0 ready to start TLS' "$kind: STARTTLS is answered 220 2.0.0"
  like "$(cat "$T/swaks.out")" 'TLS started with cipher TLSv1\.2:ECDHE-' "$kind: swaks reports TLS 1.2 with ECDHE"
  unlike "$(sed -n '/TLS started/,$p' "$T/swaks.out")" '<~  250-STARTTLS' "$kind: EHLO after the handshake no longer offers STARTTLS"
  wait_for 10 count_is alice $n
  ok $? "$kind: the message reaches the Maildir"
  f=$(grep -l "Subject: tls $kind" "$T/u/alice/Maildir/new/"*)
  is "$(sed -n 4p "$f")" "Received: from helo.example (client.example [127.0.0.1])" "$kind: Received names the EHLO after TLS"
  like "$(sed -n 5p "$f")" "^	by example.org with ESMTPS \\(TLSv1\\.2 ECDHE-$auth-[A-Z0-9-]+\\); [A-Z][a-z]{2}, " "$kind: Received says with ESMTPS and the suite"
  suite=$(sed -n 's/.*:ECDHE-\([A-Z0-9-]*\):.*/\1/p' "$T/swaks.out" | head -1)
  like "$(sed -n 5p "$f")" "ECDHE-$suite\\)" "$kind: the suite in Received is the one swaks negotiated"
  smtpd_stop
done

# the session after STARTTLS, in Python's ssl module: state forgotten,
# second STARTTLS refused, argument refused before
smtpd_start
"$PY" - "$SMTP_PORT" > "$T/py.out" 2>&1 <<'PY'
import socket, ssl, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
f = s.makefile('rb')
def reply():
    lines = []
    while True:
        l = f.readline().decode()
        lines.append(l.rstrip('\r\n'))
        if len(l) < 4 or l[3] != '-':
            return lines
def cmd(c):
    s.sendall(c.encode() + b'\r\n')
    return reply()
print(reply()[0])
print(cmd('EHLO c.example')[-1])
print(cmd('MAIL FROM:<a@example.net>')[0])
print(cmd('STARTTLS now')[0])
print(cmd('STARTTLS')[0])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s, server_hostname='mx.example.org')
f = s.makefile('rb')
print(s.version())
print(cmd('MAIL FROM:<a@example.net>')[0])
print(' '.join(cmd('EHLO c.example')))
print(cmd('STARTTLS')[0])
print(cmd('QUIT')[0])
PY
is "$(cat "$T/py.out")" "220 example.org ESMTP
250 SIZE
250 2.1.0 ok
501 5.5.4 STARTTLS takes no argument
220 2.0.0 ready to start TLS
TLSv1.2
503 5.5.1 send HELO or EHLO first
250-example.org 250-PIPELINING 250-8BITMIME 250-ENHANCEDSTATUSCODES 250 SIZE
503 5.5.1 TLS is already on
221 2.0.0 example.org" "python ssl: MAIL state and EHLO forgotten after TLS, no STARTTLS offered again, second STARTTLS refused"
smtpd_stop
wait_for 10 queue_empty
ok $? "the queue is empty afterwards"
done_testing
