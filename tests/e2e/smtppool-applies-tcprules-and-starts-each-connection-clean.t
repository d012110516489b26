#!/bin/sh
# smtppool-applies-tcprules-and-starts-each-connection-clean: smtppool's
# workers serve many connections each (-n 1000, so that every session
# below after the first runs in a worker that served others before) and
# give each one what tcpserver would: the rule of a tcp.smtp.cdb made by
# the real tcprules for the client's address (deny closes the
# connection; RELAYCLIENT allows relaying from one address only, the
# others get 553; DATABYTES per rule), TCPREMOTEIP in the Received line,
# and nothing left over from the previous connection: not its open
# transaction, not its pipelined input, not its rule's variables.
# Messages over 30 sequential and 20 concurrent connections are all
# delivered once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
command -v tcprules > /dev/null || skip_all "needs tcprules (ucspi-tcp)"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_rules '127.0.0.2:allow,RELAYCLIENT="",DATABYTES="200"' '127.0.0.3:deny' '127.:allow,DATABYTES="100000"'
pool_start -n 1000 -c 5
from() { _src=$1; shift; "$PY" "$top/tests/lib/smtpraw.py" -s "$_src" "$SMTP_PORT" "$@"; }
DENIED="553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts"

# relaying: 127.0.0.2 may, 127.0.0.1 may not, and not after 127.0.0.2 either
out=$(from 127.0.0.2 'HELO a\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<x@remote.example>\r\n' 'QUIT\r\n')
like "$out" "250 2.1.5 ok" "RELAYCLIENT from the rule of 127.0.0.2: relaying allowed"
out=$(from 127.0.0.1 'HELO a\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<x@remote.example>\r\n' 'QUIT\r\n')
like "$out" "$DENIED" "the next connection, from 127.0.0.1 (rule 127.): RELAYCLIENT is gone, 553"
out=$(from 127.0.0.3 'HELO a\r\n')
is "$out" "[closed]" "127.0.0.3 is denied: closed before the greeting"
grep -q "smtppool: deny [0-9]* localhost:127.0.0.1:$SMTP_PORT :127.0.0.3::" "$T/smtppool.log"
ok $? "  and logged as a deny"
grep -q "smtppool: ok [0-9]* localhost:127.0.0.1:$SMTP_PORT :127.0.0.2::[0-9]*$" "$T/smtppool.log"
ok $? "allowed connections logged as tcpserver -v does"

# DATABYTES per rule
big="Subject: big\\r\\n\\r\\n$(printf '%0300d' 0)"
out=$(from 127.0.0.2 'EHLO a\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' "$big\\r\\n.\\r\\n" 'QUIT\r\n')
like "$out" "250 SIZE 200" "DATABYTES=200 from the rule of 127.0.0.2: SIZE 200"
like "$out" "552 5.3.4" "  and a 300-byte message refused"
out=$(from 127.0.0.1 'EHLO a\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' "$big\\r\\n.\\r\\n" 'QUIT\r\n')
like "$out" "250 SIZE 100000" "the next connection has its own rule's DATABYTES"
like "$out" "250 2.0.0 ok" "  and the message is accepted"

# a dropped session with an open transaction and pipelined input, then a
# clean one: the next session sees neither
"$PY" - "$SMTP_PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.recv(1000)
s.sendall(b'EHLO a\r\nMAIL FROM:<leak@example.com>\r\nRCPT TO:<alice@example.org>\r\n')
time.sleep(0.3)
s.sendall(b'RCPT TO:<alice@example.org>\r\nDATA\r\nSubject: leak')
s.close()
PY
out=$(from 127.0.0.1 'DATA\r\n' 'MAIL FROM:<b@example.com>\r\n' 'QUIT\r\n')
like "$out" "503 5.5.1 MAIL first" "after a dropped transaction the next session has none open"
like "$out" "503 5.5.1 send HELO or EHLO first" "  nor the previous client's HELO"
unlike "$out" "leak" "  nor anything of its input"

# 30 messages over 30 sequential connections, with the Received line
i=0
while [ $i -lt 30 ]; do
  i=$((i + 1))
  from 127.0.0.1 "HELO seq$i.example\\r\\n" 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' "Subject: seq $i\\r\\n\\r\\nbody $i\\r\\n.\\r\\n" 'QUIT\r\n' > "$T/seq.$i"
done
is "$(cat "$T"/seq.* | grep -c '^250 2.0.0 ok')" 30 "30 sequential connections: 30 messages answered 250"
# and 20 at once, with -c 5: the others wait in the backlog
"$PY" - "$SMTP_PORT" > "$T/clients" 2>&1 <<'PY'
import smtplib, sys, threading
port = int(sys.argv[1]); n = 20; res = [None] * n
def client(i):
    try:
        s = smtplib.SMTP('127.0.0.1', port, local_hostname='con%d.example' % i, timeout=60)
        s.sendmail('a@example.com', ['alice@example.org'], ('Subject: con %d\r\n\r\nbody\r\n' % i).encode())
        s.quit(); res[i] = 'ok'
    except Exception as e:
        res[i] = repr(e)
ts = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in ts: t.start()
for t in ts: t.join()
print('ok %d' % res.count('ok'))
PY
is "$(cat "$T/clients")" "ok 20" "20 concurrent clients with -c 5: all answered 250"
wait_for 30 count_is alice 51
ok $? "51 messages delivered"
is "$(cat "$T/u/alice/Maildir/new/"* | grep -E '^Subject: (seq|con) ' | sort -u | wc -l)" 50 "each sequential and concurrent one exactly once"
f=$(grep -l '^Subject: seq 7$' "$T/u/alice/Maildir/new/"*)
like "$(grep '^Received: from seq7' "$f")" '^Received: from seq7.example \(unknown \[127\.0\.0\.1\]\)$' "the Received line names TCPREMOTEIP"
like "$(grep -o 'status: [0-9]*/5' "$T/smtppool.log" | sort -t' ' -k2 -n | tail -1)" 'status: 5/5' "at most -c 5 busy workers, and 5 at once"
is "$(grep -c ' from 127.0.0.[123]$' "$T/smtppool.log")" 57 "every connection logged"
workers=$(grep -o 'smtppool: pid [0-9]*' "$T/smtppool.log" | sort -u | wc -l)
ok $([ "$workers" -le 6 ] && echo 0 || echo 1) "the 57 connections were served by at most 6 workers ($workers)"
pool_stop
done_testing
