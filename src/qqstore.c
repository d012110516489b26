/* qqstore.c: message and envelope in, queue entry out. */
#include <errno.h>
#include <time.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include <skalibs/types.h>
#include "auto.h"
#include "envelope.h"
#include "qqstore.h"
#include "usersfile.h"

enum received_kind qqstore_kind(uid_t uid)
{
  uid_t u[AUTO_NUSERS] ;
  char const *missing ;
  /* In a single-user build every role is one uid: name it plainly. A user
   * that cannot be looked up only costs the wording, never the message.
   * /etc/passwd is read without NSS: queue is linked statically
   * (conf-static), and qmail's users are system users, in that file. */
  if (auto_singleuser || !usersfile_uids(u, &missing)) return RECEIVED_UID ;
  if (uid == u[AUTO_ALIAS]) return RECEIVED_ALIAS ;
  if (uid == u[AUTO_QMAILD]) return RECEIVED_NETWORK ;
  if (uid == u[AUTO_QMAILS]) return RECEIVED_BOUNCE ;
  return RECEIVED_UID ;
}

static int copy_message(int to, int from, char const *first, size_t firstlen)
{
  char outbuf[65536] ;
  char inbuf[65536] ;
  buffer b = BUFFER_INIT(&fd_writev, to, outbuf, sizeof outbuf) ;
  size_t w = 0 ;
  if (!buffer_putallnoflush(&b, first, firstlen)) return 53 ;
  for (;;)
  {
    ssize_t r = fd_read(from, inbuf, sizeof inbuf) ;
    if (r < 0) return 54 ;
    if (!r) break ;
    w = 0 ;
    if (!buffer_putall(&b, inbuf, (size_t)r, &w)) return 53 ;
  }
  return buffer_flush(&b) ? 0 : 53 ;
}

int qqstore_readenvelope(int fd, stralloc *sa)
{
  struct envelope_scan e = ENVELOPE_SCAN_ZERO ;
  enum envelope_status st = ENVELOPE_MORE ;
  char buf[8192] ;
  while (st == ENVELOPE_MORE)
  {
    size_t used ;
    ssize_t r = fd_read(fd, buf, sizeof buf) ;
    if (r < 0) return 54 ;
    if (!r) break ;
    st = envelope_scanb(&e, buf, (size_t)r, &used) ;
    if (!stralloc_catb(sa, buf, used)) return 51 ;
  }
  return envelope_exitcode(st) ;
}

int qqstore(struct qwrite *q, int msgfd, int envfd, uid_t uid, pid_t pid)
{
  char rline[RECEIVED_MAX] ;
  char head[2 + UID_FMT + 2 + PID_FMT] ;
  stralloc env = STRALLOC_ZERO ;
  time_t now = time(0) ;
  size_t rlen, hlen = 0 ;
  int r ;

  r = qwrite_open(q, auto_split, pid, now) ;
  if (r) return r ;
  rlen = received_fmt(rline, pid, qqstore_kind(uid), uid, now) ;
  r = copy_message(q->fd, msgfd, rline, rlen) ;
  if (!r) r = qwrite_message_done(q) ;
  if (!r) r = qqstore_readenvelope(envfd, &env) ;
  if (r) goto end ;

  head[hlen++] = 'u' ; hlen += uid_fmt(head + hlen, uid) ; head[hlen++] = 0 ;
  head[hlen++] = 'p' ; hlen += pid_fmt(head + hlen, pid) ; head[hlen++] = 0 ;
  /* qmail-queue copies every item but not the envelope's final NUL, and
   * qmail-send refuses a todo file that ends with an empty item. */
  r = qwrite_envelope(q, head, hlen, env.s, env.len - 1) ;
  if (!r) r = qwrite_commit(q) ;
  if (!r) qwrite_trigger() ;
 end:
  stralloc_free(&env) ;
  return r ;
}
