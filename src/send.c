/* send: the scheduler (qmail-send's job). Started by start with the pipes
 * of startfds.h; logs on stdout in qmail-send's formats. */
#include <fcntl.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "sched.h"
#include "startfds.h"

static struct sched s ;

static int present(int fd)
{
  return fcntl(fd, F_GETFD) >= 0 ;
}

int main(void)
{
  int lockfd ;
  PROG = "send" ;
  if (!present(FD_LSPAWN_REQ) || !present(FD_LSPAWN_RES) || !present(FD_CLEAN_REQ) || !present(FD_CLEAN_RES))
    strerr_dief(111, "missing descriptors: send must be run by start") ;
  s.chan[CHAN_LOCAL].reqfd = FD_LSPAWN_REQ ; s.chan[CHAN_LOCAL].resfd = FD_LSPAWN_RES ;
  s.chan[CHAN_REMOTE].reqfd = present(FD_RSPAWN_REQ) ? FD_RSPAWN_REQ : -1 ;
  s.chan[CHAN_REMOTE].resfd = present(FD_RSPAWN_RES) ? FD_RSPAWN_RES : -1 ;
  s.cleanout = FD_CLEAN_REQ ; s.cleanin = FD_CLEAN_RES ;
  s.split = auto_split ;
  /* send's spares sit in info/ beside its hashed subdirectories */
  s.spares = (struct spares)SPARES_ZERO("info") ;
  for (unsigned int c = 0 ; c < CHANNELS ; c++)
  {
    static struct slot slots[CHANNELS][SCHED_CONCURRENCY_MAX] ;
    s.chan[c].slots = slots[c] ;
  }

  if (chdir(auto_home) < 0) strerr_diefusys(111, "switch to ", auto_home) ;
  s.homefd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (s.homefd < 0) strerr_diefusys(111, "open ", auto_home) ;
  if (!sched_config(&s)) strerr_dief(111, "unable to read the control files (see the log line above)") ;

  lockfd = open("lock/sendmutex", O_RDWR | O_CLOEXEC) ;
  if (lockfd < 0) strerr_diefusys(111, "open queue/lock/sendmutex") ;
  if (fd_lock(lockfd, 1, 1) < 1) strerr_dief(111, "another send is running in this queue") ;
  s.trigger = open("lock/trigger", O_RDONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (s.trigger < 0) strerr_diefusys(111, "open queue/lock/trigger") ;
  /* our own writer keeps the FIFO from reading as end of file forever */
  s.triggerw = open("lock/trigger", O_WRONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (s.triggerw < 0) strerr_diefusys(111, "open queue/lock/trigger for writing") ;

  schedtodo_startup(&s) ;
  sched_run(&s) ;
}
