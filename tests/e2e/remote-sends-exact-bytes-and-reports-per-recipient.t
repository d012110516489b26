#!/bin/sh
# remote-sends-exact-bytes-and-reports-per-recipient: remote, run by hand
# as qmail-remote is, against a scripted SMTP peer on loopback (reached
# through smtproutes): the bytes the peer receives (EHLO with helohost,
# MAIL with SIZE and BODY=8BITMIME when offered, RCPT per recipient,
# dot-stuffed CR LF data, QUIT), PIPELINING (MAIL, RCPTs and DATA in one
# read of the peer) and without it (one command a read), a multi-line
# EHLO, HELO when EHLO is refused, a message from a pipe, quoted local
# parts, "#@[]" sent as the null sender, and the report
# records: r, h (5xx), s (4xx) and the K record with the peer's words.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"

instance_new
mta_domain local.test
echo helo.local.test > "$H/control/helohost"
printf 'Subject: dots\n\n.leading dot\nline\r\nbare\rcr\n..two\nno end' > "$T/msg"
data='Subject: dots\r\n\r\n..leading dot\r\nline\r\nbare\r\ncr\r\n...two\r\nno end\r\n.\r\n'

# 1. PIPELINING, 8BITMIME and SIZE offered; one of three recipients 5xx,
# one 4xx.
peer_start --pipelining --rcpt 'bad@remote.test=550 5.1.1 no such user' --rcpt 'later@remote.test=451 4.2.0 try later'
route remote.test
run_remote remote.test a@local.test good@remote.test bad@remote.test later@remote.test
is "$REMOTE_EXIT" 0 "remote exits 0 once it has reported"
is "$REPORT" "r|h127.0.0.1 does not like recipient.
Remote host said: 550 5.1.1 no such user
|s127.0.0.1 does not like recipient.
Remote host said: 451 4.2.0 try later
|K127.0.0.1 accepted message.
Remote host said: 250 ok queued
|" "report: r, h with the 5xx, s with the 4xx, then K with the peer's words"
peer_wait 1
size=$(printf "$data" | wc -c); size=$((size - 3))
is "$(peer_in 1)" "EHLO helo.local.test\r\nMAIL FROM:<a@local.test> SIZE=$size\r\nRCPT TO:<good@remote.test>\r\nRCPT TO:<bad@remote.test>\r\nRCPT TO:<later@remote.test>\r\nDATA\r\n${data}QUIT\r\n" \
  "the peer got EHLO helohost, MAIL with SIZE, the RCPTs, dot-stuffed CR LF data and QUIT"
is "$(sed -n 2p "$PEER/1.chunks")" "MAIL RCPT RCPT RCPT DATA" "PIPELINING: MAIL, every RCPT and DATA arrive in one write"
is "$(cat "$PEER/1.end")" quit "the session ends with QUIT"

# 2. No PIPELINING, a long multi-line EHLO with 8BITMIME, no SIZE; an
# 8-bit message gets BODY=8BITMIME.
peer_stop
peer_start --ehlo '250-peer.example greets you|250-ENHANCEDSTATUSCODES|250-8BITMIME|250-AUTH PLAIN LOGIN|250-DSN|250 HELP'
route remote.test
printf 'Subject: caf\303\251\n\nna\303\257ve\n' > "$T/msg"
run_remote remote.test '' one@remote.test two@remote.test
is "$REPORT" "r|r|K127.0.0.1 accepted message.
Remote host said: 250 ok queued
|" "two recipients accepted, K"
peer_wait 1
is "$(head -n 1 "$PEER/1.in" | tr -d '\r')" "EHLO helo.local.test" "EHLO first"
is "$(sed -n 2p "$PEER/1.in" | tr -d '\r')" "MAIL FROM:<> BODY=8BITMIME" "the null sender; BODY=8BITMIME for 8-bit data, no SIZE when not offered"
is "$(sed -n '2,5p' "$PEER/1.chunks" | tr '\n' ,)" "MAIL,RCPT,RCPT,DATA," "without PIPELINING each command waits for its reply"

# 3. EHLO refused: HELO; 7-bit message: no BODY; message from a pipe.
peer_stop
peer_start --ehlo '502 5.5.1 no EHLO here'
route remote.test
printf 'Subject: plain\n\nbody\n' > "$T/msg"
out=$(cat "$T/msg" | "$H/bin/remote" remote.test a@local.test x@remote.test | tr '\0' '|')
is "$out" "r|K127.0.0.1 accepted message.
Remote host said: 250 ok queued
|" "a message on a pipe is delivered too"
peer_wait 1
is "$(peer_in 1)" 'EHLO helo.local.test\r\nHELO helo.local.test\r\nMAIL FROM:<a@local.test>\r\nRCPT TO:<x@remote.test>\r\nDATA\r\nSubject: plain\r\n\r\nbody\r\n.\r\nQUIT\r\n' \
  "EHLO refused: HELO, and plain MAIL"

# 4. A local part that is no dot-atom is quoted.
run_remote remote.test 'a b@local.test' '"x"y@remote.test'
peer_wait 2
is "$(sed -n '3,4p' "$PEER/2.in" | tr -d '\r' | tr '\n' ,)" 'MAIL FROM:<"a b"@local.test>,RCPT TO:<"\"x\"y"@remote.test>,' "local parts quoted as RFC 5321 wants"

run_remote remote.test '#@[]' 'postmaster@remote.test'
peer_wait 3
is "$(sed -n 3p "$PEER/3.in" | tr -d '\r')" 'MAIL FROM:<>' "qmail's double-bounce sender #@[] goes as the null sender"

done_testing
