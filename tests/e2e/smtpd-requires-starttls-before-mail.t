#!/bin/sh
# smtpd-requires-starttls-before-mail: with TLSREQUIRED=1 from tcprules
# (per client) or control/tlsrequired 1 (everyone), MAIL before STARTTLS
# is refused "530 5.7.0 Must issue a STARTTLS command first" and the same
# MAIL is taken after the handshake; TLSREQUIRED="0" from tcprules lifts
# control/tlsrequired for a client; without either, MAIL needs no TLS.
# All of it under tcpserver and tlsd, and under smtppool -s (STARTTLS
# through its TLS broker).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
tls_cert ec
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"

session() { # MAIL before and after STARTTLS: the two replies
"$PY" - "$SMTP_PORT" <<'PY'
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
reply()
cmd('EHLO c.example')
print(cmd('MAIL FROM:<bob@example.net>')[0])
cmd('RSET')
cmd('STARTTLS')
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(s, server_hostname='mx.example.org')
f = s.makefile('rb')
cmd('EHLO c.example')
print(cmd('MAIL FROM:<bob@example.net>')[0])
cmd('QUIT')
PY
}

for srv in tcpserver pool; do
  SMTPD_SERVER=$srv
  rm -f "$H/control/tlsrequired"
  smtpd_rules '127.0.0.1:allow,TLSREQUIRED="1"'
  smtpd_start
  is "$(session)" "530 5.7.0 Must issue a STARTTLS command first
250 2.1.0 ok" "$srv: TLSREQUIRED=1 from tcprules: MAIL refused 530 before STARTTLS, taken after"
  like "$(smtp 'EHLO c.example\r\n' 'MAIL FROM:<bob@example.net>\r\n' 'QUIT\r\n')" '530 5.7.0 Must issue a STARTTLS' "$srv: a plaintext client gets 530 at MAIL"
  smtpd_stop

  smtpd_rules '127.0.0.1:allow'
  smtpd_start
  is "$(session)" "250 2.1.0 ok
250 2.1.0 ok" "$srv: no switch: MAIL taken with or without TLS"
  smtpd_stop

  echo 1 > "$H/control/tlsrequired"
  smtpd_start
  is "$(session)" "530 5.7.0 Must issue a STARTTLS command first
250 2.1.0 ok" "$srv: control/tlsrequired 1: MAIL refused before STARTTLS, taken after"
  smtpd_stop

  smtpd_rules '127.0.0.1:allow,TLSREQUIRED="0"'
  smtpd_start
  is "$(session)" "250 2.1.0 ok
250 2.1.0 ok" "$srv: TLSREQUIRED=0 from tcprules overrides control/tlsrequired"
  smtpd_stop

  echo yes > "$H/control/tlsrequired"
  smtpd_rules '127.0.0.1:allow'
  smtpd_start
  like "$(smtp 'EHLO c.example\r\n')" '^421 4\.3\.0 temporary configuration problem' "$srv: control/tlsrequired not a number: 421, as for any malformed control file"
  like "$(cat "$T/tcpserver.log")" 'smtp(d: fatal|pool: warning): control/tlsrequired:1: not a number' "$srv: and the log names the file and line"
  smtpd_stop
done
done_testing
