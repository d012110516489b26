/* lspawnwork.c: lspawn's table of local delivery workers (lspawnwork.h).
 * lspawn is root and a worker is a user's process: a worker's packets are
 * read without descriptors, bounded by the socket's packet size and parsed
 * strictly (localjob.h); anything unexpected ends the worker, and the
 * delivery it held is a temporary failure. */
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
#include "lspawnjob.h"
#include "lspawnwork.h"
#include "spawner.h"

enum wstate { W_STARTING, W_IDLE, W_BUSY } ;

struct worker {
  pid_t pid ;              /* 0: the entry is free */
  int fd ;                 /* lspawn's end of the socket */
  uid_t uid ;
  gid_t gid ;
  stralloc home ;          /* NUL-terminated */
  enum wstate state ;
  unsigned int slot ;      /* STARTING, BUSY: the delivery's slot */
  unsigned int jobs ;
  tain idle ;              /* IDLE: since when; STARTING: started when */
  int msgfd ;              /* STARTING: the message, sent after hello */
  stralloc pkt ;           /* STARTING: the job */
  struct spawnreq *req ;   /* STARTING: the request, for a rerun */
} ;

static struct worker w[SPAWNER_MAX] ;
static unsigned int xw[SPAWNER_EXTRA] ;   /* watch entry -> worker */
static unsigned int nworkers, nchild, max ;
static unsigned int strikes ;
static int disabled ;
/* workers that ended before their hello, until their exit status says
 * whether it counts as a strike */
#define SUSPECTS 16
static pid_t suspects[SUSPECTS] ;
static char const *localprog ;
static stralloc text = STRALLOC_ZERO ;
/* Set by a vforked child that fails before its exec (vfork shares our
 * memory; we run again only once it has exec'd or exited). */
static volatile int childerr ;

void lspawnwork_init(char const *prog, unsigned int m)
{
  localprog = prog ;
  max = m ? m : 1 ;
  if (max > SPAWNER_MAX) max = SPAWNER_MAX ;
}

void lspawnwork_childstart(void) { nchild++ ; }
void lspawnwork_childend(void) { if (nchild) nchild-- ; }

/* Whether bin/local, as it is now, is cairn's local with the worker mode:
 * it holds the hello. Decided again whenever the file changes, so that a
 * wrapper put in its place (a script that does not know -W, which might
 * read the socket as a message and never answer) is never started as a
 * worker, and the real local put back is. */
static int capable(void)
{
  static struct stat seen ;
  static int known, result ;
  struct stat st ;
  char buf[65536] ;
  char const *hello ;
  size_t hlen, keep = 0 ;
  int fd ;
  if (stat(localprog, &st) < 0) return 0 ;
  if (known && st.st_dev == seen.st_dev && st.st_ino == seen.st_ino && st.st_size == seen.st_size
   && st.st_mtim.tv_sec == seen.st_mtim.tv_sec && st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec) return result ;
  fd = open_read(localprog) ;
  if (fd < 0) return 0 ;
  hello = localjob_hello(&hlen) ;
  result = 0 ;
  for (;;)
  {
    ssize_t r = fd_read(fd, buf + keep, sizeof buf - keep) ;
    if (r < 0) { fd_close(fd) ; return 0 ; }
    if (!r) break ;
    keep += (size_t)r ;
    if (memmem(buf, keep, hello, hlen)) { result = 1 ; break ; }
    /* the hello may straddle two reads */
    if (keep >= hlen) { memmove(buf, buf + keep - (hlen - 1), hlen - 1) ; keep = hlen - 1 ; }
  }
  fd_close(fd) ;
  if (!result) strerr_warnw(localprog, " has no worker mode (a wrapper?): running one local per delivery") ;
  seen = st ;
  known = 1 ;
  return result ;
}

static void disable(char const *why)
{
  if (disabled) return ;
  disabled = 1 ;
  strerr_warnw(localprog, " ", why, ": running one local per delivery from now on") ;
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

static int match(struct worker const *x, struct lookup const *lk)
{
  return x->pid && x->uid == lk->uid && x->gid == lk->gid && !strcmp(x->home.s, lk->home) ;
}

/* The least recently idle worker, or 0. */
static struct worker *oldestidle(void)
{
  struct worker *o = 0 ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
    if (w[i].pid && w[i].state == W_IDLE && (!o || tain_less(&w[i].idle, &o->idle))) o = &w[i] ;
  return o ;
}

static int settext(stralloc *sa, char const *a, char const *b)
{
  sa->len = 0 ;
  return stralloc_cats(sa, a) && stralloc_cats(sa, b) && stralloc_cats(sa, " (#4.3.0)\n") ;
}

/* The vforked child: becomes the user as the per-delivery child does,
 * with the socket on fd 0 and lspawn's log (fd 2) on fds 1 and 2. */
static void gccattr_noreturn child(int sock, struct lookup const *lk)
{
  char const *argv[3] = { localprog, "-W", 0 } ;
  spawner_child() ;
  if (dup2(sock, 0) < 0 || dup2(2, 1) < 0 || lspawnjob_become(lk)) { childerr = errno ? errno : EPERM ; _exit(111) ; }
  execv(argv[0], (char *const *)argv) ;
  childerr = errno ? errno : ENOEXEC ;
  _exit(111) ;
}

static pid_t forkworker(int sock, struct lookup const *lk)
{
  pid_t pid ;
  childerr = 0 ;
  pid = vfork() ;
  if (!pid) child(sock, lk) ;
  return pid ;
}

/* A new worker for lk's user in a free entry; 0 when it cannot start. */
static struct worker *startworker(struct lookup const *lk)
{
  struct worker *x = 0 ;
  int sv[2] ;
  pid_t pid ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++) if (!w[i].pid) { x = &w[i] ; break ; }
  if (!x) return 0 ;
  if (!stralloc_copys(&x->home, lk->home) || !stralloc_0(&x->home)) return 0 ;
  if (!x->req && !(x->req = malloc(sizeof *x->req))) return 0 ;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return 0 ;
  if (ndelay_on(sv[0]) < 0) { fd_close(sv[0]) ; fd_close(sv[1]) ; return 0 ; }
  pid = forkworker(sv[1], lk) ;
  fd_close(sv[1]) ;
  /* a child that could not become the user or run local is left to the
   * per-delivery path, which fails the same way and says why */
  if (pid < 0 || childerr) { fd_close(sv[0]) ; return 0 ; }
  x->pid = pid ;
  x->fd = sv[0] ;
  x->uid = lk->uid ;
  x->gid = lk->gid ;
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
  if (fd < 0) settext(err, "Unable to open message: ", strerror(errno)) ;
  return fd ;
}

int lspawnwork_hand(struct spawnreq const *r, struct lookup const *lk, char const *messfn, char const *const *args, stralloc *err)
{
  static stralloc pkt = STRALLOC_ZERO ;
  struct worker *x ;
  int fd ;
  if (disabled || !capable()) return 0 ;
  pkt.len = 0 ;
  if (!localjob_putjob(&pkt, args)) return 0 ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
  {
    x = &w[i] ;
    if (!match(x, lk) || x->state != W_IDLE) continue ;
    fd = openmess(messfn, err) ;
    if (fd < 0) return -1 ;
    /* the worker waits for jobs, so its socket has room: a full one, or
     * any error, means it is gone or stuck, and another is tried */
    if (localjob_send(x->fd, pkt.s, pkt.len, fd, 1))
    {
      fd_close(fd) ;
      x->state = W_BUSY ;
      x->slot = r->slot ;
      return 1 ;
    }
    fd_close(fd) ;
    retire(x) ;
  }
  if (nworkers + nchild >= max && (x = oldestidle())) retire(x) ;
  if (nworkers + nchild >= max) return 0 ;
  fd = openmess(messfn, err) ;
  if (fd < 0) return -1 ;
  x = startworker(lk) ;
  if (!x) { fd_close(fd) ; return 0 ; }
  if (!stralloc_copy(&x->pkt, &pkt)) { retire(x) ; fd_close(fd) ; return 0 ; }
  x->msgfd = fd ;
  x->slot = r->slot ;
  *x->req = *r ;
  return 1 ;
}

unsigned int lspawnwork_watch(iopause_fd *x, unsigned int m, tain *deadline)
{
  unsigned int n = 0 ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX && n < m ; i++)
  {
    if (!w[i].pid) continue ;
    x[n].fd = w[i].fd ; x[n].events = IOPAUSE_READ ; xw[n++] = i ;
    if (w[i].state != W_BUSY)
    {
      tain end ;
      tain_addsec(&end, &w[i].idle, w[i].state == W_IDLE ? LSPAWNWORK_IDLE : LSPAWNWORK_HELLO) ;
      if (tain_less(&end, deadline)) *deadline = end ;
    }
  }
  return n ;
}

/* The delivery the worker held ends with a temporary failure, worded as
 * for a per-delivery local that died. */
static void lost(struct worker *x)
{
  unsigned int slot = x->slot ;
  char status ;
  retire(x) ;
  text.len = 0 ;
  status = lspawnjob_report(SIGKILL, "", 0, &text) ;
  spawner_done(slot, status, text.s, text.len) ;
}

static void starting(struct worker *x, char const *buf, ssize_t r)
{
  struct spawnreq *req = x->req ;
  if (r > 0 && localjob_ishello(buf, (size_t)r))
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
  else if (errno == ETIMEDOUT) { if (++strikes >= LSPAWNWORK_STRIKES) disable("did not answer as a worker") ; }
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
  /* the wait status of a per-delivery local that exited with code */
  status = lspawnjob_report(code << 8, rtext.s, rtext.len, &text) ;
  spawner_done(x->slot, status, text.s, text.len) ;
  x->state = W_IDLE ;
  x->idle = STAMP ;
  if (++x->jobs >= LSPAWNWORK_JOBS) retire(x) ;
}

void lspawnwork_reaped(pid_t pid, int wstat)
{
  for (unsigned int i = 0 ; i < SUSPECTS ; i++)
    if (suspects[i] == pid)
    {
      suspects[i] = 0 ;
      if (WIFEXITED(wstat) && ++strikes >= LSPAWNWORK_STRIKES) disable("exited before answering as a worker") ;
      return ;
    }
}

void lspawnwork_handle(iopause_fd const *xs, unsigned int n)
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
      tain_addsec(&end, &w[i].idle, w[i].state == W_IDLE ? LSPAWNWORK_IDLE : LSPAWNWORK_HELLO) ;
      if (tain_less(&STAMP, &end)) continue ;
      if (w[i].state == W_IDLE) retire(&w[i]) ;
      else { errno = ETIMEDOUT ; starting(&w[i], 0, -1) ; }
    }
}
