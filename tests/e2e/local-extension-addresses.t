#!/bin/bash
# local-extension-addresses: joe-foo-bar is delivered through
# .qmail-foo-default when there is no .qmail-foo-bar (any case: the
# extension is lower-cased for the file name), the exact file wins when
# there is one, .qmail-default catches the rest, and an extension with no
# file at all bounces: "Sorry, no mailbox here by that name. (#5.1.1)".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
for d in Maildir Foo FooBar Rest; do mkdir -p "$home/$d/cur" "$home/$d/new" "$home/$d/tmp"; done
chmod 755 "$home"
msg=$T/msg
printf 'Received: (qmail 4242 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: ext\n\nbody\n' > "$msg"
run() { # run LOCAL DASH EXT
  out=$("$T/bin/local" "$me" "$home" "$1" "$2" "$3" example.org ann@example.net ./Maildir/ < "$msg" 2> "$T/err")
  rc=$?
}
count() { ls "$home/$1/new" | wc -l; }

printf './Foo/\n' > "$home/.qmail-foo-default"
printf './FooBar/\n' > "$home/.qmail-foo-bar"

run joe-foo-baz - foo-baz
is "$rc" 0 "joe-foo-baz with .qmail-foo-default: delivered"
is "$(count Foo)" 1 "  into the Maildir of .qmail-foo-default"
{ printf 'Return-Path: <ann@example.net>\nDelivered-To: joe-foo-baz@example.org\n'; cat "$msg"; } > "$T/want"
cmp_files "$home/Foo/new/$(ls "$home/Foo/new")" "$T/want" "  Delivered-To names the whole address"

run joe-foo-bar - foo-bar
is "$rc" 0 "joe-foo-bar: delivered"
is "$(count FooBar)" 1 "  the exact .qmail-foo-bar wins over .qmail-foo-default"
is "$(count Foo)" 1 "  and .qmail-foo-default got nothing more"

run joe-Foo-BAZ-x - Foo-BAZ-x
is "$rc" 0 "joe-Foo-BAZ-x: delivered"
is "$(count Foo)" 2 "  through .qmail-foo-default (file names use the lower-cased extension)"

run joe-foo - foo
is "$rc" 100 "joe-foo (no .qmail-foo, and a -default needs its dash): bounced (100)"
is "$out" "Sorry, no mailbox here by that name. (#5.1.1)" "  with qmail's text"

run joe-other - other
is "$rc" 100 "joe-other with no matching file: bounced (100)"
is "$out" "Sorry, no mailbox here by that name. (#5.1.1)" "  with qmail's text"
is "$(count Maildir)" 0 "  the default delivery is not used for an extension"

printf './Rest/\n' > "$home/.qmail-default"
run joe-other - other
is "$rc" 0 "with .qmail-default, joe-other is delivered"
is "$(count Rest)" 1 "  into the .qmail-default Maildir"

# An extension with dots cannot reach outside the home.
run 'joe-..-..-x' - '..-..-x'
is "$rc" 0 "joe-..-..-x: delivered through .qmail-default (dots become colons)"
is "$(count Rest)" 2 "  into Rest"

# The user's own address: .qmail, or the default delivery.
run joe "" ""
is "$rc" 0 "joe (no extension) without .qmail: delivered"
is "$(count Maildir)" 1 "  by the default delivery"
done_testing
