"""tlsclient.py PORT TLSD [MODE] [tlsd -c options...]: what remote does
with tlsd's client mode, for the end-to-end tests. Connects to
127.0.0.1:PORT; with MODE "starttls" speaks plaintext SMTP first (EHLO,
STARTTLS, 220), with "implicit" nothing; then makes a socketpair, runs
TLSD -c OPTIONS with the connection on fds 6 and 7 and the pair's other
end on 0 and 1, reads the outcome record (tlsd(8)), and, when it says Y,
speaks SMTP over the channel: the greeting (implicit), EHLO, QUIT.
Prints the status and fields of the record, one a line, then the SMTP
replies' first lines, then tlsd's exit status."""
import os
import socket
import sys

port, tlsd, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
opts = sys.argv[4:]
s = socket.create_connection(('127.0.0.1', port), timeout=20)


def replies(f, out):
    while True:
        line = f.readline()
        if not line:
            out.append('[closed]')
            return
        if len(line) < 4 or line[3:4] != b'-':
            out.append(line.decode(errors='replace').rstrip('\r\n'))
            return


if mode == 'starttls':
    f = s.makefile('rb')
    pre = []
    replies(f, pre)
    s.sendall(b'EHLO client.example\r\n')
    replies(f, pre)
    s.sendall(b'STARTTLS\r\n')
    replies(f, pre)
    assert pre[-1].startswith('220 2.0.0'), pre
    f.close()

a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    try:
        os.dup2(s.fileno(), 6)
        os.dup2(s.fileno(), 7)
        os.dup2(b.fileno(), 0)
        os.dup2(b.fileno(), 1)
        os.execv(tlsd, [tlsd, '-c'] + opts)
    finally:
        os._exit(127)
b.close()
s.close()

rec = b''
while True:
    c = a.recv(1)
    if not c:
        break
    rec += c
    if len(rec) >= 2 and rec.endswith(b'\0\0') or rec == b'Y\0' or rec == b'N\0':
        break
if not rec:
    print('EOF')
else:
    print(rec[:1].decode())
    for field in rec[1:].split(b'\0'):
        if field:
            print(field.decode())
    if rec[:1] == b'Y':
        f = a.makefile('rb')
        out = []
        if mode == 'implicit':
            replies(f, out)
        a.sendall(b'EHLO client.example\r\n')
        replies(f, out)
        a.sendall(b'QUIT\r\n')
        replies(f, out)
        for line in out:
            print(line)
a.close()
_, st = os.waitpid(pid, 0)
print('exit %d' % os.waitstatus_to_exitcode(st))
