#!/bin/bash
# queue-setuid-names-the-invoker: in a multi-user build (qmail's users),
# install makes queue setuid qmailq, any user can queue through it, and the
# Received line names who did: "invoked by alias" for the alias user,
# "invoked from network" for qmaild, "invoked for bounce" for qmails,
# "invoked by uid N" for anyone else; the u item is the real uid. The
# caller's environment changes nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates qmail's users and runs queue as each"
for c in useradd userdel groupadd groupdel runuser; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser

Q=$H/queue

is "$(stat -c '%U %a' "$H/bin/queue")" "qmailq 4711" "bin/queue is setuid qmailq, mode 4711"
is "$(stat -c '%U %G %a' "$Q")" "qmailq qmail 750" "queue/ is qmailq's, group qmail, 0750: others cannot enter"
printf 'Subject: who\n\nbody\n' > "$T/msg"
printf 'Fa@b\0Tc@d\0\0' > "$T/env"
chmod 644 "$T/msg" "$T/env"

# as USER [ENV...]: queue the message as USER, with the caller's
# environment replaced by ENV; prints queue's exit code.
as() {
  local u=$1; shift
  runuser -u "$u" -- env -i "$@" "$H/bin/queue" < "$T/msg" 1< "$T/env" 2> "$T/err"
  echo $?
}
# newest: sets id to the todo/ entry not seen before (in this shell, not a
# subshell, so that it remembers what it has seen)
declare -A seen
newest() {
  local f
  id=
  for f in "$Q"/todo/*; do f=${f##*/}; [ -n "${seen[$f]}" ] && continue; seen[$f]=1; id=$f; done
}

for c in "alias:invoked by alias" "qmaild:invoked from network" "qmails:invoked for bounce" \
         "nobody:invoked by uid $(id -u nobody)" "qmailr:invoked by uid $(id -u qmailr)"; do
  u=${c%%:*} want=${c#*:}
  is "$(as "$u" HOME=/tmp PATH=/nonexistent QMAILQUEUE=/bin/false)" 0 "$u can queue a message"
  newest
  if [ -z "$id" ]; then fail "$u: a todo/ entry"; continue; fi
  m=$Q/mess/$((id % 23))/$id
  like "$(head -n 1 "$m")" "^Received: \(qmail [0-9]+ $want\); [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} -0000$" \
    "$u: the Received line says \"$want\""
  is "$(head -c 20 "$Q/todo/$id" | tr '\0' ' ' | cut -d' ' -f1)" "u$(id -u "$u")" "$u: the u item is $u's uid"
  is "$(stat -c '%U %a' "$m" "$Q/todo/$id" | sort -u)" "qmailq 644" "$u: mess and todo files are qmailq's, mode 0644"
  is "$(tail -n +2 "$m")" "$(cat "$T/msg")" "$u: the message follows the Received line"
done
is "$(ls -A "$Q/pid")" "" "pid/ is empty"
done_testing
