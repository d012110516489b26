#!/bin/bash
# qstat-counts-queue-and-todo: qstat (and qmail-qstat) prints exactly
#   messages in queue: N
#   messages in queue but not yet preprocessed: M
# with N the messages in mess/ and M those in todo/, as they change when
# send preprocesses and finishes messages.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

is "$("$H/bin/qstat")" "messages in queue: 0
messages in queue but not yet preprocessed: 0" "an empty queue"
ok $? "qstat exits 0"

printf 'Fs@example.org\0Tr@example.net\0\0' > "$T/env"
for i in $(seq 1 25); do
  printf 'message %d\n' $i | "$H/bin/queue" 1<"$T/env" || fail "queue message $i"
done
is "$("$H/bin/qstat")" "messages in queue: 25
messages in queue but not yet preprocessed: 25" "25 queued, none preprocessed"

# Preprocess ten as send does: info/ and remote/ made, todo/ and intd/ gone.
n=0
for id in $(ls "$Q/todo" | sort -n | head -10); do
  b=$((id % split))
  printf 'Fs@example.org\0' > "$Q/info/$b/$id"
  printf 'Tr@example.net\0' > "$Q/remote/$b/$id"
  rm "$Q/todo/$id" "$Q/intd/$id"
  echo "$id" >> "$T/pre"
done
is "$("$H/bin/qstat")" "messages in queue: 25
messages in queue but not yet preprocessed: 15" "ten preprocessed"

# Finish five of those: every file of the message removed.
for id in $(head -5 "$T/pre"); do
  b=$((id % split))
  rm "$Q/remote/$b/$id" "$Q/info/$b/$id" "$Q/mess/$b/$id"
done
# A file that is not a message (an editor's leftover) is not counted.
: > "$Q/mess/0/.swp"
: > "$Q/todo/notanid"
is "$("$H/bin/qmail-qstat")" "messages in queue: 20
messages in queue but not yet preprocessed: 15" "five finished; qmail-qstat says the same"
is "$(find "$Q/mess" -type f -name '[0-9]*' | wc -l)" 20 "(find agrees: 20 mess files)"
done_testing
