#!/bin/sh
# tlsd-implicit-tls-delivers: "tlsd -i smtpd" (implicit TLS, port 465's
# way, RFC 8314): the handshake comes before the greeting; swaks --tlsc
# delivers, the Received line says with ESMTPS and the suite, EHLO offers
# no STARTTLS (TLS is already on) and STARTTLS is refused 503; a
# plaintext client gets no greeting, and tlsd logs the failed handshake;
# without a usable key tlsd -i refuses to run the session at all. The
# same under smtppool -T, whose TLS broker runs tlsd -s for each
# connection before the worker's session.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
command -v swaks >/dev/null || skip_all "needs swaks"
command -v openssl >/dev/null || skip_all "needs openssl"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
tls_cert rsa
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="client.example"'
SMTPD_CMD="$H/bin/tlsd -i $H/bin/smtpd"
n=0
for srv in tcpserver pool; do
  SMTPD_SERVER=$srv n=$((n + 1))
  chmod 600 "$H/control/tlskey"
  smtpd_start

  swaks --server "127.0.0.1:$SMTP_PORT" --tlsc --helo helo.example --from bob@example.net --to alice@example.org \
    --header "Subject: implicit $srv" --body "on 465" > "$T/swaks.out" 2>&1
  ok $? "$srv: swaks --tlsc delivers"
  like "$(cat "$T/swaks.out")" 'TLS started with cipher TLSv1\.2:ECDHE-RSA-' "$srv: swaks: TLS 1.2, ECDHE-RSA, before the greeting"
  unlike "$(cat "$T/swaks.out")" 'STARTTLS' "$srv: EHLO offers no STARTTLS"
  wait_for 10 count_is alice $n
  ok $? "$srv: the message reaches the Maildir"
  f=$(grep -l "Subject: implicit $srv" "$T/u/alice/Maildir/new/"*)
  like "$(sed -n 5p "$f")" '^	by example.org with ESMTPS \(TLSv1\.2 ECDHE-RSA-[A-Z0-9-]+\); ' "$srv: Received says with ESMTPS and the suite"

  printf 'EHLO c.example\r\nSTARTTLS\r\nQUIT\r\n' | openssl s_client -quiet -connect "127.0.0.1:$SMTP_PORT" > "$T/s.out" 2>/dev/null
  is "$(tr -d '\r' < "$T/s.out" | grep -v '^250-')" "220 example.org ESMTP
250 SIZE
503 5.5.1 TLS is already on
221 2.0.0 example.org" "$srv: s_client: greeting over TLS, STARTTLS refused 503"

  # a plaintext client: what comes back before the close, at most 10 s
  plain() {
"$PY" - "$SMTP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(b'EHLO c.example\r\n')
got = b''
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except (socket.timeout, ConnectionResetError):
    pass
print('no greeting' if not got.startswith(b'220') else 'greeting: %r' % got[:40])
PY
  }
  is "$(plain)" "no greeting" "$srv: a plaintext client gets no greeting"
  wait_for 5 grep -q 'tlsd: warning: TLS handshake with 127.0.0.1 failed' "$T/tcpserver.log"
  ok $? "$srv: tlsd logs the failed handshake"
  if [ $srv = pool ]; then
    is "$(grep -c 'warning: worker' "$T/smtppool.log")" 0 "pool: the failed handshake ended no worker"
  fi
  smtpd_stop

  chmod 644 "$H/control/tlskey"
  smtpd_start
  is "$(plain)" "no greeting" "$srv: key readable by others: no session"
  like "$(cat "$T/tcpserver.log")" 'tlsd: fatal: no TLS: control/tlskey: readable by others' "$srv: tlsd -i says why it refuses"
  smtpd_stop
done
wait_for 10 queue_empty
ok $? "the queue is empty afterwards"
done_testing
