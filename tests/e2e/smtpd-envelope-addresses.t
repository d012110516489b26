#!/bin/sh
# smtpd-envelope-addresses: the envelope smtpd hands to queue (kept by a
# QMAILQUEUE program) for RFC 5321's address forms: <postmaster> without
# a domain, the null sender, quoted local parts unquoted, source routes
# dropped, address literals [192.0.2.1] and [IPv6:2001:db8::25], the
# literal of the server's own address as control/localiphost; the 64-octet
# local part and 255-octet domain limits (501 past them); 8-bit bytes
# refused with 553 5.6.7; badmailfrom (exact and @domain, any case) 553;
# and MAIL, RCPT and DATA pipelined in one write, with the message in the
# same write, answered in order.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
fakequeue
printf 'example.org\nip.example.org\n[192.0.2.1]\n[IPv6:2001:db8::25]\n' > "$H/control/rcpthosts"
echo ip.example.org > "$H/control/localiphost"
printf 'spam@example.com\n@bad.example\n' > "$H/control/badmailfrom"
smtpd_rules "127.0.0.1:allow,QMAILQUEUE=\"$T/fakequeue\""
smtpd_start
n=0
# message FROM RCPT...: one message with those paths; its envelope is $(queued_env $n)
message() {
  _from=$1; shift
  _rcpts=
  for r; do _rcpts="${_rcpts}RCPT TO:$r\\r\\n"; done
  smtp 'EHLO c\r\n' "MAIL FROM:$_from\\r\\n" "$_rcpts" 'DATA\r\n' 'Subject: t\r\n\r\nx\r\n.\r\n' 'QUIT\r\n' > "$T/out"
  n=$((n + 1))
}

out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\nSubject: piped\r\n\r\nall in one write\r\n.\r\nQUIT\r\n')
n=$((n + 1))
is "$(echo "$out" | sed 1,6d)" "250 2.1.0 ok
250 2.1.5 ok
250 2.1.5 ok
354 go ahead; end with <CRLF>.<CRLF>
250 2.0.0 ok $(echo "$out" | sed -n 's/^250 2.0.0 ok //p')
221 2.0.0 example.org
[closed]" "MAIL, two RCPT, DATA, the message and QUIT in one write: every reply, in order"
is "$(queued_env 1)" "Fa@example.com|Tb@example.org|Tc@example.org||" "pipelined: the envelope"
is "$(sed 1,2d "$T/q/1.msg")" "Subject: piped

all in one write" "pipelined: the message after smtpd's Received line"

message '<>' '<postmaster>' '<PostMaster>'
is "$(queued_env $n)" "F|Tpostmaster@example.org|Tpostmaster@example.org||" "null sender; <postmaster> without domain is postmaster@me"
message '<a@example.com>' '<"john doe"@example.org>' '<"a\\"b"@example.org>'
is "$(queued_env $n)" 'Fa@example.com|Tjohn doe@example.org|Ta"b@example.org||' "quoted local parts, unquoted"
message '<@relay.example:a@example.com>' '<@one.example,@two.example:bob@example.org>'
is "$(queued_env $n)" "Fa@example.com|Tbob@example.org||" "source routes accepted and dropped"
message '<a@example.com>' '<x@[192.0.2.1]>' '<y@[IPv6:2001:db8::25]>'
is "$(queued_env $n)" "Fa@example.com|Tx@[192.0.2.1]|Ty@[IPv6:2001:db8::25]||" "address literals in rcpthosts"
message '<a@example.com>' '<postmaster@[127.0.0.1]>' '<postmaster@[IPv6:::ffff:127.0.0.1]>'
is "$(queued_env $n)" "Fa@example.com|Tpostmaster@ip.example.org|Tpostmaster@ip.example.org||" "the literal of the server's own address becomes localiphost"

l64=$(printf '%064d' 0)
d255=$(printf 'a%.0s' $(seq 63)).$(printf 'b%.0s' $(seq 63)).$(printf 'c%.0s' $(seq 63)).$(printf 'd%.0s' $(seq 63))
d256=$(printf 'a%.0s' $(seq 63)).$(printf 'b%.0s' $(seq 63)).$(printf 'c%.0s' $(seq 63)).$(printf 'd%.0s' $(seq 62)).e
message "<$l64@$d255>" '<b@example.org>'
is "$(queued_env $n)" "F$l64@$d255|Tb@example.org||" "64-octet local part and 255-octet domain accepted"
is "$(smtp 'EHLO c\r\n' "MAIL FROM:<${l64}1@example.com>\\r\\n" "MAIL FROM:<a@$d256>\\r\\n" "RCPT TO:<${l64}1@example.org>\\r\\n" 'QUIT\r\n' | sed 1,6d)" \
"501 5.1.7 local part of the address longer than 64 octets
501 5.1.7 invalid domain in the address
503 5.5.1 MAIL first
221 2.0.0 example.org
[closed]" "65-octet local part and 256-octet domain: 501"
is "$(smtp 'EHLO c\r\n' 'MAIL FROM:<caf\xc3\xa9@example.com>\r\n' 'MAIL FROM:<a@example.com>\r\n' 'RCPT TO:<b\xc3\xb6b@example.org>\r\n' 'RCPT TO:<bob@ex\xe4mple.org>\r\n' 'QUIT\r\n' | sed 1,6d)" \
"553 5.6.7 8-bit characters in an address need SMTPUTF8, which I do not offer
250 2.1.0 ok
553 5.6.7 8-bit characters in an address need SMTPUTF8, which I do not offer
553 5.6.7 8-bit characters in an address need SMTPUTF8, which I do not offer
221 2.0.0 example.org
[closed]" "8-bit in the envelope: 553 5.6.7"
is "$(smtp 'EHLO c\r\n' 'MAIL FROM:<Spam@Example.COM>\r\n' 'MAIL FROM:<x@BAD.example>\r\n' 'MAIL FROM:<spam@example.com.evil>\r\n' 'QUIT\r\n' | sed 1,6d)" \
"553 5.7.1 sorry, your envelope sender is in my badmailfrom list
553 5.7.1 sorry, your envelope sender is in my badmailfrom list
250 2.1.0 ok
221 2.0.0 example.org
[closed]" "badmailfrom: exact and @domain entries, any case; other senders pass"
is "$(queued_count)" "$n" "one queue run per accepted message, none for refused ones"
done_testing
