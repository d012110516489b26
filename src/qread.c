/* qread: lists the messages in the queue with their recipients, as
 * qmail-qread (qread(8)). One pass over mess/, no process per message,
 * output buffered: it has to stay quick on a queue of 100,000 messages. */
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "qlist.h"
#include "qscan.h"

static char outbuf[65536] ;
static buffer out = BUFFER_INIT(&buffer_write, 1, outbuf, sizeof outbuf) ;

static void die_write(void)
{
  strerr_diefusys(111, "write to stdout") ;
}

int main(void)
{
  struct qscan_iter it ;
  struct qscan_entry e = QSCAN_ENTRY_ZERO ;
  struct qscan_idset todo = QSCAN_IDSET_ZERO, bounce = QSCAN_IDSET_ZERO ;
  unsigned long id ;
  int trouble = 0, r ;

  PROG = "qread" ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (chdir("queue") < 0) strerr_diefusys(111, "chdir to ", auto_home, "/queue") ;
  /* todo/ and bounce/ before mess/: see qscan_readx */
  if (!qscan_idset_load(&todo, &it, "todo/", auto_split)
   || !qscan_idset_load(&bounce, &it, "bounce/", auto_split))
    strerr_diefusys(111, "read ", auto_home, "/queue/", it.path) ;
  if (!qscan_start(&it, "mess/", auto_split)) strerr_diefusys(111, "read ", auto_home, "/queue/", it.path) ;
  while ((r = qscan_next(&it, &id)) > 0)
  {
    r = qscan_readx(&e, id, auto_split, qscan_idset_has(&todo, id), qscan_idset_has(&bounce, id)) ;
    if (r < 0)
    {
      /* One broken entry must not hide the others: say which, go on. */
      char num[ULONG_FMT] ;
      num[ulong_fmt(num, id)] = 0 ;
      strerr_warnwsys("trouble with #", num, ": ", e.what) ;
      trouble = 1 ;
      continue ;
    }
    if (r && !qlist_put(&out, &e)) die_write() ;
  }
  if (r < 0) strerr_diefusys(111, "read ", auto_home, "/queue/", it.path) ;
  if (!buffer_flush(&out)) die_write() ;
  qscan_entry_free(&e) ;
  qscan_idset_free(&todo) ;
  qscan_idset_free(&bounce) ;
  return trouble ? 111 : 0 ;
}
