#!/usr/bin/env python3
"""cdbdump.py FILE: prints every record of a cdb (D. J. Bernstein's format,
as skalibs' cdbmake writes it) as "key<TAB>data", in file order, with bytes
outside printable ASCII written as \\xNN. Exits 1 if the file is not a
well-formed cdb: the end of the records must be where the hash tables
start."""
import struct, sys

def esc(b):
    return ''.join(chr(c) if 32 <= c < 127 and c != 92 else '\\x%02x' % c for c in b)

data = open(sys.argv[1], 'rb').read()
if len(data) < 2048:
    sys.exit('cdbdump: file shorter than the 2048-byte header')
tables = [struct.unpack_from('<II', data, 8 * i) for i in range(256)]
end = min(p for p, _ in tables)
pos = 2048
out = []
while pos < end:
    klen, dlen = struct.unpack_from('<II', data, pos)
    pos += 8
    if pos + klen + dlen > end:
        sys.exit('cdbdump: record past the end of the records')
    out.append(esc(data[pos:pos + klen]) + '\t' + esc(data[pos + klen:pos + klen + dlen]))
    pos += klen + dlen
if pos != end:
    sys.exit('cdbdump: records do not end where the tables start')
print('\n'.join(out))
