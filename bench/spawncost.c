/* spawncost: what one process creation and one durable file cost on this
 * machine, for bench/profile's ceiling estimates (not part of cairn).
 *   spawncost spawn N PROG   runs PROG (no arguments) N times each way:
 *                            fork+execve, vfork+execve, posix_spawn, then
 *                            waitpid; prints, per run, the wall time and
 *                            the CPU time of parent and child together
 *   spawncost sync N DIR     N times: create DIR/tmp.I, write 2 KB, fsync,
 *                            rename to DIR/f.I, fsync DIR; prints the same
 * The parent's own CPU counts: fork copies the parent's page tables, and on
 * a virtual machine that can cost more than the exec itself. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ ;

static double now(void)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  return ts.tv_sec + ts.tv_nsec / 1e9 ;
}

static double cpu(void)
{
  struct rusage s, c ;
  getrusage(RUSAGE_SELF, &s) ;
  getrusage(RUSAGE_CHILDREN, &c) ;
  return s.ru_utime.tv_sec + s.ru_utime.tv_usec / 1e6 + s.ru_stime.tv_sec + s.ru_stime.tv_usec / 1e6
       + c.ru_utime.tv_sec + c.ru_utime.tv_usec / 1e6 + c.ru_stime.tv_sec + c.ru_stime.tv_usec / 1e6 ;
}

static void report(char const *what, unsigned long n, double t0, double c0)
{
  double t = now() - t0, c = cpu() - c0 ;
  printf("%-12s %8.0f /s wall  %7.3f ms wall  %7.3f ms cpu each\n", what, n / t, t * 1000 / n, c * 1000 / n) ;
  fflush(stdout) ;
}

static void reap(pid_t pid)
{
  int st ;
  if (pid < 0) { perror("spawncost: fork") ; exit(111) ; }
  if (waitpid(pid, &st, 0) < 0) { perror("spawncost: waitpid") ; exit(111) ; }
}

static void spawn(unsigned long n, char *prog)
{
  char *argv[2] = { prog, 0 } ;
  double t0, c0 ;
  t0 = now() ; c0 = cpu() ;
  for (unsigned long i = 0 ; i < n ; i++)
  {
    pid_t pid = fork() ;
    if (!pid) { execve(prog, argv, environ) ; _exit(127) ; }
    reap(pid) ;
  }
  report("fork+exec", n, t0, c0) ;
  t0 = now() ; c0 = cpu() ;
  for (unsigned long i = 0 ; i < n ; i++)
  {
    pid_t pid = vfork() ;
    if (!pid) { execve(prog, argv, environ) ; _exit(127) ; }
    reap(pid) ;
  }
  report("vfork+exec", n, t0, c0) ;
  t0 = now() ; c0 = cpu() ;
  for (unsigned long i = 0 ; i < n ; i++)
  {
    pid_t pid ;
    if (posix_spawn(&pid, prog, 0, 0, argv, environ)) { perror("spawncost: posix_spawn") ; exit(111) ; }
    reap(pid) ;
  }
  report("posix_spawn", n, t0, c0) ;
}

static void durable(unsigned long n, char const *dir)
{
  char buf[2048], tmp[4096], fin[4096] ;
  double t0, c0 ;
  int dfd = open(dir, O_RDONLY | O_DIRECTORY) ;
  if (dfd < 0) { perror("spawncost: open dir") ; exit(111) ; }
  memset(buf, 'x', sizeof buf) ;
  t0 = now() ; c0 = cpu() ;
  for (unsigned long i = 0 ; i < n ; i++)
  {
    int fd ;
    snprintf(tmp, sizeof tmp, "%s/tmp.%lu", dir, i) ;
    snprintf(fin, sizeof fin, "%s/f.%lu", dir, i) ;
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644) ;
    if (fd < 0 || write(fd, buf, sizeof buf) != sizeof buf || fsync(fd) < 0 || close(fd) < 0
        || rename(tmp, fin) < 0 || fsync(dfd) < 0)
    { perror("spawncost: durable file") ; exit(111) ; }
  }
  report("durable file", n, t0, c0) ;
  for (unsigned long i = 0 ; i < n ; i++)
  {
    snprintf(fin, sizeof fin, "%s/f.%lu", dir, i) ;
    unlink(fin) ;
  }
}

int main(int argc, char **argv)
{
  unsigned long n ;
  if (argc != 4) { fprintf(stderr, "usage: spawncost spawn N PROG | sync N DIR\n") ; return 100 ; }
  n = strtoul(argv[2], 0, 10) ;
  if (!n || n > 1000000) { fprintf(stderr, "spawncost: N must be 1..1000000\n") ; return 100 ; }
  if (!strcmp(argv[1], "spawn")) spawn(n, argv[3]) ;
  else if (!strcmp(argv[1], "sync")) durable(n, argv[3]) ;
  else { fprintf(stderr, "usage: spawncost spawn N PROG | sync N DIR\n") ; return 100 ; }
  return 0 ;
}
