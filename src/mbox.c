/* mbox.c: mbox delivery, From_ line and From_ quoting. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include "mbox.h"

static char const *const day[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" } ;
static char const *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" } ;

static size_t two(char *s, unsigned int n)
{
  s[0] = '0' + n / 10 % 10 ; s[1] = '0' + n % 10 ;
  return 2 ;
}

int mbox_ufline(stralloc *sa, char const *sender, time_t t)
{
  struct tm tm ;
  char d[64] ;
  size_t n = 0, base ;
  if (!gmtime_r(&t, &tm)) { tm = (struct tm){ .tm_mday = 1, .tm_year = 70, .tm_wday = 4 } ; }
  if (!stralloc_cats(sa, "From ")) return 0 ;
  base = sa->len ;
  if (!stralloc_cats(sa, *sender ? sender : "MAILER-DAEMON")) return 0 ;
  /* The From_ line is split at blanks by mail readers. */
  for (size_t i = base ; i < sa->len ; i++)
    if (sa->s[i] == ' ' || sa->s[i] == '\t' || sa->s[i] == '\n') sa->s[i] = '-' ;
  memcpy(d + n, day[tm.tm_wday % 7], 3) ; n += 3 ; d[n++] = ' ' ;
  memcpy(d + n, mon[tm.tm_mon % 12], 3) ; n += 3 ; d[n++] = ' ' ;
  n += two(d + n, tm.tm_mday) ; d[n++] = ' ' ;
  n += two(d + n, tm.tm_hour) ; d[n++] = ':' ;
  n += two(d + n, tm.tm_min) ; d[n++] = ':' ;
  n += two(d + n, tm.tm_sec) ; d[n++] = ' ' ;
  n += long_fmt(d + n, (long)tm.tm_year + 1900) ;
  d[n++] = '\n' ;
  return stralloc_catb(sa, " ", 1) && stralloc_catb(sa, d, n) ;
}

/* What a line start held back: gt ">" then the matched part of "From ". */
static int release(struct mbox_quote *q, stralloc *out, int quote)
{
  if (!stralloc_readyplus(out, q->gt + q->from + 1)) return 0 ;
  if (quote) out->s[out->len++] = '>' ;
  memset(out->s + out->len, '>', q->gt) ; out->len += q->gt ;
  memcpy(out->s + out->len, "From ", q->from) ; out->len += q->from ;
  q->gt = q->from = 0 ;
  return 1 ;
}

int mbox_quote(struct mbox_quote *q, stralloc *out, char const *s, size_t len)
{
  size_t i = 0 ;
  while (i < len)
  {
    char c = s[i] ;
    if (q->state == 2)
    {
      /* Copy the rest of the line at once. */
      size_t n = byte_chr(s + i, len - i, '\n') ;
      if (n < len - i) { n++ ; q->state = 0 ; }
      if (!stralloc_catb(out, s + i, n)) return 0 ;
      i += n ;
      continue ;
    }
    i++ ;
    if (q->state == 0 && c == '>') { q->gt++ ; continue ; }
    if (c == "From "[q->from])
    {
      q->state = 1 ;
      if (++q->from < 5) continue ;
      if (!release(q, out, 1)) return 0 ;
      q->state = 2 ;
      continue ;
    }
    if (!release(q, out, 0) || !stralloc_catb(out, &c, 1)) return 0 ;
    q->state = c == '\n' ? 0 : 2 ;
  }
  return 1 ;
}

int mbox_quote_end(struct mbox_quote *q, stralloc *out)
{
  int midline = q->state != 0 || q->gt ;
  if (!release(q, out, 0)) return 0 ;
  q->state = 0 ;
  if (midline && !stralloc_catb(out, "\n", 1)) return 0 ;
  return stralloc_catb(out, "\n", 1) ;
}

static void onalarm(int sig) { (void)sig ; }

/* Leaves no partial entry that would run into the next one. Unlocked, the
 * bytes past pos could be another writer's: they are left alone. */
static void cutback(int fd, off_t pos, int locked)
{
  if (locked && ftruncate(fd, pos) < 0) return ;
}

/* 1 locked, 0 not possible on this file (delivered unlocked, as qmail-local
 * does), -1 error or timeout. */
static int lock(int fd)
{
  struct sigaction sa = { .sa_handler = &onalarm }, old ;
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET } ;
  int r = 1 ;
  /* No SA_RESTART: the alarm must interrupt a lock wait. */
  sigemptyset(&sa.sa_mask) ;
  sigaction(SIGALRM, &sa, &old) ;
  alarm(MBOX_LOCK_TIMEOUT) ;
  if (fcntl(fd, F_SETLKW, &fl) < 0) r = errno == EINTR ? -1 : errno == ENOLCK || errno == EINVAL ? 0 : -1 ;
  if (r == 1 && flock(fd, LOCK_EX) < 0) r = errno == EINTR ? -1 : errno == ENOLCK || errno == EINVAL || errno == EOPNOTSUPP ? 0 : -1 ;
  alarm(0) ;
  sigaction(SIGALRM, &old, 0) ;
  return r ;
}

static int fail(stralloc *why, char const *what, char const *fn, int e, char const *code)
{
  why->len = 0 ;
  if (!stralloc_cats(why, what) || !stralloc_cats(why, fn) || !stralloc_cats(why, ": ")
   || !stralloc_cats(why, e == EINTR ? "timed out waiting for its lock" : strerror(e)) || !stralloc_cats(why, code)) why->len = 0 ;
  return 111 ;
}

int mbox_deliver(char const *fn, int msgfd, char const *head, size_t headlen, stralloc *why)
{
  struct mbox_quote q = MBOX_QUOTE_ZERO ;
  stralloc out = STRALLOC_ZERO ;
  char buf[65536] ;
  off_t pos ;
  int fd, locked, e ;

  if (lseek(msgfd, 0, SEEK_SET) < 0) return fail(why, "Unable to rewind message", "", errno, ". (#4.3.0)") ;
  /* O_NONBLOCK: a FIFO put in the way must not hang the delivery. */
  fd = open(fn, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600) ;
  if (fd < 0) return fail(why, "Unable to open ", fn, errno, ". (#4.2.1)") ;
  if (ndelay_off(fd) < 0) { e = errno ; fd_close(fd) ; return fail(why, "Unable to open ", fn, e, ". (#4.2.1)") ; }
  locked = lock(fd) ;
  if (locked < 0) { e = errno ; fd_close(fd) ; return fail(why, "Unable to lock ", fn, e, ". (#4.2.1)") ; }
  pos = lseek(fd, 0, SEEK_END) ;
  if (pos < 0) { e = errno ; fd_close(fd) ; return fail(why, "Unable to seek ", fn, e, ". (#4.2.1)") ; }

  if (!stralloc_catb(&out, head, headlen)) goto nomem ;
  for (;;)
  {
    ssize_t r = fd_read(msgfd, buf, sizeof buf) ;
    if (r < 0) { e = errno ; stralloc_free(&out) ; cutback(fd, pos, locked) ; fd_close(fd) ; return fail(why, "Unable to read message", "", e, ". (#4.3.0)") ; }
    if (!r) break ;
    if (!mbox_quote(&q, &out, buf, (size_t)r)) goto nomem ;
    if (out.len >= sizeof buf)
    {
      if (allwrite(fd, out.s, out.len) < out.len) goto writeerr ;
      out.len = 0 ;
    }
  }
  if (!mbox_quote_end(&q, &out)) goto nomem ;
  if (allwrite(fd, out.s, out.len) < out.len) goto writeerr ;
  if (fsync(fd) < 0) goto writeerr ;
  stralloc_free(&out) ;
  if (close(fd) < 0) return fail(why, "Unable to write ", fn, errno, ". (#4.3.0)") ;
  return 0 ;

 nomem:
  errno = ENOMEM ;
 writeerr:
  e = errno ;
  stralloc_free(&out) ;
  cutback(fd, pos, locked) ;
  fd_close(fd) ;
  return fail(why, "Unable to write ", fn, e, ". (#4.3.0)") ;
}
