/* queuedsock.c: bind under a temporary name, rename over the real one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/socket.h>
#include <skalibs/types.h>
#include "queuedsock.h"

int queuedsock_listen(char const *path)
{
  size_t n = strlen(path) ;
  char tmp[n + 5 + PID_FMT + 1] ;
  int fd, e ;
  memcpy(tmp, path, n) ; memcpy(tmp + n, ".tmp.", 5) ;
  tmp[n + 5 + pid_fmt(tmp + n + 5, getpid())] = 0 ;
  fd = ipc_stream_nbcoe() ;
  if (fd < 0) return -1 ;
  unlink(tmp) ;
  if (ipc_bind(fd, tmp) < 0) goto err ;
  if (chmod(tmp, 0666) < 0 || ipc_listen(fd, QUEUEDSOCK_BACKLOG) < 0 || rename(tmp, path) < 0)
  {
    e = errno ; unlink(tmp) ; errno = e ;
    goto err ;
  }
  return fd ;
 err:
  e = errno ; close(fd) ; errno = e ;
  return -1 ;
}
