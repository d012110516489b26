/* smtpio.c: buffered, timed SMTP I/O on fds 0 and 1.
 *
 * When fds 0 and 1 are sockets (smtppool's connection, tcpserver's, or
 * tlsd's channel), the timeout is the sockets' own (SO_RCVTIMEO and
 * SO_SNDTIMEO, two calls a session) and each read or write is one system
 * call; on anything else (pipes) each waits in poll(2) first. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include "smtpio.h"

static char inbuf[8192] ;
static size_t inpos, inlen ;
static int timeoutms ;
static int direct ;     /* the sockets time out by themselves: no poll */
static char outbuf[4096] ;

/* A client that stops reading must not hold the session forever: every
 * write waits at most the timeout too. */
static ssize_t timedwritev(int fd, struct iovec const *v, unsigned int n)
{
  struct pollfd p = { fd, POLLOUT, 0 } ;
  if (direct)
  {
    ssize_t r = fd_writev(fd, v, n) ;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) errno = ETIMEDOUT ;
    return r ;
  }
  for (;;)
  {
    int r = poll(&p, 1, timeoutms) ;
    if (r < 0 && errno == EINTR) continue ;
    if (!r) errno = ETIMEDOUT ;
    if (r <= 0) return -1 ;
    break ;
  }
  return fd_writev(fd, v, n) ;
}

static buffer out = BUFFER_INIT(&timedwritev, 1, outbuf, sizeof outbuf) ;

/* A new session: what a previous one left buffered (pipelined input,
 * unsent replies) is dropped. */
void smtpio_init(unsigned int timeout)
{
  timeoutms = timeout > 86400 ? 86400000 : (int)timeout * 1000 ;
  inpos = inlen = 0 ;
  buffer_init(&out, &timedwritev, 1, outbuf, sizeof outbuf) ;
  smtpio_newfds() ;
}

void smtpio_newfds(void)
{
  struct timeval tv = { .tv_sec = timeoutms / 1000, .tv_usec = (timeoutms % 1000) * 1000 } ;
  /* a zero timeout would mean none at all to the socket */
  direct = timeoutms > 0
    && setsockopt(0, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0
    && setsockopt(1, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0 ;
}

void smtpio_putb(char const *s, size_t len)
{
  size_t w = 0 ;
  if (!buffer_putall(&out, s, len, &w)) _exit(111) ;
}

void smtpio_put(char const *s)
{
  size_t w = 0 ;
  if (!buffer_putsall(&out, s, &w)) _exit(111) ;
}

void smtpio_flush(void)
{
  if (!buffer_flush(&out)) _exit(111) ;
}

/* 1 read, 0 EOF, -1 timeout or error */
static int fill(void)
{
  struct pollfd p = { 0, POLLIN, 0 } ;
  ssize_t r ;
  smtpio_flush() ;
  while (!direct)
  {
    int n = poll(&p, 1, timeoutms) ;
    if (n < 0 && errno == EINTR) continue ;
    if (n <= 0) return -1 ;
    break ;
  }
  r = fd_read(0, inbuf, sizeof inbuf) ;
  if (r <= 0) return r ? -1 : 0 ;
  inpos = 0 ; inlen = (size_t)r ;
  return 1 ;
}

long smtpio_peek(char const **p)
{
  if (inpos == inlen)
  {
    int r = fill() ;
    if (r <= 0) return r ;
  }
  *p = inbuf + inpos ;
  return (long)(inlen - inpos) ;
}

void smtpio_eat(size_t n)
{
  inpos += n ;
}

size_t smtpio_pending(void)
{
  size_t n = inlen - inpos ;
  inpos = inlen = 0 ;
  return n ;
}

enum smtpio_line smtpio_getline(stralloc *line)
{
  int bad = 0, cr = 0 ;
  size_t n = 0 ;
  line->len = 0 ;
  for (;;)
  {
    char c ;
    if (inpos == inlen)
    {
      int r = fill() ;
      if (!r) return SMTPIO_EOF ;
      if (r < 0) return SMTPIO_TIMEOUT ;
    }
    c = inbuf[inpos++] ;
    n++ ;
    if (cr && c == '\n') break ;
    if (cr) bad = 1 ;                       /* a CR not followed by LF */
    cr = c == '\r' ;
    if (cr) continue ;
    if (c == '\n' || !c) bad = 1 ;
    if (n <= SMTPIO_LINEMAX && !stralloc_catb(line, &c, 1)) _exit(111) ;
  }
  if (n > SMTPIO_LINEMAX) return SMTPIO_TOOLONG ;
  return bad ? SMTPIO_BAD : SMTPIO_LINE ;
}
