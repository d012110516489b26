/* tlsbroker.c: a STARTTLS request to the TLS broker, both sides
 * (tlsbroker.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "tlsbroker.h"
#include "tlsctl.h"

int tlsbroker_ask(int sock, int conn, int timeoutms)
{
  char req = TLSBROKER_REQUEST, c ;
  int p[2], e ;
  union { struct cmsghdr h ; char buf[CMSG_SPACE(2 * sizeof(int))] ; } ctl ;
  struct iovec v = { .iov_base = &req, .iov_len = 1 } ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf } ;
  struct cmsghdr *h ;
  struct pollfd pf ;
  ssize_t r ;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) < 0) return -1 ;
  memset(ctl.buf, 0, sizeof ctl.buf) ;
  h = CMSG_FIRSTHDR(&m) ;
  h->cmsg_level = SOL_SOCKET ;
  h->cmsg_type = SCM_RIGHTS ;
  h->cmsg_len = CMSG_LEN(2 * sizeof(int)) ;
  memcpy(CMSG_DATA(h), (int[]){ conn, p[1] }, 2 * sizeof(int)) ;
  /* never wait on a broker that does not read: that is a busy broker,
   * and the client gets 454 */
  do r = sendmsg(sock, &m, MSG_NOSIGNAL | MSG_DONTWAIT) ;
  while (r < 0 && errno == EINTR) ;
  e = errno ;
  close(p[1]) ;
  if (r != 1) { if (r >= 0) e = EPROTO ; goto fail ; }
  pf.fd = p[0] ;
  pf.events = POLLIN ;
  do r = poll(&pf, 1, timeoutms) ;
  while (r < 0 && errno == EINTR) ;
  if (r < 0) { e = errno ; goto fail ; }
  if (!r) { e = ETIMEDOUT ; goto fail ; }
  r = fd_read(p[0], &c, 1) ;
  if (r < 0) { e = errno ; goto fail ; }
  if (!r) { e = ECONNRESET ; goto fail ; }
  if (c != TLSCTL_READY) { e = EPROTO ; goto fail ; }
  return p[0] ;
 fail:
  close(p[0]) ;
  errno = e ;
  return -1 ;
}

static int issock(int fd)
{
  struct stat st ;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) ;
}

int tlsbroker_recv(int sock, int fd[2])
{
  char data[2] ;
  /* room for more than a request carries, so that too many descriptors
   * are seen (and closed), not silently cut */
  union { struct cmsghdr h ; char buf[CMSG_SPACE(8 * sizeof(int))] ; } ctl ;
  struct iovec v = { .iov_base = data, .iov_len = sizeof data } ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf } ;
  unsigned int nfd = 0, ncmsg = 0 ;
  int got[8], good ;
  ssize_t r ;
  do r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC) ;
  while (r < 0 && errno == EINTR) ;
  if (r < 0) return -1 ;
  for (struct cmsghdr *h = CMSG_FIRSTHDR(&m) ; h ; h = CMSG_NXTHDR(&m, h))
  {
    ncmsg++ ;
    if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && h->cmsg_len >= CMSG_LEN(0))
    {
      size_t n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int) ;
      for (size_t i = 0 ; i < n ; i++)
      {
        int d ;
        memcpy(&d, CMSG_DATA(h) + i * sizeof(int), sizeof d) ;
        if (nfd < 8) got[nfd] = d ;
        nfd++ ;
      }
    }
  }
  /* a SOCK_SEQPACKET socket reads 0 both at its end and for an empty
   * message (which a worker may send): only the hang-up is the end */
  if (!r && !nfd)
  {
    struct pollfd p = { .fd = sock, .events = POLLIN | POLLRDHUP, .revents = 0 } ;
    if (poll(&p, 1, 0) > 0 && p.revents & (POLLHUP | POLLRDHUP)) return 0 ;
  }
  good = r == 1 && data[0] == TLSBROKER_REQUEST && !(m.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
      && ncmsg == 1 && nfd == 2 && issock(got[0]) && issock(got[1]) ;
  if (good)
  {
    fd[0] = got[0] ;
    fd[1] = got[1] ;
    return 1 ;
  }
  for (unsigned int i = 0 ; i < nfd && i < 8 ; i++) close(got[i]) ;
  errno = EPROTO ;
  return -1 ;
}
