#!/bin/sh
# services-run-under-daemontools-svscan: the service directories that
# install puts into conf-home/service run under daemontools' svscan as
# well as under s6-svscan (INSTALL: links from /service): send delivers,
# tcpserver answers with smtpd and the rules cairnctl cdb compiled, both
# loggers write TAI64N-stamped lines; cairnctl, seeing daemontools'
# supervise, reports with svstat, passes alrm and reload on with svc, and
# stop brings both services down.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
for p in svscan svc svstat supervise swaks s6-envdir s6-log s6-softlimit tcpserver tcprules; do
  command -v $p > /dev/null || skip_all "needs $p (daemontools, s6, ucspi-tcp, swaks)"
done
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user joe
mta_assign
echo '127.0.0.1:allow,RELAYCLIENT=""' > "$H/control/tcp.smtp"
"$H/bin/cairnctl" cdb > /dev/null
ok $? "cairnctl cdb compiles control/tcp.smtp"
PORT=$(free_port)
S=$H/service
echo 127.0.0.1 > "$S/smtpd/env/SMTPD_IP"
echo "$PORT" > "$S/smtpd/env/SMTPD_PORT"
id -un > "$S/smtpd/env/SMTPD_USER"
id -gn > "$S/smtpd/env/SMTPD_GROUP"
case ${CAIRN_EXTRA:-} in *sanitize=*address*) echo 0 > "$S/smtpd/env/SMTPD_MEMORY" ;; esac
# every service installed (smtpsd too, which stays down without a
# certificate) logs into the test's directory
for d in "$S"/*/; do
  s=$(basename "$d")
  echo "$T/log/$s" > "$S/$s/log/env/LOGDIR"
  id -un > "$S/$s/log/env/LOGUSER"
done

# daemontools' svscan leaves its supervise processes running when it
# ends: once svscan is gone (it would start them again), svc -dx stops
# each service and then its supervise, the loggers last.
svscan "$S" > "$T/svscan.out" 2>&1 &
SVSCAN=$!
services() { for d in "$S"/*/; do echo "${d%/}"; done; }
logs() { for d in "$S"/*/log/; do echo "${d%/}"; done; }
anyup() { for d in "$@"; do svok "$d" && return 0; done; return 1; }
supervised() { anyup $(services) $(logs); }
stopall() {
  kill "$SVSCAN" 2> /dev/null; wait "$SVSCAN" 2> /dev/null
  svc -dx $(services) 2> /dev/null
  wait_for 10 sh -c "! { $(for d in $(services); do printf 'svok %s || ' "$d"; done) false; }"
  svc -dx $(logs) 2> /dev/null
  wait_for 10 sh -c "! { $(for d in $(logs); do printf 'svok %s || ' "$d"; done) false; }"
}
at_exit stopall
wait_for 20 grep -qs 'status: local' "$T/log/send/current"
ok $? "send starts and logs through s6-log"
like "$(grep 'status: local' "$T/log/send/current" | head -1)" '^@4000[0-9a-f]{20} status: local 0/10' "  with TAI64N stamps"
wait_for 10 grep -qs 'smtppool: status: 0/40' "$T/log/smtpd/current"
ok $? "smtppool (no certificate: the default server) starts with the default concurrency 40"
r=$(swaks --server "127.0.0.1:$PORT" --helo test.example --from a@example.com --to joe@example.org 2>&1)
like "$r" '<-  220 example.org ESMTP' "smtpd answers on env/SMTPD_PORT"
like "$r" '<-  250 2\.0\.0 ok' "  and takes a message for joe"
wait_for 10 count_is joe 1
ok $? "  which send delivers"
r=$(swaks --server "127.0.0.1:$PORT" --helo test.example --from a@example.com --to x@example.net --quit-after RCPT 2>&1)
like "$r" '<-  250 2\.1\.5' "relaying for 127.0.0.1 through control/tcp.smtp.cdb"

st=$("$H/bin/cairnctl" stat 2>&1)
ok $? "cairnctl stat"
for d in send send/log smtpd smtpd/log; do
  like "$st" "^$S/$d: up \\(pid [0-9]+\\) [0-9]+ seconds" "  $d up, as svstat says it"
done
"$H/bin/cairnctl" alrm > /dev/null
ok $? "cairnctl alrm through svc"
echo many > "$H/control/concurrencylocal"
"$H/bin/cairnctl" reload > /dev/null
ok $? "cairnctl reload through svc"
wait_for 10 grep -q 'warning: control/concurrencylocal:1: not a number' "$T/log/send/current"
ok $? "  send got the HUP: it logs the malformed control file"
rm "$H/control/concurrencylocal"
"$H/bin/cairnctl" stop > /dev/null
ok $? "cairnctl stop"
down() { svstat "$S/send" "$S/smtpd" | grep -c ': down'; }
wait_for 20 test "$(down)" = 2
is "$(down)" 2 "  send and smtpd are down"
is "$(tail -n 1 "$T/log/send/current" | cut -d' ' -f2-)" "status: exiting" "  send exited cleanly"
"$H/bin/cairnctl" start > /dev/null
ok $? "cairnctl start"
up() { svstat "$S/send" "$S/smtpd" | grep -c ': up'; }
wait_for 10 test "$(up)" = 2
is "$(up)" 2 "  both are up again"
stopall
! supervised
ok $? "svc -dx leaves no supervise running"
done_testing
