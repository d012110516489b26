/* qqclient.c: run queue with the message on one pipe and the envelope on
 * another. posix_spawn (vfork underneath) keeps the cost of the extra
 * process as low as the machine allows. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "auto.h"
#include "qqclient.h"

extern char **environ ;

int qqclient_start(struct qqclient *qq, char const *prog, int usequeuevar)
{
  static stralloc defprog = STRALLOC_ZERO ;
  int mp[2], ep[2] ;
  posix_spawn_file_actions_t fa ;
  char *argv[2] ;
  int e ;

  if (!prog && usequeuevar) prog = getenv("QMAILQUEUE") ;
  if (!prog || !*prog)
  {
    defprog.len = 0 ;
    if (!stralloc_cats(&defprog, auto_home) || !stralloc_cats(&defprog, "/bin/queue") || !stralloc_0(&defprog)) return 0 ;
    prog = defprog.s ;
  }
  if (pipecoe(mp) < 0) return 0 ;
  if (pipecoe(ep) < 0) { fd_close(mp[0]) ; fd_close(mp[1]) ; return 0 ; }
  /* Writing to a queue that died must give EPIPE, not kill the caller. */
  signal(SIGPIPE, SIG_IGN) ;
  posix_spawn_file_actions_init(&fa) ;
  posix_spawn_file_actions_adddup2(&fa, mp[0], 0) ;
  posix_spawn_file_actions_adddup2(&fa, ep[0], 1) ;
  argv[0] = (char *)prog ; argv[1] = 0 ;
  e = posix_spawn(&qq->pid, prog, &fa, 0, argv, environ) ;
  posix_spawn_file_actions_destroy(&fa) ;
  fd_close(mp[0]) ; fd_close(ep[0]) ;
  if (e)
  {
    fd_close(mp[1]) ; fd_close(ep[1]) ;
    errno = e ;
    return 0 ;
  }
  qq->msgfd = mp[1] ; qq->envfd = ep[1] ; qq->failed = 0 ;
  buffer_init(&qq->b, &fd_writev, qq->msgfd, qq->buf, sizeof qq->buf) ;
  return 1 ;
}

void qqclient_put(struct qqclient *qq, char const *s, size_t len)
{
  size_t w = 0 ;
  if (qq->failed) return ;
  if (!buffer_putall(&qq->b, s, len, &w)) qq->failed = 1 ;
}

void qqclient_puts(struct qqclient *qq, char const *s)
{
  qqclient_put(qq, s, strlen(s)) ;
}

int qqclient_finish(struct qqclient *qq, char const *env, size_t envlen)
{
  int wstat ;
  if (!qq->failed && !buffer_flush(&qq->b)) qq->failed = 1 ;
  fd_close(qq->msgfd) ;
  if (!qq->failed && allwrite(qq->envfd, env, envlen) < envlen) qq->failed = 1 ;
  fd_close(qq->envfd) ;
  while (waitpid(qq->pid, &wstat, 0) < 0)
    if (errno != EINTR) return 81 ;
  if (WIFSIGNALED(wstat)) return 81 ;
  if (WEXITSTATUS(wstat) == 127) return 120 ;
  if (!WEXITSTATUS(wstat) && qq->failed) return 54 ;
  return WEXITSTATUS(wstat) ;
}
