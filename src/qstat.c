/* qstat: counts the messages in the queue and those not yet
 * preprocessed, as qmail-qstat (qstat(8)), by reading the directories
 * only: no stat or open per message. */
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "qscan.h"

static unsigned long count(char const *dir)
{
  struct qscan_iter it ;
  unsigned long id, n = 0 ;
  int r ;
  if (!qscan_start(&it, dir, auto_split)) strerr_diefusys(111, "read ", auto_home, "/queue/", it.path) ;
  while ((r = qscan_next(&it, &id)) > 0) n++ ;
  if (r < 0) strerr_diefusys(111, "read ", auto_home, "/queue/", it.path) ;
  return n ;
}

static void line(char const *what, unsigned long n)
{
  char num[ULONG_FMT] ;
  if (buffer_puts(buffer_1, what) < 0 || buffer_put(buffer_1, num, ulong_fmt(num, n)) < 0
   || buffer_puts(buffer_1, "\n") < 0)
    strerr_diefusys(111, "write to stdout") ;
}

int main(void)
{
  unsigned long mess, todo ;
  PROG = "qstat" ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (chdir("queue") < 0) strerr_diefusys(111, "chdir to ", auto_home, "/queue") ;
  mess = count("mess/") ;
  todo = count("todo/") ;
  line("messages in queue: ", mess) ;
  line("messages in queue but not yet preprocessed: ", todo) ;
  if (!buffer_flush(buffer_1)) strerr_diefusys(111, "write to stdout") ;
  return 0 ;
}
