#!/bin/sh
# smtpd-message-limits: the limits on a message, each with its exact
# reply, the session going on after it and nothing queued for a refused
# message: databytes (control/databytes, and $DATABYTES from tcprules
# over it) 552 at the end of DATA and for a SIZE= over it at MAIL; a
# line over 1000 octets with its CRLF, a NUL, a bare LF: 554, the message
# read to its real end first; more than 100 Received/Delivered-To header
# lines: 554 too many hops; the 101st recipient 452 (control/maxrcpt
# changes it); and the bytes queue gets: smtpd's Received line, then the
# message with dots unstuffed and CRLF as LF.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
fakequeue
echo example.org > "$H/control/rcpthosts"
echo 3000 > "$H/control/databytes"
smtpd_rules "127.0.0.1:allow,TCPREMOTEHOST=\"client.example\",QMAILQUEUE=\"$T/fakequeue\""
smtpd_start
HEAD='EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n'
# send BODY: a message in one session, then RSET and QUIT; prints the
# replies after DATA's 354
send() { smtp "$HEAD" "$1" 'RSET\r\n' 'QUIT\r\n' | sed '1,/^354 /d'; }
last_ok() { echo "$1" | grep -q '^250 2.0.0 ok [0-9]* qp [0-9]*$'; }

out=$(send 'Subject: dots\r\n\r\n..one\r\n...two\r\n.\r\n')
last_ok "$out"; ok $? "a message with stuffed dots: 250"
sed -n 1p "$T/q/1.msg" > "$T/r1"
like "$(cat "$T/r1")" '^Received: from c \(client.example \[127.0.0.1\]\)$' "queue gets smtpd's Received line first"
is "$(sed 1,2d "$T/q/1.msg")" "Subject: dots

.one
..two" "then the message, dots unstuffed, CRLF as LF"
is "$(od -An -c "$T/q/1.msg" | grep -c '\\r')" 0 "no CR in what queue gets"

body=$(printf 'x%.0s' $(seq 990))
out=$(send "Subject: s\\r\\n\\r\\n$body\\r\\n$body\\r\\n$body\\r\\n.\\r\\n")
last_ok "$out"; ok $? "2,985 bytes under databytes 3000: 250"
body=$(printf 'x%.0s' $(seq 990))
out=$(send "Subject: s\\r\\n\\r\\n$body\\r\\n$body\\r\\n$body\\r\\n$body\\r\\n.\\r\\n")
is "$out" "552 5.3.4 sorry, that message size exceeds my databytes limit
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "over databytes: 552, then the session goes on"
is "$(queued_count)" 2 "nothing queued for it"
is "$(smtp 'EHLO c\r\n' 'MAIL FROM:<a@example.com> SIZE=3001\r\n' 'MAIL FROM:<a@example.com> SIZE=3000\r\n' 'QUIT\r\n' | sed 1,6d)" \
"552 5.3.4 sorry, that message size exceeds my databytes limit
250 2.1.0 ok
221 2.0.0 example.org
[closed]" "SIZE= over databytes: 552 at MAIL; SIZE= at it: 250"

l998=$(printf 'y%.0s' $(seq 998))
out=$(send "Subject: long\\r\\n\\r\\n$l998\\r\\n.\\r\\n")
last_ok "$out"; ok $? "a line of 998 octets and CRLF (1000): 250"
out=$(send "Subject: long\\r\\n\\r\\n${l998}z\\r\\nnext line\\r\\n.\\r\\n")
is "$out" "554 5.6.0 message refused: line longer than 1000 octets
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "a line of 999 octets and CRLF: 554, read to the end (next line is not a command)"
out=$(send 'Subject: nul\r\n\r\na\x00b\r\n.\r\n')
is "$out" "554 5.6.0 message refused: NUL byte
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "a NUL in the message: 554"
out=$(send 'Subject: lf\r\n\r\nline one\nline two\r\n.\r\n')
is "$out" "554 5.6.0 message refused: bare CR or LF (lines must end with CRLF)
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "a bare LF in the message: 554"
out=$(send 'Subject: cr\r\n\r\nline one\rline two\r\n.\r\n')
is "$out" "554 5.6.0 message refused: bare CR or LF (lines must end with CRLF)
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "a bare CR in the message: 554"
is "$(queued_count)" 3 "none of the refused messages is queued"

hops() { i=0; while [ $i -lt "$1" ]; do printf 'Received: from hop%d\\r\\n' $i; i=$((i + 1)); done; i=0; while [ $i -lt "$2" ]; do printf 'Delivered-To: d%d@example.org\\r\\n' $i; i=$((i + 1)); done; }
out=$(send "$(hops 60 40)Subject: hops\\r\\n\\r\\nReceived: in the body\\r\\n.\\r\\n")
last_ok "$out"; ok $? "100 Received and Delivered-To lines in the header: 250"
out=$(send "$(hops 60 41)Subject: hops\\r\\n\\r\\nbody\\r\\n.\\r\\n")
is "$out" "554 5.4.6 too many hops; this message is looping
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "101 of them: 554 too many hops"

rcpts=; i=1; while [ $i -le 101 ]; do rcpts="${rcpts}RCPT TO:<r$i@example.org>\\r\\n"; i=$((i + 1)); done
out=$(smtp 'EHLO c\r\n' "MAIL FROM:<a@example.com>\\r\\n$rcpts" 'DATA\r\n' 'Subject: many\r\n\r\nx\r\n.\r\n' 'QUIT\r\n')
is "$(echo "$out" | grep -c '^250 2.1.5 ok$')" 100 "100 recipients taken"
is "$(echo "$out" | grep '^452')" "452 4.5.3 too many recipients" "the 101st: 452 4.5.3"
last=$(ls "$T/q" | grep -c msg)
is "$(tr '\0' '\n' < "$T/q/$last.env" | grep -c '^T')" 100 "the message goes to the first 100"
echo 3 > "$H/control/maxrcpt"
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nRCPT TO:<d@example.org>\r\n' 'QUIT\r\n')
is "$(echo "$out" | sed -n '/^250 2.1.0/,$p' | sed 1d)" "250 2.1.5 ok
250 2.1.5 ok
250 2.1.5 ok
452 4.5.3 too many recipients
221 2.0.0 example.org
[closed]" "control/maxrcpt 3: the 4th recipient 452"

smtpd_rules "127.0.0.1:allow,DATABYTES=\"500\",QMAILQUEUE=\"$T/fakequeue\""
like "$(smtp 'EHLO c\r\n' 'QUIT\r\n')" "250 SIZE 500" "DATABYTES from tcprules: EHLO says SIZE 500"
body=$(printf 'x%.0s' $(seq 600))
out=$(send "Subject: s\\r\\n\\r\\n$body\\r\\n.\\r\\n")
is "$(echo "$out" | sed -n 1p)" "552 5.3.4 sorry, that message size exceeds my databytes limit" "DATABYTES 500 over control/databytes 3000: 600 bytes refused"
smtpd_rules "127.0.0.1:allow,DATABYTES=\"lots\",QMAILQUEUE=\"$T/fakequeue\""
is "$(smtp 'EHLO c\r\n')" "421 4.3.0 temporary configuration problem; try again later
[closed]" "DATABYTES not a number: 421, no guess"
done_testing
