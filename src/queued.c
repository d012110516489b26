/* queued: the long-lived queue writer (queued(8)). Listens on
 * conf-home/queued/socket and writes each message a client sends into
 * the queue as queue would, answering with queue's exit code once the
 * entry is durable. Started by start with fd 0 the read end of a pipe
 * that send holds: EOF there (send has gone), or SIGTERM, makes it stop
 * accepting, finish the messages in progress and exit. */
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "queuedloop.h"
#include "queuedsock.h"

/* Each client may hold three descriptors (socket, mess, intd). */
static unsigned int clients(void)
{
  struct rlimit r ;
  rlim_t want = QUEUED_CLIENTS * 3 + 16 ;
  if (getrlimit(RLIMIT_NOFILE, &r) < 0) return 16 ;
  if (r.rlim_cur < want)
  {
    r.rlim_cur = r.rlim_max < want ? r.rlim_max : want ;
    setrlimit(RLIMIT_NOFILE, &r) ;
    if (getrlimit(RLIMIT_NOFILE, &r) < 0) return 16 ;
  }
  if (r.rlim_cur >= want) return QUEUED_CLIENTS ;
  return r.rlim_cur > 64 ? (unsigned int)((r.rlim_cur - 16) / 3) : 16 ;
}

int main(void)
{
  int lfd ;
  PROG = "queued" ;
  umask(033) ;
  signal(SIGPIPE, SIG_IGN) ;
  signal(SIGXFSZ, SIG_IGN) ;
  if (chdir(auto_home) < 0) strerr_diefu2sys(111, "switch to ", auto_home) ;
  lfd = queuedsock_listen(QUEUEDSOCK_PATH) ;
  if (lfd < 0) strerr_diefu2sys(111, "listen on ", QUEUEDSOCK_PATH) ;
  if (chdir("queue") < 0) strerr_diefu1sys(111, "switch to queue") ;
  if (ndelay_on(0) < 0) strerr_diefu1sys(111, "set fd 0 non-blocking") ;
  queuedloop_run(lfd, 0, clients()) ;
  return 0 ;
}
