/* maildir.c: one Maildir delivery. The steps and what a crash after each
 * leaves behind:
 *   1. create tmp/NAME (O_EXCL), write head and message, fsync, close:
 *      a crash leaves a partial file in tmp/, which no reader shows and
 *      Maildir readers remove after 36 hours; local has not said "did",
 *      so the message is still queued and is delivered again.
 *   2. link tmp/NAME to new/NAME, unlink tmp/NAME: a crash between the two
 *      leaves the message in new/ and a stale tmp/ name; the queue still
 *      holds it, so it may be delivered twice, never lost.
 *   3. fsync new/: only then is the link durable, and only then does local
 *      report success.
 * Working through a descriptor of the Maildir (openat, linkat) keeps every
 * name relative to the directory that was checked. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "maildir.h"

static unsigned int deliveries ;   /* by this process: the Q part of names */

int maildir_name(stralloc *sa, unsigned long sec, unsigned long usec, pid_t pid, unsigned int n, char const *host)
{
  char num[ULONG_FMT] ;
  if (!stralloc_catb(sa, num, ulong_fmt(num, sec)) || !stralloc_catb(sa, ".M", 2)
   || !stralloc_catb(sa, num, ulong_fmt(num, usec)) || !stralloc_catb(sa, "P", 1)
   || !stralloc_catb(sa, num, pid_fmt(num, pid)) || !stralloc_catb(sa, "Q", 1)
   || !stralloc_catb(sa, num, uint_fmt(num, n)) || !stralloc_catb(sa, ".", 1)) return 0 ;
  for (; *host ; host++)
  {
    int ok = *host == '/' ? stralloc_cats(sa, "\\057")
           : *host == ':' ? stralloc_cats(sa, "\\072")
           : stralloc_catb(sa, host, 1) ;
    if (!ok) return 0 ;
  }
  return 1 ;
}

static int fail(stralloc *why, char const *what, char const *dir, char const *name, int e, char const *code)
{
  why->len = 0 ;
  if (!stralloc_cats(why, what) || !stralloc_cats(why, dir) || !stralloc_cats(why, name)
   || !stralloc_cats(why, ": ") || !stralloc_cats(why, strerror(e)) || !stralloc_cats(why, code)) why->len = 0 ;
  return 111 ;
}

/* Step 1: tmp/NAME holds head and message, on disk. 0, or errno with *where
 * 0 for the message (read) and 1 for the file (write). */
static int writetmp(int fd, int msgfd, char const *head, size_t headlen, int *where)
{
  char outbuf[65536] ;
  char inbuf[65536] ;
  buffer b = BUFFER_INIT(&fd_writev, fd, outbuf, sizeof outbuf) ;
  size_t w = 0 ;
  *where = 1 ;
  if (!buffer_putall(&b, head, headlen, &w)) return errno ;
  for (;;)
  {
    ssize_t r = fd_read(msgfd, inbuf, sizeof inbuf) ;
    if (r < 0) { *where = 0 ; return errno ; }
    if (!r) break ;
    w = 0 ;
    if (!buffer_putall(&b, inbuf, (size_t)r, &w)) return errno ;
  }
  if (!buffer_flush(&b)) return errno ;
  if (fsync(fd) < 0) return errno ;
  return 0 ;
}

int maildir_deliver(char const *dir, int msgfd, char const *head, size_t headlen, stralloc *why)
{
  stralloc host = STRALLOC_ZERO, tmp = STRALLOC_ZERO, new = STRALLOC_ZERO ;
  int dfd, fd = -1, e, where, r = 111 ;

  if (lseek(msgfd, 0, SEEK_SET) < 0) return fail(why, "Unable to rewind message", "", "", errno, ". (#4.3.0)") ;
  dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (dfd < 0) return fail(why, "Unable to open maildir ", dir, "", errno, ". (#4.2.1)") ;
  if (sagethostname(&host) < 0 || !stralloc_0(&host)) { e = errno ; goto nomem ; }

  for (unsigned int tries = 0 ; ; tries++)
  {
    struct timeval tv ;
    gettimeofday(&tv, 0) ;
    tmp.len = 0 ;
    if (!stralloc_cats(&tmp, "tmp/")
     || !maildir_name(&tmp, (unsigned long)tv.tv_sec, (unsigned long)tv.tv_usec, getpid(), deliveries++, host.s)
     || !stralloc_0(&tmp)) { e = errno ; goto nomem ; }
    fd = openat(dfd, tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) ;
    if (fd >= 0) break ;
    /* The name is unique by construction; EEXIST means a clock step back
     * met a leftover. Another name fixes that, nothing else would. */
    if (errno != EEXIST || tries >= 3) { r = fail(why, "Unable to create ", dir, tmp.s, errno, ". (#4.2.1)") ; goto end ; }
  }

  e = writetmp(fd, msgfd, head, headlen, &where) ;
  if (!e && close(fd) < 0) { e = errno ; where = 1 ; }
  else if (e) fd_close(fd) ;
  fd = -1 ;
  if (e)
  {
    r = where ? fail(why, "Unable to write ", dir, tmp.s, e, ". (#4.3.0)")
              : fail(why, "Unable to read message", "", "", e, ". (#4.3.0)") ;
    unlinkat(dfd, tmp.s, 0) ;
    goto end ;
  }

  if (!stralloc_cats(&new, "new/") || !stralloc_cats(&new, tmp.s + 4) || !stralloc_0(&new)) { e = errno ; unlinkat(dfd, tmp.s, 0) ; goto nomem ; }
  if (linkat(dfd, tmp.s, dfd, new.s, 0) < 0)
  {
    r = fail(why, "Unable to link ", dir, tmp.s, errno, " into new/. (#4.3.0)") ;
    unlinkat(dfd, tmp.s, 0) ;
    goto end ;
  }
  unlinkat(dfd, tmp.s, 0) ;

  {
    int nfd = openat(dfd, "new", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
    if (nfd < 0 || fsync(nfd) < 0)
    {
      /* The message is in new/ but may not survive a crash: saying so
       * costs a duplicate at worst, saying "did" could cost the message. */
      r = fail(why, "Unable to sync ", dir, "new", errno, ". (#4.3.0)") ;
      if (nfd >= 0) fd_close(nfd) ;
      goto end ;
    }
    fd_close(nfd) ;
  }
  r = 0 ;
  goto end ;

 nomem:
  r = fail(why, "Unable to deliver to ", dir, "", e, ". (#4.3.0)") ;
 end:
  if (fd >= 0) fd_close(fd) ;
  fd_close(dfd) ;
  stralloc_free(&host) ; stralloc_free(&tmp) ; stralloc_free(&new) ;
  return r ;
}
