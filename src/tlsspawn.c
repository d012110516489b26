/* tlsspawn.c: running tlsd -c for a client (tlsspawn.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/socket.h>
#include <skalibs/types.h>
#include "tlsctl.h"
#include "tlsspawn.h"

int tlsspawn_start(struct tlsspawn *t, char const *prog, int conn, char const *servername, char const *cafile, unsigned int timeout, int quiet)
{
  char const *argv[10] ;
  char fmt[UINT_FMT] ;
  unsigned int n = 0 ;
  int sv[2] ;
  pid_t pid ;
  argv[n++] = prog ;
  argv[n++] = "-c" ;
  if (servername) { argv[n++] = "-n" ; argv[n++] = servername ; }
  if (cafile) { argv[n++] = "-a" ; argv[n++] = cafile ; }
  if (timeout) { fmt[uint_fmt(fmt, timeout)] = 0 ; argv[n++] = "-t" ; argv[n++] = fmt ; }
  argv[n] = 0 ;
  if (ipc_pair_b(sv) < 0) return 0 ;
  if (fcntl(sv[0], F_SETFD, FD_CLOEXEC) < 0) goto err ;
  pid = fork() ;
  if (pid < 0) goto err ;
  if (!pid)
  {
    /* first out of the way of 0, 1, 6 and 7, then into place */
    int c = fcntl(conn, F_DUPFD, 10), p = fcntl(sv[1], F_DUPFD, 10) ;
    if (c < 0 || p < 0 || dup2(c, 6) < 0 || dup2(c, 7) < 0 || dup2(p, 0) < 0 || dup2(p, 1) < 0) _exit(111) ;
    close(c) ; close(p) ;
    if (quiet)
    {
      int null = open_write("/dev/null") ;
      if (null < 0 || (null != 2 && (dup2(null, 2) < 0 || close(null) < 0))) _exit(111) ;
    }
    execv(prog, (char *const *)argv) ;
    _exit(errno == ENOENT ? 127 : 126) ;
  }
  fd_close(sv[1]) ;
  t->pid = pid ;
  t->fd = sv[0] ;
  t->rec.len = 0 ;
  return 1 ;
 err:
  {
    int e = errno ;
    fd_close(sv[0]) ; fd_close(sv[1]) ;
    errno = e ;
  }
  return 0 ;
}

int tlsspawn_outcome(struct tlsspawn *t, int timeoutms)
{
  return tlsctl_read(t->fd, &t->rec, timeoutms) ;
}

char const *tlsspawn_get(struct tlsspawn const *t, char const *name)
{
  return t->rec.len ? tlsctl_get(t->rec.s, t->rec.len, name) : 0 ;
}

int tlsspawn_end(struct tlsspawn *t)
{
  int wstat ;
  if (t->fd >= 0) { fd_close(t->fd) ; t->fd = -1 ; }
  stralloc_free(&t->rec) ;
  if (t->pid <= 0) return 111 ;
  while (waitpid(t->pid, &wstat, 0) < 0)
    if (errno != EINTR) { t->pid = 0 ; return 111 ; }
  t->pid = 0 ;
  return WIFEXITED(wstat) ? WEXITSTATUS(wstat) : 126 ;
}
