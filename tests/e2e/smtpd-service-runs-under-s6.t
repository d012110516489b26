#!/bin/sh
# smtpd-service-runs-under-s6: the service directory package/service/smtpd
# (run and log/run), copied as an administrator would and given its
# settings in env/ files, runs under s6-svscan: tcpserver answers with
# smtpd's greeting on the port of env/SMTPD_PORT, runs the session as the
# user of env/SMTPD_USER with the rules of control/tcp.smtp.cdb, and
# s6-log writes tcpserver's lines with TAI64N stamps into the log
# directory it makes. A missing tcp.smtp.cdb is reported in the log.
# env/SMTPD_SERVER=tcpserver chooses tcpserver over smtppool (the
# default without a certificate, tested in smtppool-service-*.t).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
for p in s6-svscan s6-svscanctl s6-envdir s6-softlimit s6-setuidgid s6-log tcpserver; do
  command -v $p >/dev/null || skip_all "needs $p"
done
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
fakequeue
mkdir "$T/scan"
cp -R "$top/package/service/smtpd" "$T/scan/smtpd"
SMTP_PORT=$(free_port)
mkdir "$T/scan/smtpd/env" "$T/scan/smtpd/log/env"
echo "$H" > "$T/scan/smtpd/env/CAIRN_HOME"
echo 127.0.0.1 > "$T/scan/smtpd/env/SMTPD_IP"
echo "$SMTP_PORT" > "$T/scan/smtpd/env/SMTPD_PORT"
id -un > "$T/scan/smtpd/env/SMTPD_USER"
id -gn > "$T/scan/smtpd/env/SMTPD_GROUP"
echo 5 > "$T/scan/smtpd/env/SMTPD_CONCURRENCY"
echo tcpserver > "$T/scan/smtpd/env/SMTPD_SERVER"
# AddressSanitizer maps terabytes of shadow memory: no softlimit then
case ${CAIRN_EXTRA:-} in *sanitize=*address*) echo 0 > "$T/scan/smtpd/env/SMTPD_MEMORY" ;; esac
echo "$T/logdir" > "$T/scan/smtpd/log/env/LOGDIR"
id -un > "$T/scan/smtpd/log/env/LOGUSER"

s6-svscan "$T/scan" > "$T/svscan.out" 2>&1 &
SVSCAN=$!
at_exit "s6-svscanctl -t '$T/scan' 2>/dev/null; sleep 0.5; kill $SVSCAN 2>/dev/null"
wait_for 10 test -f "$T/logdir/current"
ok $? "log/run makes the log directory and s6-log writes 'current'"
wait_for 10 grep -q 'tcp.smtp.cdb missing' "$T/logdir/current"
ok $? "no tcp.smtp.cdb: a warning in the log"
tcprules "$H/control/tcp.smtp.cdb" "$H/control/tcp.smtp.tmp" <<EOR
127.0.0.1:allow,QMAILQUEUE="$T/fakequeue"
EOR
wait_for 10 grep -q 'tcpserver: status: 0/5' "$T/logdir/current"
ok $? "tcpserver started with the concurrency of env/SMTPD_CONCURRENCY"
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n' 'Subject: s6\r\n\r\nx\r\n.\r\n' 'QUIT\r\n')
like "$out" "^220 example.org ESMTP" "smtpd's greeting on env/SMTPD_PORT"
like "$out" "250 2.0.0 ok" "a message accepted through the rules of control/tcp.smtp.cdb"
is "$(queued_env 1)" "Fa@example.com|Tb@example.org||" "and handed to the QMAILQUEUE of the rules"
wait_for 5 grep -q 'tcpserver: end [0-9]* status 0' "$T/logdir/current"
ok $? "the session's end is logged"
like "$(grep 'tcpserver: status: 0/5' "$T/logdir/current" | head -1)" '^@4000[0-9a-f]{20} tcpserver: status: 0/5$' "log lines carry TAI64N stamps"
is "$(stat -c '%a %U' "$T/logdir")" "2750 $(id -un)" "the log directory: mode 2750, owned by LOGUSER"
s6-svscanctl -t "$T/scan"
wait "$SVSCAN"
ok $? "s6-svscan stops the service and its logger"
done_testing
