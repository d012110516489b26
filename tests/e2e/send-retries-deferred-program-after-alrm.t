#!/bin/sh
# A .qmail program that exits 111 defers the delivery: send logs a
# deferral with the program's text, the message stays queued (qread lists
# the recipient) and nothing is delivered, and no retry comes by itself
# within seconds (the first local retry is ~100 s after arrival). Once the
# program succeeds, ALRM makes send retry at once: the message is
# delivered exactly once and the queue empties.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
cat > "$T/u/alice/.qmail" <<EOF
|test -f $T/flag || { echo "not ready yet"; exit 111; }; echo run >> $T/runs
./Maildir/
EOF
mta_start

printf 'Subject: later\n\nwhen ready\n' | "$H/bin/inject" -f carol@example.org alice@example.org
ok $? "inject exits 0"
wait_for 10 log_has '^delivery [0-9]+: deferral: not_ready_yet/$'
ok $? "log: delivery N: deferral: not_ready_yet/"
queued alice@example.org
ok $? "qread lists alice@example.org still to do"
is "$("$H/bin/qstat" | sed -n '1s/.*: //p')" 1 "qstat counts one message"
is "$(count_new alice)" 0 "nothing delivered"

touch "$T/flag"
sleep 2
is "$(grep -c '^starting delivery ' "$T/log")" 1 "no retry without ALRM within 2 s"
is "$(count_new alice)" 0 "still nothing delivered"
mta_alrm
wait_for 10 count_is alice 1
ok $? "after ALRM the message is delivered"
wait_for 10 queue_empty
ok $? "the queue empties"
is "$(count_new alice)" 1 "exactly one delivery"
is "$(cat "$T/runs")" "run" "the program ran to success once"
is "$(tail -n 1 "$(find "$T/u/alice/Maildir/new" -type f | head -1)")" "when ready" "the message is intact"
mta_stop
is "$(grep -c '^starting delivery ' "$T/log")" 2 "log: two attempts in all"
like "$(cat "$T/log")" '^delivery [0-9]+: success: did_0\+1\+1/$' "log: then success did_0+1+1/"
is "$(count_new carol)" 0 "no bounce"
done_testing
