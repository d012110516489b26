#!/bin/sh
# Extension addresses: alice-foo@ is handled by ~alice/.qmail-foo (also as
# alice-FOO@), alice-bar-baz@ by ~alice/.qmail-bar-default with
# DEFAULT=baz, plain alice@ by the default delivery, and alice-nope@ (no
# .qmail-nope, no .qmail-default) bounces with qmail's 5.1.1 text.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
instance_new
mta_domain example.org
mta_user alice
mta_user carol
mta_assign
a=$T/u/alice
for d in foo bar; do mkdir -p "$a/$d/new" "$a/$d/cur" "$a/$d/tmp"; done
echo ./foo/ > "$a/.qmail-foo"
printf '|echo "$EXT $DEFAULT" >> default.out\n./bar/\n' > "$a/.qmail-bar-default"
mta_start
n() { find "$a/$1/new" -type f | wc -l; }
send() { printf 'Subject: %s\n\nbody\n' "$1" | "$H/bin/inject" -f carol@example.org "$1@example.org"; }

send alice-foo
send alice-FOO
send alice-bar-baz
send alice
wait_for 15 queue_empty
ok $? "the queue empties"
is "$(n foo)" 2 "alice-foo@ and alice-FOO@ went to ./foo/ through .qmail-foo"
is "$(grep -h '^Subject: ' "$a"/foo/new/* | sort | tr '\n' '|')" "Subject: alice-FOO|Subject: alice-foo|" "  both of them"
is "$(n bar)" 1 "alice-bar-baz@ went to ./bar/ through .qmail-bar-default"
is "$(cat "$a/default.out" 2>&1)" "bar-baz baz" "  with EXT=bar-baz and DEFAULT=baz"
is "$(count_new alice)" 1 "alice@ went to the default ./Maildir/"
is "$(grep -h '^Subject: ' "$a"/Maildir/new/*)" "Subject: alice" "  and only alice@"

send alice-nope
wait_for 10 count_is carol 1
ok $? "alice-nope@ bounces to the sender"
b=$(find "$T/u/carol/Maildir/new" -type f | head -1)
ok "$(grep -q '^Sorry, no mailbox here by that name. (#5.1.1)' "$b"; echo $?)" "  with qmail's text"
ok "$(grep -q 'alice-nope@example.org' "$b"; echo $?)" "  naming the address"
is "$(count_new alice)$(n foo)$(n bar)" 121 "  and nothing more was delivered to alice"
wait_for 10 queue_empty
ok $? "the queue empties"
done_testing
