/* qwrite.c: the crash-safe order of a queue entry.
 *
 *  step                                a crash after it leaves
 *  1 take a spare as pid/PID.TIME.SEQ  a stale pid file (a spare's old
 *    (spare.h), or create that name   bytes, or none): clean removes it
 *    (O_EXCL); its times set to now    after 36 hours
 *  2 link it to mess/B/ID, unlink pid  mess (and maybe the pid name) with
 *                                      no intd/todo: send's orphan sweep
 *                                      has clean remove it after 36 hours
 *  3 write the message, cut a spare's  the same, with a full message (or
 *    old tail off, fsync               some of a spare's old bytes)
 *  4 take a spare as intd/ID, or       mess + intd, no todo: as above
 *    create it; write, cut a spare's
 *    old tail off, fsync
 *  5 fsync mess/B/                    the same: the message's name is
 *                                      durable (a file system without a
 *                                      journal does not write it at a
 *                                      renamed spare's fsync); intd/ID's
 *                                      need not be, todo/ID is the name
 *                                      that counts (clean takes a lost
 *                                      intd/ID as gone)
 *  6 link intd/ID to todo/ID,          a complete entry; send may pick it
 *    fsync todo/                       up. fsync of the directory makes the
 *                                      todo name durable before queue
 *                                      exits 0.
 *
 * The entry becomes visible to send only at step 6, and only whole: a
 * spare's old bytes (a finished message's) are cut off and the cut made
 * durable before todo/ID exists. A taken spare gets fresh times at step 1
 * because its old ones are a finished message's: clean's pid/ sweep and
 * send's orphan sweep, which go by them, must see a file at work. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/types.h>
#include <skalibs/djbunix.h>
#include <skalibs/allreadwrite.h>
#include "qsync.h"
#include "spare.h"
#include "qwrite.h"

enum { MADE_PID = 1, MADE_MESS = 2, MADE_INTD = 4 } ;
enum { RECYCLED_MESS = 1, RECYCLED_INTD = 2 } ;

/* One set of spares per process: queue writes one entry, queued many. */
static struct spares spares = SPARES_ZERO("pid") ;

/* A spare under the name fn, or a new file: -1 (errno) when neither.
 * *taken says which. */
static int take(char const *fn, unsigned int *taken, unsigned int bit)
{
  int fd = spare_open(&spares, fn) ;
  if (fd >= 0) { *taken |= bit ; return fd ; }
  if (errno != ENOENT) return -1 ;
  return open(fn, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) ;
}

/* Cuts a taken spare down to what was written into it (from offset 0):
 * the old message's tail must not stay behind the new bytes. */
static int trim(struct qwrite *q, int fd, unsigned int bit)
{
  off_t len ;
  if (!(q->recycled & bit)) return 1 ;
  len = lseek(fd, 0, SEEK_CUR) ;
  if (len < 0 || !spare_trim(fd, len)) return 0 ;
  q->recycled &= ~bit ;
  return 1 ;
}

static size_t pidname(char *s, pid_t pid, time_t now, unsigned long seq)
{
  size_t n = 4 ;
  memcpy(s, "pid/", 4) ;
  n += pid_fmt(s + n, pid) ; s[n++] = '.' ;
  n += ulong_fmt(s + n, (unsigned long)now) ; s[n++] = '.' ;
  n += ulong_fmt(s + n, seq) ;
  s[n] = 0 ;
  return n ;
}

int qwrite_open(struct qwrite *q, unsigned int split, pid_t pid, time_t now)
{
  unsigned long seq = 1 ;
  return qwrite_openseq(q, split, pid, now, &seq) ;
}

int qwrite_openseq(struct qwrite *q, unsigned int split, pid_t pid, time_t now, unsigned long *seq)
{
  struct stat st ;
  q->made = 0 ; q->recycled = 0 ; q->fd = -1 ; q->intdfd = -1 ; q->split = split ;
  for (unsigned int tries = 0 ; ; tries++)
  {
    if (tries >= 9) return 63 ;
    pidname(q->pidfn, pid, now, (*seq)++) ;
    q->fd = take(q->pidfn, &q->recycled, RECYCLED_MESS) ;
    if (q->fd >= 0) break ;
    if (errno != EEXIST) return 63 ;
  }
  q->made |= MADE_PID ;
  if ((q->recycled & RECYCLED_MESS) && futimens(q->fd, 0) < 0) return 63 ;
  if (fstat(q->fd, &st) < 0) return 63 ;
  q->id = (unsigned long)st.st_ino ;
  qpath_fmt(q->messfn, "mess/", q->id, split) ;
  qpath_fmt(q->intdfn, "intd/", q->id, split) ;
  qpath_fmt(q->todofn, "todo/", q->id, split) ;
  if (link(q->pidfn, q->messfn) < 0) return 64 ;
  q->made |= MADE_MESS ;
  if (unlink(q->pidfn) < 0) return 63 ;
  q->made &= ~MADE_PID ;
  return 0 ;
}

int qwrite_message_done(struct qwrite *q)
{
  if (!trim(q, q->fd, RECYCLED_MESS)) return 53 ;
  if (fd_sync(q->fd) < 0) return 53 ;
  if (close(q->fd) < 0) { q->fd = -1 ; return 53 ; }
  q->fd = -1 ;
  return 0 ;
}

int qwrite_envelope(struct qwrite *q, char const *head, size_t headlen, char const *env, size_t envlen)
{
  q->intdfd = take(q->intdfn, &q->recycled, RECYCLED_INTD) ;
  if (q->intdfd < 0) return 65 ;
  q->made |= MADE_INTD ;
  if (allwrite(q->intdfd, head, headlen) < headlen) return 53 ;
  if (allwrite(q->intdfd, env, envlen) < envlen) return 53 ;
  if (!trim(q, q->intdfd, RECYCLED_INTD)) return 53 ;
  if (fd_sync(q->intdfd) < 0) return 53 ;
  if (close(q->intdfd) < 0) { q->intdfd = -1 ; return 53 ; }
  q->intdfd = -1 ;
  return 0 ;
}

/* The directory that holds the message's name, mess/B, made durable: a
 * recycled file is renamed into it, and a file system without a journal
 * writes no parent of a renamed file at its fsync. Not intd/ (step 5
 * above). 1, or 0. */
static int syncnames(struct qwrite *q)
{
  char mess[QPATH_MAX] ;
  char const *dir[1] = { mess } ;
  int fd[1], err[1] ;
  qpath_dirfmt(mess, "mess/", (unsigned int)qpath_bucket(q->id, q->split)) ;
  return !qsync_with_dirs(fd, err, 0, dir, 1) ;
}

int qwrite_commit(struct qwrite *q)
{
  int dfd ;
  if (!syncnames(q)) return 53 ;
  if (link(q->intdfn, q->todofn) < 0) return 66 ;
  dfd = open("todo", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (dfd < 0) goto undo ;
  if (fsync(dfd) < 0) { close(dfd) ; goto undo ; }
  close(dfd) ;
  q->made = 0 ;
  return 0 ;
 undo:
  /* Not durable: take the entry back rather than answer 0 for it. */
  unlink(q->todofn) ;
  return 66 ;
}

int qwrite_intd_open(struct qwrite *q, char const *head, size_t headlen)
{
  q->intdfd = take(q->intdfn, &q->recycled, RECYCLED_INTD) ;
  if (q->intdfd < 0) return 65 ;
  q->made |= MADE_INTD ;
  if (allwrite(q->intdfd, head, headlen) < headlen) return 53 ;
  return 0 ;
}

int qwrite_trim(struct qwrite *q)
{
  return trim(q, q->fd, RECYCLED_MESS) && trim(q, q->intdfd, RECYCLED_INTD) ? 0 : 53 ;
}

int qwrite_sync(struct qwrite *q)
{
  if (qwrite_trim(q)) return 53 ;
  if (fd_sync(q->fd) < 0 || fd_sync(q->intdfd) < 0) return 53 ;
  return 0 ;
}

int qwrite_close(struct qwrite *q)
{
  int r = 0 ;
  if (close(q->fd) < 0) r = 53 ;
  q->fd = -1 ;
  if (close(q->intdfd) < 0) r = 53 ;
  q->intdfd = -1 ;
  return r ;
}

int qwrite_link(struct qwrite *q)
{
  return link(q->intdfn, q->todofn) < 0 ? 66 : 0 ;
}

void qwrite_unlink_todo(struct qwrite *q)
{
  unlink(q->todofn) ;
}

void qwrite_done(struct qwrite *q)
{
  q->made = 0 ;
}

void qwrite_abort(struct qwrite *q)
{
  if (q->fd >= 0) { close(q->fd) ; q->fd = -1 ; }
  if (q->intdfd >= 0) { close(q->intdfd) ; q->intdfd = -1 ; }
  if (q->made & MADE_INTD) unlink(q->intdfn) ;
  if (q->made & MADE_MESS) unlink(q->messfn) ;
  if (q->made & MADE_PID) unlink(q->pidfn) ;
  q->made = 0 ;
}

void qwrite_trigger(void)
{
  int fd = open("lock/trigger", O_WRONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) return ;
  if (write(fd, "", 1) < 0) { }
  close(fd) ;
}
