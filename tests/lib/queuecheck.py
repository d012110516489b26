#!/usr/bin/env python3
"""queuecheck.py: reads a queue in qmail's format and checks it against what
the e2e tests gave queue, with one process instead of thousands of forks.

  queuecheck.py exact QUEUE SPLIT UID INDIR RUNS
      RUNS lines "I PID RC BEFORE AFTER": run I of queue (pid PID, exit RC,
      started and ended in those seconds) got INDIR/I.msg on fd 0 and
      INDIR/I.env on fd 1. Checks that every run left exactly its entry,
      byte for byte.
  queuecheck.py crash QUEUE SPLIT UID INDIR RUNS LEFTOVERS
      RUNS lines "K PID RC": attempt K (its message carries "X-Crash-Id: K")
      exited RC (137: killed by SIGKILL). Checks that every todo/ entry is
      complete, that every message acknowledged with 0 is there exactly
      once, and that leftovers belong to killed runs only; writes the ids
      of leftover entries (mess/ or intd/ without todo/) to LEFTOVERS.
  queuecheck.py queued QUEUE SPLIT UID INDIR RUNS LEFTOVERS
      RUNS lines "K PID RC": attempt K (its message carries "X-Crash-Id: K")
      was sent to queued by process PID, which got the answer RC (a number,
      "lost" when the connection closed first, "down" when it could not
      connect). Checks that every todo/ entry is complete and names PID,
      that every message answered 0 is there exactly once, none twice;
      writes the ids of leftover entries to LEFTOVERS (queued's crashes
      may leave many at once, and entries for messages never answered).
  queuecheck.py leftovers QUEUE SPLIT
      Checks that pid/ holds no pid file (spare.K files, clean's recycled
      queue files, aside: each must be a regular file with one name) and
      no mess/ or intd/ file lacks its todo/.

Each check is printed as one line "NAME|PROBLEMS" (PROBLEMS empty when the
check passed) for the shell test to turn into TAP; "diag|TEXT" lines are
figures to show. The exit code is 0 when the checker itself ran to the end.
"""
import os
import re
import stat
import sys
import time

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
RECEIVED = re.compile(rb"Received: \(qmail (\d+) invoked by uid (\d+)\); "
                      rb"(\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d -0000)\n")
ADDR_MAX = 1000
SPARE = re.compile(r"spare\.(\d+)")


def _spare_slots():
    """SPARE_SLOTS as src/spare.h defines it."""
    top = os.environ.get("CAIRN_TOP") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    m = re.search(r"^#define SPARE_SLOTS (\d+)", open(os.path.join(top, "src", "spare.h")).read(), re.M)
    return int(m.group(1))


SPARE_SLOTS = _spare_slots()


def date822(t):
    tm = time.gmtime(t)
    return "%d %s %d %02d:%02d:%02d -0000" % (
        tm.tm_mday, MONTHS[tm.tm_mon - 1], tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


def received(pid, uid, t):
    return ("Received: (qmail %d invoked by uid %d); %s\n" % (pid, uid, date822(t))).encode()


def scan_envelope(b):
    """qmail-queue's envelope: F addr NUL (T addr NUL)* NUL, and nothing
    after. Returns (sender, [rcpt]); raises ValueError saying what is wrong."""
    if not b.startswith(b"F"):
        raise ValueError("no F")
    items, pos = [], 0
    while True:
        if pos >= len(b):
            raise ValueError("cut short")
        if b[pos] == 0:
            if not items:
                raise ValueError("no sender")
            if pos + 1 != len(b):
                raise ValueError("bytes after the final NUL")
            return items[0], items[1:]
        kind = b[pos:pos + 1]
        if kind != (b"F" if not items else b"T"):
            raise ValueError("item %d starts with %r" % (len(items), kind))
        end = b.find(b"\0", pos)
        if end < 0:
            raise ValueError("cut short")
        addr = b[pos + 1:end]
        if len(addr) > ADDR_MAX:
            raise ValueError("address too long")
        if any(c < 32 or c == 127 for c in addr):
            raise ValueError("control character")
        items.append(addr)
        pos = end + 1


def parse_todo(b):
    """A todo/ (intd/) file as qmail-queue writes it: u UID NUL p PID NUL,
    then the envelope's items F SENDER NUL (T RCPT NUL)* without the
    envelope's final NUL. -> (uid, pid, items bytes)."""
    m = re.match(rb"u(\d+)\0p(\d+)\0", b)
    if not m:
        raise ValueError("no u and p items")
    items = b[m.end():]
    if items.endswith(b"\0\0") or items == b"\0":
        raise ValueError("an empty item at the end (qmail-send would refuse it)")
    scan_envelope(items + b"\0")
    return int(m.group(1)), int(m.group(2)), items


def read(fn):
    with open(fn, "rb") as f:
        return f.read()


class Queue:
    def __init__(self, q, split):
        self.q, self.split = q, split
        self.todo = {int(n) for n in os.listdir(q + "/todo")}
        self.intd = {int(n) for n in os.listdir(q + "/intd")}
        names = sorted(os.listdir(q + "/pid"))
        # spare.K: a finished entry's file kept for the next to write over
        # (spare.h); not a pid file, never part of an entry.
        self.spares = [n for n in names if SPARE.fullmatch(n)]
        self.pid = [n for n in names if not SPARE.fullmatch(n)]
        self.mess = {}
        for b in os.listdir(q + "/mess"):
            for n in os.listdir("%s/mess/%s" % (q, b)):
                self.mess[int(n)] = "%s/mess/%s/%s" % (q, b, n)

    def messfn(self, i):
        return "%s/mess/%d/%d" % (self.q, i % self.split, i)


class Report:
    def __init__(self):
        self.lines = []

    def check(self, name, problems):
        shown = " ".join(str(p) for p in problems[:10])
        if len(problems) > 10:
            shown += " ... (%d in all)" % len(problems)
        self.lines.append("%s|%s" % (name, shown))

    def diag(self, text):
        self.lines.append("diag|" + text)

    def out(self):
        sys.stdout.write("".join(line.replace("\n", " ") + "\n" for line in self.lines))


def exact(qdir, split, uid, indir, runs):
    r, q = Report(), Queue(qdir, split)
    runs = [tuple(int(x) for x in line.split()) for line in open(runs)]
    byp = {}
    for i in q.todo:
        try:
            byp.setdefault(parse_todo(read("%s/todo/%d" % (qdir, i)))[1], []).append(i)
        except ValueError as e:
            byp.setdefault(None, []).append("%d:%s" % (i, e))
    r.check("all %d runs of queue exit 0" % len(runs), ["%d:%d" % (i, rc) for i, _, rc, _, _ in runs if rc])
    r.check("each run has exactly one todo/ entry, found by its p item",
            [i for i, p, _, _, _ in runs if len(byp.get(p, [])) != 1] + byp.get(None, []))
    r.check("todo/, intd/ and mess/ hold %d entries each, all with the same ids" % len(runs),
            [] if len(q.todo) == len(runs) and q.todo == q.intd == set(q.mess)
            else ["todo:%d intd:%d mess:%d" % (len(q.todo), len(q.intd), len(q.mess))])
    r.check("pid/ is empty", q.pid)
    bad = {k: [] for k in ("name", "mess", "todo", "inode", "mode")}
    for i, p, _, before, after in runs:
        if len(byp.get(p, [])) != 1:
            continue
        idn = byp[p][0]
        mfn, tfn, ifn = q.messfn(idn), "%s/todo/%d" % (qdir, idn), "%s/intd/%d" % (qdir, idn)
        try:
            ms, ts, ist = os.stat(mfn), os.stat(tfn), os.stat(ifn)
        except OSError as e:
            bad["name"].append("%d:%s" % (i, e.strerror))
            continue
        if ms.st_ino != idn:
            bad["name"].append("%d:inode %d" % (i, ms.st_ino))
        if ts.st_ino != ist.st_ino:
            bad["inode"].append(i)
        if (ms.st_mode & 0o7777, ts.st_mode & 0o7777) != (0o644, 0o644):
            bad["mode"].append("%d:%o,%o" % (i, ms.st_mode & 0o7777, ts.st_mode & 0o7777))
        msg, got = read("%s/%d.msg" % (indir, i)), read(mfn)
        if not any(got == received(p, uid, t) + msg for t in range(before, after + 1)):
            bad["mess"].append(i)
        if read(tfn) != b"u%d\0p%d\0" % (uid, p) + read("%s/%d.env" % (indir, i))[:-1]:
            bad["todo"].append(i)
    r.check("every message is mess/(ID%%%d)/ID with ID its inode number" % split, bad["name"])
    r.check("every mess file is the Received line (the run's pid, uid %d, a second of the run) + the exact input" % uid, bad["mess"])
    r.check("every todo file is u UID NUL p PID NUL + the exact envelope without its final NUL (as qmail-queue)", bad["todo"])
    r.check("every todo/ID is the same inode as intd/ID", bad["inode"])
    r.check("every mess and todo file has mode 0644", bad["mode"])
    r.out()


CRASHID = re.compile(rb"X-Crash-Id: (\d+)\n")


def crash(qdir, split, uid, indir, runs, leftoverfn):
    r, q = Report(), Queue(qdir, split)
    runs = {int(k): (int(p), int(rc)) for k, p, rc in (line.split() for line in open(runs))}
    bypid = {p: (k, rc) for k, (p, rc) in runs.items()}
    killed = {k for k, (_, rc) in runs.items() if rc == 137}
    acked = {k for k, (_, rc) in runs.items() if rc == 0}
    r.check("every attempt exited 0 or was killed (137)",
            ["%d:%d" % (k, rc) for k, (_, rc) in sorted(runs.items()) if rc not in (0, 137)])

    # Every todo/ entry is whole: envelope scans to its end, intd/ is the
    # same file, mess/ is the Received line of the same pid + the message.
    incomplete, seen = [], {}
    for i in sorted(q.todo):
        try:
            u, p, env = parse_todo(read("%s/todo/%d" % (qdir, i)))
            if os.stat("%s/todo/%d" % (qdir, i)).st_ino != os.stat("%s/intd/%d" % (qdir, i)).st_ino:
                raise ValueError("intd/ is another file")
            mess = read(q.messfn(i))
            m = RECEIVED.match(mess)
            if not m or int(m.group(1)) != p or int(m.group(2)) != uid:
                raise ValueError("no Received line for pid %d" % p)
            c = CRASHID.search(mess)
            if not c:
                raise ValueError("no X-Crash-Id")
            k = int(c.group(1))
            if mess[m.end():] != read("%s/%d.msg" % (indir, k)):
                raise ValueError("message %d not whole" % k)
            if env != read("%s/%d.env" % (indir, k))[:-1]:
                raise ValueError("envelope of %d differs" % k)
            if bypid.get(p, (None,))[0] != k:
                raise ValueError("pid %d did not send message %d" % (p, k))
            seen.setdefault(k, []).append(i)
        except (ValueError, OSError) as e:
            incomplete.append("%d:%s" % (i, e))
    r.check("every todo/ entry is complete: its items scan to the end (no empty item), intd/ is the same file, "
            "mess/ is the Received line + the whole message", incomplete)
    r.check("every message acknowledged with exit 0 is in todo/ exactly once",
            ["%d:%d" % (k, len(seen.get(k, []))) for k in sorted(acked) if len(seen.get(k, [])) != 1])
    r.check("no message is in todo/ twice", ["%d:%d" % (k, len(v)) for k, v in sorted(seen.items()) if len(v) > 1])

    # Leftovers: pid/ files, mess/ or intd/ without todo/. Each is traced to
    # the queue process that made it (pid file name, intd/ p item, or mess/
    # Received line); that process must have been killed. A mess file
    # killed before its first byte has no pid in it: those are counted.
    pidfiles = q.pid
    orphans = sorted((set(q.mess) | q.intd) - q.todo)
    committed = {runs[k][0] for k in seen}
    notkilled, untraced, traced = [], 0, set()

    def trace(p, what):
        if bypid.get(p, (0, 0))[1] != 137:
            notkilled.append("%s(pid %d not killed)" % (what, p))
        elif p in committed:
            notkilled.append("%s(pid %d committed)" % (what, p))
        traced.add(p)
    for fn in pidfiles:
        trace(int(fn.split(".")[0]), "pid/" + fn)
    for i in orphans:
        p = None
        if i in q.intd:
            m = re.match(rb"u\d+\0p(\d+)\0", read("%s/intd/%d" % (qdir, i)))
            p = int(m.group(1)) if m else None
        if p is None and i in q.mess:
            m = RECEIVED.match(read(q.messfn(i)))
            p = int(m.group(1)) if m else None
        if p is None:
            untraced += 1
        else:
            trace(p, str(i))
    killed_uncommitted = len(killed - set(seen))
    r.check("every leftover was left by a killed run that had not committed", notkilled)
    r.check("leftovers come from at most one killed run each",
            [] if len(traced) + untraced <= killed_uncommitted
            else ["%d traced + %d untraced > %d killed before commit" % (len(traced), untraced, killed_uncommitted)])
    with open(leftoverfn, "w") as f:
        f.write("".join("%d\n" % i for i in orphans))
    r.diag("attempts %d, exit 0: %d, killed: %d (of which %d had committed their entry), todo/ entries: %d"
           % (len(runs), len(acked), len(killed), len(killed) - killed_uncommitted, len(q.todo)))
    r.diag("leftovers found: %d pid/ files, %d mess/ without todo/, %d intd/ without todo/ (%d with no pid in them)"
           % (len(pidfiles), len(set(q.mess) - q.todo), len(q.intd - q.todo), untraced))
    r.out()


def queued(qdir, split, uid, indir, runs, leftoverfn):
    r, q = Report(), Queue(qdir, split)
    runs = {int(k): (int(p), rc) for k, p, rc in (line.split() for line in open(runs))}
    acked = {k for k, (_, rc) in runs.items() if rc == "0"}
    r.check("every answer was 0, or the connection was lost or refused",
            ["%d:%s" % (k, rc) for k, (_, rc) in sorted(runs.items()) if rc not in ("0", "lost", "down")])
    incomplete, seen = [], {}
    for i in sorted(q.todo):
        try:
            u, p, env = parse_todo(read("%s/todo/%d" % (qdir, i)))
            if os.stat("%s/todo/%d" % (qdir, i)).st_ino != os.stat("%s/intd/%d" % (qdir, i)).st_ino:
                raise ValueError("intd/ is another file")
            mess = read(q.messfn(i))
            m = RECEIVED.match(mess)
            if not m or int(m.group(1)) != p or int(m.group(2)) != uid or u != uid:
                raise ValueError("no Received line for pid %d uid %d" % (p, uid))
            c = CRASHID.search(mess)
            if not c:
                raise ValueError("no X-Crash-Id")
            k = int(c.group(1))
            if mess[m.end():] != read("%s/%d.msg" % (indir, k)):
                raise ValueError("message %d not whole" % k)
            if env != read("%s/%d.env" % (indir, k))[:-1]:
                raise ValueError("envelope of %d differs" % k)
            if runs.get(k, (None,))[0] != p:
                raise ValueError("message %d was not sent by pid %d" % (k, p))
            seen.setdefault(k, []).append(i)
        except (ValueError, OSError) as e:
            incomplete.append("%d:%s" % (i, e))
    r.check("every todo/ entry is complete: its items scan to the end, intd/ is the same file, "
            "mess/ is the Received line naming the client's pid and uid + the whole message", incomplete)
    r.check("every message answered 0 is in todo/ exactly once",
            ["%d:%d" % (k, len(seen.get(k, []))) for k in sorted(acked) if len(seen.get(k, [])) != 1])
    r.check("no message is in todo/ twice", ["%d:%d" % (k, len(v)) for k, v in sorted(seen.items()) if len(v) > 1])
    orphans = sorted((set(q.mess) | q.intd) - q.todo)
    with open(leftoverfn, "w") as f:
        f.write("".join("%d\n" % i for i in orphans))
    lost = sum(1 for _, rc in runs.values() if rc == "lost")
    r.diag("attempts %d, answered 0: %d, lost: %d, refused: %d, todo/ entries: %d (%d never answered 0)"
           % (len(runs), len(acked), lost, sum(1 for _, rc in runs.values() if rc == "down"),
              len(q.todo), len(set(seen) - acked)))
    r.diag("leftovers found: %d pid/ files, %d mess/ without todo/, %d intd/ without todo/"
           % (len(q.pid), len(set(q.mess) - q.todo), len(q.intd - q.todo)))
    r.out()


def leftovers(qdir, split):
    r, q = Report(), Queue(qdir, split)
    r.check("pid/ holds no pid file (its spares aside)", q.pid)
    bad = []
    for n in q.spares:
        st = os.lstat("%s/pid/%s" % (qdir, n))
        if int(SPARE.fullmatch(n).group(1)) >= SPARE_SLOTS or not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            bad.append(n)
    r.check("every spare is pid/spare.K, K below %d, a regular file with no other name" % SPARE_SLOTS, bad)
    r.check("no mess/ file without its todo/", sorted(set(q.mess) - q.todo))
    r.check("no intd/ file without its todo/", sorted(q.intd - q.todo))
    r.out()


def main(argv):
    cmd = argv[1]
    if cmd == "exact":
        exact(argv[2], int(argv[3]), int(argv[4]), argv[5], argv[6])
    elif cmd == "crash":
        crash(argv[2], int(argv[3]), int(argv[4]), argv[5], argv[6], argv[7])
    elif cmd == "queued":
        queued(argv[2], int(argv[3]), int(argv[4]), argv[5], argv[6], argv[7])
    elif cmd == "leftovers":
        leftovers(argv[2], int(argv[3]))
    else:
        sys.exit("queuecheck: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
