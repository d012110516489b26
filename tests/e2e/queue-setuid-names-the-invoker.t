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

T=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
chmod 755 "$T"
H=$T/home

# qmail's groups and users, made here when the system lacks them
for g in qmail nofiles; do
  getent group $g > /dev/null && continue
  groupadd -r $g || { echo "Bail out! groupadd $g failed"; exit 1; }
  at_exit "groupdel $g"
done
for u in alias:nofiles qmaild:nofiles qmaill:nofiles qmailp:nofiles qmailq:qmail qmailr:qmail qmails:qmail; do
  n=${u%%:*}
  getent passwd $n > /dev/null && continue
  useradd -r -M -d /nonexistent -s /usr/sbin/nologin -g ${u#*:} $n || { echo "Bail out! useradd $n failed"; exit 1; }
  at_exit "userdel $n"
done

mkdir "$T/conf"
echo "$H" > "$T/conf/conf-home"
echo 23 > "$T/conf/conf-split"
printf '%s\n' alias qmaild qmaill qmailp qmailq qmailr qmails qmail nofiles > "$T/conf/conf-users"
make -s -C "$top" progs O="$O" B="$T/bin" CONF="$T/conf" EXTRA="${CAIRN_EXTRA:-}" > "$T/build.log" 2>&1 \
  || { echo "Bail out! cannot build: $(tail -5 "$T/build.log")"; exit 1; }
grep -q 'auto_singleuser = 0' "$T/bin/auto.c" || { echo "Bail out! the build is single-user"; exit 1; }
"$T/bin/install" "$T/bin" || { echo "Bail out! install failed"; exit 1; }
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
