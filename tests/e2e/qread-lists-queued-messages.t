#!/bin/bash
# qread-lists-queued-messages: messages put in the queue with $H/bin/queue
# and not yet preprocessed are each listed by qread (and qmail-qread) as
#   D Mon YYYY HH:MM:SS GMT  #ID  SIZE  <sender>  not yet preprocessed
#   <TAB>todo<TAB>recipient
# with the date of mess/'s mtime, ID the inode, SIZE mess/'s size with the
# Received line; qstat counts them all as not yet preprocessed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

enqueue() { # enqueue MESSAGE SENDER RCPT...
  msg=$1 sender=$2; shift 2
  { printf 'F%s\0' "$sender"; for r in "$@"; do printf 'T%s\0' "$r"; done; printf '\0'; } > "$T/env"
  printf '%s' "$msg" | "$H/bin/queue" 1<"$T/env"
}

# One block per message, on one line (records joined by |), sorted, so
# that listings compare whatever order the directories are read in.
blocks() { awk '/^[^ \t]/ { if (b != "") print b; b = $0; next } { b = b "|" $0 } END { if (b != "") print b }' | sort; }

enqueue 'Subject: one

first
' alice@example.com bob@example.net joe@localhost 'odd"name'@example.com
ok $? "queue takes message 1"
enqueue 'Subject: two

second
' '' postmaster@localhost
ok $? "queue takes message 2 (a bounce: empty sender)"
enqueue "$(head -c 5000 /dev/zero | tr '\0' x)" carol@example.org "d@e.f"
ok $? "queue takes message 3"

: > "$T/want"
for id in $(ls "$Q/todo"); do
  mess=$Q/mess/$((id % split))/$id
  date=$(date -u -d "@$(stat -c %Y "$mess")" '+%-d %b %Y %H:%M:%S')
  size=$(stat -c %s "$mess")
  # sender and recipients as queue wrote them into todo/
  tr '\0' '\n' < "$Q/todo/$id" > "$T/items"
  sender=$(sed -n 's/^F//p' "$T/items")
  printf '%s GMT  #%s  %s  <%s>  not yet preprocessed\n' "$date" "$id" "$size" "$sender"
  sed -n 's/^T/\ttodo\t/p' "$T/items"
done > "$T/want"
is "$(grep -c '^	todo	' "$T/want")" 5 "the expected listing has the five recipients"

"$H/bin/qread" > "$T/got" 2> "$T/err"
ok $? "qread exits 0"
is "$(cat "$T/err")" "" "qread prints nothing on stderr"
is "$(blocks < "$T/got")" "$(blocks < "$T/want")" "qread lists each message and its recipients exactly"
like "$(cat "$T/got")" '^[1-9][0-9]? [A-Z][a-z]{2} 20[0-9]{2} [0-2][0-9]:[0-5][0-9]:[0-5][0-9] GMT  #[0-9]+  [0-9]+  <' "the date has qmail-qread's shape"
like "$(grep -F 'postmaster@localhost' -B1 "$T/got" | head -1)" '  <>  not yet preprocessed$' "an empty sender shows as <>"
is "$(grep -c . "$T/got")" 8 "three header lines and five recipient lines"
for r in bob@example.net joe@localhost 'odd"name@example.com' postmaster@localhost d@e.f; do
  grep -qxF "	todo	$r" "$T/got" || fail "recipient $r is listed as <TAB>todo<TAB>$r"
done
is "$(grep -c '  <alice@example.com>  not yet preprocessed$' "$T/got")" 1 "the sender given to queue is shown"

"$H/bin/qmail-qread" > "$T/got2"
cmp_files "$T/got2" "$T/got" "qmail-qread is the same program"

is "$("$H/bin/qstat")" "messages in queue: 3
messages in queue but not yet preprocessed: 3" "qstat counts three messages, all not yet preprocessed"
done_testing
