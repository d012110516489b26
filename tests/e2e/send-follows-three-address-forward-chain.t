#!/bin/sh
# A forward chain alice -> bob -> carol ("&address" and a bare address in
# .qmail): the message reaches only carol's Maildir, with the original
# envelope sender, and carries three Delivered-To lines, newest first;
# each forward logs qmail-local's did_1+0+0/qp_PID/.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
for u in alice bob carol dave; do mta_user $u; done
mta_assign
echo '&bob@example.org' > "$T/u/alice/.qmail"
printf '# forwarded on\ncarol@example.org\n' > "$T/u/bob/.qmail"
mta_start

printf 'Subject: chain\n\nalong the chain\n' | "$H/bin/inject" -f dave@example.org alice@example.org
ok $? "inject exits 0"
wait_for 15 count_is carol 1
ok $? "carol's Maildir gets the message"
wait_for 10 queue_empty
ok $? "the queue empties"
f=$(find "$T/u/carol/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$f")" "Return-Path: <dave@example.org>" "the original envelope sender is kept"
is "$(grep '^Delivered-To: ' "$f" | tr '\n' '|')" "Delivered-To: carol@example.org|Delivered-To: bob@example.org|Delivered-To: alice@example.org|" \
  "three Delivered-To lines: carol, bob, alice"
# each forward goes through queue again, which adds its Received line
is "$(sed -n 2,7p "$f" | cut -d: -f1 | tr '\n' ' ')" "Delivered-To Received Delivered-To Received Delivered-To Received " \
  "after Return-Path: each Delivered-To above the Received line of its hop"
is "$(tail -n 1 "$f")" "along the chain" "the body is unchanged"
is "$(count_new alice)$(count_new bob)$(count_new dave)" 000 "nothing in alice's, bob's or dave's Maildir"
mta_stop
log=$(cat "$T/log")
is "$(grep -Ec '^delivery [0-9]+: success: did_1\+0\+0/qp_[0-9]+/$' "$T/log")" 2 "log: two forwards, each did_1+0+0/qp_PID/"
is "$(grep -Ec '^new msg [0-9]+$' "$T/log")" 3 "log: three messages (the original and two forwards)"
is "$(grep -Ec '^info msg [0-9]+: bytes [0-9]+ from <dave@example.org> qp [0-9]+ uid [0-9]+$' "$T/log")" 3 "log: all three from <dave@example.org>"
done_testing
