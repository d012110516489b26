/* remotework.c: the job loop of remote -W (remotework.h). Descriptors
 * while serving: fd 0 /dev/null (a job's message is read through its own
 * descriptor), fds 1 and 2 rspawn's log; the socket is close-on-exec, so
 * the TLS engines started for sessions do not hold it. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "localjob.h"
#include "remotedeliver.h"
#include "remoteout.h"
#include "remotesmtp.h"
#include "remotework.h"

static char const hellopkt[] = REMOTEWORK_HELLO ;

/* Keeps the idle session until a job comes or the session has ended: the
 * server closed it or spoke, or REMOTEWORK_KEEP seconds went by. Returns
 * at once when no session is kept. */
static void idle(int sock)
{
  tain deadline ;
  tain_now_g() ;
  tain_addsec_g(&deadline, REMOTEWORK_KEEP) ;
  for (;;)
  {
    int fd = remotesmtp_idlefd() ;
    iopause_fd x[2] = { { .fd = sock, .events = IOPAUSE_READ }, { .fd = fd, .events = IOPAUSE_READ } } ;
    int r ;
    if (fd < 0) return ;
    r = iopause_g(x, 2, &deadline) ;
    if (r < 0 && errno == EINTR) continue ;
    if (r > 0 && x[0].revents) return ;
    /* timed out: QUIT; the server's close or words, or a failed wait:
     * just close */
    remotesmtp_end(!r) ;
    wait_reap() ;
    return ;
  }
}

int remotework_run(void)
{
  static char buf[LOCALJOB_PACKET_MAX + 1] ;
  static stralloc store = STRALLOC_ZERO, report = STRALLOC_ZERO, pkt = STRALLOC_ZERO ;
  static jmp_buf back ;
  char const *args[REMOTEWORK_ARGS] ;
  int sock, nullfd, type ;
  socklen_t tlen = sizeof type ;

  if (getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_SEQPACKET)
  {
    errno = ENOTSOCK ;
    strerr_diefusys(111, "serve as a worker: fd 0 is no worker socket (remote -W is rspawn's)") ;
  }
  sock = fcntl(0, F_DUPFD_CLOEXEC, 3) ;
  if (sock < 0) strerr_diefusys(111, "duplicate fd 0") ;
  nullfd = open("/dev/null", O_RDONLY) ;
  if (nullfd < 0) strerr_diefusys(111, "open /dev/null") ;
  if (fd_move(0, nullfd) < 0 || dup2(2, 1) < 0) strerr_diefusys(111, "set up descriptors") ;
  remotesmtp_keep() ;
  remoteout_capture(&report, &back) ;
  if (!localjob_send(sock, hellopkt, sizeof hellopkt - 1, -1, 0)) strerr_diefusys(111, "say hello to rspawn") ;
  for (;;)
  {
    static int msgfd ;   /* static: kept as it is across the longjmp */
    ssize_t r ;
    idle(sock) ;
    r = localjob_recv(sock, buf, sizeof buf, &msgfd, 0) ;
    if (!r) { remotesmtp_end(1) ; return 0 ; }
    if (r < 0) strerr_diefusys(111, "read a job") ;
    if (msgfd < 0 || !localjob_getargs(buf, (size_t)r, REMOTEWORK_ARGS, &store, args))
    {
      if (msgfd >= 0) fd_close(msgfd) ;
      errno = EPROTO ;
      strerr_diefusys(111, "read a job") ;
    }
    report.len = 0 ;
    if (!setjmp(back)) remotedeliver(args[0], args[1], args + 2, 1, msgfd) ;
    fd_close(msgfd) ;
    /* whatever the job left open but did not keep is closed */
    if (remotesmtp_idlefd() < 0) remotesmtp_end(0) ;
    wait_reap() ;
    pkt.len = 0 ;
    if (!localjob_putreport(&pkt, 0, report.s, report.len)) strerr_diefu(111, "allocate memory") ;
    if (!localjob_send(sock, pkt.s, pkt.len, -1, 0)) strerr_diefusys(111, "write a report") ;
  }
}
