#!/bin/sh
# smtppool-starttls-through-the-tls-broker: smtppool -s offers STARTTLS
# in its long-lived workers: openssl s_client sees the certificate of
# control/tlscert, TLS 1.2 and an ECDHE suite; swaks --tls delivers with
# "with ESMTPS (TLSv1.2 <suite>)" in the Received line; without a
# certificate STARTTLS is not offered. Twelve sessions, TLS and plaintext
# in turn, in two workers at most (-c 2): fewer worker pids than
# sessions, and each worker's descriptors the same before and after
# (no leak); during a TLS session the worker holds no TCP connection
# (only tlsd does) and no process of smtppool ever has control/tlskey
# open. kill -9 of the broker: a session in progress gets 454 to
# STARTTLS and its plain mail is still delivered; the master logs it and
# exits 111 (for the supervisor to start everything again).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
for c in swaks openssl tcprules; do command -v $c > /dev/null || skip_all "needs $c"; done
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="client.example"'

# no certificate: not offered
pool_start -s -c 2 -n 1000
is "$(smtp 'EHLO c.example\r\n' 'QUIT\r\n' | grep -c STARTTLS)" 0 "no control/tlscert: STARTTLS not in EHLO"
is "$(smtp 'STARTTLS\r\n' 'QUIT\r\n' | sed -n 2p)" "502 5.5.2 unrecognized command" "  and an unknown command"
tls_cert ec
like "$(smtp 'EHLO c.example\r\n' 'QUIT\r\n')" '250-STARTTLS' "control/tlscert made: the next session offers STARTTLS"
want=$(openssl x509 -in "$H/control/tlscert" -noout -fingerprint -sha256)
echo QUIT | openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" -servername mx.example.org > "$T/s_client.out" 2>&1
is "$(openssl x509 -noout -fingerprint -sha256 < "$T/s_client.out" 2>/dev/null)" "$want" "s_client sees the certificate of control/tlscert"
like "$(grep -E '^ *Protocol *:' "$T/s_client.out")" 'TLSv1\.2$' "  TLS 1.2"
like "$(grep -E '^ *Cipher *:' "$T/s_client.out")" 'ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$' "  an ECDHE suite"

swaks --server "127.0.0.1:$SMTP_PORT" --tls --helo helo.example --from bob@example.net --to alice@example.org \
  --header "Subject: pool tls" --body "over TLS in a pool worker" > "$T/swaks.out" 2>&1
ok $? "swaks --tls delivers"
wait_for 10 count_is alice 1
ok $? "  the message reaches the Maildir"
f=$(grep -l "Subject: pool tls" "$T/u/alice/Maildir/new/"*)
suite=$(sed -n 's/.*TLS started with cipher TLSv1\.2:\(ECDHE-[A-Z0-9-]*\):.*/\1/p' "$T/swaks.out" | head -1)
is "$(sed -n 4p "$f")" "Received: from helo.example (client.example [127.0.0.1])" "  Received names the EHLO after TLS"
like "$(sed -n 5p "$f")" "^	by example.org with ESMTPS \\(TLSv1\\.2 $suite\\); " "  Received says with ESMTPS and the suite swaks negotiated ($suite)"

# sessions in turn, TLS and plaintext, with the descriptors of the
# workers seen from /proc before and after, and during a TLS session
broker=$(sed -n 's/^smtppool: info: TLS broker \([0-9]*\) started.*/\1/p' "$T/smtppool.log")
ok $([ -n "$broker" ] && [ -d "/proc/$broker" ] && echo 0 || echo 1) "the broker is running (pid $broker)"
"$PY" - "$SMTP_PORT" "$POOL_PID" "$broker" "$H/control/tlskey" > "$T/py.out" 2>&1 <<'PY'
import os, socket, ssl, sys
port, master, broker, keyfile = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def workers():
    out = []
    for p in os.listdir('/proc'):
        if not p.isdigit() or p == broker: continue
        try:
            st = open('/proc/%s/stat' % p).read()
        except OSError:
            continue
        if st.rsplit(')', 1)[1].split()[1] == master: out.append(p)
    return sorted(out)
def fds(p):
    d = {}
    for f in os.listdir('/proc/%s/fd' % p):
        try: d[f] = os.readlink('/proc/%s/fd/%s' % (p, f))
        except OSError: pass
    return d
def tcp_established():
    ino = set()
    for fn in ('/proc/net/tcp', '/proc/net/tcp6'):
        for l in open(fn).readlines()[1:]:
            x = l.split()
            if x[3] == '01': ino.add(x[9])
    return ino
def reply(f):
    while True:
        l = f.readline().decode()
        if len(l) < 4 or l[3] != '-': return l.rstrip('\r\n')
def session(tls, probe=False):
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    f = s.makefile('rb')
    reply(f)
    s.sendall(b'EHLO c.example\r\n'); reply(f)
    if tls:
        s.sendall(b'STARTTLS\r\n')
        if not reply(f).startswith('220'): return 'no 220'
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s, server_hostname='mx.example.org')
        f = s.makefile('rb')
        s.sendall(b'EHLO again.example\r\n'); reply(f)
    s.sendall(b'NOOP\r\n'); r = reply(f)
    if probe:
        est = tcp_established()
        held = []
        for w in workers():
            for fd, t in fds(w).items():
                if t.startswith('socket:[') and t[8:-1] in est: held.append((w, fd))
        print('workers holding a TCP connection during TLS:', held)
    s.sendall(b'QUIT\r\n'); q = reply(f)
    s.close()
    return r + ' / ' + q
import time
def settle():
    time.sleep(0.3)
session(False); session(True); settle()
before = {w: fds(w) for w in workers()}
results = [session(i % 2 == 1, probe=(i == 5)) for i in range(12)]
settle()
after = {w: fds(w) for w in workers()}
print('sessions ok:', sum(1 for r in results if r == '250 2.0.0 ok / 221 2.0.0 example.org'))
print('workers before and after the same:', sorted(before) == sorted(after))
print('descriptors unchanged:', all(before[w] == after[w] for w in before if w in after), [ (w, before[w], after.get(w)) for w in before if before[w] != after.get(w)])
print('key open:', [p for p in workers() + [master, broker] if any(keyfile in t for t in fds(p).values())])
PY
like "$(cat "$T/py.out")" "workers holding a TCP connection during TLS: \\[\\]" "during a TLS session no worker holds the TCP connection (only tlsd does)"
like "$(cat "$T/py.out")" "sessions ok: 12" "12 sessions, TLS and plaintext in turn, all answered"
like "$(cat "$T/py.out")" "workers before and after the same: True" "  in the same workers"
like "$(cat "$T/py.out")" "descriptors unchanged: True" "  whose descriptors are the same before and after (no leak)"
like "$(cat "$T/py.out")" "key open: \\[\\]" "neither the master, the broker nor a worker has control/tlskey open"
n=$(grep -o 'smtppool: pid [0-9]*' "$T/smtppool.log" | sort -u | wc -l)
s=$(grep -c 'smtppool: pid [0-9]* from' "$T/smtppool.log")
ok $([ "$n" -le 2 ] && [ "$s" -ge 16 ] && echo 0 || echo 1) "$s sessions served by $n worker pids"
is "$(grep -c 'warning' "$T/smtppool.log")" 0 "no warning in the log"

# kill -9 of the broker during a session
"$PY" - "$SMTP_PORT" "$broker" "$T/smtppool.log" > "$T/kill.out" 2>&1 <<'PY'
import os, signal, socket, sys, time
port, broker, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.create_connection(('127.0.0.1', port), timeout=10)
f = s.makefile('rb')
def reply():
    while True:
        l = f.readline().decode()
        if len(l) < 4 or l[3] != '-': return l.rstrip('\r\n')
reply()
s.sendall(b'EHLO c.example\r\n'); reply()
os.kill(broker, signal.SIGKILL)
for i in range(50):
    if 'TLS broker was killed' in open(log).read(): break
    time.sleep(0.1)
for c in (b'STARTTLS', b'MAIL FROM:<bob@example.net>', b'RCPT TO:<alice@example.org>', b'DATA',
          b'Subject: after the broker\r\n\r\nplain\r\n.', b'QUIT'):
    s.sendall(c + b'\r\n'); print(reply())
PY
like "$(cat "$T/kill.out")" "^454 4\\.7\\.0 TLS not available" "broker killed: STARTTLS answered 454"
like "$(cat "$T/kill.out")" "250 2\\.0\\.0 ok" "  and the same session's plain mail is accepted"
wait_for 10 count_is alice 2
ok $? "  and delivered"
wait "$POOL_PID"
is $? 111 "the master exits 111 after the broker's death"
like "$(cat "$T/smtppool.log")" "smtppool: warning: the TLS broker was killed by signal 9: STARTTLS is answered 454; stopping" "  and logs why"
done_testing
