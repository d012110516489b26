#!/bin/bash
# local-defers-on-full-disk: with the home on a small tmpfs that is full, a
# Maildir delivery defers (111) and leaves nothing in new/ or tmp/, and an
# mbox delivery defers and leaves the mbox exactly as it was; once space is
# freed, the same deliveries succeed with the whole message.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: mounts a small tmpfs as the home"
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home"
mount -t tmpfs -o size=512k,mode=0755 cairn-test-home "$home" || skip_all "cannot mount a tmpfs"
at_exit "umount '$home'"
mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
msg=$T/msg
{ printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: big\n\n'
  head -c 150000 /dev/urandom | od -An -tx1; } > "$msg"     # about 450 KB of text
run() {
  out=$("$T/bin/local" "$me" "$home" joe "" "" example.org ann@example.net ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}

# Fill the disk, leaving a little room: less than the message.
printf 'From old@example.net Thu Jan 01 00:00:00 1970\nSubject: old\n\nold entry\n\n' > "$home/Mailbox"
chmod 600 "$home/Mailbox"
cp "$home/Mailbox" "$T/Mailbox.before"
dd if=/dev/zero of="$home/filler" bs=1k count=$(( $(df -k --output=avail "$home" | tail -1) - 40 )) 2>/dev/null

run
is "$rc" 111 "Maildir on a full disk: deferred (111)"
like "$out" '^Unable to write \./Maildir/tmp/[^ ]+: No space left on device\. \(#4\.3\.0\)$' "  saying the disk is full"
is "$(ls -A "$home/Maildir/new" | wc -l)" 0 "  nothing in new/"
is "$(ls -A "$home/Maildir/tmp" | wc -l)" 0 "  nothing left in tmp/"

printf './Mailbox\n' > "$home/.qmail"
run
is "$rc" 111 "mbox on a full disk: deferred (111)"
like "$out" '^Unable to write \./Mailbox: No space left on device\. \(#4\.3\.0\)$' "  saying the disk is full"
cmp_files "$home/Mailbox" "$T/Mailbox.before" "  the mbox is cut back to exactly what it was"

rm "$home/filler"
run
is "$rc" 0 "after space is freed, the mbox delivery succeeds"
{ cat "$T/Mailbox.before"; grep -a '^From ann@example.net ' "$home/Mailbox"
  printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'; cat "$msg"; echo; } > "$T/want"
cmp_files "$home/Mailbox" "$T/want" "  the mbox is the old entry, then the whole new one"
rm "$home/.qmail" "$home/Mailbox"
run
is "$rc" 0 "and so does the Maildir delivery"
{ printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'; cat "$msg"; } > "$T/want"
set -- "$home"/Maildir/new/*
cmp_files "$1" "$T/want" "  with the whole message"
done_testing
