/* spawner.c: the event loop of the delivery spawners (see spawner.h).
 * One iopause over fd 0 (requests), fd 1 (while results wait to be
 * written), the selfpipe (SIGCHLD) and the output pipe of every running
 * child. Nothing in the loop blocks: fd 1 and the child pipes are
 * non-blocking, and fd 0 is read only when iopause says it is readable. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bufalloc.h>
#include <skalibs/djbunix.h>
#include <skalibs/error.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "spawner.h"

/* After its child has exited, a pipe can still be held open by a process
 * the child left behind. What the child wrote is already in the pipe, so
 * the last read stops at the first "nothing more now", and this bound
 * stops it even when a leftover keeps writing. */
#define DRAIN_MAX (1UL << 20)

struct slot {
  pid_t pid ;       /* 0 when the slot is free, SPAWNER_ELSEWHERE when handed on */
  int fd ;          /* read end of the child's output pipe; -1 at its end */
  stralloc out ;    /* the first SPAWNER_OUTMAX bytes of output */
} ;

static struct slot slots[SPAWNER_MAX] ;
static unsigned int nbusy ;
static struct spawnproto_reqdec dec ;
static bufalloc results = BUFALLOC_ZERO ;
static stralloc text = STRALLOC_ZERO ;
static struct spawner_ops const *ops ;

static void die_nomem(void)
{
  strerr_diefu(111, "allocate memory") ;
}

static void putresult(unsigned int slot, char status, char const *s, size_t len)
{
  if (!spawnproto_putres(&results.x, slot, status, s, len)) die_nomem() ;
}

static void keep(struct slot *sl, char const *s, size_t len)
{
  size_t room = SPAWNER_OUTMAX - sl->out.len ;
  if (len > room) len = room ;
  if (len && !stralloc_catb(&sl->out, s, len)) die_nomem() ;
}

static void closeout(struct slot *sl)
{
  fd_close(sl->fd) ;
  sl->fd = -1 ;
}

/* One read of a child's output. Returns the bytes read, 0 at the end of the
 * output (the pipe is then closed), -1 when there is nothing now. */
static ssize_t readout(struct slot *sl)
{
  char buf[4096] ;
  ssize_t r = fd_read(sl->fd, buf, sizeof buf) ;
  if (r > 0) { keep(sl, buf, (size_t)r) ; return r ; }
  if (r < 0 && error_isagain(errno)) return -1 ;
  /* a read error ends the output like its end does: the exit status still
   * decides the result */
  closeout(sl) ;
  return 0 ;
}

/* The child of slot i has exited: collect the rest of its output and
 * queue its result. */
static void finish(unsigned int i, int wstat)
{
  struct slot *sl = &slots[i] ;
  unsigned long drained = 0 ;
  while (sl->fd >= 0 && drained < DRAIN_MAX)
  {
    ssize_t r = readout(sl) ;
    if (r <= 0) break ;
    drained += (unsigned long)r ;
  }
  if (sl->fd >= 0) closeout(sl) ;
  text.len = 0 ;
  char status = ops->report(wstat, sl->out.s, sl->out.len, &text) ;
  putresult(i, status, text.s, text.len) ;
  sl->pid = 0 ;
  sl->out.len = 0 ;
  nbusy-- ;
}

static void reap(void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = wait_nohang(&wstat) ;
    if (pid <= 0) break ;
    unsigned int i = 0 ;
    for (; i < SPAWNER_MAX ; i++)
      if (slots[i].pid == pid) { finish(i, wstat) ; break ; }
    /* a pid not in the table is not a delivery: nothing to report */
    if (i == SPAWNER_MAX && ops->reaped) ops->reaped(pid, wstat) ;
  }
}

static void handle_signals(void)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig < 0) strerr_diefusys(111, "read selfpipe") ;
    if (!sig) break ;
  }
  reap() ;
}

static void startone(struct spawnreq const *r)
{
  struct slot *sl = &slots[r->slot] ;
  int p[2] ;
  pid_t pid ;
  if (sl->pid)
  {
    char num[UINT_FMT] ;
    num[uint_fmt(num, r->slot)] = 0 ;
    strerr_dief(111, "protocol error: request for slot ", num, ", which is still busy") ;
  }
  if (pipecoe(p) < 0 || ndelay_on(p[0]) < 0)
  {
    /* out of descriptors, most likely: this delivery waits, the others go on */
    static char const msg[] = "Unable to create a pipe for the delivery. (#4.3.0)" ;
    putresult(r->slot, 'Z', msg, sizeof msg - 1) ;
    return ;
  }
  text.len = 0 ;
  pid = ops->start(r, p[1], &text) ;
  fd_close(p[1]) ;
  if (pid == SPAWNER_ELSEWHERE)
  {
    fd_close(p[0]) ;
    sl->pid = pid ;
    sl->fd = -1 ;
    nbusy++ ;
    return ;
  }
  if (pid > 0)
  {
    sl->pid = pid ;
    sl->fd = p[0] ;
    sl->out.len = 0 ;
    nbusy++ ;
    return ;
  }
  fd_close(p[0]) ;
  putresult(r->slot, pid ? 'Z' : 'D', text.s, text.len) ;
}

void spawner_done(unsigned int slot, char status, char const *s, size_t len)
{
  if (slot >= SPAWNER_MAX || slots[slot].pid != SPAWNER_ELSEWHERE) strerr_dief(111, "internal error: result for a slot not handed on") ;
  putresult(slot, status, s, len) ;
  slots[slot].pid = 0 ;
  nbusy-- ;
}

void spawner_rerun(struct spawnreq const *r)
{
  if (r->slot >= SPAWNER_MAX || slots[r->slot].pid != SPAWNER_ELSEWHERE) strerr_dief(111, "internal error: rerun of a slot not handed on") ;
  slots[r->slot].pid = 0 ;
  nbusy-- ;
  startone(r) ;
}

/* Reads what fd 0 has; returns 0 at its end. */
static int readrequests(void)
{
  char buf[8192] ;
  ssize_t r = fd_read(0, buf, sizeof buf) ;
  size_t off = 0 ;
  if (r < 0)
  {
    if (error_isagain(errno) || errno == EINTR) return 1 ;
    strerr_diefusys(111, "read requests") ;
  }
  if (!r)
  {
    enum spawnproto_status st = spawnproto_reqend(&dec) ;
    if (st != SPAWNPROTO_DONE) strerr_dief(111, "protocol error: ", spawnproto_errstr(st)) ;
    return 0 ;
  }
  while (off < (size_t)r)
  {
    size_t used ;
    enum spawnproto_status st = spawnproto_reqfeed(&dec, buf + off, (size_t)r - off, &used) ;
    off += used ;
    if (st == SPAWNPROTO_DONE) startone(&dec.req) ;
    else if (st != SPAWNPROTO_MORE) strerr_dief(111, "protocol error: ", spawnproto_errstr(st)) ;
  }
  return 1 ;
}

/* Every slot busy means a pipe per child plus a few of our own. */
static void enough_descriptors(void)
{
  struct rlimit rl ;
  rlim_t want = SPAWNER_MAX + 64 ;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want) return ;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max ;
  setrlimit(RLIMIT_NOFILE, &rl) ;
}

void spawner_child(void)
{
  sig_restore(SIGPIPE) ;
  sig_restore(SIGCHLD) ;
  sig_blocknone() ;
}

int spawner_run(struct spawner_ops const *o)
{
  static iopause_fd x[3 + SPAWNER_MAX + SPAWNER_EXTRA] ;
  static unsigned int xslot[3 + SPAWNER_MAX] ;
  int sfd, eof = 0 ;
  ops = o ;
  for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++) slots[i].fd = -1 ;
  spawnproto_reqinit(&dec, SPAWNER_MAX - 1) ;
  bufalloc_init(&results, &fd_write, 1) ;
  enough_descriptors() ;
  /* send dying must not kill us with SIGPIPE: the write error says it */
  if (sig_ignore(SIGPIPE) < 0) strerr_diefusys(111, "ignore SIGPIPE") ;
  sfd = selfpipe_init() ;
  if (sfd < 0) strerr_diefusys(111, "init selfpipe") ;
  if (!selfpipe_trap(SIGCHLD)) strerr_diefusys(111, "trap SIGCHLD") ;
  if (ndelay_on(1) < 0) strerr_diefusys(111, "make fd 1 non-blocking") ;

  for (;;)
  {
    unsigned int n = 0, nextra = 0, extra ;
    tain deadline = TAIN_INFINITE ;
    int r ;
    if (!bufalloc_isempty(&results) && !bufalloc_flush(&results) && !error_isagain(errno))
      strerr_diefusys(111, "write results") ;
    if (eof && !nbusy && bufalloc_isempty(&results)) return 0 ;

    for (unsigned int i = 0 ; i < SPAWNER_MAX ; i++)
      if (slots[i].pid && slots[i].fd >= 0)
      {
        x[n].fd = slots[i].fd ; x[n].events = IOPAUSE_READ ; xslot[n++] = i ;
      }
    unsigned int nchild = n ;
    x[n].fd = sfd ; x[n++].events = IOPAUSE_READ ;
    if (!eof) { x[n].fd = 0 ; x[n++].events = IOPAUSE_READ ; }
    if (!bufalloc_isempty(&results)) { x[n].fd = 1 ; x[n++].events = IOPAUSE_WRITE ; }
    extra = n ;
    if (ops->watch) nextra = ops->watch(x + extra, SPAWNER_EXTRA, &deadline) ;
    n += nextra ;

    tain_now_g() ;
    r = iopause_g(x, n, &deadline) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "iopause") ;
    }
    /* Outputs first, then exits, then new requests: a slot is freed only by
     * its exit and reused only by a request, so the x entries read here
     * still name the slots they were made for. */
    for (unsigned int i = 0 ; i < nchild ; i++)
      if (x[i].revents && slots[xslot[i]].fd >= 0) readout(&slots[xslot[i]]) ;
    if (x[nchild].revents) handle_signals() ;
    if (ops->handle) ops->handle(x + extra, nextra) ;
    if (!eof && x[nchild + 1].revents) eof = !readrequests() ;
  }
}
