/* poolworker.c: a worker's accept, serve, reset loop (poolworker.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include "control.h"
#include "poolworker.h"
#include "smtpconf.h"
#include "smtpsess.h"

static volatile sig_atomic_t stop ;
static volatile int listenfd = -1 ;

static void onterm(int sig)
{
  int e = errno ;
  (void)sig ;
  stop = 1 ;
  if (listenfd >= 0) { close(listenfd) ; listenfd = -1 ; }
  errno = e ;
}

static void report(int fd, char state)
{
  char rec[POOLWORKER_RECLEN] = { 0 } ;
  uint32_t pid = (uint32_t)getpid() ;
  memcpy(rec, &pid, 4) ;
  rec[4] = state ;
  /* a master gone (EPIPE) is not our problem: this session goes on,
   * and the parent-death signal ends the worker */
  if (write(fd, rec, sizeof rec) < 0) {}
}

/* The session on fds 0 and 1, with the control files of this moment. */
static void serve(int broker)
{
  static struct smtpconf conf ;
  if (!smtpconf_load(&conf))
  {
    static char const msg[] = "421 4.3.0 temporary configuration problem; try again later\r\n" ;
    if (allwrite(1, msg, sizeof msg - 1) < sizeof msg - 1) {}
    strerr_warnw1x(control_error.len ? control_error.s : "unable to read the control files") ;
  }
  else
  {
    /* STARTTLS only through the broker (smtppool -s), and offered only
     * while there is a certificate, as tlsd in front of smtpd does (the
     * certificate is public; the key, which the worker cannot read, is
     * tlsd's to check: one it cannot use makes STARTTLS answer 454).
     * Whatever the rules say, there is no engine in front of a worker. */
    conf.tlsctl = -1 ;
    conf.tlsbroker = broker >= 0 && access("control/tlscert", F_OK) == 0 ? broker : -1 ;
    conf.tlscipher = conf.tlsprotocol = 0 ;
    smtpsess_run(&conf) ;
  }
  smtpconf_free(&conf) ;
}

void poolworker_run(struct poolworker *w)
{
  struct sigaction sa ;
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC) ;
  memset(&sa, 0, sizeof sa) ;
  sa.sa_handler = &onterm ;
  sigemptyset(&sa.sa_mask) ;
  sa.sa_flags = 0 ;        /* no SA_RESTART: a SIGTERM ends a waiting accept */
  listenfd = w->listen ;
  if (devnull < 0) strerr_diefu2sys(111, "open ", "/dev/null") ;
  if (sigaction(SIGTERM, &sa, 0) < 0) strerr_diefu1sys(111, "catch SIGTERM") ;
  signal(SIGPIPE, SIG_IGN) ;
  /* the master gone, no one replaces us or counts us: finish and go */
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) strerr_diefu1sys(111, "set the parent-death signal") ;
  /* fds 0 and 1 are the connection's while serving, /dev/null between,
   * so that nothing else takes their numbers */
  if (fd_copy(0, devnull) < 0 || fd_copy(1, devnull) < 0) strerr_diefu1sys(111, "move descriptors") ;
  for (unsigned int n = 0 ; n < w->maxuse && !stop && listenfd >= 0 ;)
  {
    int fd = accept4(listenfd, 0, 0, SOCK_CLOEXEC) ;
    if (fd < 0)
    {
      if (stop) break ;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break ;     /* idle long enough */
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue ;
      strerr_diefu1sys(111, "accept a connection") ;
    }
    n++ ;
    report(w->status, POOLWORKER_BUSY) ;
    if (poolconn_setup(&w->conn, fd) > 0)
    {
      /* the session holds the connection on 0 and 1 only, so that after
       * STARTTLS (0 and 1 then the engine's channel) only tlsd holds it */
      if (fd_copy(0, fd) < 0 || fd_copy(1, fd) < 0) strerr_diefu1sys(111, "move descriptors") ;
      fd_close(fd) ;
      serve(w->broker) ;
      if (fd_copy(0, devnull) < 0 || fd_copy(1, devnull) < 0) strerr_diefu1sys(111, "move descriptors") ;
    }
    else fd_close(fd) ;
    report(w->status, POOLWORKER_IDLE) ;
  }
  _exit(0) ;
}
