/* lspawn: the local delivery spawner (qmail-lspawn's place). Started by
 * start as root with the default delivery as its argument; reads delivery
 * requests from send on fd 0 and writes results on fd 1 (cairn-spawn(5)),
 * running local as each recipient's user. */
#include <unistd.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "control.h"
#include "lspawnjob.h"
#include "workpool.h"
#include "sched.h"
#include "spawner.h"

int main(int argc, char const *const *argv)
{
  static struct spawner_ops const ops = {
    &lspawnjob_start, &lspawnjob_childreport, &workpool_watch, &workpool_handle, &workpool_reaped
  } ;
  unsigned long conc ;
  PROG = "lspawn" ;
  if (argc < 2 || !*argv[1]) strerr_dieusage(100, "lspawn defaultdelivery") ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  /* the processes lspawn keeps, workers included: send's bound */
  if (control_readulong(&conc, "control/concurrencylocal", 10, SCHED_CONCURRENCY_MAX) < 0) conc = 10 ;
  if (!lspawnjob_init(argv[1], (unsigned int)conc)) strerr_diefu(111, "allocate memory") ;
  return spawner_run(&ops) ;
}
