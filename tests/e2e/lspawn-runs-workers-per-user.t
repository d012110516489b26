#!/bin/bash
# lspawn-runs-workers-per-user: in a multi-user instance (root, real
# users), lspawn, driven directly over its pipes (cairn-spawn(5)), hands
# consecutive deliveries of one user to a long-lived worker (local -W)
# running as that user, one worker per user: Maildir, mbox, |program,
# &forward and .qmail-ext deliveries give the same results and the same
# delivered bytes (Delivered-To, Return-Path) as one local per delivery,
# and a permanent failure is D (a bounce), a temporary one Z (a retry), in
# the same words. Workers end after lspawn's idle timeout. A bin/local
# replaced by a wrapper runs once per delivery, logged once; one that
# claims the worker mode but answers wrongly is given up for good, logged
# once, and the delivery it held is made by the per-delivery path.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
. "$(dirname "$0")/../lib/mta.sh"
export LC_ALL=C
[ "$(id -u)" = 0 ] || skip_all "needs root: creates users and runs lspawn as root"
for c in useradd userdel runuser python3; do
  command -v $c > /dev/null || skip_all "needs $c"
done

instance_new_multiuser
mkdir -p "$T/u"
U="cairnlw1 cairnlw2 cairnlw3"
for n in $U; do
  getent passwd $n > /dev/null && { echo "Bail out! user $n exists already"; exit 1; }
  useradd -M -d "$T/u/$n" -s /bin/sh -U $n || { echo "Bail out! useradd $n failed"; exit 1; }
  at_exit "user_del $n"
  mkdir -p "$T/u/$n/Maildir/new" "$T/u/$n/Maildir/cur" "$T/u/$n/Maildir/tmp"
done
rm -f "$H/users/cdb"
# cairnlw1: default delivery, a .qmail-ext to the Maildir, a permanent and
# a temporary program failure
printf './Maildir/\n' > "$T/u/cairnlw1/.qmail-ext"
printf '|echo no such list; exit 100\n' > "$T/u/cairnlw1/.qmail-perm"
printf '|echo try later; exit 111\n' > "$T/u/cairnlw1/.qmail-temp"
# cairnlw2: an mbox and a program that says who runs it and with what
printf './mbox\n|echo "$(id -un) $RECIPIENT $EXT ${DEFAULT-none} $SENDER"\n' > "$T/u/cairnlw2/.qmail"
printf '|echo "$(id -un) default=$DEFAULT"\n' > "$T/u/cairnlw2/.qmail-x-default"
# cairnlw3: a forward to cairnlw1, through queue
printf '&cairnlw1@example.org\n' > "$T/u/cairnlw3/.qmail-fwd"
for n in $U; do chown -R $n:$n "$T/u/$n"; chmod 755 "$T/u/$n"; done

printf 'Subject: worker test\n\nhello from the queue\n' > "$T/msg"
printf 'Fsender@example.org\0Tcairnlw1@example.org\0\0' > "$T/env"
"$H/bin/queue" < "$T/msg" 1< "$T/env" || { echo "Bail out! queue failed"; exit 1; }
id=$(ls "$H/queue/todo")
rm -f "$H/queue/todo/$id"   # no send runs: the entry only lends its mess file

req() { printf '%s\0%s\0%s\0%s\0' "$1" "$id" "$2" "$3"; }
requests() {
  req 0 sender@example.org cairnlw1@example.org
  req 1 sender@example.org cairnlw1-ext@example.org
  req 2 "" cairnlw1-perm@example.org
  req 3 sender@example.org cairnlw1-temp@example.org
  req 4 sender@example.org cairnlw2@example.org
  req 5 sender@example.org cairnlw2-x-yz@example.org
  req 6 sender@example.org cairnlw3-fwd@example.org
  req 7 sender@example.org cairnlw1-nosuch@example.org
}
NREQ=8
# results of $T/out into $T/res.$1 sorted by slot: "SLOT STATUS TEXT", LF as
# \n, the pid of a forward's queue ("qp N") as qp PID
parse() {
  python3 - "$T/out" "$OFF" <<'PY' | sort -n > "$T/res.$1"
import re, sys
d = open(sys.argv[1], 'rb').read()[int(sys.argv[2]):]
f = d.split(b'\0')[:-1]
for i in range(0, len(f) - 1, 2):
    t = f[i+1][1:].decode('latin-1').replace('\n', '\\n')
    print(f[i].decode(), f[i+1][:1].decode(), re.sub(r'qp [0-9]+', 'qp PID', t))
PY
}
OFF=0   # bytes of $T/out already read
nres() { [ "$(tail -c +$((OFF + 1)) "$T/out" | tr -cd '\0' | wc -c)" -ge $((2 * NREQ)) ]; }
workers() { # "uid user" of each local -W of this instance
  for p in $(pgrep -f "^$H/bin/local -W"); do
    echo "$(stat -c %u /proc/$p) $(ps -o user= -p $p | tr -d ' ')"
  done | sort
}
noworkers() { [ -z "$(pgrep -f "^$H/bin/local -W")" ]; }
# the delivered files, in a comparable form: Maildir files' contents in
# order, the mbox with its From_ line's date cut
snapshot() {
  for n in $U; do
    # in the order of their contents: concurrent deliveries finish in any order
    for f in "$T/u/$n/Maildir/new/"*; do [ -f "$f" ] && echo "$(sha1sum < "$f" | cut -c1-40) $f"; done | sort |
      while read -r h f; do echo "== $n"; cat "$f"; done
    [ -f "$T/u/$n/mbox" ] && { echo "== $n mbox"; sed 's/^\(From [^ ]*\) .*/\1 DATE/' "$T/u/$n/mbox"; }
  done > "$T/files.$1"
  for n in $U; do rm -f "$T/u/$n/Maildir/new/"* "$T/u/$n/mbox"; done
}

# 1. Through workers: lspawn's input stays open while the workers are looked at.
mkfifo "$T/in"
(cd / && exec "$T/bin/lspawn" ./Maildir/) < "$T/in" > "$T/out" 2> "$T/err" &
LP=$!
at_exit "kill $LP 2>/dev/null"
exec 8> "$T/in"
# one request at a time, so that each user's deliveries meet an idle worker
requests | python3 -c '
import sys
d = sys.stdin.buffer.read().split(b"\0")[:-1]
for i in range(0, len(d), 4): open(sys.argv[1] + "/req%d" % (i // 4), "wb").write(b"\0".join(d[i:i+4]) + b"\0")
' "$T"
for i in $(seq 0 $((NREQ - 1))); do
  cat "$T/req$i" >&8
  NREQ=$((i + 1)) wait_for 30 nres || break
done
wait_for 30 nres
ok $? "through workers: every request answered"
parse workers
is "$(workers)" "$(for n in $U; do echo "$(id -u $n) $n"; done | sort)" "one worker per user, each running as its user"
# the same users again: the same workers, no new process
before=$(pgrep -f "^$H/bin/local -W" | sort | tr '\n' ' ')
OFF=$(stat -c %s "$T/out")
for i in $(seq 0 $((NREQ - 1))); do
  cat "$T/req$i" >&8
  NREQ=$((i + 1)) wait_for 30 nres || break
done
ok $? "second round answered"
# (a worker idle for 10 s between two of its deliveries ends and is
# replaced: on a slow machine, under a sanitizer, some may; so: still one
# per user, and the first round's workers that lived on took the second)
after=$(pgrep -f "^$H/bin/local -W" | sort | tr '\n' ' ')
kept=0; for p in $after; do case " $before" in *" $p "*) kept=$((kept + 1)) ;; esac; done
is "$(echo $after | wc -w)" "$(echo $U | wc -w)" "the second round: still one worker per user"
ok "$([ $kept -ge 1 ]; echo $?)" "  the second round went to the first round's workers ($kept of $(echo $U | wc -w) kept)"
parse workers2
is "$(cat "$T/res.workers2")" "$(cat "$T/res.workers")" "and gave the same results"
OFF=0
snapshot workers
# the forward's two queue entries, as they are
fwd_workers=$(ls "$H/queue/todo" | wc -l)
for f in "$H"/queue/todo/*; do rm -f "$f"; done
wait_for 25 noworkers
ok $? "the workers end after the idle timeout (lspawn.8: 10 s)"
exec 8>&-
wait $LP
is "$?" 0 "lspawn exits 0 at the end of its input"
is "$(cat "$T/err")" "" "lspawn logs nothing"

# 2. One local per delivery: a wrapper in bin/local's place.
mv "$H/bin/local" "$H/bin/local.real"
printf '#!/bin/sh\nexec %s "$@"\n' "$H/bin/local.real" > "$H/bin/local"
chmod 755 "$H/bin/local"
requests > "$T/reqs"
# twice, as the workers had two rounds
(cd / && "$T/bin/lspawn" ./Maildir/) < "$T/reqs" > "$T/out" 2> "$T/err"
parse perdelivery
(cd / && "$T/bin/lspawn" ./Maildir/) < "$T/reqs" > "$T/out" 2>> "$T/err"
is "$?" 0 "per delivery (wrapper): lspawn exits 0" || diag "$(cat "$T/err")"
is "$(sort -u "$T/err")" "lspawn: warning: $H/bin/local has no worker mode (a wrapper?): running one local per delivery" "the wrapper is noticed, logged once by each lspawn"
is "$(pgrep -f "^$H/bin/local" | wc -l)" 0 "and no worker was started"
parse perdelivery2
is "$(cat "$T/res.perdelivery")" "$(cat "$T/res.workers")" "the per-delivery results are the workers' results, word for word"
is "$(cat "$T/res.perdelivery2")" "$(cat "$T/res.workers")" "in both rounds"
snapshot perdelivery
if cmp -s "$T/files.workers" "$T/files.perdelivery"; then ok 0 "the delivered bytes are the same"; else ok 1 "the delivered bytes are the same"; diff "$T/files.workers" "$T/files.perdelivery" | head -20 | sed 's/^/# /'; fi
is "$(ls "$H/queue/todo" | wc -l)" "$fwd_workers" "the forward queued as many entries"
for f in "$H"/queue/todo/*; do rm -f "$f"; done

is "$(sed -n 's/^\([0-9]*\) \(.\) .*/\1\2/p' "$T/res.workers" | tr '\n' ' ')" "0K 1K 2D 3Z 4K 5K 6K 7D " "K for deliveries, D for the permanent failures, Z for the temporary one"
like "$(grep '^2 ' "$T/res.workers")" 'no such list' "the permanent failure in the program's words"
like "$(grep '^3 ' "$T/res.workers")" 'try later' "the temporary failure in the program's words"
like "$(grep '^4 ' "$T/res.workers")" "cairnlw2 cairnlw2@example.org  none sender@example.org" "the program runs as cairnlw2 with its environment"
like "$(grep '^5 ' "$T/res.workers")" "cairnlw2 default=yz" "DEFAULT of a -default file, set for that delivery only"
like "$(grep '^6 ' "$T/res.workers")" 'did 1\+0\+0\\nqp PID' "the forward is made"
like "$(cat "$T/files.workers")" "Delivered-To: cairnlw1-ext@example.org" "Delivered-To of the extension address"
like "$(cat "$T/files.workers")" "Return-Path: <sender@example.org>" "Return-Path"
is "$(grep -c '^== cairnlw1$' "$T/files.workers")" 4 "cairnlw1 got 2 messages in each round"

# 3. A bin/local that claims the worker mode but answers wrongly.
cat > "$H/bin/local" <<EOF
#!/bin/sh
# claims 20:cairn-local-worker 1, but says something else
[ "\$1" = -W ] && { printf 'garbage' >&0; exit 0; }
exec $H/bin/local.real "\$@"
EOF
{ req 0 sender@example.org cairnlw1@example.org; sleep 1; req 1 sender@example.org cairnlw1@example.org; } > "$T/reqs"
(cd / && "$T/bin/lspawn" ./Maildir/) < "$T/reqs" > "$T/out" 2> "$T/err"
is "$?" 0 "a worker that speaks wrongly: lspawn exits 0"
NREQ=2 parse wrong
is "$(sed 's/ .*//' "$T/res.wrong" | tr '\n' ' ')" "0 1 " "both deliveries answered"
like "$(cat "$T/res.wrong")" '^0 K did 0\+1\+0' "the job the worker never began is delivered per delivery"
is "$(cat "$T/err")" "lspawn: warning: $H/bin/local did not answer as a worker: running one local per delivery from now on" "given up for good, logged once"
is "$(count_new cairnlw1)" 2 "both messages are in the Maildir"
mv "$H/bin/local.real" "$H/bin/local"
done_testing
