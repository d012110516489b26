#!/bin/sh
# rspawn-remote-starttls-as-qmailr: in a multi-user instance (as root,
# qmail's users), remote runs as qmailr and starts the TLS engine (bin/tlsd
# -c) as qmailr too: mail for a verified destination (control/tlsdestinations,
# control/tlsca naming a test authority kept in control/) reaches a cairn
# smtpd under tlsd, whose Received line says ESMTPS, and send's log says
# "TLS: TLSv1.2 ... (verified remote.test)"; no tlsd is left running.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: runs a multi-user instance with qmail's users"
for c in useradd userdel groupadd groupdel tcpserver openssl; do
  command -v $c > /dev/null || skip_all "needs $c"
done

# the receiver: a single-user instance, smtpd under tlsd with a certificate
# for remote.test from a test authority
instance_new
TB=$T HB=$H
at_exit "rm -rf '$TB'"
mta_domain remote.test
echo remote.test > "$H/control/rcpthosts"
mta_user bob
mta_assign
mta_start
C=$TB/certs
mkdir "$C"
EC="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
openssl req -x509 $EC -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 -subj "/CN=cairn test CA" 2>/dev/null \
  && openssl req $EC -keyout "$H/control/tlskey" -out "$C/r.csr" -subj "/CN=remote.test" 2>/dev/null \
  && echo subjectAltName=DNS:remote.test > "$C/r.ext" \
  && openssl x509 -req -in "$C/r.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 -extfile "$C/r.ext" \
       -out "$H/control/tlscert" 2>/dev/null || { echo "Bail out! openssl failed"; exit 1; }
chmod 600 "$H/control/tlskey"
SMTPD_CMD="$H/bin/tlsd $H/bin/smtpd"
smtpd_start

# the sender: multi-user, remote as qmailr
instance_new_multiuser
mta_domain local.test
rm -f "$H/users/cdb"
echo out.local.test > "$H/control/helohost"
echo "remote.test:127.0.0.1:$SMTP_PORT" > "$H/control/smtproutes"
echo remote.test > "$H/control/tlsdestinations"
cp "$C/ca.pem" "$H/control/testca.pem"
chmod 644 "$H/control/testca.pem"
echo control/testca.pem > "$H/control/tlsca"
mta_start

printf 'Subject: tls as qmailr\n\nhello\n' | "$H/bin/inject" -f root@local.test bob@remote.test
ok $? "inject exits 0"
wait_for 30 log_has '^delivery [0-9]+: (success|deferral|failure): '
like "$(grep '^delivery [0-9]*: ' "$T/log" | tail -1)" \
  '^delivery [0-9]+: success: 127\.0\.0\.1_accepted_message\./Remote_host_said:_250_2\.0\.0_ok_[0-9]+_qp_[0-9]+/TLS:_TLSv1\.2_ECDHE-ECDSA-[A-Z0-9-]+_\(verified_remote\.test\)/$' \
  "send's log: delivered over TLS, verified against control/tlsca (relative to the home)"
wait_for 20 eval '[ "$(find "$TB/u/bob/Maildir/new" -type f | wc -l)" = 1 ]'
ok $? "bob gets it"
f=$(find "$TB/u/bob/Maildir/new" -type f | head -1)
like "$(sed -n 5p "$f")" '^	by remote\.test with ESMTPS \(TLSv1\.2 ECDHE-ECDSA-' "the receiver's Received line says ESMTPS"
# a second message at once: normally over the session the worker kept
# (rspawn(8)); its result names the session's TLS all the same
printf 'Subject: tls again\n\nhello\n' | "$H/bin/inject" -f root@local.test bob@remote.test
wait_for 30 eval '[ "$(grep -c "^delivery [0-9]*: " "$T/log")" = 2 ]'
like "$(grep '^delivery [0-9]*: ' "$T/log" | tail -1)" \
  '^delivery [0-9]+: success: 127\.0\.0\.1_accepted_message\./Remote_host_said:_250_2\.0\.0_ok_[0-9]+_qp_[0-9]+/TLS:_TLSv1\.2_ECDHE-ECDSA-[A-Z0-9-]+_\(verified_remote\.test\)/$' \
  "the second message: delivered, its log line with the session's TLS"
wait_for 20 eval '[ "$(find "$TB/u/bob/Maildir/new" -type f | wc -l)" = 2 ]'
ok $? "bob gets it too"
# the engines of this instance's remote: "bin/tlsd -c" with the home as cwd
engines() {
  for p in $(pgrep -f '^bin/tlsd -c'); do
    [ "$(readlink "/proc/$p/cwd")" = "$H" ] && echo "$p"
  done
}
wait_for 10 eval '[ -z "$(engines)" ]'
ok $? "no TLS engine is left running"
mta_stop
done_testing
