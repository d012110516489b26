#!/bin/sh
# New mail is not stalled behind old work: with a backlog of slow local
# deliveries queued before send starts, a message queued afterwards is
# delivered while most of the backlog still waits, and the backlog is
# then delivered in full. (Behaviour, not speed: the backlog's deliveries
# each take a second, so it cannot be gone when the new message arrives
# unless the new one had to wait for it.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user slow
mta_user bob
mta_assign
echo 5 > "$H/control/concurrencylocal"
echo '|sleep 1; echo x >> "$HOME/done"' > "$T/u/slow/.qmail"

printf 'Fa@example.org\0Tslow@example.org\0\0' > "$T/env-slow"
i=0
while [ $i -lt 60 ]; do
  printf 'Subject: old %s\n\nold\n' $i | "$H/bin/queue" 1< "$T/env-slow" || break
  i=$((i + 1))
done
is "$i" 60 "60 slow messages queued while send is not running"

mta_start
# Two seconds on, the backlog is preprocessed and due: a message that came
# later would come after all of it in time order.
sleep 2
printf 'Fa@example.org\0Tbob@example.org\0\0' > "$T/env-bob"
printf 'Subject: new\n\nnew\n' | "$H/bin/queue" 1< "$T/env-bob"
ok $? "a new message is queued after send started"
wait_for 30 count_is bob 1
ok $? "the new message is delivered"
done_slow=$(cat "$T/u/slow/done" 2>/dev/null | wc -l)
ok "$([ "$done_slow" -lt 30 ]; echo $?)" "it did not wait for the backlog: $done_slow of 60 old deliveries were done"
wait_for 60 queue_empty
ok $? "the whole backlog is delivered afterwards"
is "$(wc -l < "$T/u/slow/done")" 60 "each old message delivered once"
done_testing
