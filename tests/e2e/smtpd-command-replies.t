#!/bin/sh
# smtpd-command-replies: every command and every protocol error of a
# session gets its exact reply with an enhanced status code: the greeting,
# EHLO's keywords (SIZE with databytes), HELO, out-of-order commands 503,
# syntax errors 501, unknown commands 502, VRFY 252, HELP 214, NOOP and
# RSET 250, QUIT 221 and close; a command line over 512 octets 500 (512
# taken), a bare LF, a bare CR or a NUL in a command 500 without ending
# the line; the errors limit (control/maxerrors) 421 and close; the
# timeout (control/timeoutsmtpd, 2 s here) 451 and close, also inside
# DATA with nothing queued; queue's exit codes as 554/451 with their text.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
fakequeue
echo example.org > "$H/control/rcpthosts"
echo 100000 > "$H/control/databytes"
echo 2 > "$H/control/timeoutsmtpd"
echo 7 > "$H/control/maxerrors"
smtpd_rules "127.0.0.1:allow,QMAILQUEUE=\"$T/fakequeue\""
smtpd_start

is "$(smtp 'EHLO client.example\r\n' 'HELO client.example\r\n' 'QUIT\r\n')" "220 example.org ESMTP
250-example.org
250-PIPELINING
250-8BITMIME
250-ENHANCEDSTATUSCODES
250 SIZE 100000
250 example.org
221 2.0.0 example.org
[closed]" "greeting, EHLO keywords with SIZE, HELO, QUIT and close"

is "$(smtp 'MAIL FROM:<a@example.com>\r\n' 'HELO c\r\n' 'RCPT TO:<b@example.org>\r\n' 'DATA\r\n' \
  'MAIL FROM:<a@example.com>\r\n' 'DATA\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RSET\r\n' 'RCPT TO:<b@example.org>\r\n' 'QUIT\r\n')" \
"220 example.org ESMTP
503 5.5.1 send HELO or EHLO first
250 example.org
503 5.5.1 MAIL first
503 5.5.1 MAIL first
250 2.1.0 ok
554 5.5.1 no valid recipients
503 5.5.1 nested MAIL command
250 2.0.0 ok
503 5.5.1 MAIL first
221 2.0.0 example.org
[closed]" "out of order: MAIL before HELO, RCPT and DATA before MAIL, DATA without recipients, nested MAIL, RCPT after RSET"

is "$(smtp 'HELO\r\n' 'EHLO\r\n' 'HELO c\r\n' 'MAIL alice@example.com\r\n' 'MAIL FROM:<a@example.com> SIZE=x\r\n' 'DATA now\r\n' 'QUIT\r\n')" \
"220 example.org ESMTP
501 5.5.4 syntax: HELO hostname
501 5.5.4 syntax: EHLO hostname
250 example.org
501 5.5.4 syntax: MAIL FROM:<address>
501 5.5.4 syntax error in SIZE
501 5.5.4 DATA takes no argument
221 2.0.0 example.org
[closed]" "syntax errors: 501"

is "$(smtp 'FOO\r\n' 'STARTTLS\r\n' 'VRFY alice\r\n' 'HELP\r\n' 'NOOP\r\n' 'NOOP some text\r\n' 'RSET\r\n' 'rset\r\n' 'QUIT\r\n')" \
"220 example.org ESMTP
502 5.5.2 unrecognized command
502 5.5.2 unrecognized command
252 2.1.5 send some mail, I'll try my best
214 2.0.0 see RFC 5321; commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT
250 2.0.0 ok
250 2.0.0 ok
250 2.0.0 ok
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "unknown commands 502, VRFY 252, HELP 214, NOOP and RSET 250 in any case"

x505=$(printf '%0505d' 0)
is "$(smtp "NOOP $x505\\r\\n" "NOOP ${x505}0\\r\\n" 'NOOP\r\n' 'QUIT\r\n')" "220 example.org ESMTP
250 2.0.0 ok
500 5.5.2 line too long
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "512 octets with CRLF taken, 513 refused with 500, the session goes on"

is "$(smtp 'NOOP\nQUIT\r\n' 'NO\rOP\r\n' 'NO\x00OP\r\n' 'NOOP\r\r\n' 'NOOP\r\n' 'QUIT\r\n')" "220 example.org ESMTP
500 5.5.2 bare CR, LF or NUL in command
500 5.5.2 bare CR, LF or NUL in command
500 5.5.2 bare CR, LF or NUL in command
500 5.5.2 bare CR, LF or NUL in command
250 2.0.0 ok
221 2.0.0 example.org
[closed]" "bare LF, bare CR, NUL in a command: 500, and a bare LF does not end it (QUIT after it is not run)"

is "$(smtp 'FOO\r\n' 'FOO\r\n' 'NOOP\r\n' 'FOO\r\n' 'RCPT TO:<a@b>\r\n' 'HELO\r\n' 'FOO\r\n' 'FOO\r\n' 'NOOP\r\n')" "220 example.org ESMTP
502 5.5.2 unrecognized command
502 5.5.2 unrecognized command
250 2.0.0 ok
502 5.5.2 unrecognized command
503 5.5.1 MAIL first
501 5.5.4 syntax: HELO hostname
502 5.5.2 unrecognized command
502 5.5.2 unrecognized command
421 4.7.0 too many errors; closing connection
[closed]" "the seventh error (maxerrors 7) ends the session with 421"

# the real queue from here on, to see that it gets nothing
smtpd_rules "127.0.0.1:allow"
start=$(date +%s)
out=$(smtp -t 5 'EHLO c\r\n')
end=$(date +%s)
like "$out" "250 SIZE 100000
451 4.4.2 timeout; closing connection
\[closed\]$" "timeoutsmtpd: 451 and close"
# Not before the 2 s configured; how much later depends on the machine's
# load, and the 451 above already shows it was the timeout that ended it.
ok "$([ $((end - start)) -ge 2 ]; echo $?)" "not before the 2 seconds of timeoutsmtpd ($((end - start)) s)"
out=$(smtp -t 5 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<b@example.org>\r\n' 'DATA\r\n' 'Subject: half\r\n\r\nnot finished')
like "$out" "354 go ahead; end with <CRLF>.<CRLF>
451 4.4.2 timeout; closing connection
\[closed\]$" "timeout inside DATA: 451 and close"
smtpd_idle
is "$(queue_files)" 0 "nothing in the queue after a timeout in DATA"
smtp -t 0 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<b@example.org>\r\n' 'DATA\r\n' 'Subject: cut\r\n\r\nand the client goes' > /dev/null
smtpd_idle
is "$(queue_files)" 0 "nothing in the queue when the client goes away inside DATA"
smtpd_rules "127.0.0.1:allow,QMAILQUEUE=\"$T/fakequeue\""

# queue's exit codes
msg='EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n'
fakequeue 31
like "$(smtp "$msg" 'Subject: t\r\n\r\nx\r\n.\r\n' 'QUIT\r\n')" "
554 5.3.0 mail server permanently rejected message \(#5.3.0\)
221 " "queue exit 31: 554 with qmail's text"
fakequeue 71
like "$(smtp "$msg" 'Subject: t\r\n\r\nx\r\n.\r\n' 'QUIT\r\n')" "
451 4.3.0 mail server temporarily rejected message \(#4.3.0\)
221 " "queue exit 71: 451 with qmail's text"
fakequeue 53
like "$(smtp "$msg" 'Subject: t\r\n\r\nx\r\n.\r\n' 'RSET\r\n' 'QUIT\r\n')" "
451 4.3.0 qq write error or disk full \(#4.3.0\)
250 2.0.0 ok
221 " "queue exit 53: 451 disk full, the session goes on"
done_testing
