#!/bin/bash
# queued-takes-mail-and-queue-stays-the-fallback: start runs queued beside
# send; with bin/queue made non-executable, mail from inject and over SMTP
# is still accepted and delivered (queued wrote it; no queue ran), and the
# Received line's pid is the one inject and smtpd report as "qp" (the
# kernel's word for the client). QMAILQUEUE still runs the program it
# names. When send stops, queued exits; with queued gone, inject runs
# bin/queue again (and fails when queue cannot run, which proves that it
# is queue that took the message). A new start replaces the stale socket
# and queued takes mail again. Single-user build.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
export LC_ALL=C
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign

is "$(stat -c '%a' "$H/queued")" 755 "install makes queued/, mode 0755"
mta_start
queued_listens() { "$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' "$H/queued/socket" 2>/dev/null; }
wait_for 5 queued_listens
ok $? "queued listens on queued/socket"
is "$(stat -c '%F %a' "$H/queued/socket")" "socket 666" "the socket is mode 0666: any user may queue"
queuedpids() { for p in $(pgrep -x queued); do [ "$(readlink /proc/$p/exe)" = "$H/bin/queued" ] && echo $p; done; }
is "$(queuedpids | wc -l)" 1 "one queued runs"

chmod 0 "$H/bin/queue"
printf 'Subject: one\n\nbody one\n' | "$H/bin/inject" -f bob@example.org alice@example.org 2> "$T/inject.err" & ipid=$!
wait $ipid
is $? 0 "inject exits 0 with bin/queue not executable"
wait_for 10 count_is alice 1
ok $? "the injected message is delivered"
f=$(ls -t "$T/u/alice/Maildir/new/"* | head -1)
like "$(grep -m1 '^Received: (qmail' "$f")" "^Received: \(qmail $ipid invoked by uid $(id -u)\); " \
  "its Received line names inject's pid and uid (SO_PEERCRED)"

smtpd_start
smtp 'HELO c.example\r\n' 'MAIL FROM:<carol@example.net>\r\n' 'RCPT TO:<alice@example.org>\r\n' 'DATA\r\n' \
  'Subject: two\r\n\r\nbody two\r\n.\r\n' 'QUIT\r\n' > "$T/smtp.out"
like "$(cat "$T/smtp.out")" '250 2.0.0 ok [0-9]+ qp [0-9]+' "smtpd answers the end of DATA 250 with bin/queue not executable"
qp=$(sed -n 's/.*250 2.0.0 ok [0-9]* qp \([0-9]*\).*/\1/p' "$T/smtp.out")
wait_for 10 count_is alice 2
ok $? "the SMTP message is delivered"
f=$(grep -l '^Subject: two' "$T/u/alice/Maildir/new/"*)
like "$(grep -m1 '^Received: (qmail' "$f")" "^Received: \(qmail $qp invoked by uid $(id -u)\); " \
  "its Received line names the qp that smtpd reported ($qp)"
is "$(grep -l '^Subject: two' "$T/u/alice/Maildir/new/"* | wc -l)" 1 "exactly one copy arrived"

cat > "$T/hook" <<EOF2
#!/bin/sh
cat > "$T/hook.msg"
cat <&1 > "$T/hook.env"
EOF2
chmod 755 "$T/hook"
printf 'Subject: three\n\nbody three\n' | QMAILQUEUE=$T/hook "$H/bin/inject" alice@example.org
is $? 0 "inject with QMAILQUEUE exits 0"
like "$(cat "$T/hook.msg" 2>/dev/null)" '^Subject: three' "QMAILQUEUE's program got the message, not queued"
like "$(tr '\0' '|' < "$T/hook.env" 2>/dev/null)" '^F.*\|Talice@example.org\|\|$' "and the envelope"

mta_stop
queued_gone() { [ -z "$(queuedpids)" ]; }
wait_for 5 queued_gone
ok $? "queued exits when send stops"
ok "$([ -S "$H/queued/socket" ]; echo $?)" "the socket's name stays (a new queued may own it)"

printf 'Subject: four\n\nbody four\n' | "$H/bin/inject" alice@example.org 2> "$T/inject.err"
rc=$?
ok "$([ "$rc" != 0 ]; echo $?)" "with queued gone, inject runs bin/queue, which cannot run now (exit $rc)"
like "$(cat "$T/inject.err")" 'unable to run queue' "inject says queue could not run"
chmod 755 "$H/bin/queue"
printf 'Subject: five\n\nbody five\n' | "$H/bin/inject" alice@example.org
is $? 0 "with queued gone and queue runnable, inject falls back to queue"
is "$(ls "$H/queue/todo" | wc -l)" 1 "the message is in todo/"

mta_start
wait_for 5 queued_listens
ok $? "a new start's queued listens on the same name"
wait_for 10 count_is alice 3
ok $? "the message queue wrote is delivered"
chmod 0 "$H/bin/queue"
printf 'Subject: six\n\nbody six\n' | "$H/bin/inject" alice@example.org
is $? 0 "the new queued takes mail"
wait_for 10 count_is alice 4
ok $? "and it is delivered"
chmod 755 "$H/bin/queue"
mta_stop
done_testing
