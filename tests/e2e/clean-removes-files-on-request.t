#!/bin/bash
# clean-removes-files-on-request: clean (qmail-clean) reads requests on
# fd 0 and answers one byte each on fd 1:
#   "todo/ID" NUL -> removes intd/ID and todo/ID, answers +
#   "foop/ID" NUL -> removes intd/ID and mess/B/ID, answers +
#   files already gone are fine (+); a request it cannot parse gets x and
#   changes nothing; a removal that fails (not ENOENT) gets !.
# It answers each request in order (the answers to what one read brought
# in one write), and exits 0 at end of input.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
split=$(cat "$T/conf/conf-split")

printf 'Fs@example.org\0Tr@example.net\0\0' > "$T/env"
: > "$T/seen"
ids=
for i in 1 2 3; do
  printf 'message %d\n' $i | "$H/bin/queue" 1<"$T/env" || fail "queue message $i"
  ls "$Q/todo" | sort > "$T/now"
  ids="$ids $(comm -13 "$T/seen" "$T/now")"
  mv "$T/now" "$T/seen"
done
set -- $ids
a=$1 b=$2 c=$3
messa=$Q/mess/$((a % split))/$a messb=$Q/mess/$((b % split))/$b messc=$Q/mess/$((c % split))/$c

# One request at a time, as send asks: each answered before the next.
coproc CL { exec "$H/bin/clean" 2> "$T/err"; }
clpid=$CL_PID   # bash unsets CL_PID as soon as the coprocess ends
ask() { printf '%s\0' "$1" >&"${CL[1]}"; ans=; read -r -N1 -t 10 ans <&"${CL[0]}"; printf '%s' "$ans"; }
is "$(ask "todo/$a")" "+" "todo/ID answers +"
ok "$([ ! -e "$Q/todo/$a" ] && [ ! -e "$Q/intd/$a" ]; echo $?)" "todo/ID removed intd/ID and todo/ID"
ok "$([ -f "$messa" ]; echo $?)" "todo/ID left mess/ alone"
is "$(ask "foop/$a")" "+" "foop/ID answers +"
ok "$([ ! -e "$messa" ]; echo $?)" "foop/ID removed mess/B/ID"
is "$(ask "foop/$a")" "+" "foop/ID again, everything already gone: +"
is "$(ask "todo/99999999999")" "+" "todo/ of an id that never was: +"
is "$(ask "foop/$c")" "+" "foop/ID while todo/ID still exists: +"
ok "$([ ! -e "$messc" ] && [ ! -e "$Q/intd/$c" ] && [ -e "$Q/todo/$c" ]; echo $?)" "foop/ removed mess/ and intd/ only (todo/ is not its business)"
exec {CL[1]}>&-
wait "$clpid"
is $? 0 "clean exits 0 at end of input"
is "$(cat "$T/err")" "" "and printed nothing on stderr"

# Garbage, all in one write: each gets x, and b's files stay.
long=$(head -c 150 /dev/zero | tr '\0' 7)
printf 'junk\0todo/\0foop/12a\0mess/%s\0../todo/%s\0todo/%s\0foop/-1\0todo/18446744073709551616\0' "$b" "$b" "$long" > "$T/req"
printf 'FOOP/%s\0foop/%s \0\0' "$b" "$b" >> "$T/req"
"$H/bin/clean" < "$T/req" > "$T/ans" 2>&1
is $? 0 "clean exits 0 after garbage"
is "$(cat "$T/ans")" "xxxxxxxxxxx" "eleven malformed requests, eleven x"
ok "$([ -f "$messb" ] && [ -f "$Q/intd/$b" ] && [ -f "$Q/todo/$b" ]; echo $?)" "and no file was removed"

# Requests written without waiting (as send writes them) are answered
# all, in order, even 10,000 empty ones that come in reads full of NULs.
head -c 10000 /dev/zero > "$T/req"
"$H/bin/clean" < "$T/req" > "$T/ans" 2>/dev/null
is "$(wc -c < "$T/ans" | tr -d ' '):$(tr -d x < "$T/ans" | wc -c | tr -d ' ')" "10000:0" "10,000 empty requests in a row, 10,000 x"

# A request cut short at end of input is not answered.
printf 'todo/%s' "$b" | "$H/bin/clean" > "$T/ans"
is "$?:$(cat "$T/ans")" "0:" "an unterminated request: no answer, exit 0"
ok "$([ -f "$Q/todo/$b" ]; echo $?)" "and todo/ID is still there"

# A removal that fails: todo/ID is a directory (unlink gives EISDIR).
rm "$Q/todo/$b"; mkdir "$Q/todo/$b"
printf 'todo/%s\0foop/%s\0' "$b" "$b" | "$H/bin/clean" > "$T/ans" 2> "$T/err"
is "$(cat "$T/ans")" "!+" "unlink failing with EISDIR answers !, the next request still +"
like "$(cat "$T/err")" "^clean: warning: unable to remove the files of todo/$b: Is a directory" "and clean says which"
rmdir "$Q/todo/$b"
ok "$([ ! -e "$messb" ] && [ ! -e "$Q/intd/$b" ]; echo $?)" "foop/ removed b's message"

# Many requests in one read are removed several at once (cleanpool.h)
# and still answered in order, one byte each: 40 entries' todo/ requests,
# a malformed one after the 20th, and the 10th failing (a directory).
# (The entries may take spares, so ids seen earlier can come back.)
ls "$Q/todo" | sort > "$T/seen"
for i in $(seq 1 40); do
  printf 'batch %d\n' $i | "$H/bin/queue" 1<"$T/env" || fail "queue batch message $i"
done
ls "$Q/todo" | sort > "$T/now"
comm -13 "$T/seen" "$T/now" > "$T/batch"
is "$(wc -l < "$T/batch" | tr -d ' ')" 40 "40 more entries queued"
req= want= i=0
while read -r id; do
  i=$((i + 1))
  if [ $i = 10 ]; then bad=$id; rm "$Q/todo/$id"; mkdir "$Q/todo/$id"; want="$want!"; else want="$want+"; fi
  req="${req}todo/$id\\0"
  [ $i = 20 ] && { req="${req}todo/x\\0"; want="${want}x"; }
done < "$T/batch"
printf "$req" | "$H/bin/clean" > "$T/ans" 2> "$T/err"
is "$?:$(cat "$T/ans")" "0:$want" "42 requests in one write: 42 answers, in order"
is "$(grep -c . "$T/err")" 1 "one warning"
like "$(cat "$T/err")" "^clean: warning: unable to remove the files of todo/$bad: Is a directory" "  about the one that failed, with its reason"
left=0
while read -r id; do
  [ "$id" = "$bad" ] && continue
  { [ -e "$Q/todo/$id" ] || [ -e "$Q/intd/$id" ]; } && left=$((left + 1))
done < "$T/batch"
is "$left" 0 "the other 39 entries' todo/ and intd/ are gone"
ok "$([ -d "$Q/todo/$bad" ]; echo $?)" "the directory in the way is left alone"
rmdir "$Q/todo/$bad"

"$H/bin/qmail-clean" < /dev/null
is $? 0 "qmail-clean is the same program"
done_testing
