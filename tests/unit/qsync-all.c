/* qsync-all: a group of files fsynced at once (qsync_all, qsync.c): every
 * file of a group larger than one batch is reported synced; a descriptor
 * that cannot be fsynced (closed, a pipe) is reported with its own errno
 * wherever it sits in the group, first, in the middle or last (the last
 * runs in the caller's thread), and the others still succeed; with
 * directories (qsync_with_dirs), each directory's result in its place.
 * The helper threads live on: 50 more groups start no thread, and there
 * are never more than 15 of them; a forked child (which has none of
 * them) syncs a group with helpers of its own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "qsync.h"
#include "tap.h"

#define N 300

static unsigned int threads(void)
{
  unsigned int n = 0 ;
  struct dirent *d ;
  DIR *t = opendir("/proc/self/task") ;
  if (!t) return 0 ;
  while ((d = readdir(t))) n += d->d_name[0] != '.' ;
  closedir(t) ;
  return n ;
}

int main(void)
{
  static int fd[N], err[N] ;
  char dir[] = "/tmp/qsync-all.XXXXXX" ;
  char fn[64] ;
  int p[2], closed ;
  unsigned int bad ;

  if (!mkdtemp(dir)) { perror("mkdtemp") ; return 1 ; }
  for (unsigned int i = 0 ; i < N ; i++)
  {
    snprintf(fn, sizeof fn, "%s/f%u", dir, i) ;
    fd[i] = open(fn, O_WRONLY | O_CREAT | O_EXCL, 0600) ;
    if (fd[i] < 0 || write(fd[i], fn, strlen(fn)) != (ssize_t)strlen(fn)) { perror(fn) ; return 1 ; }
    err[i] = -1 ;
  }

  is_int(qsync_all(fd, err, N), 0, "300 files, more than one batch: no failure") ;
  bad = 0 ;
  for (unsigned int i = 0 ; i < N ; i++) bad += err[i] != 0 ;
  is_int(bad, 0, "each file's result is 0") ;
  is_int(qsync_all(fd, err, 0), 0, "an empty group") ;

  if (pipe(p) < 0) { perror("pipe") ; return 1 ; }
  closed = open("/dev/null", O_RDONLY) ;
  close(closed) ;
  {
    int g[5] = { closed, fd[0], p[1], fd[1], closed } ;
    int e[5] = { -1, -1, -1, -1, -1 } ;
    is_int(qsync_all(g, e, 5), 3, "three of five cannot be synced") ;
    is_int(e[0], EBADF, "a closed descriptor, first: EBADF") ;
    is_int(e[1], 0, "a file between them is synced") ;
    is_int(e[2], EINVAL, "a pipe, in the middle: EINVAL") ;
    is_int(e[3], 0, "the next file too") ;
    is_int(e[4], EBADF, "a closed descriptor, last (the caller's own fsync): EBADF") ;
  }
  {
    int g[1] = { fd[2] } ;
    int e[1] = { -1 } ;
    is_int(qsync_all(g, e, 1), 0, "a group of one") ;
    is_int(e[0], 0, "its result") ;
  }

  /* with the directories of their names: each directory's result in
   * its own place, one that cannot be opened with its open's errno */
  {
    char missing[80] ;
    char const *dirs[3] = { dir, missing, "/" } ;
    int g[5] = { fd[3], fd[4], -1, -1, -1 } ;
    int e[5] = { -1, -1, -1, -1, -1 } ;
    snprintf(missing, sizeof missing, "%s/no-such-dir", dir) ;
    is_int(qsync_with_dirs(g, e, 2, dirs, 3), 1, "two files and three directories: one fails") ;
    ok(!e[0] && !e[1], "  the files are synced") ;
    is_int(e[2], 0, "  the first directory is synced") ;
    is_int(e[3], ENOENT, "  the missing one: ENOENT, in its own place") ;
    is_int(e[4], 0, "  the one after it is synced") ;
    is_int(qsync_with_dirs(g, e, 0, dirs, 1), 0, "a directory alone") ;
  }

  {
    unsigned int before = threads(), failed = 0 ;
    printf("# %u threads after the groups above\n", before) ;
    ok(before >= 2 && before <= 16, "the helpers are there, at most 15 with the caller") ;
    for (unsigned int k = 0 ; k < 50 ; k++) failed += qsync_all(fd + k, err, 7) ;
    is_int(failed, 0, "50 more groups of 7") ;
    is_int(threads(), before, "  started no thread") ;
  }
  {
    pid_t pid = fork() ;
    int st ;
    if (pid < 0) { perror("fork") ; return 1 ; }
    if (!pid)
    {
      int e[6] ;
      _exit(threads() != 1 ? 2 : qsync_all(fd + 10, e, 6) ? 3 : threads() < 2 ? 4 : 0) ;
    }
    if (waitpid(pid, &st, 0) < 0) { perror("waitpid") ; return 1 ; }
    if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("# child's status %d\n", st) ;
    ok(WIFEXITED(st) && !WEXITSTATUS(st), "a forked child syncs a group of 6 with helpers of its own") ;
  }

  for (unsigned int i = 0 ; i < N ; i++)
  {
    close(fd[i]) ;
    snprintf(fn, sizeof fn, "%s/f%u", dir, i) ;
    unlink(fn) ;
  }
  rmdir(dir) ;
  return tap_done() ;
}
