#!/bin/sh
# A user whose .qmail says ./Mailbox gets each message appended to that
# mbox by the running instance: a From_ line with the envelope sender,
# Return-Path and Delivered-To, the message with a body line "From ..."
# quoted as ">From ...", and an empty line after it; a second message is
# appended after the first.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
echo ./Mailbox > "$T/u/alice/.qmail"
mta_start
mbox=$T/u/alice/Mailbox
nfrom() { grep -c '^From ' "$mbox" 2>/dev/null; }

printf 'Subject: first\n\nline one\nFrom the start\n' | "$H/bin/inject" -f carol@example.org alice@example.org
ok $? "inject exits 0"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(nfrom)" 1 "the mbox holds one From_ line"
like "$(sed -n 1p "$mbox")" '^From carol@example\.org (Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$' \
  "first line: From_ with the envelope sender and an asctime date"
is "$(sed -n 2p "$mbox")" "Return-Path: <carol@example.org>" "then Return-Path"
is "$(sed -n 3p "$mbox")" "Delivered-To: alice@example.org" "then Delivered-To"
like "$(sed -n 4p "$mbox")" '^Received: \(qmail [0-9]+ invoked by uid [0-9]+\); ' "then queue's Received line"
ok "$(grep -qx 'Subject: first' "$mbox"; echo $?)" "the header is kept"
is "$(grep -c '^>From the start$' "$mbox")" 1 "a body line starting with From is quoted as >From"
is "$(tail -c 17 "$mbox" | od -An -c | tr -s ' ')" "$(printf '>From the start\n\n' | od -An -c | tr -s ' ')" "the message ends with an empty line"
is "$(count_new alice)" 0 "nothing went to the default Maildir"

printf 'Subject: second\n\nline two\n' | "$H/bin/inject" -f carol@example.org alice@example.org
wait_for 10 queue_empty
ok $? "the second message is delivered"
is "$(nfrom)" 2 "the mbox holds two From_ lines"
is "$(grep -c '^Subject: ' "$mbox")" 2 "both messages are in it"
is "$(grep -x 'Subject: .*' "$mbox" | tr '\n' ' ')" "Subject: first Subject: second " "the second after the first"
is "$(tail -n 2 "$mbox" | head -n 1)" "line two" "the mbox ends with the second body"
mta_stop
like "$(cat "$T/log")" 'delivery [0-9]+: success: did_0\+1\+0/' "log: success did_0+1+0/"
done_testing
