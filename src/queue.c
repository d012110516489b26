/* queue: writes one message into the queue (qmail-queue's interface).
 * Message on fd 0, envelope on fd 1; exit 0 when the entry is durable.
 * It is the one setuid program: home and users are compiled in (auto.c),
 * nothing is taken from the environment. */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "qqexit.h"
#include "qwrite.h"
#include "qqstore.h"

static struct qwrite q = { .fd = -1, .intdfd = -1 } ;

static void die(int code)
{
  qwrite_abort(&q) ;
  if (code) strerr_dief(code, qqexit_text(code)) ;
  _exit(0) ;
}

/* In a signal handler: only write(2), no buffered strerr. */
static void timeout(int sig)
{
  char const *text = qqexit_text(52) ;
  (void)sig ;
  qwrite_abort(&q) ;
  if (write(2, "queue: fatal: ", 14) < 0 || write(2, text, strlen(text)) < 0 || write(2, "\n", 1) < 0) { }
  _exit(52) ;
}

int main(void)
{
  PROG = "queue" ;
  umask(033) ;
  signal(SIGPIPE, SIG_IGN) ;
  /* A file size limit set by the caller makes the write fail (53, files
   * removed) instead of killing queue with half an entry on disk. */
  signal(SIGXFSZ, SIG_IGN) ;
  signal(SIGALRM, timeout) ;
  /* The signal mask survives exec: a caller that blocks SIGALRM must not
   * make queue immortal. */
  sig_unblock(SIGALRM) ;
  alarm(QQSTORE_DEATH) ;
  if (chdir(auto_home) < 0) die(61) ;
  if (chdir("queue") < 0) die(62) ;
  die(qqstore(&q, 0, 1, getuid(), getpid())) ;
}
