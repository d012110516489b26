/* clean: removes queue files on send's behalf (qmail-clean; clean(8)).
 * Requests on fd 0, one answer byte each on fd 1 (those to one read in one
 * write), in cleanproto's format;
 * runs as qmailq, which owns mess/, intd/, todo/ and pid/. On start and
 * then once an hour it also removes pid/ files left by dead queues. */
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/iopause.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/types.h>
#include "auto.h"
#include "cleanproto.h"
#include "qclean.h"

#define PIDSWEEP_EVERY 3600

static tain sweepat ;

static void sweep(void)
{
  if (qclean_pids(time(0), QCLEAN_OSSIFIED) < 0) strerr_warnwusys("read ", auto_home, "/queue/pid") ;
  tain_addsec_g(&sweepat, PIDSWEEP_EVERY) ;
}

/* The answer to the request rd holds. */
static char answer(struct cleanproto_reader *rd)
{
  struct cleanproto_req req ;
  char c = CLEANPROTO_BAD ;
  if (cleanproto_take(rd, &req))
  {
    c = qclean_do(&req, auto_split) ;
    if (c != CLEANPROTO_OK)
    {
      char fn[CLEANPROTO_MAX] ;
      cleanproto_fmt(fn, req.kind, req.id) ;
      strerr_warnwusys("remove the files of ", fn) ;
    }
  }
  return c ;
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
    /* send writes requests without waiting: the answers to all that one
     * read brought go back in one write (at most one per byte read, for
     * a stream of bare NULs: each is a bad request) */
    {
      char out[sizeof buf] ;
      size_t nout = 0 ;
      for (size_t i = 0 ; i < (size_t)r ;)
      {
        int complete ;
        i += cleanproto_feed(&rd, buf + i, (size_t)r - i, &complete) ;
        if (complete) out[nout++] = answer(&rd) ;
      }
      if (nout && allwrite(1, out, nout) != nout) strerr_diefusys(111, "write to fd 1") ;
    }
    tain_now_g() ;
    if (!tain_future(&sweepat)) sweep() ;
  }
}
