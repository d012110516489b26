#!/bin/bash
# inject-queues-completed-messages: 200 messages of ten kinds go through
# $H/bin/inject into a fresh queue, and every entry is checked byte for
# byte:
#   mess/(ID%23)/ID = "Received: (qmail QPID invoked by uid UID); DATE\n"
#                     + the completed header (Date, Message-ID, From added
#                     when missing; Bcc, Return-Path, Content-Length gone;
#                     bare names qualified) + the body unchanged
#   todo/ID         = u UID NUL p QPID NUL F sender NUL (T rcpt NUL)...
# with todo/ID and intd/ID one inode, modes 0644. QPID is the pid of queue
# (named in the Received line); Message-ID carries inject's own pid.
# Inputs are made and entries checked by one python3 process each, so that
# the test costs about three process creations per message.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/instance.sh"
export LC_ALL=C
command -v python3 >/dev/null || skip_all "needs python3"
instance_new
Q=$H/queue
N=200
uid=$(id -u)
mkdir "$T/in"
echo me.example.net > "$H/control/me"
echo box > "$H/control/defaulthost"
echo example.org > "$H/control/defaultdomain"
echo plus.example.net > "$H/control/plusdomain"
echo id.example.org > "$H/control/idhost"

# For message i: i.msg (input), i.args (arguments, one a line), i.want
# (the expected queued message after the Received line, with @DATE@ and
# @MSGID@ where inject puts its own), i.env (expected envelope after u, p).
python3 - "$T/in" "$N" <<'PY' || { echo "Bail out! cannot make the inputs"; exit 1; }
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
ADDED = b"Date: @DATE@\nMessage-ID: @MSGID@\nFrom: tester@box.example.org\n"
DATEMSGID = b"Date: @DATE@\nMessage-ID: @MSGID@\n"
def env(sender, *rcpts):
    return b"F" + sender + b"\0" + b"".join(b"T" + r + b"\0" for r in rcpts) + b"\0"
long = b"x" * 3000
for i in range(1, n + 1):
    I = str(i).encode()
    body = b"body of message " + I + b"\n" + b"".join(b"%d\n" % k for k in range(1, i * 3 + 1))
    args = []
    k = i % 10
    if k == 0:    # complete header, recipients from the arguments: header unchanged
        h = (b"From: Sender " + I + b" <s" + I + b"@example.com>\nTo: r" + I + b"@example.net\n"
             b"Date: Tue, 1 Dec 2026 10:00:00 +0000\nMessage-ID: <m" + I + b"@example.com>\nSubject: message " + I + b"\n")
        args = [b"r" + I + b"@example.net", b"x" + I + b"@example.org"]
        msg, want = h + b"\n" + body, h + b"\n" + body
        e = env(b"tester@box.example.org", *args)
    elif k == 1:  # minimal header: Date, Message-ID, From added; recipients from To
        h = b"To: a" + I + b"@example.net, b" + I + b"@example.net\nSubject: s" + I + b"\n"
        msg, want = h + b"\n" + body, ADDED + h + b"\n" + body
        e = env(b"tester@box.example.org", b"a" + I + b"@example.net", b"b" + I + b"@example.net")
    elif k == 2:  # Bcc: recipients, and gone from the header
        msg = (b"To: a" + I + b"@example.net\nBcc: hidden" + I + b"@example.net,\n  hidden2-" + I
               + b"@example.net\nSubject: bcc " + I + b"\n\n" + body)
        want = ADDED + b"To: a" + I + b"@example.net\nSubject: bcc " + I + b"\n\n" + body
        e = env(b"tester@box.example.org", b"a" + I + b"@example.net", b"hidden" + I + b"@example.net", b"hidden2-" + I + b"@example.net")
    elif k == 3:  # bare names: defaulthost, defaultdomain, plusdomain, in header and envelope
        msg = b'To: bob' + I + b', "Carol X" <carol' + I + b'@silverton>\nCc: dave' + I + b'@mammoth.cs+ (Dave)\n\n' + body
        want = (ADDED + b'To: bob' + I + b'@box.example.org, "Carol X" <carol' + I + b'@silverton.example.org>\n'
                b'Cc: dave' + I + b'@mammoth.cs.plus.example.net (Dave)\n\n' + body)
        e = env(b"tester@box.example.org", b"bob" + I + b"@box.example.org", b"carol" + I + b"@silverton.example.org",
                b"dave" + I + b"@mammoth.cs.plus.example.net")
    elif k == 4:  # CRLF line ends: read as LF, queued as LF
        h = b"To: c" + I + b"@example.net\nSubject: crlf " + I + b"\n"
        msg = (h + b"\n" + body).replace(b"\n", b"\r\n")
        want = ADDED + h + b"\n" + body
        e = env(b"tester@box.example.org", b"c" + I + b"@example.net")
    elif k == 5:  # no empty line between header and body: one is inserted
        h = b"To: n" + I + b"@example.net\nSubject: nosep\n"
        body = b"This line is not a field " + I + b"\n" + body
        msg, want = h + body, ADDED + h + b"\n" + body
        e = env(b"tester@box.example.org", b"n" + I + b"@example.net")
    elif k == 6:  # a field over 1000 bytes is kept whole
        h = b"To: l" + I + b"@example.net\nX-Long: " + long + b"\nSubject: long\n"
        msg, want = h + b"\n" + body, ADDED + h + b"\n" + body
        e = env(b"tester@box.example.org", b"l" + I + b"@example.net")
    elif k == 7:  # 8-bit header and a binary body (NULs, no CR) pass unchanged
        h = b"To: e" + I + b"@example.net\nSubject: caf\xc3\xa9 \xff " + I + b"\n"
        body = os.urandom((i * 37) % 5000 + 1).replace(b"\r", b"")
        msg, want = h + b"\n" + body, ADDED + h + b"\n" + body
        e = env(b"tester@box.example.org", b"e" + I + b"@example.net")
    elif k == 8:  # Return-Path sets the sender and goes; Content-Length goes
        msg = (b"Return-Path: <rp" + I + b"@example.com>\nContent-Length: 99\nTo: t" + I + b"@example.net\nSubject: rp\n\n" + body)
        want = ADDED + b"To: t" + I + b"@example.net\nSubject: rp\n\n" + body
        e = env(b"rp" + I + b"@example.com", b"t" + I + b"@example.net")
    else:         # -f and -H: sender from -f, recipients from arguments then header
        h = b"To: h" + I + b"@example.net\nFrom: Me <me@example.com>\n"
        args = [b"-fbounce" + I + b"@example.com", b"-H", b"extra" + I]
        msg, want = h + b"\n" + body, DATEMSGID + h + b"\n" + body
        e = env(b"bounce" + I + b"@example.com", b"extra" + I + b"@box.example.org", b"h" + I + b"@example.net")
    if i == 11:   # all header: no empty line is added after it
        msg = b"To: only11@example.net\nSubject: no body"
        want = ADDED + b"To: only11@example.net\nSubject: no body\n"
        e = env(b"tester@box.example.org", b"only11@example.net")
    for ext, data in ((".msg", msg), (".want", want), (".env", e), (".args", b"".join(a + b"\n" for a in args))):
        with open(os.path.join(d, str(i) + ext), "wb") as f:
            f.write(data)
PY

# Inject one at a time, with bash builtins only around each run: the pid
# of inject (exec keeps the subshell's), its times, its new todo/ entry.
declare -A seen
codes= noentry=0
for i in $(seq 1 $N); do
  mapfile -t args < "$T/in/$i.args"
  before=$EPOCHSECONDS
  ( echo $BASHPID > "$T/in/$i.pid"
    exec env -i PATH="$PATH" USER=tester "$H/bin/inject" "${args[@]}" ) < "$T/in/$i.msg" 2>> "$T/err"
  rc=$?
  echo "$before $EPOCHSECONDS" > "$T/in/$i.time"
  [ $rc = 0 ] || codes="$codes $i:$rc"
  new=
  for f in "$Q"/todo/*; do
    f=${f##*/}
    [ -n "${seen[$f]}" ] && continue
    seen[$f]=1; new="$new $f"
  done
  set -- $new
  if [ $# = 1 ]; then echo "$1" > "$T/in/$i.id"; else noentry=$((noentry + 1)); fi
done
is "$codes" "" "all $N runs of inject exit 0"
is "$noentry" 0 "each run adds exactly one todo/ entry"
is "$(ls "$Q/todo" | wc -l)" $N "todo/ holds $N entries"
is "$(find "$Q/mess" -type f | wc -l)" $N "mess/ holds $N files"
is "$(cat "$T/err")" "" "inject printed nothing on stderr"

# Every entry, byte for byte. Prints one line per check: its name, a tab,
# the numbers of the messages that failed it.
python3 - "$T/in" "$Q" "$N" "$uid" > "$T/check" <<'PY'
import os, re, sys, time
d, q, n, uid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
recv = re.compile(rb"^Received: \(qmail ([0-9]+) invoked by uid ([0-9]+)\); [0-9]+ [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} -0000$")
bad = {k: [] for k in ("name", "recv", "mess", "todo", "inode", "mode")}
shown = False
def rd(p):
    with open(p, "rb") as f:
        return f.read()
for i in range(1, n + 1):
    p = os.path.join(d, str(i))
    if not os.path.exists(p + ".id"):
        continue
    ident = int(rd(p + ".id"))
    mess = os.path.join(q, "mess", str(ident % 23), str(ident))
    if not os.path.isfile(mess) or os.stat(mess).st_ino != ident:
        bad["name"].append(i); continue
    data = rd(mess)
    first, _, rest = data.partition(b"\n")
    m = recv.match(first)
    if not m or m.group(2).decode() != uid:
        bad["recv"].append(i); continue
    qpid = m.group(1)
    ipid = rd(p + ".pid").strip()
    before, after = map(int, rd(p + ".time").split())
    want = rd(p + ".want")
    for t in range(before, after + 1):
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)).replace(", 0", ", ").encode()
        w = want.replace(b"@DATE@", date).replace(b"@MSGID@", b"<%d.%s.cairn@id.example.org>" % (t, ipid))
        if w == rest:
            break
    else:
        bad["mess"].append(i)
        if not shown:
            shown = True
            sys.stderr.write("# message %d: want %r\n#          got %r\n" % (i, w[:300], rest[:300]))
    todo = os.path.join(q, "todo", str(ident))
    if rd(todo) != b"u" + uid.encode() + b"\0p" + qpid + b"\0" + rd(p + ".env")[:-1]:
        bad["todo"].append(i)
    if os.stat(todo).st_ino != os.stat(os.path.join(q, "intd", str(ident))).st_ino:
        bad["inode"].append(i)
    if (os.stat(mess).st_mode & 0o7777, os.stat(todo).st_mode & 0o7777) != (0o644, 0o644):
        bad["mode"].append(i)
for k, v in bad.items():
    print("%s\t%s" % (k, " ".join(map(str, v))))
PY
check() { sed -n "s/^$1\t//p" "$T/check"; }
ok "$([ -s "$T/check" ]; echo $?)" "the checker ran"
is "$(check name)" "" "every entry's message is mess/(ID%23)/ID with ID its inode number"
is "$(check recv)" "" "every mess file starts with queue's Received line for uid $uid"
is "$(check mess)" "" "every mess file is then the completed header and the body, byte for byte"
is "$(check todo)" "" "every todo file is u UID NUL p QPID NUL + the expected sender and recipients"
is "$(check inode)" "" "every todo/ID is the same inode as intd/ID"
is "$(check mode)" "" "every mess and todo file has mode 0644"

# Spot checks a reader can see at a glance.
id=$(cat "$T/in/2.id")
unlike "$(cat "$Q/mess/$((id % 23))/$id")" '^Bcc:|hidden' "message 2's queued text names neither Bcc nor its hidden recipients"
like "$(tr '\0' ' ' < "$Q/todo/$id")" "Thidden2-2@example.net" "but its envelope does"
id=$(cat "$T/in/3.id")
like "$(sed -n 5p "$Q/mess/$((id % 23))/$id")" '^To: bob3@box.example.org, "Carol X" <carol3@silverton.example.org>$' \
  "bare names qualified in the queued To field"
done_testing
