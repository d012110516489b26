#!/bin/sh
# A .qmail that forwards to its own address: the first delivery forwards
# the message with alice's Delivered-To line; the second finds that line
# and fails with qmail's looping text (#5.4.6). Exactly one bounce reaches
# the sender, nothing reaches alice, and the queue ends empty: no loop.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
echo '&alice@example.org' > "$T/u/alice/.qmail"
mta_start

printf 'Subject: round and round\n\nloop\n' | "$H/bin/inject" -f carol@example.org alice@example.org
ok $? "inject exits 0"
wait_for 15 count_is carol 1
ok $? "a bounce reaches the sender"
wait_for 15 queue_empty
ok $? "the queue empties"
is "$(count_new carol)" 1 "exactly one bounce reached the sender"
is "$(count_new alice)" 0 "nothing reached alice"
b=$(find "$T/u/carol/Maildir/new" -type f | head -1)
is "$(sed -n 1p "$b")" "Return-Path: <>" "the bounce has the null sender"
python3 - "$b" <<'PY'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
text = m.get_payload()[0].get_payload(decode=True).decode()
assert '<alice@example.org>:' in text, text
assert 'This message is looping: it already has my Delivered-To line. (#5.4.6)' in text, text
st = m.get_payload()[1].get_payload()[1]['Status'].strip()
assert st == '5.4.6', st
hdr = m.get_payload()[2].get_payload()
assert 'Delivered-To: alice@example.org' in hdr, hdr
assert 'Subject: round and round' in hdr, hdr
PY
ok $? "the bounce names alice@ with the looping text, Status 5.4.6, and the looped header with its Delivered-To"
mta_stop
is "$(grep -c '^new msg ' "$T/log")" 3 "log: three messages in all: the original, one forward, one bounce"
like "$(cat "$T/log")" '^delivery [0-9]+: failure: This_message_is_looping:_it_already_has_my_Delivered-To_line._\(#5\.4\.6\)/$' "log: the looping failure"
is "$(grep -c '^bounce msg ' "$T/log")" 1 "log: one bounce"
done_testing
