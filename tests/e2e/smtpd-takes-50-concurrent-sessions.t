#!/bin/sh
# smtpd-takes-50-concurrent-sessions: tcpserver -c 60 runs 50 smtpd
# sessions at once (50 Python smtplib clients started together, each
# holding its connection open until all have connected); every message is
# answered 250 and delivered exactly once to the Maildir, and every smtpd
# exits 0.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_start -c 60

"$PY" - "$SMTP_PORT" > "$T/clients" 2>&1 <<'PY'
import smtplib, sys, threading
port = int(sys.argv[1])
n = 50
connected = threading.Barrier(n, timeout=60)
results = [None] * n

def client(i):
    try:
        s = smtplib.SMTP('127.0.0.1', port, local_hostname='c%d.example' % i, timeout=60)
        s.ehlo()
        connected.wait()          # all 50 sessions are open at once
        s.sendmail('bob@example.net', ['alice@example.org'],
                   ('Subject: concurrent %d\r\n\r\nmessage %d\r\n' % (i, i)).encode())
        s.quit()
        results[i] = 'ok'
    except Exception as e:
        results[i] = repr(e)

threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in threads: t.start()
for t in threads: t.join()
bad = [(i, r) for i, r in enumerate(results) if r != 'ok']
print('ok %d' % (n - len(bad)))
for i, r in bad: print('client %d: %s' % (i, r))
PY
is "$(cat "$T/clients")" "ok 50" "50 concurrent clients: every message answered 250"
wait_for 30 count_is alice 50
ok $? "50 messages in the Maildir"
is "$(cat "$T/u/alice/Maildir/new/"* | grep '^Subject: concurrent' | sort -u | wc -l)" 50 "each of the 50 exactly once"
is "$(grep -c ' status 0$' "$T/tcpserver.log")" 50 "every smtpd exited 0"
like "$(grep -o 'status: [0-9]*/60' "$T/tcpserver.log" | sort -t' ' -k2 -n | tail -1)" "status: 50/60" "tcpserver counted 50 sessions at once"
wait_for 10 queue_empty
ok $? "the queue is empty"
done_testing
