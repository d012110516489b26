#!/bin/bash
# local-bounces-looping-mail: a message whose header already has this
# delivery's Delivered-To line is bounced (100) with qmail's text and
# #5.4.6, and nothing is delivered; so is one with more than 100 Received
# and Delivered-To lines ("too many hops"). A .qmail forwarding to itself
# is caught at the second delivery. Near misses are delivered.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
chmod 755 "$home"
printf './Maildir/\n' > "$home/.qmail"
run() { # run LOCAL < message
  out=$("$T/bin/local" "$me" "$home" "$1" "" "" example.org ann@example.net ./Maildir/ 2> "$T/err")
  rc=$?
}
count() { ls "$home/Maildir/new" | wc -l; }
R='Received: (qmail 1 invoked by uid 0); 24 Nov 2026 05:33:12 -0000'

printf '%s\nDelivered-To: joe@example.org\nSubject: loop\n\nbody\n' "$R" > "$T/m"
run joe < "$T/m"
is "$rc" 100 "a message with my Delivered-To line: bounced (100)"
is "$out" "This message is looping: it already has my Delivered-To line. (#5.4.6)" "  with qmail's text"
is "$(count)" 0 "  nothing delivered"

printf '%s\ndelivered-to: JOE@EXAMPLE.ORG\n\nbody\n' "$R" > "$T/m"
run joe < "$T/m"
is "$rc" 100 "the same line in another case: bounced too"

printf '%s\nDelivered-To: joe-x@example.org\nDelivered-To: ann@example.org\nX-Delivered-To: joe@example.org\n\nDelivered-To: joe@example.org\n' "$R" > "$T/m"
run joe < "$T/m"
is "$rc" 0 "other Delivered-To lines, another field, and my line in the body: delivered"
is "$(count)" 1 "  one message in new/"

hops() { # hops N: a message with N Received/Delivered-To lines in all
  { for i in $(seq 1 "$1"); do
      if [ $((i % 3)) = 0 ]; then echo "Delivered-To: hop$i@example.net"; else echo "Received: from h$i by h$((i+1))"; fi
    done
    printf 'Subject: hops\n\nbody\n'; } > "$T/m"
}
hops 100; run joe < "$T/m"
is "$rc" 0 "100 Received and Delivered-To lines: delivered"
hops 101; run joe < "$T/m"
is "$rc" 100 "101 of them: bounced (100)"
like "$out" '^This message is looping: too many hops .*\(#5\.4\.6\)$' "  too many hops, #5.4.6"
is "$(count)" 2 "  nothing more delivered"

# A .qmail that forwards to its own address. The first delivery forwards
# (the queued copy now has joe-self's Delivered-To line); the second,
# given that queued copy, bounces.
printf 'joe-self@example.org\n' > "$home/.qmail-self"
printf '%s\nSubject: self\n\nbody\n' "$R" > "$T/m"
out=$("$T/bin/local" "$me" "$home" joe-self - self example.org ann@example.net ./Maildir/ < "$T/m"); rc=$?
is "$rc" 0 "first delivery to a self-forwarding address: forwarded"
id=$(ls "$H/queue/todo" | head -1)
mess=$H/queue/mess/$((id % 23))/$id
out=$("$T/bin/local" "$me" "$home" joe-self - self example.org ann@example.net ./Maildir/ < "$mess"); rc=$?
is "$rc" 100 "second delivery, of the forwarded copy: bounced (100)"
is "$out" "This message is looping: it already has my Delivered-To line. (#5.4.6)" "  as looping"
is "$(ls "$H/queue/todo" | wc -l)" 1 "  and not forwarded again"
done_testing
