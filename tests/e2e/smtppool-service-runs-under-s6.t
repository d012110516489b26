#!/bin/sh
# smtppool-service-runs-under-s6: the smtpd service directory without a
# certificate runs smtppool by default: it answers on env/SMTPD_PORT with
# the concurrency of env/SMTPD_CONCURRENCY and the rules of
# control/tcp.smtp.cdb, logs tcpserver -v's lines through s6-log, and
# s6-svc -d stops it (the port closes). With a certificate in
# control/tlscert the same run script runs smtppool -s (its TLS broker
# starts, STARTTLS is offered and works, and the message says ESMTPS);
# env/SMTPD_SERVER=tcpserver runs tcpserver and tlsd instead; with
# SMTPD_TLS=implicit it runs smtppool -T (the greeting comes over TLS).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
. "$(dirname "$0")/../lib/tlscert.sh"
for p in openssl s6-svscan s6-svscanctl s6-svc s6-envdir s6-softlimit s6-log tcpserver tcprules; do
  command -v $p >/dev/null || skip_all "needs $p"
done
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
fakequeue
tcprules "$H/control/tcp.smtp.cdb" "$H/control/tcp.smtp.tmp" <<EOR
127.0.0.1:allow,QMAILQUEUE="$T/fakequeue"
EOR
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
case ${CAIRN_EXTRA:-} in *sanitize=*address*) echo 0 > "$T/scan/smtpd/env/SMTPD_MEMORY" ;; esac
echo "$T/logdir" > "$T/scan/smtpd/log/env/LOGDIR"
id -un > "$T/scan/smtpd/log/env/LOGUSER"

s6-svscan "$T/scan" > "$T/svscan.out" 2>&1 &
SVSCAN=$!
at_exit "s6-svscanctl -t '$T/scan' 2>/dev/null; sleep 0.5; kill $SVSCAN 2>/dev/null"
wait_for 10 grep -qs 'smtppool: status: 0/5' "$T/logdir/current"
ok $? "no certificate: smtppool runs, with the concurrency of env/SMTPD_CONCURRENCY"
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n' 'Subject: s6\r\n\r\nx\r\n.\r\n' 'QUIT\r\n')
like "$out" "^220 example.org ESMTP" "smtpd's greeting on env/SMTPD_PORT"
unlike "$out" "STARTTLS" "no STARTTLS offered"
like "$out" "250 2.0.0 ok" "a message accepted through the rules of control/tcp.smtp.cdb"
is "$(queued_env 1)" "Fa@example.com|Tb@example.org||" "and handed to the QMAILQUEUE of the rules"
wait_for 5 grep -q "smtppool: ok [0-9]* example.org:127.0.0.1:$SMTP_PORT :127.0.0.1::" "$T/logdir/current"
ok $? "the connection is logged with TCPLOCALHOST from control/me"
like "$(grep 'smtppool: status: 0/5' "$T/logdir/current" | head -1)" '^@4000[0-9a-f]{20} smtppool: status: 0/5$' "log lines carry TAI64N stamps"
s6-svc -wD -d "$T/scan/smtpd"
out=$(smtp 'EHLO c\r\n' 2>&1)
unlike "$out" "220 " "s6-svc -d: nothing answers any more"

# with a certificate: smtppool -s by default
tls_cert ec
rm -f "$T/scan/smtpd/env/SMTPD_SERVER"
: > "$T/logdir/current"
s6-svc -u "$T/scan/smtpd"
wait_for 10 grep -q 'smtppool: info: TLS broker [0-9]* started' "$T/logdir/current"
ok $? "a certificate: smtppool runs with its TLS broker"
like "$(smtp 'EHLO c\r\n' 'QUIT\r\n')" "250-STARTTLS" "  STARTTLS is offered"
echo QUIT | openssl s_client -starttls smtp -connect "127.0.0.1:$SMTP_PORT" > "$T/s_client.out" 2>&1
like "$(grep -E '^ *Cipher *:' "$T/s_client.out")" 'ECDHE-' "  and the handshake works (an ECDHE suite)"
unlike "$(cat "$T/logdir/current")" 'tcpserver' "  tcpserver does not run"
s6-svc -wD -d "$T/scan/smtpd"

# SMTPD_SERVER=tcpserver: tcpserver and tlsd
echo tcpserver > "$T/scan/smtpd/env/SMTPD_SERVER"
s6-svc -u "$T/scan/smtpd"
wait_for 10 grep -q 'tcpserver: status: 0/5' "$T/logdir/current"
ok $? "a certificate and SMTPD_SERVER=tcpserver: tcpserver runs"
like "$(smtp 'EHLO c\r\n' 'QUIT\r\n')" "250-STARTTLS" "  STARTTLS is offered (tlsd in front)"
wait_for 5 grep -q 'tcpserver: end [0-9]* status 0' "$T/logdir/current"
ok $? "  and the session ran under tcpserver"
s6-svc -wD -d "$T/scan/smtpd"

# implicit TLS: smtppool -T
echo pool > "$T/scan/smtpd/env/SMTPD_SERVER"
echo implicit > "$T/scan/smtpd/env/SMTPD_TLS"
s6-svc -u "$T/scan/smtpd"
wait_for 10 grep -q 'smtppool: info: TLS broker [0-9]* started: implicit TLS' "$T/logdir/current"
ok $? "SMTPD_TLS=implicit: smtppool runs with its TLS broker for implicit TLS"
printf 'EHLO c\r\nQUIT\r\n' | openssl s_client -quiet -connect "127.0.0.1:$SMTP_PORT" > "$T/s.out" 2>/dev/null
like "$(tr -d '\r' < "$T/s.out")" "^220 example.org ESMTP" "  the greeting comes over TLS"
s6-svc -wD -d "$T/scan/smtpd"
s6-svscanctl -t "$T/scan"
wait "$SVSCAN"
ok $? "s6-svscan stops the service and its logger"
done_testing
