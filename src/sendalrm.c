/* sendalrm.c: SIGALRM to the holder of send's lock (sendalrm.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include "sendalrm.h"

enum sendalrm_status sendalrm(char const *lockfn, pid_t *pid)
{
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 } ;
  int fd = open(lockfn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0) return errno == EACCES || errno == EPERM ? SENDALRM_EPERM : SENDALRM_ERROR ;
  /* F_GETLK answers for a lock this fd could not take, with its owner's
   * pid; skalibs' fd_lock, which send uses, takes fcntl locks. */
  if (fcntl(fd, F_GETLK, &fl) < 0) { int e = errno ; close(fd) ; errno = e ; return SENDALRM_ERROR ; }
  close(fd) ;
  if (fl.l_type == F_UNLCK || fl.l_pid <= 0) return SENDALRM_NOTRUNNING ;
  *pid = fl.l_pid ;
  if (kill(fl.l_pid, SIGALRM) < 0) return errno == EPERM ? SENDALRM_EPERM : SENDALRM_ERROR ;
  return SENDALRM_OK ;
}
