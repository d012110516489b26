/* tlsspawn-runs-client-mode: remote's side of tlsd -c (tlsspawn.h),
 * against stand-ins for tlsd written here as shell scripts: the options
 * reach it (-c, -n, -a, -t), the connection is its fds 6 and 7 and the
 * channel its fds 0 and 1 (bytes go both ways through it), the outcome
 * record is read and nothing after it; an N record gives 0 with its
 * TLS_ERROR and the exit code 111; a missing program gives 0 and 127. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/socket.h>
#include "tap.h"
#include "tlsspawn.h"

static char dir[] = "/tmp/cairn-tlsspawn.XXXXXX" ;

static char const *script(char const *name, char const *body)
{
  static char path[2][200] ;
  static int i = 0 ;
  char *p = path[i++ & 1] ;
  FILE *f ;
  snprintf(p, 200, "%s/%s", dir, name) ;
  f = fopen(p, "w") ;
  if (!f || fprintf(f, "#!/bin/sh\n%s", body) < 0 || fclose(f) || chmod(p, 0755)) { printf("Bail out! cannot write %s\n", p) ; exit(1) ; }
  return p ;
}

static size_t readn(int fd, char *buf, size_t want)
{
  size_t got = 0 ;
  while (got < want)
  {
    ssize_t r = read(fd, buf + got, want - got) ;
    if (r <= 0) break ;
    got += (size_t)r ;
  }
  return got ;
}

int main(void)
{
  struct tlsspawn t = TLSSPAWN_ZERO ;
  int x[2] ;
  char buf[64] ;
  char const *relay, *refuse ;
  if (!mkdtemp(dir)) { printf("Bail out! mkdtemp\n") ; return 1 ; }
  relay = script("relay",
    "printf 'YTLS_PROTOCOL=TLSv1.2\\000ARGS=%s\\000\\000' \"$*\"\n"
    "cat <&6 &\n"
    "cat >&7\n"
    "wait\n") ;
  refuse = script("refuse",
    "printf 'NTLS_ERROR=the certificate does not match the host name\\000\\000'\n"
    "exit 111\n") ;

  ok(ipc_pair_coe(x) == 0, "a connection (a socketpair here, close-on-exec as remote's sockets are)") ;
  ok(tlsspawn_start(&t, relay, x[1], "mx.example.org", "/etc/ca.pem", 30, 0), "tlsspawn_start") ;
  close(x[1]) ;
  is_int(tlsspawn_outcome(&t, 5000), 1, "outcome: Y") ;
  is_str(tlsspawn_get(&t, "ARGS"), "-c -n mx.example.org -a /etc/ca.pem -t 30", "the options reach tlsd") ;
  is_str(tlsspawn_get(&t, "TLS_PROTOCOL"), "TLSv1.2", "a field of the record") ;
  ok(!tlsspawn_get(&t, "TLS_PEER_VERIFIED"), "a field that is not there") ;
  ok(write(t.fd, "EHLO a\r\n", 8) == 8, "the program writes on the channel") ;
  is_mem(buf, readn(x[0], buf, 8), "EHLO a\r\n", 8, "  it comes out on the connection (fd 7)") ;
  ok(write(x[0], "250 ok\r\n", 8) == 8, "the peer answers") ;
  is_mem(buf, readn(t.fd, buf, 8), "250 ok\r\n", 8, "  it comes in on the channel (fd 6), right after the record") ;
  close(x[0]) ;
  is_int(tlsspawn_end(&t), 0, "tlsspawn_end: the channel closed, tlsd exits 0") ;
  is_int(t.fd, -1, "  the channel is gone") ;

  ok(ipc_pair_coe(x) == 0 && tlsspawn_start(&t, refuse, x[1], 0, 0, 0, 0), "a tlsd that refuses the peer") ;
  close(x[1]) ;
  is_int(tlsspawn_outcome(&t, 5000), 0, "outcome: N") ;
  is_str(tlsspawn_get(&t, "TLS_ERROR"), "the certificate does not match the host name", "  with the reason") ;
  is_int(tlsspawn_end(&t), 111, "  exit 111") ;
  close(x[0]) ;

  ok(ipc_pair_coe(x) == 0 && tlsspawn_start(&t, "/nonexistent/tlsd", x[1], 0, 0, 0, 0), "a tlsd that is not there starts") ;
  close(x[1]) ;
  is_int(tlsspawn_outcome(&t, 5000), 0, "  the outcome is an end of file: no TLS") ;
  is_int(tlsspawn_end(&t), 127, "  exit 127") ;
  close(x[0]) ;

  unlink(relay) ; unlink(refuse) ; rmdir(dir) ;
  return tap_done() ;
}
