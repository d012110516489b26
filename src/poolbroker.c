/* poolbroker.c: smtppool's TLS broker (poolbroker.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/strerr.h>
#include "poolbroker.h"
#include "tlsbroker.h"

extern char **environ ;

/* Moves fd out of the way of 0, 1, 6 and 7 (close-on-exec kept), so
 * that the dup2s of the spawn cannot overwrite one another. */
static int high(int fd)
{
  int h ;
  if (fd >= 10) return fd ;
  h = fcntl(fd, F_DUPFD_CLOEXEC, 10) ;
  close(fd) ;
  return h ;
}

/* 1 spawned, 0 not (logged) */
static int spawn(char const *const *argv, int conn, int chan)
{
  posix_spawn_file_actions_t fa ;
  posix_spawnattr_t attr ;
  sigset_t none, all ;
  pid_t pid ;
  int e ;
  sigemptyset(&none) ;
  sigfillset(&all) ;
  sigdelset(&all, SIGKILL) ;
  sigdelset(&all, SIGSTOP) ;
  if (posix_spawn_file_actions_init(&fa)) { strerr_warnwu1sys("start tlsd") ; return 0 ; }
  if (posix_spawnattr_init(&attr)) { posix_spawn_file_actions_destroy(&fa) ; strerr_warnwu1sys("start tlsd") ; return 0 ; }
  /* the selfpipe keeps SIGCHLD and SIGTERM blocked here: tlsd gets a
   * clean mask and default dispositions */
  e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
   || posix_spawnattr_setsigmask(&attr, &none) || posix_spawnattr_setsigdefault(&attr, &all)
   || posix_spawn_file_actions_adddup2(&fa, chan, 0) || posix_spawn_file_actions_adddup2(&fa, chan, 1)
   || posix_spawn_file_actions_adddup2(&fa, conn, 6) || posix_spawn_file_actions_adddup2(&fa, conn, 7) ;
  if (!e) e = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, environ) ;
  posix_spawn_file_actions_destroy(&fa) ;
  posix_spawnattr_destroy(&attr) ;
  if (e)
  {
    errno = e ;
    strerr_warnwu2sys("spawn ", argv[0]) ;
    return 0 ;
  }
  return 1 ;
}

void poolbroker_run(int sock, char const *const *argv, unsigned int max)
{
  unsigned int running = 0 ;
  iopause_fd x[2] ;
  sigset_t set ;
  int sfd, null = open("/dev/null", O_RDWR) ;
  /* 0 and 1 taken, so that nothing received lands there */
  if (null < 0 || fd_copy(0, null) < 0 || fd_copy(1, null) < 0) strerr_diefu1sys(111, "set up the broker's descriptors") ;
  if (null > 1) close(null) ;
  sfd = selfpipe_init() ;
  if (sfd < 0) strerr_diefu1sys(111, "init the broker's selfpipe") ;
  sigemptyset(&set) ;
  sigaddset(&set, SIGCHLD) ;
  sigaddset(&set, SIGTERM) ;
  if (!selfpipe_trapset(&set)) strerr_diefu1sys(111, "trap signals in the broker") ;
  signal(SIGPIPE, SIG_IGN) ;
  for (;;)
  {
    unsigned int n = 1 ;
    x[0].fd = sfd ; x[0].events = IOPAUSE_READ ;
    /* at the limit, requests wait in the socket */
    if (running < max) { x[1].fd = sock ; x[1].events = IOPAUSE_READ ; n = 2 ; }
    if (iopause_g(x, n, 0) < 0) strerr_diefu1sys(111, "iopause in the broker") ;
    if (x[0].revents & IOPAUSE_READ)
    {
      int sig ;
      while ((sig = selfpipe_read()) > 0)
      {
        if (sig == SIGTERM) _exit(0) ;
        for (;;)
        {
          int wstat ;
          pid_t pid = wait_nohang(&wstat) ;
          if (pid <= 0) break ;
          if (running) running-- ;
        }
      }
      if (sig < 0) strerr_diefu1sys(111, "read the broker's selfpipe") ;
    }
    if (n == 2 && x[1].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      int fd[2] ;
      int r = tlsbroker_recv(sock, fd) ;
      if (!r) _exit(0) ;
      if (r < 0)
      {
        if (errno != EPROTO) strerr_diefu1sys(111, "read a request") ;
        strerr_warnw1x("a malformed TLS request from a worker: dropped") ;
        continue ;
      }
      fd[0] = high(fd[0]) ;
      fd[1] = high(fd[1]) ;
      if (fd[0] >= 0 && fd[1] >= 0 && spawn(argv, fd[0], fd[1])) running++ ;
      /* only tlsd holds them now (or no one: the worker reads EOF) */
      if (fd[0] >= 0) close(fd[0]) ;
      if (fd[1] >= 0) close(fd[1]) ;
    }
  }
}
