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
#include <skalibs/types.h>
#include "control.h"
#include "poolworker.h"
#include "smtpconf.h"
#include "smtpsess.h"
#include "tlsbroker.h"
#include "tlsctl.h"

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

/* The session on fds 0 and 1, with the control files of this moment
 * (those unchanged since the previous session not read again: conf and
 * cache are kept from one session to the next); cipher (and protocol)
 * when TLS is on from the start. */
static void serve(int broker, char const *protocol, char const *cipher)
{
  static struct smtpconf conf ;
  static struct ctlcache cache = CTLCACHE_ZERO ;
  if (!smtpconf_reload(&conf, &cache))
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
    conf.tlscipher = cipher ;
    conf.tlsprotocol = cipher ? protocol : 0 ;
    if (cipher) conf.tlsbroker = -1 ;
    smtpsess_run(&conf) ;
  }
}

/* Implicit TLS: an engine on conn from the broker, then its outcome.
 * The channel (conn closed: only tlsd holds it), with the protocol and
 * cipher in *protocol and *cipher (valid until the next call); or -1,
 * logged, when there is no engine or the handshake failed (tlsd logged
 * why): the connection is dropped, as tlsd -i drops it. */
static int implicit(int broker, int conn, char const **protocol, char const **cipher)
{
  static stralloc rec = STRALLOC_ZERO ;
  char pidstr[PID_FMT] ;
  /* tlsd bounds the handshake with its own timeout (300 s) */
  int chan = tlsbroker_ask(broker, conn, 30000), r ;
  fd_close(conn) ;
  pidstr[pid_fmt(pidstr, getpid())] = 0 ;
  if (chan < 0)
  {
    strerr_warnw3sys("", pidstr, " dropped: no TLS engine") ;
    return -1 ;
  }
  r = tlsctl_read(chan, &rec, 330000) ;
  if (r != 1) { fd_close(chan) ; return -1 ; }
  *protocol = tlsctl_get(rec.s, rec.len, "TLS_PROTOCOL") ;
  *cipher = tlsctl_get(rec.s, rec.len, "TLS_CIPHER") ;
  if (!*protocol) *protocol = "TLS" ;
  if (!*cipher) *cipher = "unknown" ;
  return chan ;
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
      char const *protocol = 0, *cipher = 0 ;
      if (w->implicit) fd = implicit(w->broker, fd, &protocol, &cipher) ;
      if (fd < 0) goto next ;
      if (fd_copy(0, fd) < 0 || fd_copy(1, fd) < 0) strerr_diefu1sys(111, "move descriptors") ;
      fd_close(fd) ;
      serve(w->broker, protocol, cipher) ;
      if (fd_copy(0, devnull) < 0 || fd_copy(1, devnull) < 0) strerr_diefu1sys(111, "move descriptors") ;
    }
    else fd_close(fd) ;
   next:
    report(w->status, POOLWORKER_IDLE) ;
  }
  _exit(0) ;
}
