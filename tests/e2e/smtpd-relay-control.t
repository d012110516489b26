#!/bin/sh
# smtpd-relay-control: smtpd takes recipients only for the domains of
# control/rcpthosts (exactly, or under a ".domain" line) and
# control/morercpthosts.cdb, and refuses every other one with
# "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts";
# a client whose tcprules entry sets RELAYCLIENT may relay, and the value
# is appended to its recipients. Without control/rcpthosts smtpd refuses
# to run at all (421, exit 111) rather than be an open relay.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/smtpd.sh"
instance_new
mta_domain example.org
fakequeue
printf 'example.org\n.example.net\n' > "$H/control/rcpthosts"
printf 'more.example\n.wild.example\n' | "$PY" "$top/tests/lib/cdbmake.py" "$H/control/morercpthosts.cdb"
smtpd_rules "127.0.0.1:allow,QMAILQUEUE=\"$T/fakequeue\""
smtpd_start

# rcpt ADDR: the reply to RCPT TO:<ADDR> in a fresh session
rcpt() {
  smtp 'EHLO client.example\r\n' 'MAIL FROM:<bob@example.com>\r\n' "RCPT TO:<$1>\\r\\n" 'QUIT\r\n' | sed -n '/^250 2.1.0/{n;p;}'
}
DENIED="553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts"
is "$(rcpt alice@example.org)" "250 2.1.5 ok" "a domain of rcpthosts"
is "$(rcpt Alice@EXAMPLE.Org)" "250 2.1.5 ok" "in any case"
is "$(rcpt x@sub.example.net)" "250 2.1.5 ok" "under a .example.net line"
is "$(rcpt x@a.b.example.net)" "250 2.1.5 ok" "two levels under a .example.net line"
is "$(rcpt x@example.net)" "$DENIED" "a .example.net line does not cover example.net itself"
is "$(rcpt x@more.example)" "250 2.1.5 ok" "a domain of morercpthosts.cdb"
is "$(rcpt x@sub.wild.example)" "250 2.1.5 ok" "under a .wild.example key of morercpthosts.cdb"
is "$(rcpt x@remote.example)" "$DENIED" "relaying refused: 553 5.7.1"
is "$(rcpt x@example.org.evil.example)" "$DENIED" "a domain that only starts like ours"
is "$(rcpt 'x@[192.0.2.9]')" "$DENIED" "an address literal not in rcpthosts"
is "$(rcpt 'postmaster@[127.0.0.1]')" "250 2.1.5 ok" "the literal of the address the client reached is localiphost (example.org)"

out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<b@example.com>\r\n' 'RCPT TO:<x@remote.example>\r\n' 'RCPT TO:<y@example.org>\r\n' 'DATA\r\n' 'Subject: t\r\n\r\nbody\r\n.\r\n' 'QUIT\r\n')
like "$out" "^250 2.0.0 ok" "a message with one refused recipient goes to the others"
is "$(queued_env 1)" "Fb@example.com|Ty@example.org||" "only the allowed recipient is in the envelope"

smtpd_rules "127.0.0.1:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"$T/fakequeue\""
is "$(rcpt x@remote.example)" "250 2.1.5 ok" "RELAYCLIENT set by tcprules for 127.0.0.1: relaying allowed"
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<b@example.com>\r\n' 'RCPT TO:<x@remote.example>\r\n' 'DATA\r\n' 'Subject: t\r\n\r\nbody\r\n.\r\n' 'QUIT\r\n')
like "$out" "^250 2.0.0 ok" "relayed message accepted"
is "$(queued_env 2)" "Fb@example.com|Tx@remote.example||" "relayed recipient queued as given"
smtpd_rules "127.0.0.1:allow,RELAYCLIENT=\".relay\",QMAILQUEUE=\"$T/fakequeue\""
out=$(smtp 'EHLO c\r\n' 'MAIL FROM:<b@example.com>\r\n' 'RCPT TO:<x@remote.example>\r\n' 'DATA\r\n' 'Subject: t\r\n\r\nbody\r\n.\r\n' 'QUIT\r\n')
is "$(queued_env 3)" "Fb@example.com|Tx@remote.example.relay||" "the value of RELAYCLIENT is appended to the recipient"
smtpd_rules "127.0.0.2:allow,RELAYCLIENT=\"\"" "127.0.0.1:allow,QMAILQUEUE=\"$T/fakequeue\""
is "$(rcpt x@remote.example)" "$DENIED" "a rule for another address gives no relaying"

rm "$H/control/rcpthosts"
out=$(cd / && "$H/bin/smtpd" < /dev/null 2>"$T/err"); st=$?
is "$st" 111 "no rcpthosts: smtpd exits 111"
is "$out" "$(printf '421 4.3.0 temporary configuration problem; try again later\r')" "no rcpthosts: it answers 421 and nothing more"
is "$(cat "$T/err")" "smtpd: fatal: control/rcpthosts: missing: refusing to run as an open relay" "no rcpthosts: it says why"
out=$(smtp 'EHLO c\r\n')
is "$out" "421 4.3.0 temporary configuration problem; try again later
[closed]" "no rcpthosts under tcpserver: the client gets 421 and the connection closes"
done_testing
