#!/bin/bash
# local-delivers-to-mbox: two deliveries to ./Mailbox append two entries
# after what was there, each: a From_ line (sender, current UTC date in
# asctime form), Return-Path, Delivered-To, the message with ">*From "
# lines given one more ">", a newline if the message lacked one, and an
# empty line. A new mbox is created mode 0600. An mbox that cannot be
# opened defers (111).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
instance_new
me=$(id -un)
home=$T/joe
mkdir -p "$home"; chmod 755 "$home"
printf './Mailbox\n' > "$home/.qmail"
run() { # run SENDER < message
  out=$("$T/bin/local" "$me" "$home" joe "" "" example.org "$1" ./Maildir/ 2> "$T/err")
  rc=$?
}

printf 'Received: (qmail 1 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: one\n\nFrom here\n>From there\n>>From further\nFromage\n From indented\nlast\n' > "$T/m1"
printf 'Received: (qmail 2 invoked by uid 0); 24 Nov 2026 05:33:13 -0000\nSubject: two\n\nFrom the start\nno final newline' > "$T/m2"

before=$(date -u +%s)
run ann@example.net < "$T/m1"
is "$rc" 0 "first delivery to ./Mailbox exits 0"
is "$out" "did 0+1+0" "  report did 0+1+0"
is "$(stat -c %a "$home/Mailbox")" 600 "the new mbox is mode 0600"
run "" < "$T/m2"
is "$rc" 0 "second delivery (null sender) exits 0"
after=$(date -u +%s)

# The From_ lines: format and time.
mapfile -t froms < <(grep -a '^From [^ ]* [A-Z]' "$home/Mailbox")
is "${#froms[@]}" 2 "two From_ lines"
re='^From (.*) (Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}$'
like "${froms[0]}" "$re" "first From_ line has asctime's form with a two-digit day"
like "${froms[0]}" '^From ann@example\.net ' "  and the sender"
like "${froms[1]}" '^From MAILER-DAEMON ' "the null sender is MAILER-DAEMON"
t=$(date -u -d "$(echo "${froms[0]}" | cut -d' ' -f3-)" +%s 2>/dev/null || echo 0)
ok $(( t >= before - 1 && t <= after + 1 ? 0 : 1 )) "  the date is the delivery time, in UTC"

{
  printf '%s\n' "${froms[0]}"
  printf 'Return-Path: <ann@example.net>\nDelivered-To: joe@example.org\n'
  printf 'Received: (qmail 1 invoked by uid 0); 24 Nov 2026 05:33:12 -0000\nSubject: one\n\n>From here\n>>From there\n>>>From further\nFromage\n From indented\nlast\n'
  printf '\n'
  printf '%s\n' "${froms[1]}"
  printf 'Return-Path: <>\nDelivered-To: joe@example.org\n'
  printf 'Received: (qmail 2 invoked by uid 0); 24 Nov 2026 05:33:13 -0000\nSubject: two\n\n>From the start\nno final newline\n'
  printf '\n'
} > "$T/want"
cmp_files "$home/Mailbox" "$T/want" "the mbox holds both entries, quoted, each ending in an empty line"

# Appending keeps what was there.
cp "$home/Mailbox" "$T/before"
run bob@example.com < "$T/m1"
is "$rc" 0 "a third delivery exits 0"
cmp -s <(head -c "$(stat -c %s "$T/before")" "$home/Mailbox") "$T/before"
ok $? "  the earlier entries are untouched"

# A file name that cannot be opened defers.
printf './no/such/dir/Mailbox\n' > "$home/.qmail"
run ann@example.net < "$T/m1"
is "$rc" 111 "an mbox in a missing directory defers (111)"
is "$out" "Unable to open ./no/such/dir/Mailbox: No such file or directory. (#4.2.1)" "  saying which and why"

# An mbox locked by someone else: local waits for the lock, then appends.
printf './Mailbox\n' > "$home/.qmail"
size=$(stat -c %s "$home/Mailbox")
# The holder notes when it has the lock and when it lets go, so that the
# check does not depend on how fast a loaded machine starts it.
flock "$home/Mailbox" sh -c ': > "$1/held" ; sleep 2 ; date +%s.%N > "$1/released"' sh "$T" &
for i in $(seq 300) ; do [ -e "$T/held" ] && break ; sleep 0.1 ; done
ok "$([ -e "$T/held" ] ; echo $?)" "another process holds the mbox's lock (flock)"
run ann@example.net < "$T/m1"
end=$(date +%s.%N)
wait
is "$rc" 0 "delivery to an mbox locked (flock) by another process succeeds"
released=$(cat "$T/released")
ok $(awk -v r="$released" -v e="$end" 'BEGIN { exit !(r != "" && e >= r) }'; echo $?) "  after waiting for the lock (ended $end, lock let go $released)"
ok $(( $(stat -c %s "$home/Mailbox") > size ? 0 : 1 )) "  and appended"
done_testing
