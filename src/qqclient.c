/* qqclient.c: hand the message to queued over its socket when it is there
 * (no process at all), else run queue with the message on one pipe and
 * the envelope on another. vfork keeps the cost of the extra process as low as the
 * machine allows. Not posix_spawn: glibc's child resets every signal's
 * disposition, 122 rt_sigaction calls costing about 0.2 ms per message
 * here (bench/README.md), while the parent waits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/socket.h>
#include <skalibs/stralloc.h>
#include "auto.h"
#include "qqclient.h"
#include "qqproto.h"
#include "queuedsock.h"

extern char **environ ;

/* Runs prog with in0 as its fd 0 and in1 as its fd 1. Returns the pid
 * (or -1) with *err 0, or *err set when prog could not be run (the pid,
 * when positive, is then that of a child that has exited 127).
 * The child shares our memory until its execve: every signal stays
 * blocked while it moves the descriptors, so that no handler of ours runs
 * in it. It unblocks them (our mask is queue's, as with posix_spawn) just
 * before the execve; only a signal sent to the child's own pid or to our
 * process group in that instant could run a handler there, and the
 * callers (smtpd, inject, local, send) install none that would then
 * misbehave (send takes its signals through a selfpipe, the others only
 * ignore some). childerr is the one variable the child writes. */
static pid_t spawn(char const *prog, int in0, int in1, int *err)
{
  char *argv[2] = { (char *)prog, 0 } ;
  sigset_t all, old ;
  volatile int childerr = 0 ;
  pid_t pid ;
  sigfillset(&all) ;
  sigprocmask(SIG_SETMASK, &all, &old) ;
  pid = vfork() ;
  if (!pid)
  {
    if ((in0 == 0 ? fcntl(0, F_SETFD, 0) : dup2(in0, 0)) < 0
     || (in1 == 1 ? fcntl(1, F_SETFD, 0) : dup2(in1, 1)) < 0) childerr = errno ;
    else
    {
      sigprocmask(SIG_SETMASK, &old, 0) ;
      execve(prog, argv, environ) ;
      childerr = errno ;
    }
    _exit(127) ;
  }
  *err = pid < 0 ? errno : childerr ;
  sigprocmask(SIG_SETMASK, &old, 0) ;
  return pid ;
}

/* The buffer's write function on the socket: each flush is one message
 * netstring (qqproto.h), written whole or not at all. */
static ssize_t netstring_writev(int fd, struct iovec const *v, unsigned int n)
{
  struct iovec w[n + 2] ;
  char head[QQPROTO_HEAD_MAX] ;
  size_t len = 0 ;
  for (unsigned int i = 0 ; i < n ; i++) { len += v[i].iov_len ; w[i + 1] = v[i] ; }
  if (!len) return 0 ;
  w[0].iov_base = head ; w[0].iov_len = qqproto_head(head, len) ;
  w[n + 1].iov_base = (char *)"," ; w[n + 1].iov_len = 1 ;
  if (allwritev(fd, w, n + 2) < w[0].iov_len + len + 1) return -1 ;
  return (ssize_t)len ;
}

/* conf-home/queued/socket, connected without waiting: a missing socket,
 * a stale name (ECONNREFUSED) or a full backlog (EAGAIN) gives -1, and
 * the caller runs queue. */
static int queued_connect(void)
{
  static stralloc path = STRALLOC_ZERO ;
  int fd ;
  if (!path.len && (!stralloc_cats(&path, auto_home) || !stralloc_cats(&path, "/" QUEUEDSOCK_PATH) || !stralloc_0(&path)))
  {
    path.len = 0 ;
    return -1 ;
  }
  fd = ipc_stream_nbcoe() ;
  if (fd < 0) return -1 ;
  if (!ipc_connect(fd, path.s) || ndelay_off(fd) < 0) { fd_close(fd) ; return -1 ; }
  return fd ;
}

int qqclient_start(struct qqclient *qq, char const *prog, int usequeuevar)
{
  static stralloc defprog = STRALLOC_ZERO ;
  int mp[2], ep[2], e ;

  if (!prog && usequeuevar) prog = getenv("QMAILQUEUE") ;
  /* Writing to a queue that died must give EPIPE, not kill the caller. */
  signal(SIGPIPE, SIG_IGN) ;
  qq->sock = -1 ;
  if (!prog || !*prog)
  {
    qq->sock = queued_connect() ;
    if (qq->sock >= 0)
    {
      qq->pid = getpid() ; qq->msgfd = qq->envfd = -1 ; qq->failed = 0 ;
      buffer_init(&qq->b, &netstring_writev, qq->sock, qq->buf, sizeof qq->buf) ;
      return 1 ;
    }
    defprog.len = 0 ;
    if (!stralloc_cats(&defprog, auto_home) || !stralloc_cats(&defprog, "/bin/queue") || !stralloc_0(&defprog)) return 0 ;
    prog = defprog.s ;
  }
  if (pipecoe(mp) < 0) return 0 ;
  if (pipecoe(ep) < 0) { fd_close(mp[0]) ; fd_close(mp[1]) ; return 0 ; }
  qq->pid = spawn(prog, mp[0], ep[0], &e) ;
  fd_close(mp[0]) ; fd_close(ep[0]) ;
  if (e)
  {
    if (qq->pid > 0) while (waitpid(qq->pid, 0, 0) < 0 && errno == EINTR) ;
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

/* The end of the message, the envelope, and queued's one-line answer. */
static int finish_queued(struct qqclient *qq, char const *env, size_t envlen)
{
  char head[QQPROTO_HEAD_MAX] ;
  char line[QQPROTO_REPLY_MAX] ;
  struct iovec v[4] ;
  size_t n = 0 ;
  int code = 81 ;
  if (qq->failed || !buffer_flush(&qq->b)) goto end ;
  v[0].iov_base = (char *)"0:," ; v[0].iov_len = 3 ;
  v[1].iov_base = head ; v[1].iov_len = qqproto_head(head, envlen) ;
  v[2].iov_base = (char *)env ; v[2].iov_len = envlen ;
  v[3].iov_base = (char *)"," ; v[3].iov_len = 1 ;
  if (allwritev(qq->sock, v, 4) < 3 + v[1].iov_len + envlen + 1) goto end ;
  while (n < sizeof line)
  {
    ssize_t r = fd_read(qq->sock, line + n, sizeof line - n) ;
    if (r <= 0) break ;
    n += (size_t)r ;
    if (line[n - 1] == '\n') break ;
  }
  if (!qqproto_reply(line, n, &code)) code = 81 ;
 end:
  fd_close(qq->sock) ;
  qq->sock = -1 ;
  return code ;
}

int qqclient_finish(struct qqclient *qq, char const *env, size_t envlen)
{
  int wstat ;
  if (qq->sock >= 0) return finish_queued(qq, env, envlen) ;
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
