#!/bin/bash
# queue-full-disk-leaves-nothing: with the home on a small tmpfs, a message
# larger than the free space, or a message whose envelope does not fit
# after it, makes queue exit 53 (write error or disk full) with a message
# on stderr and nothing in todo/ intd/ mess/ pid/; the space it took is
# given back, so a small message then goes in.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root: mounts a tmpfs as the instance home"
export LC_ALL=C
instance_new
Q=$H/queue

# The home on a tmpfs: mount over the instance's home and install again.
mount -t tmpfs -o size=64m,mode=0755 cairn-test "$H" || { echo "Bail out! cannot mount a tmpfs on $H"; exit 1; }
at_exit "umount '$H'"
"$T/bin/install" "$T/bin" || { echo "Bail out! install on the tmpfs failed"; exit 1; }
is "$(stat -f -c %T "$Q")" tmpfs "the queue is on the tmpfs"

# Leave 1 MiB free.
avail=$(df -B1 --output=avail "$H" | tail -n 1)
fallocate -l $((avail - 1048576)) "$H/filler" || { echo "Bail out! cannot fill the tmpfs"; exit 1; }
free=$(df -B1 --output=avail "$H" | tail -n 1)
ok "$([ "$free" -ge 900000 ] && [ "$free" -le 1200000 ]; echo $?)" "about 1 MiB is free ($free bytes)"

printf 'Fa@b\0Tc@d\0\0' > "$T/env"
head -c 3145728 /dev/urandom > "$T/big"
"$H/bin/queue" < "$T/big" 1< "$T/env" 2> "$T/err"; rc=$?
is "$rc" 53 "a 3 MiB message with 1 MiB free: exit 53"
like "$(cat "$T/err")" "^queue: fatal: .*disk full" "it says so on stderr"
is "$( (cd "$Q" && find todo intd mess pid -type f) )" "" "nothing left in todo/ intd/ mess/ pid/"
is "$(df -B1 --output=avail "$H" | tail -n 1)" "$free" "the space is free again"

# The message fits but the envelope does not: the intd/ write fails.
head -c 716800 /dev/urandom > "$T/mid"
python3 -c '
import sys
sys.stdout.buffer.write(b"Fa@b\0" + b"".join(b"Tuser%07d@example.org\0" % i for i in range(600000 // 24)) + b"\0")' > "$T/bigenv"
"$H/bin/queue" < "$T/mid" 1< "$T/bigenv" 2> "$T/err"; rc=$?
is "$rc" 53 "a 700 KiB message with a 600 KB envelope and 1 MiB free: exit 53"
like "$(cat "$T/err")" "^queue: fatal: .*disk full" "it says so on stderr"
is "$( (cd "$Q" && find todo intd mess pid -type f) )" "" "nothing left in todo/ intd/ mess/ pid/"
is "$(df -B1 --output=avail "$H" | tail -n 1)" "$free" "the space is free again"

printf 'Subject: small\n\nstill fits\n' > "$T/small"
"$H/bin/queue" < "$T/small" 1< "$T/env" 2> "$T/err"; rc=$?
is "$rc" 0 "then a small message: exit 0"
id=$(ls "$Q/todo")
is "$(ls "$Q/todo" | wc -l)" 1 "and it is in todo/"
is "$(tail -n +2 "$Q/mess/$((id % 23))/$id")" "$(cat "$T/small")" "whole"
done_testing
