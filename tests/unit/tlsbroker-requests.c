/* tlsbroker-requests: the STARTTLS request between a smtppool worker and
 * its TLS broker (tlsbroker.h), over a real SOCK_SEQPACKET socketpair. A
 * request (one byte 'S', a connection and a channel) is received with
 * both descriptors, close-on-exec; everything else a compromised worker
 * could send is refused with EPROTO and leaves no descriptor open in the
 * broker: another byte, two bytes, an empty message, no descriptor, one,
 * three, ten (truncated control data), a pipe instead of a socket. The
 * end of the socket is 0, an empty message is not. The worker's side:
 * the channel comes back on READY, 'N' is EPROTO, a broker that closes
 * everything ECONNRESET, one that never answers ETIMEDOUT, one that is
 * gone EPIPE. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "tlsbroker.h"
#include "tlsctl.h"

static unsigned int nfds(void)
{
  unsigned int n = 0 ;
  DIR *d = opendir("/proc/self/fd") ;
  struct dirent *e ;
  if (!d) return 0 ;
  while ((e = readdir(d))) if (e->d_name[0] != '.') n++ ;
  closedir(d) ;
  return n - 1 ;    /* the directory's own */
}

/* sends len bytes of data with the n descriptors of fds */
static int sendfds(int sock, char const *data, size_t len, int const *fds, unsigned int n)
{
  union { struct cmsghdr h ; char buf[CMSG_SPACE(16 * sizeof(int))] ; } ctl ;
  struct iovec v = { .iov_base = (void *)data, .iov_len = len } ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 } ;
  memset(ctl.buf, 0, sizeof ctl.buf) ;
  if (n)
  {
    struct cmsghdr *h ;
    m.msg_control = ctl.buf ;
    m.msg_controllen = CMSG_SPACE(n * sizeof(int)) ;
    h = CMSG_FIRSTHDR(&m) ;
    h->cmsg_level = SOL_SOCKET ;
    h->cmsg_type = SCM_RIGHTS ;
    h->cmsg_len = CMSG_LEN(n * sizeof(int)) ;
    memcpy(CMSG_DATA(h), fds, n * sizeof(int)) ;
  }
  return sendmsg(sock, &m, 0) == (ssize_t)len ;
}

static void refused(int const sv[2], char const *data, size_t len, int const *fds, unsigned int n, char const *what)
{
  int got[2], r ;
  unsigned int before = nfds() ;
  if (!sendfds(sv[1], data, len, fds, n)) { printf("Bail out! sendmsg: %s\n", strerror(errno)) ; exit(1) ; }
  errno = 0 ;
  r = tlsbroker_recv(sv[0], got) ;
  ok(r == -1 && errno == EPROTO, what) ;
  is_int(nfds(), before, "  and no descriptor of it stays open") ;
}

int main(void)
{
  int sv[2], a[2], b[2], p[2], fds[10], got[2] ;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0
   || socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, b) < 0 || pipe(p) < 0)
  { printf("Bail out! cannot make sockets\n") ; return 1 ; }

  /* a request */
  {
    unsigned int before = nfds() ;
    int r ;
    sendfds(sv[1], "S", 1, (int[]){ a[0], b[0] }, 2) ;
    r = tlsbroker_recv(sv[0], got) ;
    is_int(r, 1, "a request: received") ;
    is_int(nfds(), before + 2, "  with two descriptors") ;
    ok(fcntl(got[0], F_GETFD) == FD_CLOEXEC && fcntl(got[1], F_GETFD) == FD_CLOEXEC, "  both close-on-exec") ;
    /* they are the sockets sent: bytes through them arrive */
    ok(write(a[1], "x", 1) == 1 && read(got[0], (char[1]){ 0 }, 1) == 1, "  the first is the connection") ;
    ok(write(got[1], "y", 1) == 1 && read(b[1], (char[1]){ 0 }, 1) == 1, "  the second the channel") ;
    close(got[0]) ; close(got[1]) ;
  }

  refused(sv, "X", 1, (int[]){ a[0], b[0] }, 2, "another byte: EPROTO") ;
  refused(sv, "SS", 2, (int[]){ a[0], b[0] }, 2, "two bytes: EPROTO") ;
  refused(sv, "S", 1, 0, 0, "no descriptor: EPROTO") ;
  refused(sv, "S", 1, (int[]){ a[0] }, 1, "one descriptor: EPROTO") ;
  refused(sv, "S", 1, (int[]){ a[0], b[0], a[1] }, 3, "three descriptors: EPROTO") ;
  for (unsigned int i = 0 ; i < 10 ; i++) fds[i] = a[0] ;
  refused(sv, "S", 1, fds, 10, "ten descriptors (more than the broker's room): EPROTO") ;
  refused(sv, "S", 1, (int[]){ p[0], b[0] }, 2, "a pipe for the connection: EPROTO") ;
  refused(sv, "S", 1, (int[]){ a[0], p[1] }, 2, "a pipe for the channel: EPROTO") ;
  refused(sv, "", 0, 0, 0, "an empty message: EPROTO, not the end") ;

  /* the worker's side, against brokers played by a child */
  for (int mode = 0 ; mode < 3 ; mode++)
  {
    static char const *const name[3] = { "READY", "an N record", "the broker closes it all" } ;
    pid_t pid = fork() ;
    int c ;
    if (!pid)
    {
      int f[2] ;
      if (tlsbroker_recv(sv[0], f) != 1) _exit(1) ;
      if (mode == 0) { char r = TLSCTL_READY ; if (write(f[1], &r, 1) != 1 || write(f[1], "hello", 5) != 5) _exit(1) ; }
      if (mode == 1) { if (write(f[1], "N\0TLS_ERROR=no key\0\0", 20) != 20) _exit(1) ; }
      _exit(0) ;
    }
    errno = 0 ;
    c = tlsbroker_ask(sv[1], a[0], 5000) ;
    waitpid(pid, 0, 0) ;
    if (mode == 0)
    {
      char buf[6] = { 0 } ;
      ok(c >= 0 && read(c, buf, 5) == 5 && !strcmp(buf, "hello"), "ask: READY gives the channel, and what follows on it") ;
      ok(c >= 0 && fcntl(c, F_GETFD) == FD_CLOEXEC, "  close-on-exec") ;
      if (c >= 0) close(c) ;
    }
    else ok(c == -1 && errno == (mode == 1 ? EPROTO : ECONNRESET), name[mode]) ;
  }
  {
    unsigned int before = nfds() ;
    int c = tlsbroker_ask(sv[1], a[0], 100) ;
    ok(c == -1 && errno == ETIMEDOUT, "ask: no answer in time: ETIMEDOUT") ;
    /* the request is still in the socket: take it out */
    if (tlsbroker_recv(sv[0], got) == 1) { close(got[0]) ; close(got[1]) ; }
    is_int(nfds(), before, "  and nothing left open") ;
  }
  close(sv[1]) ;
  is_int(tlsbroker_recv(sv[0], got), 0, "the other end closed: 0") ;
  {
    int s2[2], c ;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s2) < 0) return 1 ;
    close(s2[0]) ;
    errno = 0 ;
    c = tlsbroker_ask(s2[1], a[0], 100) ;
    ok(c == -1 && (errno == EPIPE || errno == ECONNREFUSED), "ask: the broker gone: EPIPE") ;
  }
  return tap_done() ;
}
