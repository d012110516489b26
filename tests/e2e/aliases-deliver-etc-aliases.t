#!/bin/bash
# aliases-deliver-etc-aliases: an administrator's /etc/aliases, compiled by
# newaliases and delivered by ~alias/.qmail-default running bin/aliases
# (fastforward's job): a list of three users (with owner-LIST, whose
# address becomes the sender of the copies), an alias of an alias, a
# :include: list, a |program and a /file target, matched without regard
# to case. Every target gets exactly one copy; an unknown name and an
# alias loop bounce to the sender. A syntax error is reported with its
# file and line, exits 100 and leaves the old cdb in place.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
instance_new
mta_domain example.org
for u in alice bob carol dave erin sam; do mta_user $u; done
mta_assign

printf '# the friends list\ndave\n\nerin@example.org\n' > "$T/friends.list"
cat > "$T/aliases" <<EOF
# /etc/aliases, as a Debian system ships it and an administrator edits it
abuse: root
root:	alice

# a list, continued on an indented line
staff: alice, bob,
	carol@example.org
owner-staff: erin
friends: :include:$T/friends.list
"prog-log": "|cat > $T/prog.out"
arch: $T/archive.mbox
loop1: loop2
loop2: loop1
EOF
"$H/bin/newaliases" -f "$T/aliases" 2> "$T/err"
is "$?" 0 "newaliases compiles the file"
is "$(cat "$T/err")" "" "  silently"
ok "$([ -s "$T/aliases.cdb" ]; echo $?)" "  into aliases.cdb beside it"
ok "$([ ! -e "$T/aliases.cdb.tmp" ]; echo $?)" "  leaving no temporary file"
echo "|$H/bin/aliases $T/aliases.cdb" > "$H/alias/.qmail-default"
mta_start

send() { printf 'Subject: %s\n\nto %s\n' "$2" "$1" | "$H/bin/inject" -f sam@example.org "$1"; }
send Staff@example.org list
send abuse@example.org chain
send friends@example.org include
send prog-log@example.org program
send arch@example.org file
send nosuch@example.org unknown
send loop1@example.org loop
all_done() { count_is alice 2 && count_is bob 1 && count_is carol 1 && count_is dave 1 && count_is erin 1 && count_is sam 2 && queue_empty; }
wait_for 20 all_done
ok $? "everything delivered or bounced and the queue empty"
for u in alice:2 bob:1 carol:1 dave:1 erin:1 sam:2; do
  is "$(count_new ${u%:*})" "${u#*:}" "${u%:*} has ${u#*:} message(s)"
done
msg() { grep -l "^Subject: $2\$" "$T/u/$1/Maildir/new/"* | head -1; }
for u in alice bob carol; do
  f=$(msg $u list)
  ok "$([ -n "$f" ]; echo $?)" "the list message reached $u"
done
is "$(grep '^Return-Path:' "$(msg bob list)")" "Return-Path: <owner-staff@example.org>" "the list's copies carry owner-staff as sender"
is "$(grep '^Delivered-To:' "$(msg alice chain)" | tr '\n' '|')" "Delivered-To: alice@example.org|Delivered-To: root@example.org|Delivered-To: abuse@example.org|" \
  "abuse -> root -> alice: each hop's Delivered-To line"
is "$(grep '^Return-Path:' "$(msg alice chain)")" "Return-Path: <sam@example.org>" "  keeping the sender"
ok "$([ -n "$(msg dave include)" ] && [ -n "$(msg erin include)" ]; echo $?)" ":include: list: dave and erin each got it"
is "$(tail -n 1 "$T/prog.out" 2>/dev/null)" "to prog-log@example.org" "|program got the message on its stdin"
like "$(head -n 1 "$T/archive.mbox" 2>/dev/null)" '^From sam@example.org ' "/file: an mbox entry with its From_ line"
is "$(grep -c '^Subject: file$' "$T/archive.mbox" 2>/dev/null)" 1 "  holding the message once"
b=$(grep -l 'unknown' "$T/u/sam/Maildir/new/"* | head -1)
like "$(cat "$b" 2>/dev/null)" 'Sorry, no mailbox here by that name' "an unknown alias bounces: no mailbox here by that name"
b=$(grep -l 'looping' "$T/u/sam/Maildir/new/"* | head -1)
like "$(cat "$b" 2>/dev/null)" 'loop1@example.org' "an alias loop (loop1 -> loop2 -> loop1) bounces as looping"
like "$(cat "$T/log")" 'success: alias_Staff:_did_3\+0\+0_qp_[0-9]+/' "send's log shows the alias delivery's report"

# A syntax error: file and line, exit 100, the old cdb kept.
cp "$T/aliases.cdb" "$T/old.cdb"
printf 'good: alice\nbad line without colon\n' >> "$T/aliases"
"$H/bin/newaliases" -f "$T/aliases" 2> "$T/err"
is "$?" 100 "a syntax error: exit 100"
is "$(cat "$T/err")" "newaliases: fatal: $T/aliases:15: no colon after the alias name: bad line without colon" "  named with file and line"
cmp_files "$T/aliases.cdb" "$T/old.cdb" "  the old cdb is untouched"
printf 'x: "unclosed\n' > "$T/a2"
"$H/bin/newaliases" -f "$T/a2" 2> "$T/err"
is "$?" 100 "an unclosed quote: exit 100"
like "$(cat "$T/err")" "$T/a2:1: unclosed quote" "  with its line"
ok "$([ ! -e "$T/a2.cdb" ]; echo $?)" "  and no cdb written"
printf 'ok: alice\nlist: bob,\n  :include:%s/missing\n' "$T" > "$T/a3"
"$H/bin/newaliases" -f "$T/a3" 2> "$T/err"
is "$?" 100 "a missing :include: file: exit 100"
is "$(cat "$T/err")" "newaliases: fatal: $T/a3:3: unable to read :include: file $T/missing: No such file or directory" \
  "  named with the line of the :include:"
mta_stop

# Run by hand: -n shows what would be done, -p passes unknown names on.
al() { (cd "$H/alias" && env -i PATH="$PATH" LOCAL="$1" HOST=example.org SENDER=sam@example.org "$H/bin/aliases" "${@:2}" "$T/aliases.cdb" < /dev/null); }
is "$(al STAFF -n | tr '\n' '|')" "sender owner-staff@example.org|forward alice@example.org|forward bob@example.org|forward carol@example.org|alias STAFF: did 3+0+0|" \
  "-n: the sender and each forward, nothing delivered"
al nosuch -p > "$T/out"
is "$?" 0 "-p: an unknown name exits 0 (the next .qmail line runs)"
al nosuch > "$T/out"
is "$?" 100 "without -p: exit 100"
rm "$T/aliases.cdb"
al staff > "$T/out"
is "$?" 111 "no database: exit 111 (a temporary failure)"
like "$(cat "$T/out")" "run newaliases" "  saying to run newaliases"
done_testing
