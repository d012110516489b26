#!/bin/bash
# qread-lists-qmail-fixture: a queue entry as qmail 1.03 leaves it
# (tests/fixtures/qmail-queue: mess/, info/, local/, remote/ with qmail's
# bytes; one local and two remote recipients, one of them done), copied
# into an instance queue under the split subdirectories, is listed by
# qread exactly as qmail-qread lists it, and counted by qstat.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
Q=$H/queue
F=$top/tests/fixtures/qmail-queue
split=$(cat "$T/conf/conf-split")
id=1234567
b=$((id % split))

for d in mess info local remote; do
  cp "$F/$d/$id" "$Q/$d/$b/$id" || fail "copy $d/$id"
done
chmod 0644 "$Q/mess/$b/$id"
chmod 0600 "$Q/info/$b/$id" "$Q/local/$b/$id" "$Q/remote/$b/$id"
# qmail-queue wrote the message at 07:08:07; qmail-send wrote info/ two
# seconds later, and qmail-qread shows info/'s time.
touch -d '2024-03-05 07:08:07 UTC' "$Q/mess/$b/$id"
touch -d '2024-03-05 07:08:09 UTC' "$Q/info/$b/$id"
is "$(od -An -c "$Q/remote/$b/$id" | tr -s ' ' | tr -d '\n')" " D b o b @ e x a m p l e . n e t \0 T c a r o l @ e x a m p l e . o r g \0" \
  "the fixture's remote/ holds qmail's bytes: one D record, one T record"

"$H/bin/qread" > "$T/got" 2> "$T/err"
ok $? "qread exits 0"
is "$(cat "$T/err")" "" "qread prints nothing on stderr"
printf '5 Mar 2024 07:08:09 GMT  #1234567  290  <alice@example.com> \n\tlocal\tjoe@example.com\n  done\tremote\tbob@example.net\n\tremote\tcarol@example.org\n' > "$T/want"
cmp_files "$T/got" "$T/want" "qread lists qmail's entry as qmail-qread does"
is "$("$H/bin/qstat")" "messages in queue: 1
messages in queue but not yet preprocessed: 0" "qstat counts it, preprocessed"
done_testing
