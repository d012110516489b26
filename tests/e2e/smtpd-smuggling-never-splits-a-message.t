#!/bin/sh
# smtpd-smuggling-never-splits-a-message: SMTP smuggling. For each end of
# data that another server might take but RFC 5321 does not -- <LF>.<LF>,
# <CR>.<CR>, <LF>.<CR><LF>, <CR><LF>.<LF> -- a client sends one message
# whose text holds that end followed by a second MAIL, RCPT and DATA with
# a forged sender, and then the real CRLF.CRLF. smtpd never takes the
# false end: the client gets one reply for the whole text (554, bare CR
# or LF), never a second 250 for MAIL, and nothing is delivered: no
# message with the smuggled text, and never two messages (the Maildir and
# the queue are counted). A control session with the real CRLF.CRLF
# between two pipelined messages delivers both, so the count can see two.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
echo example.org > "$H/control/rcpthosts"
mta_user alice
mta_assign
mta_start
smtpd_start

SMUGGLED='MAIL FROM:<admin@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\nforged\r\n'
for v in 'LF.LF:\n.\n' 'CR.CR:\r.\r' 'LF.CRLF:\n.\r\n' 'CRLF.LF:\r\n.\n'; do
  name=${v%%:*} end=${v#*:}
  out=$(smtp 'EHLO mallory.example\r\n' 'MAIL FROM:<mallory@example.net>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n' \
    "Subject: $name\\r\\n\\r\\nfirst${end}${SMUGGLED}.\\r\\nQUIT\\r\\n")
  is "$(echo "$out" | sed 1,6d)" "250 2.1.0 ok
250 2.1.5 ok
354 go ahead; end with <CRLF>.<CRLF>
554 5.6.0 message refused: bare CR or LF (lines must end with CRLF)
221 2.0.0 example.org
[closed]" "<$name> in the text: one 354, one 554 for all of it, no reply to the smuggled MAIL/RCPT/DATA"
done
sleep 1
wait_for 10 queue_empty
ok $? "the queue is empty"
is "$(queue_files)" 0 "no file left in queue/mess, intd or todo"
is "$(count_new alice)" 0 "nothing delivered for the four smuggling attempts: never two messages, not even one"
is "$(grep -rl 'smuggled' "$T/u/alice/Maildir" | wc -l)" 0 "the smuggled text reached no Maildir"

out=$(smtp 'EHLO honest.example\r\n' 'MAIL FROM:<bob@example.net>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n' \
  'Subject: one\r\n\r\nfirst\r\n.\r\nMAIL FROM:<bob@example.net>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nSubject: two\r\n\r\nsecond\r\n.\r\nQUIT\r\n')
is "$(echo "$out" | grep -c '^250 2.0.0 ok')" 2 "control: CRLF.CRLF between two pipelined messages ends the first: two 250s"
wait_for 10 count_is alice 2
ok $? "control: both delivered, so the count above could have seen two"
done_testing
