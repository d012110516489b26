/* queuedloop.c: queued's clients, one process, iopause (queuedloop.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "qqstore.h"
#include "qwrite.h"
#include "queuedcommit.h"
#include "queuedconn.h"
#include "queuedloop.h"

static struct queuedconn *conn ;
static unsigned int nconn, maxconn ;
static pid_t self ;
static unsigned long seq = 1 ;

static void drop(struct queuedconn *c)
{
  queuedconn_drop(c) ;
  nconn-- ;
}

static void accept_some(int lfd)
{
  for (unsigned int k = 0 ; k < 64 && nconn < maxconn ; k++)
  {
    struct ucred cr ;
    socklen_t len = sizeof cr ;
    unsigned int i = 0 ;
    int fd = accept4(lfd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC) ;
    if (fd < 0)
    {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
        strerr_warnwu1sys("accept a client") ;
      return ;
    }
    /* The kernel's word for who is queueing, as getuid() for queue. */
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof cr)
    {
      strerr_warnwu1sys("read the credentials of a client") ;
      close(fd) ;
      continue ;
    }
    /* No one user may take every slot (a local user holding idle
     * connections would make everyone else's mail wait): a fifth of
     * them stays for the other users. Over its share a client is closed
     * at once and its caller reports a temporary failure. */
    {
      unsigned int same = 0 ;
      for (unsigned int j = 0 ; j < maxconn ; j++) same += conn[j].fd >= 0 && conn[j].uid == cr.uid ;
      if (same >= maxconn - maxconn / 5) { close(fd) ; continue ; }
    }
    while (conn[i].fd >= 0) i++ ;
    queuedconn_start(conn + i, fd, cr.uid, cr.pid) ;
    tain_addsec_g(&conn[i].death, QQSTORE_DEATH) ;
    tain_addsec_g(&conn[i].idle, QUEUED_IDLE) ;
    nconn++ ;
  }
}

static void reply(struct queuedconn *c, int code)
{
  char s[UINT_FMT + 1] ;
  size_t n = uint_fmt(s, (unsigned int)code) ;
  s[n++] = '\n' ;
  queuedconn_next(c) ;
  tain_addsec_g(&c->idle, QUEUED_IDLE) ;
  /* The client waits for these bytes with nothing else in flight: the
   * socket's buffer takes them, or the client has gone. */
  if (write(c->fd, s, n) != (ssize_t)n) drop(c) ;
}

/* Every message that ended in this round: the failed ones answered at
 * once, the others committed as one group, then answered. */
static void commit(unsigned int const *ready, unsigned int nready)
{
  struct qwrite *q[nready ? nready : 1] ;
  int code[nready ? nready : 1] ;
  unsigned int idx[nready ? nready : 1] ;
  unsigned int n = 0 ;
  for (unsigned int k = 0 ; k < nready ; k++)
  {
    struct queuedconn *c = conn + ready[k] ;
    if (c->code) { qwrite_abort(&c->q) ; reply(c, c->code) ; continue ; }
    q[n] = &c->q ; code[n] = 0 ; idx[n++] = ready[k] ;
  }
  if (!n) return ;
  if (queuedcommit(q, code, n)) qwrite_trigger() ;
  for (unsigned int k = 0 ; k < n ; k++) reply(conn + idx[k], code[k]) ;
}

void queuedloop_run(int lfd, int lifefd, unsigned int max)
{
  static char buf[65536] ;
  iopause_fd *x ;
  unsigned int *xi, *ready ;
  int draining = 0 ;
  int sfd = selfpipe_init() ;
  if (sfd < 0 || !selfpipe_trap(SIGTERM)) strerr_diefu1sys(111, "set up the self-pipe") ;
  maxconn = max ;
  self = getpid() ;
  conn = calloc(max, sizeof *conn) ;
  x = calloc(max + 3, sizeof *x) ;
  xi = calloc(max + 3, sizeof *xi) ;
  ready = calloc(max, sizeof *ready) ;
  if (!conn || !x || !xi || !ready) strerr_diefu1sys(111, "allocate the client table") ;
  for (unsigned int i = 0 ; i < max ; i++) conn[i].fd = -1 ;
  tain_now_set_stopwatch_g() ;

  for (;;)
  {
    tain deadline = TAIN_INFINITE ;
    unsigned int nx = 0, nready = 0 ;
    int r ;
    if (draining)
    {
      /* Stop at once with clients that are between messages. */
      for (unsigned int i = 0 ; i < max ; i++)
        if (conn[i].fd >= 0 && queuedconn_idle(conn + i)) drop(conn + i) ;
      if (!nconn) break ;
    }
    x[nx].fd = sfd ; x[nx].events = IOPAUSE_READ ; xi[nx++] = max ;
    if (lifefd >= 0) { x[nx].fd = lifefd ; x[nx].events = IOPAUSE_READ ; xi[nx++] = max + 1 ; }
    if (lfd >= 0 && nconn < max) { x[nx].fd = lfd ; x[nx].events = IOPAUSE_READ ; xi[nx++] = max + 2 ; }
    for (unsigned int i = 0 ; i < max ; i++)
    {
      if (conn[i].fd < 0) continue ;
      x[nx].fd = conn[i].fd ; x[nx].events = IOPAUSE_READ ; xi[nx++] = i ;
      if (tain_less(&conn[i].death, &deadline)) deadline = conn[i].death ;
      if (tain_less(&conn[i].idle, &deadline)) deadline = conn[i].idle ;
    }
    r = iopause_g(x, nx, &deadline) ;
    if (r < 0) strerr_diefu1sys(111, "iopause") ;

    for (unsigned int k = 0 ; k < nx ; k++)
    {
      unsigned int i = xi[k] ;
      if (!x[k].revents) continue ;
      if (i == max)
      {
        for (int s ; (s = selfpipe_read()) > 0 ;) if (s == SIGTERM) draining = 1 ;
      }
      else if (i == max + 1)
      {
        ssize_t n = read(lifefd, buf, sizeof buf) ;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) draining = 1 ;
      }
      else if (i == max + 2) accept_some(lfd) ;
      else
      {
        struct queuedconn *c = conn + i ;
        ssize_t n = read(c->fd, buf, sizeof buf) ;
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue ;
        if (n <= 0) { drop(c) ; continue ; }
        tain_addsec_g(&c->idle, QUEUED_IDLE) ;
        switch (queuedconn_feed(c, buf, (size_t)n, self, &seq))
        {
          case QUEUEDCONN_MORE: break ;
          case QUEUEDCONN_READY: ready[nready++] = i ; break ;
          default: drop(c) ; break ;
        }
      }
    }
    if (draining)
    {
      if (lfd >= 0) { close(lfd) ; lfd = -1 ; }
      if (lifefd >= 0) { close(lifefd) ; lifefd = -1 ; }
    }
    commit(ready, nready) ;
    /* A client past its time loses its message (files removed), as a
     * queue killed by its alarm. */
    for (unsigned int i = 0 ; i < max ; i++)
      if (conn[i].fd >= 0 && (!tain_future(&conn[i].death) || !tain_future(&conn[i].idle))) drop(conn + i) ;
  }
  free(ready) ; free(xi) ; free(x) ; free(conn) ;
  conn = 0 ;
}
