#!/bin/sh
# send preprocesses a todo/ backlog found at start no faster than it
# delivers: with 1,500 entries waiting and deliveries slowed down (a
# program that sleeps before each Maildir delivery, concurrencylocal 5),
# the log never shows more than about 134 messages preprocessed ("info
# msg") and not yet started ("starting delivery"): sched_aheadmax, 20 + 2 x
# (5 local + 20 remote) = 70 due and waiting for a slot, plus the 64 whose
# todo/ clean may still be removing. Without the pacing send preprocessed
# the whole backlog ahead of the deliveries, each message with new files
# and as many unlinks when it ended. New mail is not held by it, and the
# whole backlog is delivered once, in full.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
N=1500
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_assign
echo 5 > "$H/control/concurrencylocal"
echo 20 > "$H/control/concurrencyremote"

mta_backlog $N alice@example.org
# each of alice's deliveries takes at least 20 ms: 5 at a time, at most
# 250 a second, far slower than send preprocesses
printf '|sleep 0.02\n./Maildir/\n' > "$T/u/alice/.qmail"
is "$(ls "$H/queue/todo" | wc -l)" $N "$N entries wait in todo/ before send starts"

mta_start
atleast() { [ "$(count_new alice)" -ge "$1" ]; }
wait_for 60 atleast 300
ok $? "the backlog's deliveries are under way"
printf 'Subject: new\n\nnew\n' | "$H/bin/inject" -f a@example.org bob@example.org
ok $? "a new message is queued while the backlog drains"
wait_for 30 count_is bob 1
ok $? "the new message is delivered"
left=$(ls "$H/queue/todo" | wc -l)
ok "$([ "$left" -gt 0 ]; echo $?)" "before the backlog is through ($left entries still in todo/)"
wait_for 120 count_is alice $N
ok $? "the whole backlog is delivered"
wait_for 30 queue_empty
ok $? "and the queue empties"
mta_stop

# the most messages preprocessed and not yet started at any point of the log
ahead=$(awk '
  /^info msg / { id = $3; sub(":", "", id); if (!(id in pre)) { pre[id] = 1; n++ } }
  /^starting delivery / { id = $5; if ((id in pre) && !(id in started)) { started[id] = 1; n-- } }
  { if (n > max) max = n }
  END { print max + 0 }' "$T/log")
diag "at most $ahead messages preprocessed ahead of their deliveries"
ok "$([ "$ahead" -ge 20 ] && [ "$ahead" -le 140 ]; echo $?)" "preprocessing kept within 140 messages of the deliveries (most: $ahead)"
is "$(grep -c '^info msg ' "$T/log")" $((N + 1)) "every entry was preprocessed once"
is "$(grep -c '^end msg ' "$T/log")" $((N + 1)) "every message ended once"
is "$(count_new alice)" $N "alice has each backlog message once"
done_testing
