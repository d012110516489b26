/* localjob.c: encoders and decoders of the lspawn <-> local worker
 * protocol (localjob.h), and the packet transfer with a descriptor. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/netstring.h>
#include <skalibs/types.h>
#include "localjob.h"

#define HELLO "cairn-local-worker 1"

int localjob_puthello(stralloc *sa)
{
  return netstring_appendb(sa, HELLO, sizeof HELLO - 1) ;
}

static char const hellopkt[] = "20:" HELLO "," ;

char const *localjob_hello(size_t *len)
{
  *len = sizeof hellopkt - 1 ;
  return hellopkt ;
}

int localjob_putjob(stralloc *sa, char const *const *args)
{
  return localjob_putargs(sa, args, LOCALJOB_ARGS) ;
}

int localjob_putargs(stralloc *sa, char const *const *args, unsigned int n)
{
  size_t base = sa->len ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    size_t n = strlen(args[i]) ;
    if (n > LOCALJOB_ARG_MAX) { sa->len = base ; errno = EINVAL ; return 0 ; }
    if (!netstring_appendb(sa, args[i], n)) { sa->len = base ; return 0 ; }
  }
  return 1 ;
}

/* One netstring of at most max bytes from s (len bytes left), appended to
 * sa. Returns the bytes used, or 0 when malformed. The length must be plain
 * digits without a leading zero (but "0"), so that every field has one
 * spelling. */
static size_t field(char const *s, size_t len, size_t max, stralloc *sa)
{
  size_t i = 0, n = 0 ;
  while (i < len && s[i] >= '0' && s[i] <= '9')
  {
    if (i > 5 || (i == 1 && s[0] == '0')) return 0 ;
    n = n * 10 + (size_t)(s[i] - '0') ;
    i++ ;
  }
  if (!i || n > max || i >= len || s[i] != ':') return 0 ;
  i++ ;
  if (len - i < n + 1 || s[i + n] != ',') return 0 ;
  if (!stralloc_catb(sa, s + i, n)) return 0 ;
  return i + n + 1 ;
}

int localjob_getjob(char const *s, size_t len, stralloc *store, char const **args)
{
  return localjob_getargs(s, len, LOCALJOB_ARGS, store, args) ;
}

int localjob_getargs(char const *s, size_t len, unsigned int n, stralloc *store, char const **args)
{
  size_t off[LOCALJOB_ARGS] ;
  size_t pos = 0 ;
  if (n > LOCALJOB_ARGS) { errno = EINVAL ; return 0 ; }
  store->len = 0 ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    size_t start = store->len, used = field(s + pos, len - pos, LOCALJOB_ARG_MAX, store) ;
    if (!used) { if (errno != ENOMEM) errno = EPROTO ; return 0 ; }
    if (memchr(store->s + start, 0, store->len - start)) { errno = EPROTO ; return 0 ; }
    if (!stralloc_0(store)) return 0 ;
    off[i] = start ;
    pos += used ;
  }
  if (pos != len) { errno = EPROTO ; return 0 ; }
  for (unsigned int i = 0 ; i < n ; i++) args[i] = store->s + off[i] ;
  return 1 ;
}

int localjob_putreport(stralloc *sa, int code, char const *text, size_t len)
{
  char num[UINT_FMT] ;
  size_t base = sa->len ;
  if (code < 0 || code > 255) { errno = EINVAL ; return 0 ; }
  if (len > LOCALJOB_TEXT_MAX) len = LOCALJOB_TEXT_MAX ;
  if (!netstring_appendb(sa, num, uint_fmt(num, (unsigned int)code)) || !netstring_appendb(sa, text, len))
  {
    sa->len = base ;
    return 0 ;
  }
  return 1 ;
}

int localjob_getreport(char const *s, size_t len, int *code, stralloc *text)
{
  char num[4] ;
  stralloc c = { .s = num, .len = 0, .a = sizeof num } ;   /* never grown: max 3 */
  size_t used = field(s, len, 3, &c), used2 ;
  unsigned int v = 0 ;
  if (!used || !c.len) goto bad ;
  for (size_t i = 0 ; i < c.len ; i++)
  {
    if (num[i] < '0' || num[i] > '9' || (i == 1 && num[0] == '0')) goto bad ;
    v = v * 10 + (unsigned int)(num[i] - '0') ;
  }
  if (v > 255) goto bad ;
  text->len = 0 ;
  used2 = field(s + used, len - used, LOCALJOB_TEXT_MAX, text) ;
  if (!used2) { if (errno == ENOMEM) return 0 ; goto bad ; }
  if (used + used2 != len) goto bad ;
  *code = (int)v ;
  return 1 ;
 bad:
  errno = EPROTO ;
  return 0 ;
}

int localjob_send(int sock, char const *s, size_t len, int fd, int nonblock)
{
  struct iovec v = { .iov_base = (void *)s, .iov_len = len } ;
  union { struct cmsghdr h ; char buf[CMSG_SPACE(sizeof(int))] ; } u ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 } ;
  ssize_t r ;
  if (fd >= 0)
  {
    struct cmsghdr *c ;
    memset(&u, 0, sizeof u) ;
    m.msg_control = u.buf ;
    m.msg_controllen = sizeof u.buf ;
    c = CMSG_FIRSTHDR(&m) ;
    c->cmsg_level = SOL_SOCKET ;
    c->cmsg_type = SCM_RIGHTS ;
    c->cmsg_len = CMSG_LEN(sizeof(int)) ;
    memcpy(CMSG_DATA(c), &fd, sizeof(int)) ;
  }
  do r = sendmsg(sock, &m, MSG_NOSIGNAL | (nonblock ? MSG_DONTWAIT : 0)) ;
  while (r < 0 && errno == EINTR) ;
  if (r < 0) return 0 ;
  if ((size_t)r != len) { errno = EPROTO ; return 0 ; }
  return 1 ;
}

/* Closes every descriptor a received control message carries. */
static void closeall(struct msghdr *m)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m) ; c ; c = CMSG_NXTHDR(m, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
    {
      size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int) ;
      for (size_t i = 0 ; i < n ; i++)
      {
        int x ;
        memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof(int)) ;
        fd_close(x) ;
      }
    }
}

ssize_t localjob_recv(int sock, char *buf, size_t max, int *fd, int nonblock)
{
  struct iovec v = { .iov_base = buf, .iov_len = max } ;
  /* room for a few descriptors, so that a sender's extra ones are seen
   * (and closed) rather than silently cut */
  union { struct cmsghdr h ; char buf[CMSG_SPACE(4 * sizeof(int))] ; } u ;
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 } ;
  struct cmsghdr *c ;
  ssize_t r ;
  if (fd)
  {
    *fd = -1 ;
    m.msg_control = u.buf ;
    m.msg_controllen = sizeof u.buf ;
  }
  do r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC | (nonblock ? MSG_DONTWAIT : 0)) ;
  while (r < 0 && errno == EINTR) ;
  if (r <= 0) return r ;
  if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) goto bad ;
  if (!fd) return r ;
  c = CMSG_FIRSTHDR(&m) ;
  if (c)
  {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS
     || c->cmsg_len != CMSG_LEN(sizeof(int)) || CMSG_NXTHDR(&m, c)) goto bad ;
    memcpy(fd, CMSG_DATA(c), sizeof(int)) ;
  }
  return r ;
 bad:
  if (fd) { closeall(&m) ; *fd = -1 ; }
  errno = EPROTO ;
  return -1 ;
}
