#!/bin/sh
# A message from nobody@example.org (no such user) to an address that
# fails for good: its bounce (null sender) fails too, and that double
# bounce goes to doublebounceto@doublebouncehost (default postmaster@me)
# with the envelope sender #@[]; ~alias/.qmail-postmaster forwards it to
# bob. Nobody is ever bounced to at the null sender. When postmaster
# fails too, the triple bounce is discarded with qmail's log line; with an
# empty control/doublebounceto (after HUP) a double bounce is discarded.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_assign
echo '|echo "alice has left. (#5.1.6)"; exit 100' > "$T/u/alice/.qmail"
echo '&bob@example.org' > "$H/alias/.qmail-postmaster"
mta_start
send() { printf 'Subject: %s\n\nbody\n' "$1" | "$H/bin/inject" -f nobody@example.org alice@example.org; }

send "first"
ok $? "inject from nobody@ to alice@ exits 0"
wait_for 15 count_is bob 1
ok $? "the double bounce reaches bob through ~alias/.qmail-postmaster"
wait_for 10 queue_empty
ok $? "the queue empties"
d=$(find "$T/u/bob/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$d")" "Return-Path: <#@[]>" "the double bounce's envelope sender is #@[]"
is "$(sed -n 2p "$d")" "Delivered-To: bob@example.org" "delivered to bob"
is "$(sed -n 4p "$d")" "Delivered-To: postmaster@example.org" "  through postmaster@"
python3 - "$d" <<'PY'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
assert m.get_content_type() == 'multipart/report', m.get_content_type()
text = m.get_payload()[0].get_payload(decode=True).decode()
assert '<nobody@example.org>:' in text, text
assert 'Sorry, no mailbox here by that name. (#5.1.1)' in text, text
hdr = m.get_payload()[2].get_payload()
# the header of the bounce that failed, which went to nobody@
assert 'nobody@example.org' in hdr, hdr
PY
ok $? "it reports that the bounce to nobody@ failed (5.1.1), with that bounce's header"
is "$(count_new alice)" 0 "alice got nothing"
log=$(cat "$T/log")
like "$log" '^info msg [0-9]+: bytes [0-9]+ from <> qp [0-9]+ uid [0-9]+$' "log: the bounce, from <>"
like "$log" '^info msg [0-9]+: bytes [0-9]+ from <#@\[\]> qp [0-9]+ uid [0-9]+$' "log: the double bounce, from <#@[]>"
is "$(grep -c '^bounce msg ' "$T/log")" 2 "log: two bounces (the bounce and the double bounce)"

# postmaster fails too: the double bounce's failure is a triple bounce
echo '|echo "postmaster is away. (#5.2.1)"; exit 100' > "$H/alias/.qmail-postmaster"
send "second"
wait_for 15 log_has '^triple bounce: discarding bounce/[0-9]+$'
ok $? "log: triple bounce: discarding bounce/ID"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(grep -c '^bounce msg ' "$T/log")" 4 "log: the bounce and the double bounce of the second message, no third"
is "$(count_new bob)" 1 "bob got nothing more"

# an empty doublebounceto discards double bounces
echo > "$H/control/doublebounceto"
kill -HUP "$MTA_PID"
sleep 1
send "third"
wait_for 15 log_has '^double bounce: discarding bounce/[0-9]+$'
ok $? "with an empty control/doublebounceto: double bounce: discarding bounce/ID"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(grep -c '^bounce msg ' "$T/log")" 5 "log: only the bounce of the third message"

mta_stop
is "$(grep -Ec '^starting delivery [0-9]+: msg [0-9]+ to (local|remote) [^ ]+$' "$T/log")" "$(grep -c '^starting delivery ' "$T/log")" \
  "every delivery has a non-empty recipient: nobody is bounced to at <>"
is "$(grep -Ec '^starting delivery .* to (local|remote) (#@\[\]|@.*)$' "$T/log")" 0 "no delivery to #@[] or to an empty local part"
done_testing
