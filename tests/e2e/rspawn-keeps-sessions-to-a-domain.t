#!/bin/sh
# rspawn-keeps-sessions-to-a-domain: through send and rspawn, consecutive
# messages to one domain go out over one SMTP session, carried by one
# long-lived worker (remote -W): one EHLO, a MAIL transaction per message,
# and QUIT once the session has been idle for REMOTEWORK_KEEP (2) seconds.
# A kept session that the server ends (it closes after each message, or
# answers the next MAIL with 421 or drops the connection there) costs nothing: the next message goes
# out afresh in a new session, exactly once, and send logs no deferral. A
# message to another domain never rides a session to the first; the same
# domain in other case does. An edited
# smtproutes applies to the very next message. A bin/remote replaced by a
# wrapper runs once per delivery (one session a message), logged once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
. "$(dirname "$0")/../lib/remote.sh"
export LC_ALL=C

instance_new
mta_domain local.test
# the number of successful remote deliveries in the log
successes() { [ "$(grep -c '^delivery [0-9]*: success: 127\.0\.0\.1_accepted_message\.' "$T/log")" = "$1" ]; }
sessions() { ls "$PEER" | grep -c '\.in$'; }
# sends message $1 (its Subject) to $2 and waits for success number $3
send1() {
  printf 'Subject: %s\n\nbody of %s\n' "$1" "$1" | "$H/bin/inject" -f alice@local.test "$2"
  wait_for 20 successes "$3"
}
# the sessions of the peer whose data holds "Subject: $1"
carried() { grep -l "Subject: $1" "$PEER"/*.in 2>/dev/null | wc -l | tr -d ' '; }

# 1. three messages one after another: one session, three transactions
peer_start --pipelining
route remote.test
mta_start
send1 one a@remote.test 1 && send1 two b@remote.test 2 && send1 three c@remote.test 3
ok $? "three messages delivered one after another"
is "$(sessions)" 1 "one session carried them"
is "$(grep -c '^EHLO' "$PEER/1.in") $(grep -c '^MAIL FROM:<alice@local.test>' "$PEER/1.in") $(grep -c '^DATA' "$PEER/1.in")" "1 3 3" \
  "  with one EHLO and three MAIL transactions"
for s in one two three; do is "$(carried $s)" 1 "  message $s sent once"; done
w=$(pgrep -f "^$H/bin/remote -W" | wc -l)
is "$w" 1 "one remote worker carried them"
peer_wait 1
is "$(cat "$PEER/1.end")" quit "the idle session ends with QUIT after a while"
ok "$(! grep -q 'deferral' "$T/log"; echo $?)" "no deferral logged"

# 2. a server that closes the session after each message
peer_stop
peer_start --pipelining --close-after-end --port "$(sed 's/.*://' "$H/control/smtproutes")"
send1 four d@remote.test 4 && send1 five e@remote.test 5 && send1 six f@remote.test 6
ok $? "closing server: every message delivered"
is "$(sessions)" 3 "  one session each"
for s in four five six; do is "$(carried $s)" 1 "  message $s sent once"; done

# 3. a server that answers the second MAIL of a session with 421
peer_stop
peer_start --pipelining --mail-again '421 4.3.2 too many messages, closing' --port "$(sed 's/.*://' "$H/control/smtproutes")"
send1 seven g@remote.test 7 && send1 eight h@remote.test 8
ok $? "421 to a kept session's MAIL: both messages delivered"
is "$(sessions)" 2 "  the second in a session of its own"
is "$(cat "$PEER/1.end")" closed "  the first session ended at the 421"
is "$(carried seven) $(carried eight)" "1 1" "  each message's data sent once"
like "$(tr '\r\n' '  ' < "$PEER/1.in")" 'RCPT TO:<g@remote.test> .* MAIL FROM:<alice@local.test> SIZE=[0-9]+  RCPT TO:<h@remote.test>' "  the 421 came to the kept session's MAIL"
ok "$(! grep -q 'deferral' "$T/log"; echo $?)" "no deferral logged"

# 3b. a kept session that dies when the next MAIL is sent (the connection
# closes with no reply)
peer_stop
peer_start --pipelining --mail-again drop --port "$(sed 's/.*://' "$H/control/smtproutes")"
send1 seven2 g2@remote.test 9 && send1 eight2 h2@remote.test 10
ok $? "kept session dead at MAIL: both messages delivered"
is "$(sessions) $(cat "$PEER/1.end")" "2 dropped" "  the second in a new session, after the first dropped"
is "$(carried seven2) $(carried eight2)" "1 1" "  each message's data sent once"
ok "$(! grep -q 'deferral' "$T/log"; echo $?)" "no deferral logged"

# 4. another domain to the same server: its own session
peer_stop
peer_start --pipelining --port "$(sed 's/.*://' "$H/control/smtproutes")"
port=$PEER_PORT
printf 'remote.test:127.0.0.1:%s\nother.test:127.0.0.1:%s\n' "$port" "$port" > "$H/control/smtproutes"
send1 nine i@remote.test 11 && send1 ten j@other.test 12 && send1 eleven k@remote.test 13
ok $? "two domains: delivered"
is "$(grep -l 'RCPT TO:<j@other.test>' "$PEER"/*.in | xargs grep -c '^MAIL')" 1 "other.test's message had a session of its own"
is "$(carried nine) $(carried ten) $(carried eleven)" "1 1 1" "  each message sent once"

# 5. smtproutes edited between two messages: the next one follows it
peer_stop
peer_start --pipelining --port "$port"
send1 twelve l@remote.test 14
ok $? "delivered before the edit"
old=$PEER
peer_start --pipelining
printf 'remote.test:127.0.0.1:%s\n' "$PEER_PORT" > "$H/control/smtproutes"
send1 thirteen m@remote.test 15
ok $? "delivered after the edit"
is "$(grep -c 'Subject: thirteen' "$PEER/1.in") $(grep -c 'Subject: thirteen' "$old/1.in")" "1 0" \
  "  to the new route's server, not over the session kept to the old one"

# 5b. the same domain in other case: the same session (domains know no case)
send1 fourteen p@REMOTE.Test 16
ok $? "delivered to REMOTE.Test"
is "$(sessions) $(grep -c 'Subject: fourteen' "$PEER/1.in")" "1 1" "  over the session kept to remote.test"

# 6. a wrapper in bin/remote's place: one remote per delivery
mta_stop
mv "$H/bin/remote" "$H/bin/remote.real"
printf '#!/bin/sh\nexec "%s/bin/remote.real" "$@"\n' "$H" > "$H/bin/remote"
chmod 755 "$H/bin/remote"
peer_stop
peer_start --pipelining
route remote.test
mta_start
send1 fifteen n@remote.test 17 && send1 sixteen o@remote.test 18
ok $? "through the wrapper: delivered"
is "$(sessions)" 2 "  one session a message"
is "$(grep -c "rspawn: warning: $H/bin/remote has no worker mode (a wrapper?): running one remote per delivery" "$T/log")" 1 \
  "  the wrapper noticed, logged once"
mta_stop
done_testing
