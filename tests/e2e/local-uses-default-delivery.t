#!/bin/bash
# local-uses-default-delivery: without a .qmail (or with an empty one) the
# defaultdelivery argument is the instructions, one per line as in
# qmail-start's argument; a .qmail replaces it. local -n prints the
# deliveries it would make (qmail-local -n) and makes none.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp" "$home/Other/cur" "$home/Other/new" "$home/Other/tmp"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: default\n\nbody\n' > "$msg"
run() { # run DEFAULTDELIVERY [-n]
  out=$("$T/bin/local" $2 "$me" "$home" joe "" "" example.org ann@example.net "$1" < "$msg" 2> "$T/err")
  rc=$?
}
count() { ls "$home/$1/new" | wc -l; }

run ./Maildir/
is "$rc" 0 "no .qmail: the default delivery ./Maildir/ is used"
is "$(count Maildir)" 1 "  one message in ./Maildir/new"
{ printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
cmp_files "$home/Maildir/new/$(ls "$home/Maildir/new")" "$T/want" "  with the right bytes"

run "./Maildir/
./Mailbox
# a comment"
is "$rc" 0 "a default delivery of several lines"
is "$out" "did 0+2+0" "  report did 0+2+0"
is "$(count Maildir)" 2 "  Maildir got it"
ok $(grep -q '^Subject: default$' "$home/Mailbox"; echo $?) "  and ./Mailbox too"

: > "$home/.qmail"; chmod 644 "$home/.qmail"
run ./Other/
is "$rc" 0 "an empty .qmail: the default delivery is used"
is "$(count Other)" 1 "  into ./Other/"

printf './Maildir/\n' > "$home/.qmail"
run ./Other/
is "$rc" 0 "a .qmail with content: it replaces the default delivery"
is "$(count Other)" 1 "  ./Other/ got nothing more"
is "$(count Maildir)" 3 "  ./Maildir/ got it"

run "./Maildir/ junk"
is "$rc" 0 "the default delivery is not read when .qmail exists (a bad one is not noticed)"
rm "$home/.qmail"
run "<bad>"
is "$rc" 111 "a default delivery that is none of the forms defers"
is "$out" "Uh-oh: the default delivery line 1 is not a delivery instruction. (#4.2.1)" "  naming it"

# -n: what would happen, nothing done.
printf '# all kinds\n./Maildir/\n./Mailbox\n|preline procmail\n&fwd@example.com\nother@example.net\n' > "$home/.qmail"
n=$(count Maildir); size=$(stat -c %s "$home/Mailbox")
run ./Other/ -n
is "$rc" 0 "local -n exits 0"
is "$out" "maildir ./Maildir/
mbox ./Mailbox
program preline procmail
forward fwd@example.com
forward other@example.net
did 2+2+1" "  and prints each delivery, then the counts"
is "$(count Maildir)" "$n" "  no Maildir delivery"
is "$(stat -c %s "$home/Mailbox")" "$size" "  no mbox delivery"
is "$(ls "$H/queue/todo" | wc -l)" 0 "  nothing queued"
printf '%s\nDelivered-To: joe@example.org\n\nbody\n' "Received: x" > "$msg"
run ./Other/ -n
is "$rc" 0 "local -n does not check for loops (as qmail-local -n)"
done_testing
