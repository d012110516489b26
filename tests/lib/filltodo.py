#!/usr/bin/python3
"""filltodo.py QUEUE SPLIT N: a todo/ backlog of N entries, as queue would
leave them, from the one entry in QUEUE/todo/ (inject one first, with
send stopped): N - 1 copies of its mess/ and intd/ files under new inode
names, each linked into todo/. No fsync: for tests of order, not of
durability."""
import os
import sys

q, split, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tid = int(os.listdir(os.path.join(q, "todo"))[0])
mess = open(os.path.join(q, "mess", str(tid % split), str(tid)), "rb").read()
intd = open(os.path.join(q, "intd", str(tid)), "rb").read()
tmp = os.path.join(q, "pid", "fill.%d" % os.getpid())
W = os.O_WRONLY | os.O_CREAT | os.O_EXCL
for _ in range(n - 1):
    fd = os.open(tmp, W, 0o644)
    os.write(fd, mess)
    ino = os.fstat(fd).st_ino
    os.close(fd)
    os.link(tmp, os.path.join(q, "mess", str(ino % split), str(ino)))
    os.unlink(tmp)
    fd = os.open(os.path.join(q, "intd", str(ino)), W, 0o644)
    os.write(fd, intd)
    os.close(fd)
    os.link(os.path.join(q, "intd", str(ino)), os.path.join(q, "todo", str(ino)))
