#!/bin/bash
# local-defers-unwritable-maildir: a Maildir (or mbox) that cannot be
# written defers the delivery (111), names it, and leaves nothing in new/
# or tmp/. As root the Maildir is a read-only mount (root ignores modes);
# otherwise its modes forbid writing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home/Maildir"
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: ro\n\nbody\n' > "$msg"
run() {
  out=$("$T/bin/local" "$me" "$home" joe "" "" example.org ann@example.net ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$T/src/cur" "$T/src/new" "$T/src/tmp"
  mount --bind "$T/src" "$home/Maildir" || skip_all "cannot bind-mount"
  at_exit "umount '$home/Maildir'"
  mount -o remount,bind,ro "$home/Maildir" || skip_all "cannot remount read-only"
  why='Read-only file system'
else
  mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
  chmod 555 "$home/Maildir/tmp" "$home/Maildir/new"
  at_exit "chmod 755 '$home/Maildir/tmp' '$home/Maildir/new'"
  why='Permission denied'
fi

run
is "$rc" 111 "an unwritable Maildir defers (111)"
like "$out" "^Unable to create \./Maildir/tmp/[^ ]+: $why\. \(#4\.2\.1\)$" "  naming the file and the reason"
is "$(ls -A "$home/Maildir/new" | wc -l)" 0 "  nothing in new/"
is "$(ls -A "$home/Maildir/tmp" | wc -l)" 0 "  nothing in tmp/"

# An mbox that cannot be written either.
if [ "$(id -u)" = 0 ]; then
  printf './Maildir/Mailbox\n' > "$home/.qmail"
else
  : > "$home/Mailbox"; chmod 444 "$home/Mailbox"
  printf './Mailbox\n' > "$home/.qmail"
fi
run
is "$rc" 111 "an unwritable mbox defers (111)"
like "$out" "^Unable to open \./(Maildir/)?Mailbox: $why\. \(#4\.2\.1\)$" "  naming it"
done_testing
