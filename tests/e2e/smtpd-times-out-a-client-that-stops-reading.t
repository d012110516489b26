#!/bin/sh
# smtpd-times-out-a-client-that-stops-reading: a client that floods
# commands and never reads the replies holds smtpd only for the session
# timeout (control/timeoutsmtpd, 2 s here): the replies fill the socket,
# smtpd's write waits 2 s, then it gives up and the connection is gone
# (the client's send fails), under tcpserver and in a smtppool worker,
# which then serves the next session. A timeout set on the socket must
# bound writes as poll did; a write without one would hold the session
# until the client's own 60 s limit.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
echo 2 > "$H/control/timeoutsmtpd"

# prints "ended SECS" when the server ended the connection while the
# client was still sending, "held SECS" when the client's limit came first
flood() {
  "$PY" - "$SMTP_PORT" <<'EOPY'
import socket, sys, time
# made before connecting: 48 MB take a while to build on a loaded
# machine, and smtpd's 2 s read timeout runs from its greeting
flood = b"EHLO c\r\n" + b"NOOP\r\n" * ((48 << 20) // 6)   # 48 MB: more than every buffer
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
s.settimeout(60)
s.connect(("127.0.0.1", int(sys.argv[1])))
greeting = s.recv(512)
assert greeting.startswith(b"220 "), greeting
t0 = time.time()
try:
    s.sendall(flood)
    print("sent all %.1f" % (time.time() - t0))
except socket.timeout:
    print("held %.1f" % (time.time() - t0))
except (ConnectionResetError, BrokenPipeError):
    print("ended %.1f" % (time.time() - t0))
EOPY
}

for server in tcpserver pool; do
  SMTPD_SERVER=$server
  smtpd_start
  out=$(flood)
  diag "$server: $out"
  like "$out" "^ended " "$server: a client that never reads is dropped while it still sends"
  secs=${out#* }
  ok "$(awk -v s="$secs" 'BEGIN { exit !(s >= 1.9 && s < 30) }'; echo $?)" \
    "$server: after the 2 s timeout, not before, and not at the client's own limit ($secs s)"
  smtpd_idle
  is "$(smtp 'HELO c\r\n' 'QUIT\r\n')" "220 example.org ESMTP
250 example.org
221 2.0.0 example.org
[closed]" "$server: the next session is served"
  if [ "$server" = pool ]; then pool_stop; else smtpd_stop; fi
done
done_testing
