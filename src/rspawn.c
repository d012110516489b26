/* rspawn: the remote delivery spawner (qmail-rspawn's place). Started by
 * start as qmailr in conf-home; reads delivery requests from send on fd 0
 * and writes results on fd 1 (cairn-spawn(5)), handing each recipient to
 * a remote worker or running remote for it. */
#include <unistd.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "control.h"
#include "rspawnjob.h"
#include "sched.h"
#include "spawner.h"
#include "workpool.h"

int main(void)
{
  static struct spawner_ops const ops = {
    &rspawnjob_start, &rspawnjob_childreport, &workpool_watch, &workpool_handle, &workpool_reaped
  } ;
  unsigned long conc ;
  PROG = "rspawn" ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  /* the processes rspawn keeps, workers included: send's bound */
  if (control_readulong(&conc, "control/concurrencyremote", 20, SCHED_CONCURRENCY_MAX) < 0) conc = 20 ;
  if (!rspawnjob_init((unsigned int)conc)) strerr_diefu(111, "allocate memory") ;
  return spawner_run(&ops) ;
}
