#!/bin/sh
# send keeps the info/, local/ and remote/ files of finished messages as
# spares (info/spare.K, send(8)) and writes the next message's files over
# them: after a message to many long addresses, messages to one short
# address each never reach an address of the first, the spares stay out
# of qread's and qstat's view, and removing them by hand changes nothing.
# (tests/unit/todo-over-spares.c checks the bytes of a rewritten spare.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
instance_new
mta_domain example.org
mta_user alice
mta_user bob
mta_assign
a=$T/u/alice
for i in 1 2 3 4 5 6; do
  d=box$i
  mkdir -p "$a/$d/new" "$a/$d/cur" "$a/$d/tmp"
  echo "./$d/" > "$a/.qmail-a-rather-long-extension-number-$i"
done
mta_start
boxes() { for i in 1 2 3 4 5 6; do find "$a/box$i/new" -type f | wc -l; done | tr '\n' ' '; }
rcpts=
for i in 1 2 3 4 5 6; do rcpts="$rcpts alice-a-rather-long-extension-number-$i@example.org"; done
printf 'Subject: many\n\nto six\n' | "$H/bin/inject" -f carol@example.org $rcpts
wait_for 15 queue_empty
ok $? "the message to six addresses is delivered"
is "$(boxes)" "1 1 1 1 1 1 " "  once to each"
ok "$(ls "$H/queue/info" | grep -q '^spare\.'; echo $?)" "its finished files became spares in info/"
spares=$(ls "$H/queue/info" | grep -c '^spare\.')
diag "$spares spares in info/"

for i in 1 2 3 4 5; do
  printf 'Subject: short %s\n\nto bob\n' $i | "$H/bin/inject" -f carol@example.org bob@example.org
done
wait_for 15 count_is bob 5
ok $? "five messages to bob are delivered"
wait_for 15 queue_empty
ok $? "the queue empties"
is "$(boxes)" "1 1 1 1 1 1 " "  and none reached an address of the first message"
is "$(count_new alice)" 0 "  nor alice's default Maildir"
is "$(grep -c '^new msg ' "$T/log")" 6 "six messages were preprocessed"
is "$(grep -c '^end msg ' "$T/log")" 6 "  and six ended"
ok "$(grep -Eq 'warning|alert' "$T/log"; [ $? = 1 ]; echo $?)" "  with no warning in the log"
is "$("$H/bin/qread" | wc -l)" 0 "qread lists nothing"
is "$("$H/bin/qstat" | sed -n '1s/.*: //p')" 0 "qstat counts no message"
ok "$([ "$(ls "$H/queue/info" | grep -c '^spare\.')" -ge 1 ]; echo $?)" "spares are still there"

rm -f "$H/queue/info"/spare.*
printf 'Subject: after\n\nto bob\n' | "$H/bin/inject" -f carol@example.org bob@example.org
wait_for 15 count_is bob 6
ok $? "with the spares removed by hand, mail is still delivered"
wait_for 15 queue_empty
ok $? "  and the queue empties"
mta_stop
done_testing
