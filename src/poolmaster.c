/* poolmaster.c: keeps the pool of workers (poolmaster.h). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "poolmaster.h"

struct slot { pid_t pid ; int busy ; } ;

static struct slot *slots ;
static unsigned int nslots, nworkers, nbusy, lastbusy = (unsigned int)-1 ;
static pid_t broker ;
static int brokerdied ;

static void status(void)
{
  char line[64] ;
  size_t n = 0 ;
  if (nbusy == lastbusy) return ;
  lastbusy = nbusy ;
  memcpy(line, "smtppool: status: ", 18) ; n = 18 ;
  n += uint_fmt(line + n, nbusy) ;
  line[n++] = '/' ;
  n += uint_fmt(line + n, nslots) ;
  line[n++] = '\n' ;
  allwrite(2, line, n) ;
}

static struct slot *find(pid_t pid)
{
  for (unsigned int i = 0 ; i < nslots ; i++) if (slots[i].pid == pid) return slots + i ;
  return 0 ;
}

/* 1 forked, 0 fork failed (logged; retried later) */
static int spawn(struct poolworker *w, int statusread)
{
  struct slot *s = find(0) ;
  pid_t pid ;
  if (!s) return 1 ;
  pid = fork() ;
  if (pid < 0) { strerr_warnwu1sys("fork a worker") ; return 0 ; }
  if (!pid)
  {
    selfpipe_finish() ;
    fd_close(statusread) ;
    poolworker_run(w) ;
  }
  s->pid = pid ;
  s->busy = 0 ;
  nworkers++ ;
  return 1 ;
}

static void reap(void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = wait_nohang(&wstat) ;
    struct slot *s ;
    if (pid <= 0) return ;
    if (broker && pid == broker)
    {
      char st[UINT_FMT] ;
      st[uint_fmt(st, WIFSIGNALED(wstat) ? (unsigned int)WTERMSIG(wstat) : (unsigned int)WEXITSTATUS(wstat))] = 0 ;
      strerr_warnw4x("the TLS broker ", WIFSIGNALED(wstat) ? "was killed by signal " : "exited ", st,
        ": STARTTLS is answered 454; stopping, for the supervisor to start smtppool again") ;
      broker = 0 ;
      brokerdied = 1 ;
      continue ;
    }
    s = find(pid) ;
    if (!s) continue ;
    if (WIFSIGNALED(wstat) || WEXITSTATUS(wstat))
    {
      char fmt[PID_FMT], st[UINT_FMT] ;
      fmt[pid_fmt(fmt, pid)] = 0 ;
      st[uint_fmt(st, WIFSIGNALED(wstat) ? (unsigned int)WTERMSIG(wstat) : (unsigned int)WEXITSTATUS(wstat))] = 0 ;
      strerr_warnw5x("worker ", fmt, WIFSIGNALED(wstat) ? " killed by signal " : " exited ", st, s->busy ? " during a session" : "") ;
    }
    if (s->busy) nbusy-- ;
    s->pid = 0 ;
    s->busy = 0 ;
    nworkers-- ;
  }
}

/* Reports from the status pipe; a partial record waits for its end. */
static void readstatus(int fd)
{
  static char buf[POOLWORKER_RECLEN * 64] ;
  static size_t len ;
  ssize_t r = read(fd, buf + len, sizeof buf - len) ;
  size_t i = 0 ;
  if (r <= 0) return ;
  len += (size_t)r ;
  for (; len - i >= POOLWORKER_RECLEN ; i += POOLWORKER_RECLEN)
  {
    uint32_t pid ;
    struct slot *s ;
    memcpy(&pid, buf + i, 4) ;
    s = pid ? find((pid_t)pid) : 0 ;
    if (!s) continue ;              /* reaped already */
    if (buf[i + 4] == POOLWORKER_BUSY && !s->busy) { s->busy = 1 ; nbusy++ ; }
    else if (buf[i + 4] == POOLWORKER_IDLE && s->busy) { s->busy = 0 ; nbusy-- ; }
  }
  memmove(buf, buf + i, len - i) ;
  len -= i ;
}

int poolmaster_run(struct poolworker *w, unsigned int maxconn, unsigned int idle, pid_t brokerpid)
{
  iopause_fd x[2] ;
  int sp[2], sfd ;
  tain retry = TAIN_EPOCH ;
  sigset_t set ;
  struct timeval tv = { .tv_sec = idle, .tv_usec = 0 } ;
  slots = calloc(maxconn, sizeof *slots) ;
  if (!slots) strerr_diefu1sys(111, "allocate the worker table") ;
  nslots = maxconn ;
  broker = brokerpid ;
  /* a worker that waited this long in accept exits; one is made again
   * when none is left idle */
  if (idle && setsockopt(w->listen, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
    strerr_diefu1sys(111, "set the idle time") ;
  if (pipe2(sp, O_CLOEXEC) < 0 || ndelay_on(sp[0]) < 0) strerr_diefu1sys(111, "make the status pipe") ;
  w->status = sp[1] ;
  sfd = selfpipe_init() ;
  if (sfd < 0) strerr_diefu1sys(111, "init the selfpipe") ;
  sigemptyset(&set) ;
  sigaddset(&set, SIGCHLD) ;
  sigaddset(&set, SIGTERM) ;
  if (!selfpipe_trapset(&set)) strerr_diefu1sys(111, "trap signals") ;
  signal(SIGPIPE, SIG_IGN) ;
  tain_now_g() ;
  status() ;
  for (;;)
  {
    int r ;
    tain_now_g() ;
    if (!tain_less(&STAMP, &retry))
      while (nworkers - nbusy < 1 && nworkers < nslots)
        if (!spawn(w, sp[0])) { tain_addsec_g(&retry, 1) ; break ; }
    x[0].fd = sfd ; x[0].events = IOPAUSE_READ ;
    x[1].fd = sp[0] ; x[1].events = IOPAUSE_READ ;
    r = iopause_g(x, 2, tain_less(&STAMP, &retry) ? &retry : 0) ;
    if (r < 0) strerr_diefu1sys(111, "iopause") ;
    if (x[1].revents & IOPAUSE_READ) readstatus(sp[0]) ;
    if (x[0].revents & IOPAUSE_READ)
    {
      int sig ;
      while ((sig = selfpipe_read()) > 0)
      {
        if (sig == SIGCHLD) reap() ;
        if (sig == SIGTERM || brokerdied)
        {
          fd_close(w->listen) ;
          for (unsigned int i = 0 ; i < nslots ; i++) if (slots[i].pid) kill(slots[i].pid, SIGTERM) ;
          return brokerdied ? 111 : 0 ;
        }
      }
      if (sig < 0) strerr_diefu1sys(111, "read the selfpipe") ;
    }
    status() ;
  }
}
