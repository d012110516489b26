/* workpool.c: a spawner's table of delivery workers (workpool.h). A
 * worker's packets are read without descriptors, bounded by the socket's
 * packet size and parsed strictly (localjob.h): anything unexpected ends
 * the worker, and the delivery it held is a temporary failure. lspawn is
 * root and its workers are users' processes, so nothing a worker says is
 * taken for more than a report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/error.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "localjob.h"
#include "spawner.h"
#include "workpool.h"

enum wstate { W_STARTING, W_IDLE, W_BUSY } ;

struct worker {
  pid_t pid ;              /* 0: the entry is free */
  int fd ;                 /* the spawner's end of the socket */
  stralloc key ;
  enum wstate state ;
  unsigned int slot ;      /* STARTING, BUSY: the delivery's slot */
  unsigned int jobs ;
  tain idle ;              /* IDLE: since when; STARTING: started when */
  int msgfd ;              /* STARTING: the message, sent after hello */
  stralloc pkt ;           /* STARTING: the job */
  struct spawnreq *req ;   /* STARTING: the request, for a rerun */
} ;

static struct workpool_ops const *ops ;
static struct worker w[SPAWNER_MAX] ;
static unsigned int xw[SPAWNER_EXTRA] ;   /* watch entry -> worker */
static unsigned int nworkers, nchild, max ;
static unsigned int strikes ;
static int disabled ;
/* workers that ended before their hello, until their exit status says
 * whether it counts as a strike */
#define SUSPECTS 16
static pid_t suspects[SUSPECTS] ;
static stralloc text = STRALLOC_ZERO ;

void workpool_init(struct workpool_ops const *o, unsigned int m)
{
  ops = o ;
  max = m ? m : 1 ;
  if (max > SPAWNER_MAX) max = SPAWNER_MAX ;
}

void workpool_childstart(void) { nchild++ ; }
void workpool_childend(void) { if (nchild) nchild-- ; }

/* Whether the program, as it is now, has the worker mode: it holds the
 * hello. Decided again whenever the file changes, so that a wrapper put
 * in its place (a script that does not know -W, which might read the
 * socket as a message and never answer) is never started as a worker,
 * and the real program put back is. */
static int capable(void)
{
  static struct stat seen ;
  static int known, result ;
  struct stat st ;
  char buf[65536] ;
  size_t hlen = ops->hellolen, keep = 0 ;
  int fd ;
  if (stat(ops->prog, &st) < 0) return 0 ;
  if (known && st.st_dev == seen.st_dev && st.st_ino == seen.st_ino && st.st_size == seen.st_size
   && st.st_mtim.tv_sec == seen.st_mtim.tv_sec && st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec) return result ;
  fd = open_read(ops->prog) ;
  if (fd < 0 && errno == EACCES)
  {
    /* execute-only (qmail's 0711 for bin/remote, rspawn being qmailr):
     * no script can run so, since its interpreter must read it, so this
     * is a program; the hello (and the strikes) decide */
    seen = st ;
    known = 1 ;
    return result = 1 ;
  }
  if (fd < 0) return 0 ;
  result = 0 ;
  for (;;)
  {
    ssize_t r = fd_read(fd, buf + keep, sizeof buf - keep) ;
    if (r < 0) { fd_close(fd) ; return 0 ; }
    if (!r) break ;
    keep += (size_t)r ;
    if (memmem(buf, keep, ops->hello, hlen)) { result = 1 ; break ; }
    /* the hello may straddle two reads */
    if (keep >= hlen) { memmove(buf, buf + keep - (hlen - 1), hlen - 1) ; keep = hlen - 1 ; }
  }
  fd_close(fd) ;
  if (!result) strerr_warnw(ops->prog, " has no worker mode (a wrapper?): running one ", ops->what, " per delivery") ;
  seen = st ;
  known = 1 ;
  return result ;
}

static void disable(char const *why)
{
  if (disabled) return ;
  disabled = 1 ;
  strerr_warnw(ops->prog, " ", why, ": running one ", ops->what, " per delivery from now on") ;
}

/* Closes the worker's socket: an idle worker reads the end and exits 0,
 * a confused one fails its next read or write. The pid is not signalled:
 * the spawner may have reaped it already, and the number reused. */
static void retire(struct worker *x)
{
  fd_close(x->fd) ;
  if (x->state == W_STARTING) fd_close(x->msgfd) ;
  x->pid = 0 ;
  x->fd = -1 ;
  nworkers-- ;
}

static int haskey(struct worker const *x, char const *key, size_t len)
{
  return x->key.len == len && !memcmp(x->key.s, key, len) ;
}

/* The least recently idle worker (with lapsed: only one idle for at least
 * the lapse), or 0. */
static struct worker *oldestidle(int lapsed)
{
  struct worker *o = 0 ;
  tain since ;
  tain_addsec(&since, &STAMP, -(int)ops->lapse) ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
    if (w[i].pid && w[i].state == W_IDLE && (!o || tain_less(&w[i].idle, &o->idle))
     && (!lapsed || !tain_less(&since, &w[i].idle)))
      o = &w[i] ;
  return o ;
}

/* Starts a new worker in a free entry; 0 when it cannot start. */
static struct worker *startworker(void const *arg)
{
  struct worker *x = 0 ;
  int sv[2] ;
  pid_t pid ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++) if (!w[i].pid) { x = &w[i] ; break ; }
  if (!x) return 0 ;
  if (!x->req && !(x->req = malloc(sizeof *x->req))) return 0 ;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return 0 ;
  if (ndelay_on(sv[0]) < 0) { fd_close(sv[0]) ; fd_close(sv[1]) ; return 0 ; }
  pid = ops->fork(sv[1], arg) ;
  fd_close(sv[1]) ;
  /* a child that could not start is left to the per-delivery path, which
   * fails the same way and says why */
  if (pid < 0) { fd_close(sv[0]) ; return 0 ; }
  x->pid = pid ;
  x->fd = sv[0] ;
  x->state = W_STARTING ;
  tain_now_g() ;
  x->idle = STAMP ;
  x->jobs = 0 ;
  x->msgfd = -1 ;
  nworkers++ ;
  return x ;
}

static int openmess(char const *messfn, stralloc *err)
{
  int fd = open2(messfn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0)
  {
    char const *e = strerror(errno) ;
    err->len = 0 ;
    if (!stralloc_cats(err, "Unable to open message: ") || !stralloc_cats(err, e) || !stralloc_cats(err, " (#4.3.0)\n"))
      err->len = 0 ;
  }
  return fd ;
}

/* Gives the job to the idle worker x, now of key. 1: handed; 0: x is
 * gone (retired); -1: the message cannot be opened (err). */
static int give(struct worker *x, unsigned int slot, char const *key, size_t keylen,
  char const *pkt, size_t pktlen, char const *messfn, stralloc *err)
{
  int fd = openmess(messfn, err) ;
  if (fd < 0) return -1 ;
  /* the worker waits for jobs, so its socket has room: a full one, or
   * any error, means it is gone or stuck */
  if (!localjob_send(x->fd, pkt, pktlen, fd, 1) || !stralloc_copyb(&x->key, key, keylen))
  {
    fd_close(fd) ;
    retire(x) ;
    return 0 ;
  }
  fd_close(fd) ;
  x->state = W_BUSY ;
  x->slot = slot ;
  return 1 ;
}

int workpool_hand(struct spawnreq const *r, char const *key, size_t keylen, char const *pkt, size_t pktlen,
  char const *messfn, void const *arg, stralloc *err)
{
  struct worker *x ;
  int fd, g ;
  if (disabled || !capable()) return 0 ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
  {
    x = &w[i] ;
    if (!x->pid || x->state != W_IDLE || !haskey(x, key, keylen)) continue ;
    g = give(x, r->slot, key, keylen, pkt, pktlen, messfn, err) ;
    if (g) return g ;
  }
  /* a worker whose key holds nothing any more is as good as a new one */
  while (ops->lapse && (x = oldestidle(1)))
    if ((g = give(x, r->slot, key, keylen, pkt, pktlen, messfn, err))) return g ;
  while (nworkers + nchild >= max && (x = oldestidle(0)))
  {
    if (!ops->lapse) { retire(x) ; break ; }
    if ((g = give(x, r->slot, key, keylen, pkt, pktlen, messfn, err))) return g ;
  }
  if (nworkers + nchild >= max) return 0 ;
  fd = openmess(messfn, err) ;
  if (fd < 0) return -1 ;
  x = startworker(arg) ;
  if (!x) { fd_close(fd) ; return 0 ; }
  if (!stralloc_copyb(&x->key, key, keylen) || !stralloc_copyb(&x->pkt, pkt, pktlen))
  {
    retire(x) ;
    fd_close(fd) ;
    return 0 ;
  }
  x->msgfd = fd ;
  x->slot = r->slot ;
  *x->req = *r ;
  return 1 ;
}

/* When the idle or starting worker x is due to end. */
static void due(struct worker const *x, tain *end)
{
  tain_addsec(end, &x->idle, x->state == W_IDLE ? WORKPOOL_IDLE : WORKPOOL_HELLO) ;
}

unsigned int workpool_watch(iopause_fd *x, unsigned int m, tain *deadline)
{
  unsigned int n = 0 ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX && n < m ; i++)
  {
    if (!w[i].pid) continue ;
    x[n].fd = w[i].fd ; x[n].events = IOPAUSE_READ ; xw[n++] = i ;
    if (w[i].state != W_BUSY)
    {
      tain end ;
      due(&w[i], &end) ;
      if (tain_less(&end, deadline)) *deadline = end ;
    }
  }
  return n ;
}

/* The delivery the worker held ends with a temporary failure, worded as
 * for a per-delivery child that died. */
static void lost(struct worker *x)
{
  unsigned int slot = x->slot ;
  char status ;
  retire(x) ;
  text.len = 0 ;
  status = ops->report(SIGKILL, "", 0, &text) ;
  spawner_done(slot, status, text.s, text.len) ;
}

static void starting(struct worker *x, char const *buf, ssize_t r)
{
  struct spawnreq *req = x->req ;
  if (r > 0 && (size_t)r == ops->hellolen && !memcmp(buf, ops->hello, ops->hellolen))
  {
    strikes = 0 ;
    if (localjob_send(x->fd, x->pkt.s, x->pkt.len, x->msgfd, 1))
    {
      fd_close(x->msgfd) ;
      x->msgfd = -1 ;
      x->state = W_BUSY ;
      return ;
    }
  }
  else if (r > 0 || errno == EPROTO) disable("did not answer as a worker") ;
  else if (errno == ETIMEDOUT) { if (++strikes >= WORKPOOL_STRIKES) disable("did not answer as a worker") ; }
  else
  {
    /* ended: a strike only if it exited rather than being killed */
    for (unsigned int i = 0 ; i < SUSPECTS ; i++) if (!suspects[i]) { suspects[i] = x->pid ; break ; }
  }
  /* the worker never had the job: it starts again, elsewhere */
  retire(x) ;
  spawner_rerun(req) ;
}

static void busy(struct worker *x, char const *buf, ssize_t r)
{
  static stralloc rtext = STRALLOC_ZERO ;
  int code ;
  char status ;
  if (r <= 0 || !localjob_getreport(buf, (size_t)r, &code, &rtext)) { lost(x) ; return ; }
  text.len = 0 ;
  /* the wait status of a per-delivery child that exited with code */
  status = ops->report(code << 8, rtext.s, rtext.len, &text) ;
  spawner_done(x->slot, status, text.s, text.len) ;
  x->state = W_IDLE ;
  x->idle = STAMP ;
  if (++x->jobs >= WORKPOOL_JOBS) retire(x) ;
}

void workpool_reaped(pid_t pid, int wstat)
{
  for (unsigned int i = 0 ; i < SUSPECTS ; i++)
    if (suspects[i] == pid)
    {
      suspects[i] = 0 ;
      if (WIFEXITED(wstat) && ++strikes >= WORKPOOL_STRIKES) disable("exited before answering as a worker") ;
      return ;
    }
}

void workpool_handle(iopause_fd const *xs, unsigned int n)
{
  static char buf[LOCALJOB_PACKET_MAX + 1] ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    struct worker *x = &w[xw[i]] ;
    ssize_t r ;
    if (!xs[i].revents || !x->pid || x->fd != xs[i].fd) continue ;
    r = localjob_recv(x->fd, buf, sizeof buf, 0, 1) ;
    if (r < 0 && error_isagain(errno)) continue ;
    if (x->state == W_STARTING) starting(x, buf, r) ;
    else if (x->state == W_BUSY) busy(x, buf, r) ;
    else retire(x) ;   /* idle: its end, or a packet it had no reason to send */
  }
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
    if (w[i].pid && w[i].state != W_BUSY)
    {
      tain end ;
      due(&w[i], &end) ;
      if (tain_less(&STAMP, &end)) continue ;
      if (w[i].state == W_IDLE) retire(&w[i]) ;
      else { errno = ETIMEDOUT ; starting(&w[i], 0, -1) ; }
    }
}
