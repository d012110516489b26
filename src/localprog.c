/* localprog.c: run one delivery command and read what it says. */
#include <errno.h>
#include <signal.h>
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
  int p[2], e, wstat, readok ;
  pid_t pid ;

  out->len = 0 ;
  if (lseek(msgfd, 0, SEEK_SET) < 0) return say(why, "Unable to rewind message: ", strerror(errno), ". (#4.3.0)", 111) ;
  if (pipecoe(p) < 0) return say(why, "Unable to make a pipe: ", strerror(errno), ". (#4.3.0)", 111) ;
  /* fork, not posix_spawn: the command's output and errors must both come
   * to us, and a program delivery is rare enough that the fork is cheap
   * next to what the command does. */
  pid = fork() ;
  if (pid < 0)
  {
    e = errno ;
    fd_close(p[0]) ; fd_close(p[1]) ;
    return say(why, "Unable to fork: ", strerror(e), ". (#4.3.0)", 111) ;
  }
  if (!pid)
  {
    /* local ignores SIGPIPE for its own writes; the command gets the
     * default. Its fd 0 is the message. */
    signal(SIGPIPE, SIG_DFL) ;
    if ((msgfd == 0 || dup2(msgfd, 0) == 0) && dup2(p[1], 1) == 1 && dup2(p[1], 2) == 2)
      execve("/bin/sh", argv, environ) ;
    e = errno ;
    allwrite(1, "Unable to run /bin/sh: ", 23) ;
    allwrite(1, strerror(e), strlen(strerror(e))) ;
    allwrite(1, ". (#4.3.0)\n", 11) ;
    _exit(111) ;
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
