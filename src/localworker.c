/* localworker.c: the job loop of local -W (localworker.h).
 * Descriptors while serving: fd 0 the message of the current job (else
 * /dev/null), fds 1 and 2 the write end of a pipe whose other end the
 * worker drains after each job into the report, as lspawn's pipe collects
 * a per-delivery local's output; the socket, the log and the pipe's read
 * end are close-on-exec, so no program a .qmail runs holds them. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/error.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "localdeliver.h"
#include "localjob.h"
#include "localworker.h"

static int logfd = 2 ;

static void gccattr_noreturn fatal(char const *what)
{
  int e = errno ;
  if (logfd != 2) dup2(logfd, 2) ;
  errno = e ;
  strerr_diefusys(111, what) ;
}

/* What the children wrote on fds 1 and 2 during the job: read to the end
 * of what is there (they have exited), keeping what fits the report. */
static void drain(int fd, stralloc *sa)
{
  char buf[4096] ;
  for (;;)
  {
    ssize_t r = fd_read(fd, buf, sizeof buf) ;
    size_t room = LOCALJOB_TEXT_MAX - (sa->len < LOCALJOB_TEXT_MAX ? sa->len : LOCALJOB_TEXT_MAX) ;
    if (r <= 0) return ;
    if (!stralloc_catb(sa, buf, (size_t)r < room ? (size_t)r : room)) fatal("allocate memory") ;
  }
}

/* The text of a per-delivery local: its output, then its report and a
 * newline (localreport_exit), cut at lspawn's bound. */
static int answer(int sock, int code, stralloc *out, stralloc const *report, stralloc *pkt)
{
  if (!stralloc_cat(out, report) || !stralloc_catb(out, "\n", 1)) fatal("allocate memory") ;
  pkt->len = 0 ;
  if (!localjob_putreport(pkt, code, out->s, out->len)) fatal("allocate memory") ;
  return localjob_send(sock, pkt->s, pkt->len, -1, 0) ;
}

int localworker_run(void)
{
  static char buf[LOCALJOB_PACKET_MAX + 1] ;
  stralloc store = STRALLOC_ZERO, report = STRALLOC_ZERO, out = STRALLOC_ZERO, pkt = STRALLOC_ZERO ;
  char const *args[LOCALJOB_ARGS] ;
  int sock, nullfd, p[2], type ;
  socklen_t tlen = sizeof type ;

  if (getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_SEQPACKET)
  {
    errno = ENOTSOCK ;
    fatal("serve as a worker: fd 0 is no worker socket (local -W is lspawn's)") ;
  }
  logfd = fcntl(2, F_DUPFD_CLOEXEC, 3) ;
  if (logfd < 0) { logfd = 2 ; fatal("duplicate fd 2") ; }
  sock = fcntl(0, F_DUPFD_CLOEXEC, 3) ;
  if (sock < 0) fatal("duplicate fd 0") ;
  nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC) ;
  if (nullfd < 0) fatal("open /dev/null") ;
  if (pipecoe(p) < 0 || ndelay_on(p[0]) < 0) fatal("create a pipe") ;
  if (dup2(nullfd, 0) < 0 || dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0) fatal("set up descriptors") ;
  fd_close(p[1]) ;

  if (!localjob_puthello(&pkt)) fatal("allocate memory") ;
  if (!localjob_send(sock, pkt.s, pkt.len, -1, 0)) fatal("say hello to lspawn") ;
  for (;;)
  {
    struct localdeliver_args a ;
    int msgfd, code ;
    ssize_t r = localjob_recv(sock, buf, sizeof buf, &msgfd, 0) ;
    if (!r) return 0 ;
    if (r < 0) fatal("read a job") ;
    if (msgfd < 0 || !localjob_getjob(buf, (size_t)r, &store, args))
    {
      if (msgfd >= 0) fd_close(msgfd) ;
      errno = EPROTO ;
      fatal("read a job") ;
    }
    if (dup2(msgfd, 0) < 0) fatal("move the message to fd 0") ;
    fd_close(msgfd) ;
    a = (struct localdeliver_args){ args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7] } ;
    out.len = 0 ;
    if (a.home[0] != '/')
    {
      report.len = 0 ;
      if (!stralloc_cats(&report, "Unable to deliver: local was run with bad arguments (#4.3.5)")) fatal("allocate memory") ;
      code = 111 ;
    }
    else if (chdir(a.home) < 0)
    {
      /* lspawn's words when it cannot switch to the home for local */
      char const *e = strerror(errno) ;
      report.len = 0 ;
      if (!stralloc_cats(&report, "Unable to switch to ") || !stralloc_cats(&report, a.home)
       || !stralloc_cats(&report, ": ") || !stralloc_cats(&report, e) || !stralloc_cats(&report, " (#4.3.0)")) fatal("allocate memory") ;
      code = 111 ;
    }
    else code = localdeliver(&a, 1, &report) ;
    if (dup2(nullfd, 0) < 0) fatal("release the message") ;
    drain(p[0], &out) ;
    if (!answer(sock, code, &out, &report, &pkt)) fatal("write a report") ;
  }
}
