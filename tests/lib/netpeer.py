#!/usr/bin/env python3
"""netpeer.py ADDR PORT DIR [OPTION...]: a scripted SMTP server for the
multi-host tests, misbehaving on purpose. It listens on ADDR:PORT, writes
DIR/ready once it does, and serves each connection in a thread:

  --greeting 'CODE TEXT'   the greeting (default "220 HOST ESMTP netpeer");
                           after one that is not 220 it answers QUIT with
                           221 and anything else with 503, and a 421 is
                           followed by the close at once
  --rcpt ADDR='CODE TEXT'  the reply to RCPT TO:<ADDR> (default 250)
  --drop-data N            the first N sessions that reach DATA read a part
                           of the message after 354 and close the
                           connection without a reply
  --stall STAGE            stop answering at STAGE (greeting, ehlo, mail,
                           rcpt, data, dot) and keep the connection open
                           until the client closes it
  --stall-sessions N       only the first N sessions stall (default: all)
  --name HOST              the host name in the greeting and EHLO reply

What it saw goes to DIR/log, one line per event ("session N", "C: line",
"S: line", "closed"). Each message taken (answered 250 after the final
dot) is kept as DIR/msg.N (the data, dots unstuffed, CRLF as sent) with
its envelope in DIR/env.N ("from ADDR" then "to ADDR" lines, accepted
recipients only). Only the standard library.

Beside tests/lib/smtppeer.py (remote's loopback tests, which records the
bytes of each session), this one keeps each message it took, so that a
test counts deliveries ("exactly one copy"), and changes its behaviour
from one session to the next (--drop-data N, --stall-sessions N), as a
retry after ALRM needs."""
import os, socket, socketserver, sys, threading, time

LOCK = threading.Lock()
STATE = {'session': 0, 'data': 0, 'msg': 0}


def parse(argv):
    o = {'greeting': None, 'rcpt': {}, 'drop': 0, 'stall': None, 'stall_n': None, 'name': 'peer.test'}
    i = 0
    while i < len(argv):
        a, v = argv[i], argv[i + 1] if i + 1 < len(argv) else None
        if v is None:
            sys.exit('netpeer: fatal: option %s needs a value' % a)
        if a == '--greeting':
            o['greeting'] = v
        elif a == '--rcpt':
            k, r = v.split('=', 1)
            o['rcpt'][k.lower()] = r
        elif a == '--drop-data':
            o['drop'] = int(v)
        elif a == '--stall':
            o['stall'] = v
        elif a == '--stall-sessions':
            o['stall_n'] = int(v)
        elif a == '--name':
            o['name'] = v
        else:
            sys.exit('netpeer: fatal: unknown option ' + a)
        i += 2
    return o


def main():
    addr, port, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    o = parse(sys.argv[4:])
    logf = open(os.path.join(d, 'log'), 'a', buffering=1)

    def log(s):
        with LOCK:
            logf.write(s + '\n')

    class Handler(socketserver.StreamRequestHandler):
        def send(self, line):
            log('S: ' + line)
            self.wfile.write(line.encode() + b'\r\n')
            self.wfile.flush()

        def stall(self):
            log('stalled')
            while self.rfile.read(1):
                pass

        def handle(self):
            with LOCK:
                STATE['session'] += 1
                n = STATE['session']
            log('session %d from %s' % (n, self.client_address[0]))
            stalls = o['stall'] and (o['stall_n'] is None or n <= o['stall_n'])
            try:
                self.session(n, stalls)
            except (ConnectionError, OSError):
                pass
            log('closed %d' % n)

        def session(self, n, stalls):
            if stalls and o['stall'] == 'greeting':
                return self.stall()
            g = o['greeting'] or '220 %s ESMTP netpeer' % o['name']
            self.send(g)
            if not g.startswith('220'):
                if g.startswith('421'):
                    return
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    log('C: ' + line.decode('latin-1').rstrip('\r\n'))
                    if line.strip().upper() == b'QUIT':
                        return self.send('221 bye')
                    self.send('503 5.5.1 no service')
            sender, rcpts = None, []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                text = line.decode('latin-1').rstrip('\r\n')
                log('C: ' + text)
                verb = text[:4].upper()
                stage = {'EHLO': 'ehlo', 'HELO': 'ehlo', 'MAIL': 'mail', 'RCPT': 'rcpt', 'DATA': 'data'}.get(verb)
                if stalls and stage == o['stall']:
                    return self.stall()
                if verb == 'EHLO':
                    for l in ('250-%s' % o['name'], '250-PIPELINING', '250-8BITMIME', '250 SIZE 10000000'):
                        self.send(l)
                elif verb == 'HELO':
                    self.send('250 %s' % o['name'])
                elif verb == 'MAIL':
                    sender, rcpts = text[10:].strip().strip('<>').split('>')[0], []
                    self.send('250 2.1.0 ok')
                elif verb == 'RCPT':
                    a = text[8:].strip().strip('<>').split('>')[0]
                    r = o['rcpt'].get(a.lower(), '250 2.1.5 ok')
                    if r.startswith('2'):
                        rcpts.append(a)
                    self.send(r)
                elif verb == 'DATA':
                    if not rcpts:
                        self.send('554 5.5.1 no valid recipients')
                        continue
                    self.send('354 go ahead')
                    with LOCK:
                        STATE['data'] += 1
                        drop = STATE['data'] <= o['drop']
                    body = bytearray()
                    while True:
                        l = self.rfile.readline()
                        if not l:
                            return
                        if drop and len(body) > 0:
                            log('dropped in DATA after %d bytes' % len(body))
                            return
                        if l == b'.\r\n':
                            break
                        body.extend(l[1:] if l.startswith(b'.') else l)
                    if stalls and o['stall'] == 'dot':
                        return self.stall()
                    with LOCK:
                        STATE['msg'] += 1
                        m = STATE['msg']
                    with open(os.path.join(d, 'msg.%d.tmp' % m), 'wb') as f:
                        f.write(body)
                    with open(os.path.join(d, 'env.%d' % m), 'w') as f:
                        f.write('from %s\n' % sender + ''.join('to %s\n' % r for r in rcpts))
                    os.rename(os.path.join(d, 'msg.%d.tmp' % m), os.path.join(d, 'msg.%d' % m))
                    self.send('250 2.0.0 ok: taken as message %d' % m)
                elif verb == 'RSET':
                    sender, rcpts = None, []
                    self.send('250 2.0.0 ok')
                elif verb == 'NOOP':
                    self.send('250 2.0.0 ok')
                elif verb == 'QUIT':
                    return self.send('221 2.0.0 bye')
                else:
                    self.send('502 5.5.2 unimplemented')

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True
        address_family = socket.AF_INET6 if ':' in addr else socket.AF_INET

    srv = Server((addr, port), Handler)
    open(os.path.join(d, 'ready'), 'w').close()
    srv.serve_forever()


main()
