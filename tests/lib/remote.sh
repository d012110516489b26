# tests/lib/remote.sh: a scripted SMTP peer and remote for end-to-end tests
# (sourced after tap.sh, instance.sh and mta.sh; call instance_new first).
#   peer_start [OPT...]   tests/lib/smtppeer.py OPT... in a new directory
#                         $PEER (sessions recorded there as N.in, N.chunks,
#                         N.end); sets PEER_PORT; stopped at exit
#   peer_stop             stops it
#   peer_in N             what session N received, CR LF shown as "\r\n"
#   peer_wait N           waits until session N has ended
#   route DOMAIN          control/smtproutes: DOMAIN to 127.0.0.1:$PEER_PORT
#   dns_start OPT...      (needs smtpd.sh) a dnsmasq of the test's own on 127.0.0.1, a free
#                         port, answering for *.test with the records given
#                         as dnsmasq options (--host-record=..., --mx-host=...),
#                         set as control/resolvers; stopped at exit (DNS_PID)
#   run_remote ARG...     $H/bin/remote ARG... with $T/msg on fd 0; sets
#                         REPORT to its report with each NUL as '|', and
#                         REMOTE_EXIT to its exit code
PY=${PY:-/usr/bin/python3}
_peer_n=0
peer_start() {
  _peer_n=$((_peer_n + 1))
  PEER=$T/peer$_peer_n
  mkdir "$PEER"
  "$PY" "$top/tests/lib/smtppeer.py" "$@" "$PEER" &
  PEER_PID=$!
  at_exit "kill $PEER_PID 2>/dev/null"
  wait_for 5 test -f "$PEER/port" || { echo "Bail out! smtppeer did not start"; exit 1; }
  PEER_PORT=$(cat "$PEER/port")
}
peer_stop() { kill "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null; }
peer_in() { "$PY" -c 'import sys; sys.stdout.write(open(sys.argv[1], "rb").read().decode("latin-1").replace("\r\n", "\\r\\n"))' "$PEER/$1.in"; }
peer_wait() { wait_for 10 test -f "$PEER/$1.end"; }
route() { echo "$1:127.0.0.1:$PEER_PORT" > "$H/control/smtproutes"; }
run_remote() {
  "$H/bin/remote" "$@" < "$T/msg" > "$T/remote.out"
  REMOTE_EXIT=$?
  REPORT=$(tr '\0' '|' < "$T/remote.out")
}
dns_start() {
  _dns=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
  DNS_PORT=$(free_port)
  "$_dns" --conf-file=/dev/null --keep-in-foreground --port="$DNS_PORT" \
    --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts --pid-file= \
    --log-facility=/dev/null --local=/test/ --user="$(id -un)" --group="$(id -gn)" "$@" &
  DNS_PID=$!
  at_exit "kill $DNS_PID 2>/dev/null"
  echo "127.0.0.1:$DNS_PORT" > "$H/control/resolvers"
  wait_for 5 _dns_up || { echo "Bail out! dnsmasq did not start"; exit 1; }
}
# a name dnsmasq does not know gets NXDOMAIN: remote says D
_dns_up() { printf '\n' | "$H/bin/remote" nxdomain.test a@b x@nxdomain.test | grep -q '^D'; }
