/* clean: removes queue files on send's behalf (qmail-clean; clean(8)).
 * Requests on fd 0, one answer byte each on fd 1 (those to one read in one
 * write), in cleanproto's format;
 * runs as qmailq, which owns mess/, intd/, todo/ and pid/. On start and
 * then once an hour it also removes pid/ files left by dead queues. */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "auto.h"
#include "cleanpool.h"
#include "cleanproto.h"
#include "qclean.h"

#define PIDSWEEP_EVERY 3600

static tain sweepat ;

static void sweep(void)
{
  if (qclean_pids(time(0), QCLEAN_OSSIFIED) < 0) strerr_warnwusys("read ", auto_home, "/queue/pid") ;
  tain_addsec_g(&sweepat, PIDSWEEP_EVERY) ;
}

/* The requests that one read brought (at most one per byte read, for a
 * stream of bare NULs: each is a bad request), done at once
 * (cleanpool.h), answered in order in one write. */
static void answerall(char const *buf, size_t len, struct cleanproto_reader *rd)
{
  static struct cleanproto_req req[4096] ;
  static unsigned char ok[4096] ;
  static char out[4096] ;
  static int err[4096] ;
  size_t n = 0 ;
  for (size_t i = 0 ; i < len ;)
  {
    int complete ;
    i += cleanproto_feed(rd, buf + i, len - i, &complete) ;
    if (!complete) continue ;
    ok[n] = (unsigned char)cleanproto_take(rd, &req[n]) ;
    out[n] = CLEANPROTO_BAD ;
    err[n] = 0 ;
    n++ ;
  }
  cleanpool_run(req, ok, out, err, n, auto_split) ;
  for (size_t i = 0 ; i < n ; i++) if (ok[i] && out[i] != CLEANPROTO_OK)
  {
    char fn[CLEANPROTO_MAX] ;
    cleanproto_fmt(fn, req[i].kind, req[i].id) ;
    errno = err[i] ;
    strerr_warnwusys("remove the files of ", fn) ;
  }
  if (n && allwrite(1, out, n) != n) strerr_diefusys(111, "write to fd 1") ;
}

int main(void)
{
  struct cleanproto_reader rd = CLEANPROTO_READER_ZERO ;
  char buf[4096] ;

  PROG = "clean" ;
  signal(SIGPIPE, SIG_IGN) ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (chdir("queue") < 0) strerr_diefusys(111, "chdir to ", auto_home, "/queue") ;
  tain_now_set_stopwatch_g() ;
  sweep() ;
  for (;;)
  {
    iopause_fd x = { .fd = 0, .events = IOPAUSE_READ } ;
    ssize_t r ;
    int n = iopause_g(&x, 1, &sweepat) ;
    if (n < 0) strerr_diefusys(111, "iopause") ;
    if (!n) { sweep() ; continue ; }
    r = fd_read(0, buf, sizeof buf) ;
    if (r < 0) strerr_diefusys(111, "read fd 0") ;
    if (!r) return 0 ;
    /* send writes requests without waiting for the answers */
    answerall(buf, (size_t)r, &rd) ;
    tain_now_g() ;
    if (!tain_future(&sweepat)) sweep() ;
  }
}
