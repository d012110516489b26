/* localprog.c: run one delivery command and read what it says. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "localprog.h"

extern char **environ ;

int localprog_exitmeaning(int code)
{
  switch (code)
  {
    case 0: return 0 ;
    case 99: return 99 ;
    case 64: case 65: case 70: case 76: case 77: case 78: case 100: case 112: return 100 ;
  }
  return 111 ;
}

static int say(stralloc *why, char const *a, char const *b, char const *c, int code)
{
  why->len = 0 ;
  if (!stralloc_cats(why, a) || !stralloc_cats(why, b) || !stralloc_cats(why, c)) why->len = 0 ;
  return code ;
}

/* Reads fd to its end, keeping the first line (bounded) in out. 1, or 0 on
 * a read error. */
static int readoutput(int fd, stralloc *out)
{
  char buf[4096] ;
  int done = 0 ;   /* the first line is complete */
  for (;;)
  {
    ssize_t r = fd_read(fd, buf, sizeof buf) ;
    size_t n ;
    if (r < 0) return 0 ;
    if (!r) return 1 ;
    if (done) continue ;
    n = byte_chr(buf, (size_t)r, '\n') ;
    if (n < (size_t)r) done = 1 ;
    if (n > LOCALPROG_OUT_MAX - out->len) { n = LOCALPROG_OUT_MAX - out->len ; done = 1 ; }
    if (!stralloc_catb(out, buf, n)) return 0 ;
  }
}

int localprog_run(char const *command, int msgfd, stralloc *out, stralloc *why)
{
  char *argv[4] = { "sh", "-c", (char *)command, 0 } ;
  posix_spawn_file_actions_t fa ;
  posix_spawnattr_t attr ;
  sigset_t def ;
  int p[2], e, wstat, readok ;
  pid_t pid ;

  out->len = 0 ;
  if (lseek(msgfd, 0, SEEK_SET) < 0) return say(why, "Unable to rewind message: ", strerror(errno), ". (#4.3.0)", 111) ;
  if (pipecoe(p) < 0) return say(why, "Unable to make a pipe: ", strerror(errno), ". (#4.3.0)", 111) ;
  /* posix_spawn (vfork underneath), as qqclient: the message becomes fd 0,
   * the command's output and errors both come to us, and SIGPIPE, which
   * local ignores for its own writes, is back to its default. */
  posix_spawn_file_actions_init(&fa) ;
  posix_spawnattr_init(&attr) ;
  if (msgfd != 0) posix_spawn_file_actions_adddup2(&fa, msgfd, 0) ;
  posix_spawn_file_actions_adddup2(&fa, p[1], 1) ;
  posix_spawn_file_actions_adddup2(&fa, p[1], 2) ;
  sigemptyset(&def) ;
  sigaddset(&def, SIGPIPE) ;
  posix_spawnattr_setsigdefault(&attr, &def) ;
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF) ;
  e = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ) ;
  posix_spawn_file_actions_destroy(&fa) ;
  posix_spawnattr_destroy(&attr) ;
  if (e)
  {
    fd_close(p[0]) ; fd_close(p[1]) ;
    return say(why, "Unable to run /bin/sh: ", strerror(e), ". (#4.3.0)", 111) ;
  }
  fd_close(p[1]) ;
  readok = readoutput(p[0], out) ;
  e = errno ;
  fd_close(p[0]) ;
  if (wait_pid(pid, &wstat) < 0) return say(why, "Unable to wait for the command: ", strerror(errno), ". (#4.3.0)", 111) ;
  if (!readok) return say(why, "Unable to read the command's output: ", strerror(e), ". (#4.3.0)", 111) ;
  if (WIFSIGNALED(wstat))
  {
    char num[UINT_FMT] ;
    if (out->len) { if (!stralloc_copy(why, out)) why->len = 0 ; return 111 ; }
    num[uint_fmt(num, WTERMSIG(wstat))] = 0 ;
    return say(why, "Command crashed with signal ", num, ". (#4.3.0)", 111) ;
  }
  e = localprog_exitmeaning(WEXITSTATUS(wstat)) ;
  if (e == 100 || e == 111)
  {
    char num[UINT_FMT] ;
    if (out->len) { if (!stralloc_copy(why, out)) why->len = 0 ; return e ; }
    num[uint_fmt(num, WEXITSTATUS(wstat))] = 0 ;
    return say(why, "Command exited with code ", num, e == 100 ? ". (#5.0.0)" : ". (#4.0.0)", e) ;
  }
  return e ;
}
