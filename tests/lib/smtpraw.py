#!/usr/bin/env python3
"""smtpraw.py [-t SECS] [-h HOST] [-s SRC] PORT CHUNK...: a raw SMTP client
for the end-to-end tests, talking to HOST (default 127.0.0.1) on PORT from
address SRC (default: the system's choice). Each CHUNK
is sent in one write, with Python's string escapes (\\r, \\n, \\x00,
\\t) turned into bytes. Before the next chunk it reads the
replies the chunk asks for, counted as a client does it: one per command
line ended by CRLF (a bare CR or LF does not end a line), and after a
DATA answered 354 the message, up to CRLF "." CRLF (counting the CRLF of
the DATA line), is one more; a line cut at the end of a chunk goes on in
the next one. It then waits 0.05 s for anything more (there should be
nothing). After the last chunk it reads until the server closes or TAIL
seconds (-t, default 1) pass without data. Every reply is waited for at
most 20 seconds. Prints what the server sent, CRLF as LF, then "[closed]"
if the server closed the connection."""
import codecs, re, select, socket, sys, time

FINAL = re.compile(rb'\d{3} [^\n]*\n|\d{3}\r\n')


class Conn:
    def __init__(self, host, port, src=None):
        self.s = socket.create_connection((host, port), timeout=30,
                                          source_address=(src, 0) if src else None)
        self.got = bytearray()
        self.pos = 0          # replies before pos have been consumed
        self.closed = False

    def fill(self, wait):
        if self.closed:
            return False
        r, _, _ = select.select([self.s], [], [], wait)
        if not r:
            return False
        try:
            b = self.s.recv(65536)
        except ConnectionResetError:
            b = b''
        if not b:
            self.closed = True
            return False
        self.got.extend(b)
        return True

    def reply(self, limit=20.0):
        """The next complete reply (its final line), or None."""
        end = time.time() + limit
        while True:
            while True:
                nl = self.got.find(b'\n', self.pos)
                if nl < 0:
                    break
                line = bytes(self.got[self.pos:nl + 1])
                self.pos = nl + 1
                if FINAL.match(line):
                    return line
            if self.closed or time.time() > end:
                return None
            self.fill(0.05)

    def drain(self, silence):
        while self.fill(silence):
            pass


def main():
    args = sys.argv[1:]
    tail, host, src = 1.0, '127.0.0.1', None
    while args and args[0] in ('-t', '-h', '-s'):
        if args[0] == '-t':
            tail = float(args[1])
        elif args[0] == '-s':
            src = args[1]
        else:
            host = args[1]
        args = args[2:]
    c = Conn(host, int(args[0]), src)
    c.reply()
    mode, pending, tailbytes = 'cmd', b'', b'\r\n'
    for chunk in args[1:]:
        data = codecs.decode(chunk, 'unicode_escape').encode('latin-1')
        try:
            c.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            c.closed = True
            break
        buf = pending + data
        pending = b''
        while buf:
            if mode == 'data':
                # only CRLF . CRLF ends the message; the CRLF may be the
                # one that ended the DATA line
                k = (tailbytes + buf).find(b'\r\n.\r\n')
                if k < 0:
                    tailbytes = (tailbytes + buf)[-4:]
                    buf = b''
                    break
                buf = buf[k + 5 - len(tailbytes):]
                mode = 'cmd'
                if c.reply() is None:
                    break
                continue
            k = buf.find(b'\r\n')
            if k < 0:
                pending = buf
                break
            line, buf = buf[:k], buf[k + 2:]
            r = c.reply()
            if r is None:
                break
            if line.upper() == b'DATA' and r.startswith(b'354'):
                mode, tailbytes = 'data', b'\r\n'
        c.drain(0.05)
    c.drain(tail)
    sys.stdout.write(c.got.decode('latin-1').replace('\r\n', '\n'))
    if c.closed:
        sys.stdout.write('[closed]\n')


main()
