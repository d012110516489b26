/* showctl: prints every control file of conf-home, its value or its
 * default and what it means (qmail-showctl), and reports each file or
 * line the programs could not parse. -q: the problems alone (cairnctl
 * check). Exits 0 when there is none, 100 when something cannot be
 * parsed or is missing when needed, 111 when a file cannot be read. */
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "ctlshow.h"

int main(int argc, char const *const *argv)
{
  struct ctlshow c = { .out = buffer_1, .problems = 0, .readerrors = 0 } ;
  subgetopt l = SUBGETOPT_ZERO ;
  int opt ;
  PROG = "showctl" ;
  while ((opt = subgetopt_r(argc, argv, "q", &l)) != -1)
  {
    if (opt == 'q') c.out = 0 ;
    else strerr_dieusage(100, "showctl [ -q ]") ;
  }
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (!ctlshow_run(&c) || !buffer_flush(buffer_1)) strerr_diefusys(111, "write to stdout") ;
  if (c.problems)
  {
    char num[UINT_FMT] ;
    num[uint_fmt(num, c.problems)] = 0 ;
    strerr_dief(c.readerrors ? 111 : 100, num, c.problems == 1 ? " problem" : " problems", " in the configuration of ", auto_home) ;
  }
  return 0 ;
}
