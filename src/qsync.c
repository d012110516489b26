/* qsync.c: a group of queue files made durable (qsync.h).
 *
 * The fsyncs of a group run on a few threads of our own that live as long
 * as the process: glibc's POSIX AIO, used before, let a woken thread that
 * found its request taken by another exit, and created a new one for the
 * next group (a clone, a stack's mmap and munmap, and on a multi-core
 * machine the TLB shootdown that munmap costs, for about every third
 * commit of queued). Work is handed out under one mutex, an index at a
 * time; the fsync itself runs unlocked. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <skalibs/types.h>
#include "bgthread.h"
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

/* helper threads at most; with the caller, QSYNC_THREADS + 1 fsyncs run
 * at the same time */
#define QSYNC_THREADS 15
#define QSYNC_STACK 65536

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER ;
/* one group at a time: callers on several threads (queued's committers)
 * take turns */
static pthread_mutex_t turn = PTHREAD_MUTEX_INITIALIZER ;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER ;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER ;
static unsigned int nthreads ;   /* helpers started */
static int atfork_set ;
/* the group in hand: jfd[jnext..jn-1] not taken yet, jleft not done yet */
static int const *jfd ;
static int *jerr ;
static unsigned int jn, jnext, jleft ;

/* takes and fsyncs the group's files until none is left; mu held on
 * entry and on return */
static void drain(void)
{
  while (jnext < jn)
  {
    unsigned int i = jnext++ ;
    int fd = jfd[i], e ;
    pthread_mutex_unlock(&mu) ;
    e = fsync(fd) < 0 ? errno : 0 ;
    pthread_mutex_lock(&mu) ;
    jerr[i] = e ;
    if (!--jleft) pthread_cond_signal(&finished) ;
  }
}

static void *helper(void *arg)
{
  (void)arg ;
  pthread_mutex_lock(&mu) ;
  for (;;)
  {
    while (jnext >= jn) pthread_cond_wait(&work, &mu) ;
    drain() ;
  }
  return 0 ;
}

/* a forked child has the caller's thread only: it starts its own helpers
 * when it needs them (fork is called with no group in hand) */
static void child_after_fork(void)
{
  pthread_mutex_init(&mu, 0) ;
  pthread_mutex_init(&turn, 0) ;
  pthread_cond_init(&work, 0) ;
  pthread_cond_init(&finished, 0) ;
  nthreads = 0 ;
  jn = jnext = jleft = 0 ;
}

/* starts helpers until there are want of them (or QSYNC_THREADS); they
 * take no signal. If one cannot be started, the ones there are do the
 * work, or the caller alone. */
static void hire(unsigned int want)
{
  if (want > QSYNC_THREADS) want = QSYNC_THREADS ;
  if (nthreads >= want) return ;
  if (!atfork_set) atfork_set = pthread_atfork(0, 0, &child_after_fork) == 0 ;
  while (nthreads < want && bgthread_start(&helper, 0, QSYNC_STACK)) nthreads++ ;
}

unsigned int qsync_all(int const *fd, int *err, unsigned int n)
{
  unsigned int failed = 0 ;
  if (!n) return 0 ;
  pthread_mutex_lock(&turn) ;
  if (n > 1) hire(n - 1) ;
  pthread_mutex_lock(&mu) ;
  jfd = fd ; jerr = err ; jn = n ; jnext = 0 ; jleft = n ;
  if (n > 1 && nthreads)
  {
    if (n - 1 >= nthreads) pthread_cond_broadcast(&work) ;
    else for (unsigned int k = 1 ; k < n ; k++) pthread_cond_signal(&work) ;
  }
  drain() ;
  while (jleft) pthread_cond_wait(&finished, &mu) ;
  jn = jnext = 0 ;
  pthread_mutex_unlock(&mu) ;
  pthread_mutex_unlock(&turn) ;
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
