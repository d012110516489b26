#!/bin/sh
# remote-tries-the-next-address: a relay (smtproutes, found through a
# dnsmasq of the test's own) with two addresses, 127.0.0.1 first (IPv4
# first) and ::1, each with a scripted peer on the same port. remote goes
# on to ::1 when 127.0.0.1 refuses the connection, greets with 4xx or
# 5xx, refuses HELO, or stalls before MAIL past timeoutremote; it does
# not go on once the first has answered MAIL (a refused sender fails
# there); when both fail before MAIL, the last failure is reported.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/remote.sh"
[ -x "$(command -v dnsmasq || echo /usr/sbin/dnsmasq)" ] || skip_all "needs dnsmasq (dnsmasq-base)"
"$PY" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null || skip_all "needs IPv6 on loopback (::1)"

instance_new
mta_domain local.test
printf 'Subject: t\n\nbody\n' > "$T/msg"
dns_start --host-record=relay.test,127.0.0.1,::1
echo 2 > "$H/control/timeoutremote"

# two FIRST [SECOND-OPTION...]: peers on 127.0.0.1 (FIRST: its options as
# one shell-quoted string, or "none" for no peer there) and on ::1, on
# one port. Sets P1 and P2 (their directories).
two() {
  first=$1; shift
  peer_start --listen ::1 "$@"
  P2=$PEER P2_PID=$PEER_PID
  if [ "$first" = none ]; then P1=
  else eval "peer_start --listen 127.0.0.1 --port $PEER_PORT $first"; P1=$PEER; fi
  P1_PID=$PEER_PID
  echo "remote.test:relay.test:$PEER_PORT" > "$H/control/smtproutes"
}
stop() { kill "$P1_PID" "$P2_PID" 2>/dev/null; wait "$P1_PID" "$P2_PID" 2>/dev/null; }
delivered_by_second="r|K::1 accepted message.
Remote host said: 250 ok queued
|"

two none
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "$delivered_by_second" "127.0.0.1 refuses the connection: delivered through ::1"
stop

two "--greeting '421 4.3.2 busy'"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "$delivered_by_second" "127.0.0.1 greets with 421: delivered through ::1"
peer_wait 1
PEER=$P1 peer_wait 1
is "$(PEER=$P1 peer_in 1)" 'QUIT\r\n' "  127.0.0.1 got only QUIT"
stop

two "--greeting '554 5.7.1 not you'"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "$delivered_by_second" "127.0.0.1 greets with 554: delivered through ::1"
stop

two "--ehlo '502 no' --stall HELO"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "$delivered_by_second" "127.0.0.1 stalls at HELO past timeoutremote: delivered through ::1"
stop

two "--mail '553 5.7.1 sender refused'"
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "DConnected to 127.0.0.1 but sender was rejected.
Remote host said: 553 5.7.1 sender refused
|" "127.0.0.1 refuses the sender: D there, ::1 not tried"
ok $([ ! -e "$P2/1.in" ]; echo $?) "  no session on ::1"
stop

two "--greeting '421 4.3.2 busy'" --greeting '421 4.3.2 also busy'
run_remote remote.test a@local.test x@remote.test
is "$REPORT" "ZConnected to ::1 but greeting failed.
Remote host said: 421 4.3.2 also busy
|" "both greet with 421: Z with the last one's words"
stop
done_testing
