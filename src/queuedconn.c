/* queuedconn.c: a queued client's bytes into a queue entry (queuedconn.h). */
#include <time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/types.h>
#include "auto.h"
#include "qqstore.h"
#include "queuedconn.h"
#include "received.h"

void queuedconn_start(struct queuedconn *c, int fd, uid_t uid, pid_t pid)
{
  static struct qqproto const zero = QQPROTO_ZERO ;
  c->fd = fd ; c->uid = uid ; c->pid = pid ;
  c->p = zero ;
  c->q.fd = c->q.intdfd = -1 ; c->q.made = 0 ;
  c->inmsg = 0 ; c->code = 0 ;
}

/* The first byte of a message (or its end, for an empty one): the pid/
 * file, mess/, and the Received line, as queue makes them. */
static void begin(struct queuedconn *c, pid_t self, unsigned long *seq)
{
  char rline[RECEIVED_MAX] ;
  time_t now = time(0) ;
  size_t rlen ;
  static struct envelope_scan const ezero = ENVELOPE_SCAN_ZERO ;
  c->inmsg = 1 ; c->code = 0 ;
  c->es = ezero ; c->est = ENVELOPE_MORE ;
  c->code = qwrite_openseq(&c->q, auto_split, self, now, seq) ;
  if (c->code) { qwrite_abort(&c->q) ; return ; }
  rlen = received_fmt(rline, c->pid, qqstore_kind(c->uid), c->uid, now) ;
  if (allwrite(c->q.fd, rline, rlen) < rlen) c->code = 53 ;
}

static void envopen(struct queuedconn *c)
{
  char head[2 + UID_FMT + 2 + PID_FMT] ;
  size_t hlen = 0 ;
  if (c->code) return ;
  head[hlen++] = 'u' ; hlen += uid_fmt(head + hlen, c->uid) ; head[hlen++] = 0 ;
  head[hlen++] = 'p' ; hlen += pid_fmt(head + hlen, c->pid) ; head[hlen++] = 0 ;
  c->code = qwrite_intd_open(&c->q, head, hlen) ;
}

/* Envelope bytes: scanned, and written up to (not with) the final NUL, as
 * qmail-queue writes the items; a byte after that NUL makes it bad. */
static void envbytes(struct queuedconn *c, char const *s, size_t n)
{
  size_t used = 0, keep ;
  if (c->est != ENVELOPE_MORE) { c->est = ENVELOPE_EFORMAT ; return ; }
  c->est = envelope_scanb(&c->es, s, n, &used) ;
  if (c->est == ENVELOPE_DONE && used < n) c->est = ENVELOPE_EFORMAT ;
  if (c->est != ENVELOPE_MORE && c->est != ENVELOPE_DONE) return ;
  keep = c->est == ENVELOPE_DONE ? used - 1 : used ;
  if (!c->code && allwrite(c->q.intdfd, s, keep) < keep) c->code = 53 ;
}

enum queuedconn_status queuedconn_feed(struct queuedconn *c, char const *s, size_t n, pid_t self, unsigned long *seq)
{
  while (n)
  {
    char const *d = 0 ;
    size_t used = 0, dlen = 0 ;
    enum qqproto_event ev = qqproto_next(&c->p, s, n, &used, &d, &dlen) ;
    s += used ; n -= used ;
    switch (ev)
    {
      case QQPROTO_MORE: break ;
      case QQPROTO_DATA:
        if (!c->inmsg) begin(c, self, seq) ;
        if (!c->code && allwrite(c->q.fd, d, dlen) < dlen) c->code = 53 ;
        break ;
      case QQPROTO_ENDMSG:
        if (!c->inmsg) begin(c, self, seq) ;
        envopen(c) ;
        break ;
      case QQPROTO_ENV:
        envbytes(c, d, dlen) ;
        break ;
      case QQPROTO_ENDENV:
        if (n) return QUEUEDCONN_BAD ;
        /* a netstring that ends before the final NUL is a bad envelope */
        if (!c->code && c->est != ENVELOPE_DONE)
          c->code = c->est == ENVELOPE_MORE ? 91 : envelope_exitcode(c->est) ;
        return QUEUEDCONN_READY ;
      default:
        return QUEUEDCONN_BAD ;
    }
  }
  return QUEUEDCONN_MORE ;
}

void queuedconn_next(struct queuedconn *c)
{
  c->inmsg = 0 ; c->code = 0 ;
  c->q.fd = c->q.intdfd = -1 ; c->q.made = 0 ;
}

void queuedconn_drop(struct queuedconn *c)
{
  if (c->inmsg) qwrite_abort(&c->q) ;
  if (c->fd >= 0) close(c->fd) ;
  c->fd = -1 ; c->inmsg = 0 ;
}

int queuedconn_idle(struct queuedconn const *c)
{
  return !c->inmsg && qqproto_idle(&c->p) ;
}
