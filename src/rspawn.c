/* rspawn: the remote delivery spawner (qmail-rspawn's place). Started by
 * start as qmailr in conf-home; reads delivery requests from send on fd 0
 * and writes results on fd 1 (cairn-spawn(5)), running remote for each
 * recipient. */
#include <unistd.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "rspawnjob.h"
#include "spawner.h"

int main(void)
{
  static struct spawner_ops const ops = { .start = &rspawnjob_start, .report = &rspawnjob_report } ;
  PROG = "rspawn" ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (!rspawnjob_init()) strerr_diefu(111, "allocate memory") ;
  return spawner_run(&ops) ;
}
