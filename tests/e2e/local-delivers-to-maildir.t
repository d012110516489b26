#!/bin/bash
# local-delivers-to-maildir: local (qmail-local's interface) delivers into a
# Maildir: the file in new/ is Return-Path, Delivered-To, then the message
# byte for byte; tmp/ is left empty; names are unique; mode 0600; a
# missing Maildir or one whose tmp/ is not a directory defers (111).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nFrom: ann@example.net\nSubject: hello\n\nFrom the body\nline two\n' > "$msg"

# run LOCAL DASH EXT SENDER DEFAULTDELIVERY: sets out and rc
run() {
  out=$("$T/bin/local" "$me" "$home" "$1" "$2" "$3" example.org "$4" "$5" < "$msg" 2> "$T/err")
  rc=$?
}

run joe "" "" ann@example.net ./Maildir/
is "$rc" 0 "delivery to ./Maildir/ exits 0"
is "$out" "did 0+1+0" "report: did 0+1+0 (no forward, one file, no program)"
set -- "$home"/Maildir/new/*
is "$#" 1 "one file in new/"
{ printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
cmp_files "$1" "$T/want" "the file is Return-Path, Delivered-To, then the message exactly"
is "$(ls -A "$home/Maildir/tmp" | wc -l)" 0 "tmp/ is empty"
is "$(stat -c %a "$1")" 600 "the file is mode 0600"
like "$(basename "$1")" '^[0-9]+\.M[0-9]+P[0-9]+Q0\.[^/:]+$' "its name is SECONDS.MUSECPPIDQ0.HOST"
is "$(ls -A "$home/Maildir/cur" | wc -l)" 0 "nothing in cur/"
first=$1

# A binary message with NUL bytes and no final newline, from the null sender.
{ printf 'Received: x\n\n'; head -c 200000 /dev/urandom; printf '\0\0end'; } > "$msg"
run joe "" "" "" ./Maildir/
is "$rc" 0 "a 200 KB binary message is delivered"
{ printf 'Return-Path: <>\nDelivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
new=$(ls "$home/Maildir/new" | grep -vx "$(basename "$first")")
cmp_files "$home/Maildir/new/$new" "$T/want" "  byte for byte, with Return-Path: <>"
is "$(ls "$home/Maildir/new" | wc -l)" 2 "two messages, two names"

# Two Maildirs in one .qmail: two copies, each complete.
mkdir -p "$home/Other/cur" "$home/Other/new" "$home/Other/tmp"
printf './Maildir/\n./Other/\n' > "$home/.qmail"
printf 'Subject: twice\n\nbody\n' > "$msg"
run joe "" "" ann@example.net ./Nowhere/
is "$rc" 0 ".qmail with two Maildirs: exit 0"
is "$out" "did 0+2+0" "  report did 0+2+0"
{ printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
set -- "$home"/Other/new/*
is "$#" 1 "  one file in ./Other/new"
cmp_files "$1" "$T/want" "  with the right bytes"
is "$(grep -l 'Subject: twice' "$home"/Maildir/new/* | wc -l)" 1 "  and one in ./Maildir/new"

# A Maildir that does not exist: temporary failure, named.
printf './Missing/\n' > "$home/.qmail"
run joe "" "" ann@example.net ./Maildir/
is "$rc" 111 "a missing Maildir defers (111)"
like "$out" '^Unable to open maildir \./Missing/: No such file or directory\. \(#4\.2\.1\)$' "  saying which and why"

# tmp/ that is not a directory.
mkdir -p "$home/Broken/new" "$home/Broken/cur"; : > "$home/Broken/tmp"
printf './Broken/\n' > "$home/.qmail"
run joe "" "" ann@example.net ./Maildir/
is "$rc" 111 "a Maildir whose tmp/ is a file defers (111)"
like "$out" '^Unable to create \./Broken/tmp/[^ ]+: Not a directory\. \(#4\.2\.1\)$' "  saying so"
is "$(ls -A "$home/Broken/new" | wc -l)" 0 "  nothing in new/"

# A failure is one sentence on one line.
is "$(printf "%s\n" "$out" | wc -l)" 1 "a failure is one line"
done_testing
