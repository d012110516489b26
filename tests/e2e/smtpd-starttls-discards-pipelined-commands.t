#!/bin/sh
# smtpd-starttls-discards-pipelined-commands: what a client (or a man in
# the middle) sends in plaintext after STARTTLS, in the same packet, is
# never executed inside the TLS session (CVE-2011-0411): "STARTTLS\r\n
# RSET\r\n" in one write is answered 220 only, and after the handshake
# the first reply is the one to the client's own EHLO. When the injected
# bytes are still in the socket rather than in smtpd's buffer, the
# engine reads them as TLS, and the handshake fails instead: either way
# no reply to them ever comes. Also "STARTTLS\r\nMAIL FROM:..." makes no
# transaction. Under tcpserver with tlsd in front of smtpd, and under
# smtppool -s (the engine started by its TLS broker).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
tls_cert ec
smtpd_rules '127.0.0.1:allow'
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"

for SMTPD_SERVER in tcpserver pool; do
smtpd_start
for what in RSET MAIL HELP; do
  case $what in
    RSET) injected='RSET\r\n' ;;
    MAIL) injected='MAIL FROM:<evil@example.net>\r\nRCPT TO:<postmaster@example.org>\r\n' ;;
    HELP) injected='HELP\r\nNOOP\r\nQUIT\r\n' ;;
  esac
"$PY" - "$SMTP_PORT" "$injected" > "$T/py.out" 2>&1 <<'PY'
import socket, ssl, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
f = s.makefile('rb')
def reply():
    lines = []
    while True:
        l = f.readline().decode()
        if not l:
            lines.append('[closed]')
            return lines
        lines.append(l.rstrip('\r\n'))
        if len(l) < 4 or l[3] != '-':
            return lines
print(reply()[0])
s.sendall(b'EHLO c.example\r\n')
print(reply()[-1])
# one write: the command and what the attacker appended
s.sendall(b'STARTTLS\r\n' + sys.argv[2].encode().decode('unicode_escape').encode())
print(reply()[0])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
try:
    s = ctx.wrap_socket(s, server_hostname='mx.example.org')
except (ssl.SSLError, OSError) as e:
    print('handshake failed')
    sys.exit(0)
f = s.makefile('rb')
s.sendall(b'EHLO again.example\r\n')
print(reply()[0])
s.sendall(b'RCPT TO:<postmaster@example.org>\r\n')
print(reply()[0])
s.sendall(b'QUIT\r\n')
print(reply()[0])
PY
  out=$(cat "$T/py.out")
  if [ "$(sed -n 4p "$T/py.out")" = "handshake failed" ]; then
    is "$out" "220 example.org ESMTP
250 SIZE
220 2.0.0 ready to start TLS
handshake failed" "$SMTPD_SERVER: $what injected: the handshake fails on the plaintext bytes"
  else
    is "$out" "220 example.org ESMTP
250 SIZE
220 2.0.0 ready to start TLS
250-example.org
503 5.5.1 MAIL first
221 2.0.0 example.org" "$SMTPD_SERVER: $what injected: never answered; the TLS session starts clean"
  fi
done
smtpd_stop
done
done_testing
