#!/bin/sh
# remote-skips-addresses-that-timed-out: an address that does not answer
# a connection attempt within control/timeoutconnect (a listener whose
# accept queue is full) defers the message with "Connection timed out"
# and is written into queue/lock/tcpto; one timeout skips nothing; an
# address with two recent timeouts is skipped without a connection
# attempt (even on another port: the memory is per address); once the
# time is over it is tried again, and a working connection forgets it.
# IPv6 (::1) works too. The records are read and written here with
# remote(8)'s layout: 16 bytes of address, is6, count, 2 zero bytes,
# "tcpt", 8 bytes of time, big-endian.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"

instance_new
mta_domain local.test
printf 'Subject: t\n\nbody\n' > "$T/msg"
TCPTO=$H/queue/lock/tcpto
# record ADDRESS COUNT AGE: writes the file with one record
record() {
  "$PY" -c '
import ipaddress, struct, sys, time
a = ipaddress.ip_address(sys.argv[2])
ip = a.packed.ljust(16, b"\0")
open(sys.argv[1], "wb").write(ip + bytes([a.version == 6, int(sys.argv[3]), 0, 0]) + b"tcpt" + struct.pack(">Q", int(time.time()) - int(sys.argv[4])))
' "$TCPTO" "$@"
}
# count ADDRESS: the timeouts remembered for it (0: none)
count() {
  "$PY" -c '
import ipaddress, sys
a = ipaddress.ip_address(sys.argv[2]).packed.ljust(16, b"\0")
d = open(sys.argv[1], "rb").read()
n = 0
for i in range(0, len(d) - 31, 32):
    r = d[i:i + 32]
    if r[:16] == a and r[20:24] == b"tcpt":
        n = r[17]
print(n)
' "$TCPTO" "$1"
}

echo 1 > "$H/control/timeoutconnect"
peer_start --no-answer
route remote.test
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)
127.0.0.1: Connection timed out
|" "no answer within timeoutconnect: Z #4.4.1, Connection timed out"
is "$(count 127.0.0.1)" 1 "tcpto remembers one timeout of 127.0.0.1"
run_remote remote.test a@local.test x@remote.test
like "$REPORT" "127.0.0.1: Connection timed out" "one timeout skips nothing: tried again"
is "$(count 127.0.0.1)" 1 "a second timeout within 2 minutes is not counted (one outage)"
peer_stop

peer_start
route remote.test
record 127.0.0.1 2 60
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)
127.0.0.1: skipped: it timed out recently (tcpto)
|" "two timeouts a minute ago: the address is skipped, even on another port"
ok $([ ! -e "$PEER/1.in" ]; echo $?) "and no connection is made"
record 127.0.0.1 2 601
run_remote remote.test a@local.test x@remote.test
like "$REPORT" "^r\|K127\.0\.0\.1 accepted message\." "after 10 minutes it is tried again and delivers"
is "$(count 127.0.0.1)" 0 "the working connection forgets it"
peer_stop

if ! "$PY" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
  pass "# SKIP no IPv6 on loopback"; pass "# SKIP no IPv6 on loopback"
  done_testing; exit
fi
peer_start --listen ::1
echo "remote.test:[IPv6:::1]:$PEER_PORT" > "$H/control/smtproutes"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "r|K::1 accepted message.
Remote host said: 250 ok queued
|" "an IPv6 relay literal: delivered over ::1"
record ::1 3 60
run_remote remote.test a@local.test x@remote.test
like "$REPORT" "^::1: skipped: it timed out recently \(tcpto\)$" "an IPv6 address is remembered too"
done_testing
