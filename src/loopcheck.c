/* loopcheck.c: the Delivered-To and hop-count checks of a local delivery.
 * qmail-local compares whole header lines with its Delivered-To line;
 * the hop count is qmail-smtpd's (Received and Delivered-To fields), here
 * applied at delivery so that a loop through .qmail forwards ends too. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include "loopcheck.h"

void loopcheck_init(struct loopcheck *lc, char const *dtline, size_t dtlen)
{
  if (dtlen && dtline[dtlen - 1] == '\n') dtlen-- ;
  lc->dtline = dtline ;
  lc->dtlen = dtlen ;
  lc->line = stralloc_zero ;
  lc->linelen = 0 ;
  lc->hops = 0 ;
  lc->status = LOOPCHECK_MORE ;
}

static enum loopcheck_status endofline(struct loopcheck *lc)
{
  char const *s = lc->line.s ;
  size_t n = lc->line.len ;
  if (!lc->linelen) return LOOPCHECK_OK ;
  if (lc->linelen == lc->dtlen && case_equalb(s, n, lc->dtline)) return LOOPCHECK_DTLINE ;
  if ((n >= 9 && case_equalb(s, 9, "received:")) || (n >= 13 && case_equalb(s, 13, "delivered-to:")))
    if (++lc->hops > LOOPCHECK_MAXHOPS) return LOOPCHECK_HOPS ;
  lc->linelen = 0 ;
  lc->line.len = 0 ;
  return LOOPCHECK_MORE ;
}

int loopcheck_feed(struct loopcheck *lc, char const *s, size_t len)
{
  /* Enough of a line to compare it with the Delivered-To line and to
   * recognise the longest field name counted. */
  size_t keep = lc->dtlen > 13 ? lc->dtlen : 13 ;
  while (lc->status == LOOPCHECK_MORE && len)
  {
    size_t n = byte_chr(s, len, '\n') ;
    if (lc->line.len < keep)
    {
      size_t take = keep - lc->line.len < n ? keep - lc->line.len : n ;
      if (!stralloc_catb(&lc->line, s, take)) return -1 ;
    }
    lc->linelen += n ;
    if (n == len) break ;
    lc->status = endofline(lc) ;
    s += n + 1 ; len -= n + 1 ;
  }
  return lc->status ;
}

enum loopcheck_status loopcheck_end(struct loopcheck *lc)
{
  /* A last header line without its newline still counts. */
  if (lc->status == LOOPCHECK_MORE && lc->linelen) lc->status = endofline(lc) ;
  if (lc->status == LOOPCHECK_MORE) lc->status = LOOPCHECK_OK ;
  return lc->status ;
}

void loopcheck_free(struct loopcheck *lc)
{
  stralloc_free(&lc->line) ;
}

static int say(stralloc *why, char const *a, char const *b, char const *c, int code)
{
  why->len = 0 ;
  if (!stralloc_cats(why, a) || !stralloc_cats(why, b) || !stralloc_cats(why, c)) why->len = 0 ;
  return code ;
}

int loopcheck_fd(int fd, char const *dtline, size_t dtlen, stralloc *why)
{
  struct loopcheck lc ;
  char buf[8192] ;
  int r = LOOPCHECK_MORE ;
  if (lseek(fd, 0, SEEK_SET) < 0) return say(why, "Unable to rewind message: ", strerror(errno), ". (#4.3.0)", 111) ;
  loopcheck_init(&lc, dtline, dtlen) ;
  while (r == LOOPCHECK_MORE)
  {
    ssize_t n = fd_read(fd, buf, sizeof buf) ;
    if (n < 0) { r = errno ; loopcheck_free(&lc) ; return say(why, "Unable to read message: ", strerror(r), ". (#4.3.0)", 111) ; }
    if (!n) { r = loopcheck_end(&lc) ; break ; }
    r = loopcheck_feed(&lc, buf, (size_t)n) ;
    if (r < 0) { loopcheck_free(&lc) ; return say(why, "Out of memory. (#4.3.0)", "", "", 111) ; }
  }
  loopcheck_free(&lc) ;
  switch (r)
  {
    case LOOPCHECK_DTLINE:
      return say(why, "This message is looping: it already has my Delivered-To line. (#5.4.6)", "", "", 100) ;
    case LOOPCHECK_HOPS:
      return say(why, "This message is looping: too many hops (more than 100 Received and Delivered-To lines). (#5.4.6)", "", "", 100) ;
  }
  return 0 ;
}
