#!/bin/bash
# qread-reports-broken-entries: a corrupt or oversized queue file costs only
# its own message: qread lists every other message, names the broken one
# and its file on stderr ("qread: warning: trouble with #ID: FILE: reason")
# and exits 111. A queue directory that cannot be read is fatal for qread
# and qstat alike: exit 111 with a message naming the directory.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

ids=
: > "$T/seen"
for i in 1 2 3 4; do
  printf 'Fs%d@example.org\0Tr%d@example.net\0\0' $i $i > "$T/env"
  printf 'message %d\n' $i | "$H/bin/queue" 1<"$T/env" || fail "queue message $i"
  ls "$Q/todo" | sort > "$T/now"
  ids="$ids $(comm -13 "$T/seen" "$T/now")"
  mv "$T/now" "$T/seen"
done
set -- $ids
good=$1 bad=$2 huge=$3 other=$4
is "$#" 4 "four messages queued, each with its own id"

# bad: preprocessed, with a record type qmail never writes in remote/
b=$((bad % split))
printf 'Fs@example.org\0' > "$Q/info/$b/$bad"
printf 'Tr@example.net\0Xoops\0' > "$Q/remote/$b/$bad"
rm "$Q/todo/$bad" "$Q/intd/$bad"
# huge: a todo/ file of 17 MB (sparse), over what qread will read
rm "$Q/todo/$huge"
truncate -s 17M "$Q/intd/$huge"
ln "$Q/intd/$huge" "$Q/todo/$huge"

"$H/bin/qread" > "$T/got" 2> "$T/err"
is $? 111 "qread exits 111 when an entry could not be read"
is "$(grep -c '^[^ 	]' "$T/got")" 2 "the two good messages are listed"
like "$(cat "$T/got")" "#$good  .*<s1@example.org>" "the first good one"
like "$(cat "$T/got")" "#$other  .*<s4@example.org>" "the last good one"
is "$(grep "#$bad:" "$T/err")" "qread: warning: trouble with #$bad: remote/$b/$bad: Bad message" \
  "the corrupt one is named with its file"
is "$(grep "#$huge:" "$T/err")" "qread: warning: trouble with #$huge: todo/$huge: File too large" \
  "the oversized one is named with its file"
is "$(wc -l < "$T/err")" 2 "nothing else on stderr"

mv "$Q/mess/5" "$Q/mess-5"
"$H/bin/qread" > "$T/got" 2> "$T/err"
is $? 111 "qread exits 111 when a mess/ subdirectory is missing"
is "$(grep -v warning "$T/err")" "qread: fatal: unable to read $Q/mess/5: No such file or directory" "and names it"
"$H/bin/qstat" > "$T/got" 2> "$T/err"
is $? 111 "qstat exits 111 too"
is "$(cat "$T/err")" "qstat: fatal: unable to read $Q/mess/5: No such file or directory" "and names it"
is "$(cat "$T/got")" "" "qstat prints no count it could not make"
mv "$Q/mess-5" "$Q/mess/5"

mv "$Q" "$Q.away"
"$H/bin/qread" > /dev/null 2> "$T/err"
is $? 111 "qread exits 111 without a queue directory"
is "$(cat "$T/err")" "qread: fatal: unable to chdir to $H/queue: No such file or directory" "and says so"
mv "$Q.away" "$Q"
done_testing
