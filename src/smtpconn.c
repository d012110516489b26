/* smtpconn.c: remote's SMTP connection (smtpconn.h). */
#include <errno.h>
#include <string.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/ip46.h>
#include <skalibs/socket.h>
#include <skalibs/tai.h>
#include <skalibs/unix-timed.h>
#include "smtpconn.h"

static void deadline(tain *d, unsigned int secs)
{
  tain_now_g() ;
  tain_addsec_g(d, (int)(secs > 86400 * 7 ? 86400 * 7 : secs)) ;
}

int smtpconn_connect(struct smtpconn *c, struct dns_ip const *ip, uint16_t port,
  unsigned int timeoutconnect, unsigned int timeout)
{
  tain d ;
  int s = ip->is6 ? socket_tcp6_nbcoe() : socket_tcp4_nbcoe() ;
  int r ;
  if (s < 0) return 0 ;
  deadline(&d, timeoutconnect) ;
  r = ip->is6 ? socket_deadlineconnstamp6(s, (char const *)ip->ip, port, &d, &STAMP)
              : socket_deadlineconnstamp4(s, (char const *)ip->ip, port, &d, &STAMP) ;
  if (!r)
  {
    int e = errno ;
    fd_close(s) ;
    errno = e ;
    return 0 ;
  }
  c->sock = s ;
  c->timeout = timeout ;
  c->line.len = 0 ;
  smtpconn_setfds(c, s, s) ;
  return 1 ;
}

void smtpconn_setfds(struct smtpconn *c, int rfd, int wfd)
{
  c->rfd = rfd ;
  c->wfd = wfd ;
  buffer_init(&c->in, &buffer_read, rfd, c->inbuf, sizeof c->inbuf) ;
  buffer_init(&c->out, &buffer_write, wfd, c->outbuf, sizeof c->outbuf) ;
}

enum smtpconn_status smtpconn_flush(struct smtpconn *c)
{
  tain d ;
  if (buffer_isempty(&c->out)) return SMTPCONN_OK ;
  deadline(&d, c->timeout) ;
  return buffer_timed_flush(&c->out, &d, &STAMP) ? SMTPCONN_OK : SMTPCONN_DIED ;
}

enum smtpconn_status smtpconn_put(struct smtpconn *c, char const *s, size_t len)
{
  while (len)
  {
    size_t w = buffer_putnoflush(&c->out, s, len) ;
    s += w ; len -= w ;
    if (len && smtpconn_flush(c) != SMTPCONN_OK) return SMTPCONN_DIED ;
  }
  return SMTPCONN_OK ;
}

enum smtpconn_status smtpconn_puts(struct smtpconn *c, char const *s)
{
  return smtpconn_put(c, s, strlen(s)) ;
}

/* One line into c->line, without its LF and a CR before it. */
static enum smtpconn_status getline(struct smtpconn *c)
{
  c->line.len = 0 ;
  for (;;)
  {
    char ch ;
    if (!buffer_getnofill(&c->in, &ch, 1))
    {
      tain d ;
      ssize_t r ;
      deadline(&d, c->timeout) ;
      r = buffer_timed_fill(&c->in, &d, &STAMP) ;
      if (r <= 0) { if (!r) errno = EPIPE ; return SMTPCONN_DIED ; }
      continue ;
    }
    if (ch == '\n') break ;
    if (c->line.len >= SMTPREPLY_LINEMAX) return SMTPCONN_BAD ;
    if (!stralloc_catb(&c->line, &ch, 1)) return SMTPCONN_NOMEM ;
  }
  if (c->line.len && c->line.s[c->line.len - 1] == '\r') c->line.len-- ;
  return SMTPCONN_OK ;
}

enum smtpconn_status smtpconn_reply(struct smtpconn *c, struct smtpreply *r)
{
  enum smtpconn_status st = smtpconn_flush(c) ;
  if (st != SMTPCONN_OK) return st ;
  smtpreply_start(r) ;
  for (;;)
  {
    st = getline(c) ;
    if (st != SMTPCONN_OK) return st ;
    switch (smtpreply_line(r, c->line.s, c->line.len))
    {
      case SMTPREPLY_MORE: break ;
      case SMTPREPLY_DONE: return SMTPCONN_OK ;
      case SMTPREPLY_BAD: return SMTPCONN_BAD ;
      default: return SMTPCONN_NOMEM ;
    }
  }
}

void smtpconn_close(struct smtpconn *c)
{
  if (c->rfd >= 0 && c->rfd != c->sock) fd_close(c->rfd) ;
  if (c->wfd >= 0 && c->wfd != c->sock && c->wfd != c->rfd) fd_close(c->wfd) ;
  if (c->sock >= 0) fd_close(c->sock) ;
  c->rfd = c->wfd = c->sock = -1 ;
}
