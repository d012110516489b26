/* queuedloop.c: queued's clients, one process, iopause (queuedloop.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "bgthread.h"
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

/* The committers: threads of their own run the groups' commits, while
 * the loop goes on reading the other clients and writing their
 * messages' files. With the commit in the loop itself, a message whose
 * last bytes came during a commit was not even read before it ended,
 * then waited for a whole commit of its own: under 10 SMTP sessions one
 * message per connection, the reply to the end of DATA took 13.6 ms
 * (median), four to five commits' time; with one committer 9.8 ms. Two
 * let the next group's fsyncs start while the last one's todo/ is
 * synced; a group is handed over only when no other is in its first
 * step (qsync_all takes one group at a time), so that whoever becomes
 * whole meanwhile joins it instead of waiting in a group of its own.
 * Measured here, 2,000 messages of 2 KB over SMTP, 10 sessions,
 * alternating builds: 572 msg/s (median of 12 runs) in the loop, 634
 * with one committer; in another series 588 with one and 632 with two
 * (9 runs each), and 469 in the loop against 563 with two in a third
 * (bench/README.md, the ninth round). More than two did no better
 * with 10 sessions and worse with 50. With 50 sessions, where the two
 * cores are saturated, the loop's own commits gather larger groups with
 * fewer wake-ups, and measured ahead (573 against 495 msg/s, medians of
 * 9 runs on a host loaded by others; runs ranged 333 to 803).
 *
 * A held client (its message whole, its reply not yet sent) is neither
 * read nor timed out: its queue entry belongs to a committer from the
 * hand-over to the reply. The hand-over and the return go through cmu;
 * cdone wakes the loop when a commit has ended. */
#define COMMITTERS 2

static pthread_mutex_t cmu = PTHREAD_MUTEX_INITIALIZER ;
enum { COMMIT_IDLE, COMMIT_GIVEN, COMMIT_ENDED } ;
struct committer {
  pthread_cond_t go ;
  int state ;               /* under cmu */
  int firstdone ;           /* under cmu: its step 1 is over (queuedcommit.h) */
  struct qwrite **q ;       /* the group in its hands */
  int *code ;
  unsigned int *idx ;       /* the group's clients */
  unsigned int n ;
} ;
static struct committer cm[COMMITTERS] ;
static unsigned int ncm ;
static int cdone[2] = { -1, -1 } ;

static void wake(void)
{
  /* the pipe holds far more than the bytes the commits leave there */
  while (write(cdone[1], "", 1) < 0 && errno == EINTR) ;
}

static void synced(void *arg)
{
  struct committer *c = arg ;
  pthread_mutex_lock(&cmu) ;
  c->firstdone = 1 ;
  pthread_mutex_unlock(&cmu) ;
  wake() ;
}

static void *committer(void *arg)
{
  struct committer *c = arg ;
  for (;;)
  {
    pthread_mutex_lock(&cmu) ;
    while (c->state != COMMIT_GIVEN) pthread_cond_wait(&c->go, &cmu) ;
    pthread_mutex_unlock(&cmu) ;
    if (queuedcommit(c->q, c->code, c->n, &synced, c)) qwrite_trigger() ;
    pthread_mutex_lock(&cmu) ;
    c->state = COMMIT_ENDED ;
    pthread_mutex_unlock(&cmu) ;
    wake() ;
  }
  return 0 ;
}

/* Starts the committers; 0 if none can run (the loop then commits each
 * group itself, as before). */
static int committer_start(unsigned int max)
{
  if (pipenbcoe(cdone) < 0) return 0 ;
  /* signals stay with the loop's selfpipe (bgthread.h) */
  for (; ncm < COMMITTERS ; ncm++)
  {
    struct committer *c = cm + ncm ;
    c->q = calloc(max, sizeof *c->q) ;
    c->code = calloc(max, sizeof *c->code) ;
    c->idx = calloc(max, sizeof *c->idx) ;
    if (!c->q || !c->code || !c->idx || pthread_cond_init(&c->go, 0)) break ;
    c->state = COMMIT_IDLE ;
    if (!bgthread_start(&committer, c, 0)) break ;
  }
  return ncm > 0 ;
}

/* held clients: waiting for a committer (pending), or in its hands */
static unsigned int *pending, npending ;
static unsigned char *held ;

/* Gives the pending clients to an idle committer, but not while another
 * group is still in its first step: the file fsyncs take one group at a
 * time (qsync_all), and the clients that become whole meanwhile join the
 * pending group rather than wait for a group of their own. */
static void hand(void)
{
  struct committer *c = 0 ;
  if (!npending) return ;
  pthread_mutex_lock(&cmu) ;
  for (unsigned int i = 0 ; i < ncm ; i++)
  {
    if (cm[i].state == COMMIT_GIVEN && !cm[i].firstdone) { c = 0 ; break ; }
    if (!c && cm[i].state == COMMIT_IDLE) c = cm + i ;
  }
  pthread_mutex_unlock(&cmu) ;
  if (!c) return ;
  for (unsigned int k = 0 ; k < npending ; k++)
  {
    c->idx[k] = pending[k] ;
    c->q[k] = &conn[pending[k]].q ;
    c->code[k] = 0 ;
  }
  c->n = npending ; npending = 0 ;
  pthread_mutex_lock(&cmu) ;
  c->state = COMMIT_GIVEN ;
  c->firstdone = 0 ;
  pthread_cond_signal(&c->go) ;
  pthread_mutex_unlock(&cmu) ;
}

/* cdone was readable: answers the groups whose commit ended, and hands
 * over the next. */
static void committed(void)
{
  char buf[64] ;
  while (read(cdone[0], buf, sizeof buf) > 0) ;
  for (unsigned int i = 0 ; i < ncm ; i++)
  {
    struct committer *c = cm + i ;
    int st ;
    pthread_mutex_lock(&cmu) ;
    st = c->state ;
    if (st == COMMIT_ENDED) c->state = COMMIT_IDLE ;
    pthread_mutex_unlock(&cmu) ;
    if (st != COMMIT_ENDED) continue ;
    for (unsigned int k = 0 ; k < c->n ; k++)
    {
      held[c->idx[k]] = 0 ;
      reply(conn + c->idx[k], c->code[k]) ;
    }
    c->n = 0 ;
  }
  hand() ;
}

/* Every message that ended in this round: the failed ones answered at
 * once, the others committed as one group, then answered: by the
 * committer, or here when it could not be started. */
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
    if (cdone[0] >= 0) { held[ready[k]] = 1 ; pending[npending++] = ready[k] ; continue ; }
    q[n] = &c->q ; code[n] = 0 ; idx[n++] = ready[k] ;
  }
  if (cdone[0] >= 0) { hand() ; return ; }
  if (!n) return ;
  if (queuedcommit(q, code, n, 0, 0)) qwrite_trigger() ;
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
  x = calloc(max + 4, sizeof *x) ;
  xi = calloc(max + 4, sizeof *xi) ;
  ready = calloc(max, sizeof *ready) ;
  pending = calloc(max, sizeof *pending) ;
  held = calloc(max, 1) ;
  if (!conn || !x || !xi || !ready || !pending || !held) strerr_diefu1sys(111, "allocate the client table") ;
  for (unsigned int i = 0 ; i < max ; i++) conn[i].fd = -1 ;
  if (!committer_start(max))
  {
    strerr_warnwu1sys("start the committer thread; committing in the loop") ;
    if (cdone[0] >= 0) { fd_close(cdone[0]) ; fd_close(cdone[1]) ; cdone[0] = cdone[1] = -1 ; }
  }
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
    if (cdone[0] >= 0) { x[nx].fd = cdone[0] ; x[nx].events = IOPAUSE_READ ; xi[nx++] = max + 3 ; }
    for (unsigned int i = 0 ; i < max ; i++)
    {
      if (conn[i].fd < 0 || held[i]) continue ;
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
      else if (i == max + 3) committed() ;
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
      if (conn[i].fd >= 0 && !held[i] && (!tain_future(&conn[i].death) || !tain_future(&conn[i].idle))) drop(conn + i) ;
  }
  free(held) ; free(pending) ;
  free(ready) ; free(xi) ; free(x) ; free(conn) ;
  conn = 0 ;
}
