#!/usr/bin/env python3
"""cdbmake.py FILE: writes a cdb (D. J. Bernstein's format) to FILE from
lines "key<TAB>data" on stdin (a line without a tab: the key, empty data),
as qmail-newmrh does for control/morercpthosts.cdb."""
import struct, sys

def h(b):
    v = 5381
    for c in b:
        v = ((v << 5) + v ^ c) & 0xffffffff
    return v

recs = []
for line in sys.stdin.buffer.read().split(b'\n'):
    if not line:
        continue
    k, _, d = line.partition(b'\t')
    recs.append((k, d))
body = bytearray()
pos = 2048
slots = [[] for _ in range(256)]
for k, d in recs:
    slots[h(k) & 255].append((h(k), pos))
    body += struct.pack('<II', len(k), len(d)) + k + d
    pos += 8 + len(k) + len(d)
head = bytearray()
tables = bytearray()
for s in slots:
    n = 2 * len(s)
    t = [(0, 0)] * n
    for hv, p in s:
        i = (hv >> 8) % n
        while t[i][1]:
            i = (i + 1) % n
        t[i] = (hv, p)
    head += struct.pack('<II', pos + len(tables), n)
    for hv, p in t:
        tables += struct.pack('<II', hv, p)
open(sys.argv[1], 'wb').write(bytes(head) + bytes(body) + bytes(tables))
