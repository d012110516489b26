#!/bin/sh
# smtppool-replaces-workers-and-stops-on-sigterm: a worker exits after -n
# connections and the master makes another (the next connection is
# served); a worker killed with SIGKILL in the middle of DATA loses only
# that session (the client got no 250, nothing of it is delivered, the
# master logs the kill and the next connection is served); on SIGTERM
# the master exits 0 at once and stops listening, while a session in
# progress goes on to its 250 and its worker then exits.
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
pool_start -n 2 -c 3
msg() { smtp "HELO c\\r\\n" 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' "Subject: $1\\r\\n\\r\\nbody\\r\\n.\\r\\n" 'QUIT\r\n'; }
workers() { grep -o 'smtppool: pid [0-9]*' "$T/smtppool.log" | sort -u | wc -l; }

for i in 1 2 3 4 5 6; do msg "n$i"; done > "$T/n.out"
is "$(grep -c '^250 2.0.0 ok' "$T/n.out")" 6 "6 connections with -n 2: every message answered 250"
ok $([ "$(workers)" -ge 3 ] && echo 0 || echo 1) "  served by at least 3 workers, each ending after 2 ($(workers))"
is "$(grep -c 'warning' "$T/smtppool.log")" 0 "  no worker ended abnormally"

# SIGKILL in the middle of DATA
"$PY" - "$SMTP_PORT" "$T" > "$T/kill.out" 2>&1 <<'PY'
import re, socket, subprocess, sys, time
port, T = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(('127.0.0.1', port), timeout=20)
s.recv(1000)
s.sendall(b'HELO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n')
got = b''
while got.count(b'\r\n') < 4: got += s.recv(1000)
s.sendall(b'Subject: killed\r\n\r\nhalf a message\r\n')
time.sleep(0.3)
pid = re.findall(r'smtppool: pid (\d+) from', open(T + '/smtppool.log').read())[-1]
subprocess.run(['kill', '-9', pid])
s.sendall(b'more\r\n.\r\n')
rest = b''
try:
    while True:
        b = s.recv(1000)
        if not b: break
        rest += b
except OSError:
    pass
print('killed', pid, 'after DATA reply got:', repr(rest))
PY
like "$(cat "$T/kill.out")" "^killed [0-9]+ after DATA reply got: b''$" "a worker killed in DATA: the client gets no reply"
wait_for 5 grep -q 'worker [0-9]* killed by signal 9 during a session' "$T/smtppool.log"
ok $? "  the master logs the kill"
like "$(msg after-kill)" "250 2.0.0 ok" "  the next connection is served"
wait_for 20 count_is alice 7
ok $? "7 messages delivered: the 6 and the one after the kill"
wait_for 10 queue_empty
ok $? "  and the queue is empty"
unlike "$(cat "$T/u/alice/Maildir/new/"*)" "Subject: killed" "  nothing of the killed session"

# SIGTERM with a session in progress
"$PY" - "$SMTP_PORT" "$POOL_PID" > "$T/term.out" 2>&1 <<'PY'
import os, signal, socket, sys, time
port, master = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(('127.0.0.1', port), timeout=20)
s.recv(1000)
s.sendall(b'HELO c\r\n'); s.recv(1000)
os.kill(master, signal.SIGTERM)
time.sleep(0.5)
try:
    socket.create_connection(('127.0.0.1', port), timeout=5).close()
    print('new connection: accepted')
except OSError:
    print('new connection: refused')
s.sendall(b'MAIL FROM:<a@example.com>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n')
got = b''
while got.count(b'\r\n') < 3: got += s.recv(1000)
s.sendall(b'Subject: during-term\r\n\r\nbody\r\n.\r\nQUIT\r\n')
while True:
    b = s.recv(1000)
    if not b: break
    got += b
print(got.decode().replace('\r', ''))
PY
wait "$POOL_PID"
is "$?" 0 "SIGTERM: the master exits 0"
like "$(cat "$T/term.out")" "new connection: refused" "  and nothing listens any more"
like "$(cat "$T/term.out")" "250 2.0.0 ok" "  the session in progress goes on to its 250"
like "$(cat "$T/term.out")" "221 2.0.0" "  and its QUIT"
wait_for 20 count_is alice 8
ok $? "  and its message is delivered"
left=0
for p in $(grep -o 'smtppool: pid [0-9]*' "$T/smtppool.log" | sort -u | cut -d' ' -f3); do
  wait_for 5 sh -c "! kill -0 $p 2>/dev/null" || left=$((left + 1))
done
is "$left" 0 "every worker has exited"
done_testing
