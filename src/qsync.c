/* qsync.c: a group of queue files made durable (qsync.h). */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <skalibs/types.h>
#include "qsync.h"

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

/* requests in flight at once; glibc runs them on up to 20 threads */
#define QSYNC_BATCH 256

static unsigned int batch(int const *fd, int *err, unsigned int n)
{
  static struct aiocb cb[QSYNC_BATCH] ;
  unsigned char queued[QSYNC_BATCH] ;
  unsigned int failed = 0 ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    err[i] = 0 ;
    queued[i] = 0 ;
    if (i + 1 == n) break ;
    memset(&cb[i], 0, sizeof cb[i]) ;
    cb[i].aio_fildes = fd[i] ;
    cb[i].aio_sigevent.sigev_notify = SIGEV_NONE ;
    queued[i] = aio_fsync(O_SYNC, &cb[i]) == 0 ;
  }
  for (unsigned int i = 0 ; i < n ; i++)
    if (!queued[i] && fsync(fd[i]) < 0) err[i] = errno ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    struct aiocb const *list[1] = { &cb[i] } ;
    int e ;
    if (!queued[i]) continue ;
    while ((e = aio_error(&cb[i])) == EINPROGRESS) aio_suspend(list, 1, 0) ;
    if (aio_return(&cb[i]) < 0) err[i] = e > 0 ? e : EIO ;
  }
  for (unsigned int i = 0 ; i < n ; i++) failed += !!err[i] ;
  return failed ;
}

unsigned int qsync_all(int const *fd, int *err, unsigned int n)
{
  unsigned int failed = 0 ;
  for (unsigned int i = 0 ; i < n ; i += QSYNC_BATCH)
    failed += batch(fd + i, err + i, n - i < QSYNC_BATCH ? n - i : QSYNC_BATCH) ;
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
