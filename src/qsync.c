/* qsync.c: a group of queue files made durable (qsync.h).
 *
 * The fsyncs of a group run on a few threads of our own that live as long
 * as the process: glibc's POSIX AIO, used before, let a woken thread that
 * found its request taken by another exit, and created a new one for the
 * next group (a clone, a stack's mmap and munmap, and on a multi-core
 * machine the TLB shootdown that munmap costs, for about every third
 * commit of queued). Work is handed out an index at a time
 * (workshare.h); the fsync itself runs unlocked. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <skalibs/types.h>
#include "qsync.h"
#include "workshare.h"

int qsync_fs_reports_errors(void)
{
  static int known = -1 ;
  if (known < 0)
  {
    struct utsname u ;
    unsigned long major = 0, minor = 0 ;
    size_t n ;
    known = 0 ;
    if (uname(&u) == 0 && (n = ulong_scan(u.release, &major)) && u.release[n] == '.' && ulong_scan(u.release + n + 1, &minor))
      known = major > 5 || (major == 5 && minor >= 8) ;
  }
  return known ;
}

/* helper threads at most; with the caller, QSYNC_THREADS + 1 fsyncs run
 * at the same time */
#define QSYNC_THREADS 15
#define QSYNC_STACK 65536

static struct workshare pool = WORKSHARE_INIT(QSYNC_THREADS, QSYNC_STACK) ;

struct batch {
  int const *fd ;
  int *err ;
} ;

static void one(size_t i, void *arg)
{
  struct batch *b = arg ;
  b->err[i] = fsync(b->fd[i]) < 0 ? errno : 0 ;
}

unsigned int qsync_all(int const *fd, int *err, unsigned int n)
{
  struct batch b = { .fd = fd, .err = err } ;
  unsigned int failed = 0 ;
  workshare_run(&pool, n, &one, &b) ;
  for (unsigned int i = 0 ; i < n ; i++) failed += !!err[i] ;
  return failed ;
}

unsigned int qsync_with_dirs(int *fd, int *err, unsigned int n, char const *const *dir, unsigned int ndirs)
{
  unsigned int failed, total = n ;
  int opened[ndirs ? ndirs : 1] ;   /* errno of each directory's open */
  for (unsigned int k = 0 ; k < ndirs ; k++)
  {
    int d = open(dir[k], O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
    opened[k] = d < 0 ? errno : 0 ;
    if (d >= 0) fd[total++] = d ;
  }
  failed = qsync_all(fd, err, total) ;
  /* spread the directories' results back to their places, the ones that
   * did not open getting their open's errno */
  for (unsigned int k = ndirs, j = total ; k-- ;)
  {
    if (opened[k]) { err[n + k] = opened[k] ; failed++ ; continue ; }
    j-- ;
    close(fd[j]) ;
    err[n + k] = err[j] ;
  }
  return failed ;
}
