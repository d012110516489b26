#!/bin/bash
# lspawn-delivers-to-maildir: lspawn with the real local, driven over its
# pipes as send drives it: a request for a user of users/assign puts the
# queued message into that user's Maildir and is answered K; 20 requests
# at once give 20 K results and 20 messages; an address no user owns
# (it reaches the alias user, who has no .qmail for it) is answered D with
# qmail's "no mailbox" text and #5.1.1; end of input ends lspawn with 0.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
shopt -s lastpipe
instance_new
for p in newu local; do [ -x "$T/bin/$p" ] || { echo "Bail out! no $p"; exit 1; }; done
me=$(id -un) uid=$(id -u) gid=$(id -g)
mkdir -p "$T/alice/Maildir/new" "$T/alice/Maildir/cur" "$T/alice/Maildir/tmp"
cat > "$H/users/assign" <<EOF
=alice:$me:$uid:$gid:$T/alice:::
.
EOF
"$T/bin/newu" || { echo "Bail out! newu failed"; exit 1; }

printf 'Subject: to alice\n\nhello alice\n' > "$T/msg"
printf 'Fsender@example.org\0Talice@example.org\0\0' > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" || { echo "Bail out! queue failed"; exit 1; }
id=$(ls "$H/queue/todo")
mess=$H/queue/mess/$((id % ${CAIRN_SPLIT:-23}))/$id

req() { printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "$4"; }
run() {
  (cd / && "$T/bin/lspawn" ./Maildir/) > "$T/out" 2> "$T/err"
  rc=$?
  # one result a line: SLOT STATUS TEXT, the text's newlines shown as /
  tr '\n\0' '/\n' < "$T/out" | paste -d '\t' - - | sed 's/\t/ /; s/^\([0-9]*\) \(.\)/\1 \2 /' > "$T/res"
}

req 0 "$id" sender@example.org alice@example.org | run
is "$rc" 0 "lspawn exits 0 at end of input"
is "$(cat "$T/err")" "" "nothing on stderr"
like "$(cat "$T/res")" '^0 K ' "delivery to alice: K"
files=$(ls "$T/alice/Maildir/new")
is "$(echo "$files" | grep -c .)" 1 "one message in alice's Maildir/new"
f=$T/alice/Maildir/new/$(echo "$files" | head -1)
{ printf 'Return-Path: <sender@example.org>\nDelivered-To: alice@example.org\n'; cat "$mess"; } > "$T/want"
cmp_files "$f" "$T/want" "the Maildir file is Return-Path, Delivered-To and the queued message"

for i in $(seq 0 19); do req "$i" "$id" sender@example.org alice@example.org; done | run
is "$rc" 0 "20 requests at once: exit 0"
is "$(grep -c '^[0-9]* K ' "$T/res")" 20 "20 K results"
is "$(cut -d' ' -f1 "$T/res" | sort -n | tr '\n' ' ')" "$(seq 0 19 | tr '\n' ' ')" "one result per slot"
is "$(ls "$T/alice/Maildir/new" | wc -l)" 21 "20 more messages in alice's Maildir/new"

req 3 "$id" sender@example.org nosuchuser@example.org | run
is "$rc" 0 "unknown address: exit 0"
like "$(cat "$T/res")" '^3 D Sorry, no mailbox here by that name\. \(#5\.1\.1\)' "unknown address: D with #5.1.1"

done_testing
