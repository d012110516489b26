#!/bin/sh
# smtpd-delivers-to-maildir-with-received-line: a running instance with
# smtpd under tcpserver takes a message from swaks and one from Python's
# smtplib and delivers each to the user's Maildir: the bytes are the
# message as sent, dots unstuffed, CRLF as LF, after Return-Path,
# Delivered-To, queue's Received line and smtpd's own Received line,
# which names the HELO, the reverse name and IP from tcpserver, "with
# ESMTP" after EHLO and "with SMTP" after HELO, and the date.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
command -v swaks >/dev/null || skip_all "needs swaks"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_rules '127.0.0.1:allow,TCPREMOTEHOST="client.example"'
smtpd_start

printf 'Subject: swaks test\nX-Test: one\n\n.leading dot\n..two dots\nlast line' > "$T/msg"
swaks --server "127.0.0.1:$SMTP_PORT" --helo helo.example --from bob@example.net --to alice@example.org \
  --data "@$T/msg" > "$T/swaks.out" 2>&1
ok $? "swaks reports success"
like "$(cat "$T/swaks.out")" '<-  250 2.0.0 ok [0-9]+ qp [0-9]+' "the end of DATA is answered 250 2.0.0 ok with the qp"
like "$(cat "$T/swaks.out")" '<-  250-PIPELINING' "EHLO advertises PIPELINING"
wait_for 10 count_is alice 1
ok $? "alice's Maildir/new gets the message"
f=$(find "$T/u/alice/Maildir/new" -type f | head -1)
# the dates vary: replace them, then compare every byte
sed -e 's/; [A-Z][a-z][a-z], [0-9]* [A-Z][a-z]* [0-9]* [0-9:]* +0000$/; DATE/' \
    -e 's/^\(Received: (qmail \)[0-9]*\( invoked by uid \)[0-9]*); .*/\1PID\2UID); DATE/' "$f" > "$T/got"
cat > "$T/want" <<'EOW'
Return-Path: <bob@example.net>
Delivered-To: alice@example.org
Received: (qmail PID invoked by uid UID); DATE
Received: from helo.example (client.example [127.0.0.1])
	by example.org with ESMTP; DATE
Subject: swaks test
X-Test: one

.leading dot
..two dots
last line
EOW
cmp_files "$T/got" "$T/want" "delivered bytes: headers, both Received lines, body with dots unstuffed"
like "$(sed -n 5p "$f")" '^	by example.org with ESMTP; [A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000$' "smtpd's Received line ends with an RFC 5322 date"

# Python's smtplib: EHLO, then a second session with HELO only
"$PY" - "$SMTP_PORT" <<'PY'
import smtplib, sys
port = int(sys.argv[1])
s = smtplib.SMTP('127.0.0.1', port, local_hostname='py.example')
code, _ = s.ehlo()
assert code == 250 and s.has_extn('pipelining') and s.has_extn('8bitmime') and s.has_extn('enhancedstatuscodes'), s.esmtp_features
assert 'size' in s.esmtp_features, s.esmtp_features
s.sendmail('carol@example.net', ['alice@example.org'], b'Subject: from smtplib\r\n\r\n.dot line\r\nbye\r\n')
s.quit()
s = smtplib.SMTP('127.0.0.1', port, local_hostname='old.example')
s.helo()
s.sendmail('', ['alice@example.org'], b'Subject: helo only\r\n\r\nbody\r\n')
s.quit()
PY
ok $? "smtplib sends two messages, EHLO keywords as advertised"
wait_for 10 count_is alice 3
ok $? "both reach the Maildir"
g=$(grep -l 'Subject: from smtplib' "$T/u/alice/Maildir/new/"*)
is "$(sed -n 1p "$g")" "Return-Path: <carol@example.net>" "smtplib message: its sender"
is "$(sed -n 4p "$g")" "Received: from py.example (client.example [127.0.0.1])" "smtplib message: the EHLO name in the Received line"
like "$(sed -n 5p "$g")" '^	by example.org with ESMTP; ' "smtplib message: with ESMTP"
is "$(sed -n '/^$/,$p' "$g" | tail -n +2)" ".dot line
bye" "smtplib message: body with its dot unstuffed"
h=$(grep -l 'Subject: helo only' "$T/u/alice/Maildir/new/"*)
is "$(sed -n 1p "$h")" "Return-Path: <>" "null sender taken"
is "$(sed -n 4p "$h")" "Received: from old.example (client.example [127.0.0.1])" "HELO name in the Received line"
like "$(sed -n 5p "$h")" '^	by example.org with SMTP; ' "after HELO: with SMTP"
wait_for 10 queue_empty
ok $? "the queue is empty afterwards"
done_testing
