#!/usr/bin/env python3
"""smtppeer.py [OPTION...] DIR: a scripted SMTP server (on 127.0.0.1) for the
end-to-end tests of remote. It listens on a free port, writes the port to
DIR/port when ready, and serves sessions (one thread each) until killed.
Session N (counting from 1) records in DIR/N.in every byte it received,
and in DIR/N.chunks one line per read: the commands that arrived in that
one read, as "MAIL RCPT RCPT DATA" (message content is not named), so
that a test can tell pipelined commands from ones sent one by one.
DIR/N.end is created when the session ends, holding how it ended
("quit", "eof", "dropped", "stalled").

Options (replies use '|' between the lines of a multi-line reply):
  --greeting R      the greeting (default "220 peer ESMTP")
  --ehlo R          the reply to EHLO (default
                    "250-peer|250-8BITMIME|250 SIZE 10000000");
                    "502 no" makes the client fall back to HELO
  --pipelining      add PIPELINING to the EHLO reply
  --mail R          the reply to MAIL (default "250 ok")
  --mail-again R    the reply to MAIL after the first message of a session
                    (default: as --mail); a 421 closes the connection
                    after it (ended "closed"), and "drop" closes it with
                    no reply (ended "dropped")
  --rcpt ADDR=R     the reply to RCPT for ADDR (default "250 ok")
  --data R          the reply to DATA (default "354 go ahead")
  --end R           the reply after the message (default "250 ok queued")
  --close-after-end close the connection after that reply, as a server
                    that takes one message a session (ended "closed")
  --drop-in-data    close the connection in the middle of the message
                    (after its first line) without replying
  --stall CMD       never reply to CMD (EHLO, MAIL, RCPT, DATA, or END
                    for the end of the message): hold the connection open
                    until the client closes it
  --starttls R      the reply to STARTTLS (default "502 unknown command");
                    a 220 reply is followed by no handshake: the peer
                    reads the client's first TLS bytes and drops the
                    connection (ended "tls-dropped"), a failed handshake
  --sessions N      serve N sessions, then stop listening
  --listen ADDR     the address to listen on (default 127.0.0.1; an IPv6
                    address is taken as such), for tests in namespaces
  --port N          the port (default 0: a free one)
  --no-answer       accept no connection: the listen queue is kept full,
                    so that a client's connection attempt times out
"""
import argparse, os, socket, threading, time


def reply(r):
    lines = r.split('|')
    out = b''
    for i, l in enumerate(lines):
        code, text = l[:3], l[4:]
        sep = '-' if i < len(lines) - 1 else ' '
        out += (code + sep + text).encode() + b'\r\n'
    return out


class Session:
    def __init__(self, conn, n, a):
        self.c, self.n, self.a = conn, n, a
        self.base = os.path.join(a.dir, str(n))
        self.rec = open(self.base + '.in', 'wb')
        self.chunks = open(self.base + '.chunks', 'w')
        self.buf = b''
        self.ended = 'eof'

    def send(self, b):
        try:
            self.c.sendall(b)
        except OSError:
            pass

    def stall(self):
        self.ended = 'stalled'
        while True:
            try:
                b = self.c.recv(65536)
            except OSError:
                b = b''
            if not b:
                return False
            self.rec.write(b)
            self.rec.flush()

    def read(self):
        try:
            b = self.c.recv(65536)
        except OSError:
            b = b''
        if b:
            self.rec.write(b)
            self.rec.flush()
            names = [l.split(b' ')[0].split(b':')[0].decode('latin-1').upper()
                     for l in b.split(b'\r\n')[:-1]] if not self.indata else []
            self.chunks.write(' '.join(names) + '\n')
            self.chunks.flush()
        return b

    def line(self):
        while b'\r\n' not in self.buf:
            b = self.read()
            if not b:
                return None
            self.buf += b
        l, self.buf = self.buf.split(b'\r\n', 1)
        return l

    def run(self):
        a = self.a
        self.indata = False
        self.messages = 0
        self.send(reply(a.greeting))
        if not a.greeting.startswith('2'):
            # a refusing greeting: wait for QUIT or the end
            self.line()
            self.send(reply('221 bye'))
            self.ended = 'quit'
            return
        ehlo = a.ehlo.split('|')
        if a.pipelining and ehlo[0].startswith('250'):
            ehlo.insert(1, '250 PIPELINING')
        ehlo = '|'.join(ehlo)
        while True:
            l = self.line()
            if l is None:
                return
            cmd = l.split(b' ')[0].split(b':')[0].upper().decode('latin-1')
            if cmd in a.stall:
                self.stall()
                return
            if cmd == 'EHLO':
                self.send(reply(ehlo))
            elif cmd == 'HELO':
                self.send(reply('250 peer'))
            elif cmd == 'MAIL':
                r = a.mail_again if self.messages and a.mail_again else a.mail
                if r == 'drop':
                    self.ended = 'dropped'
                    return
                self.send(reply(r))
                if r.startswith('421'):
                    self.ended = 'closed'
                    return
            elif cmd == 'RCPT':
                addr = l.split(b'<', 1)[1].split(b'>', 1)[0].decode('latin-1')
                self.send(reply(a.rcptmap.get(addr, '250 ok')))
            elif cmd == 'DATA':
                self.send(reply(a.data))
                if a.data.startswith('354'):
                    if not self.message():
                        return
                    self.messages += 1
                    if a.close_after_end:
                        self.ended = 'closed'
                        return
            elif cmd == 'QUIT':
                self.send(reply('221 bye'))
                self.ended = 'quit'
                return
            elif cmd == 'STARTTLS' and a.starttls:
                self.send(reply(a.starttls))
                if a.starttls.startswith('220'):
                    self.indata = True
                    self.read()
                    self.ended = 'tls-dropped'
                    return
            elif cmd == 'RSET' or cmd == 'NOOP':
                self.send(reply('250 ok'))
            else:
                self.send(reply('502 unknown command'))

    def message(self):
        self.indata = True
        first = True
        while True:
            l = self.line()
            if l is None:
                return False
            if first and self.a.drop_in_data:
                self.ended = 'dropped'
                return False
            first = False
            if l == b'.':
                break
        self.indata = False
        if 'END' in self.a.stall:
            self.stall()
            return False
        self.send(reply(self.a.end))
        return True


def main():
    p = argparse.ArgumentParser()
    p.add_argument('dir')
    p.add_argument('--greeting', default='220 peer ESMTP')
    p.add_argument('--ehlo', default='250-peer|250-8BITMIME|250 SIZE 10000000')
    p.add_argument('--pipelining', action='store_true')
    p.add_argument('--mail', default='250 ok')
    p.add_argument('--rcpt', action='append', default=[])
    p.add_argument('--data', default='354 go ahead')
    p.add_argument('--end', default='250 ok queued')
    p.add_argument('--mail-again', default='')
    p.add_argument('--close-after-end', action='store_true')
    p.add_argument('--drop-in-data', action='store_true')
    p.add_argument('--stall', action='append', default=[])
    p.add_argument('--starttls', default='')
    p.add_argument('--sessions', type=int, default=0)
    p.add_argument('--listen', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--no-answer', action='store_true')
    a = p.parse_args()
    a.rcptmap = dict(x.split('=', 1) for x in a.rcpt)
    a.stall = [x.upper() for x in a.stall]
    s = socket.socket(socket.AF_INET6 if ':' in a.listen else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.listen, a.port))
    if a.no_answer:
        # a full accept queue drops new SYNs: connections time out
        s.listen(0)
        fill = []
        for i in range(3):
            c = socket.socket(s.family)
            c.setblocking(False)
            try:
                c.connect(s.getsockname()[:2])
            except BlockingIOError:
                pass
            fill.append(c)
        time.sleep(0.2)
    else:
        s.listen(16)
    tmp = os.path.join(a.dir, 'port.tmp')
    with open(tmp, 'w') as f:
        f.write('%d\n' % s.getsockname()[1])
    os.rename(tmp, os.path.join(a.dir, 'port'))
    if a.no_answer:
        while True:
            time.sleep(3600)
    n = 0
    lock = threading.Lock()

    def serve(conn, n):
        se = Session(conn, n, a)
        try:
            se.run()
        finally:
            se.rec.close()
            se.chunks.close()
            conn.close()
            with open(se.base + '.end', 'w') as f:
                f.write(se.ended + '\n')

    while not a.sessions or n < a.sessions:
        conn, _ = s.accept()
        with lock:
            n += 1
        threading.Thread(target=serve, args=(conn, n), daemon=True).start()
    s.close()
    while threading.active_count() > 1:
        time.sleep(0.1)


if __name__ == '__main__':
    main()
