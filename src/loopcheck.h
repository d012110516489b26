/* loopcheck.h: is this delivery part of a mail loop? Reads the header of
 * the message (up to its first empty line) and answers "looping" when it
 * already holds this delivery's Delivered-To line (compared without regard
 * to case: Joe@ and joe@ reach the same mailbox), or when it holds more
 * than LOOPCHECK_MAXHOPS Received and Delivered-To fields together.
 * The scanner keeps only a line's first bytes, so a header of any size is
 * read in constant memory. */
#ifndef CAIRN_LOOPCHECK_H
#define CAIRN_LOOPCHECK_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define LOOPCHECK_MAXHOPS 100

enum loopcheck_status {
  LOOPCHECK_MORE = 0,   /* still in the header */
  LOOPCHECK_OK,         /* the header ended, no loop */
  LOOPCHECK_DTLINE,     /* the header holds the Delivered-To line */
  LOOPCHECK_HOPS        /* too many Received and Delivered-To fields */
} ;

struct loopcheck {
  char const *dtline ;   /* "Delivered-To: local@host", without newline */
  size_t dtlen ;
  stralloc line ;        /* first bytes of the current line */
  size_t linelen ;       /* all bytes of the current line */
  unsigned int hops ;
  enum loopcheck_status status ;
} ;

/* dtline may end with its newline; it is not copied and must outlive lc. */
void loopcheck_init(struct loopcheck *lc, char const *dtline, size_t dtlen) ;
/* Feeds bytes of the message; returns the status (MORE until decided;
 * once decided, further bytes change nothing). 0 bytes of memory left is
 * reported as -1. */
int loopcheck_feed(struct loopcheck *lc, char const *s, size_t len) ;
/* End of the message: the header ends there if it did not before. */
enum loopcheck_status loopcheck_end(struct loopcheck *lc) ;
void loopcheck_free(struct loopcheck *lc) ;

/* The whole check on the message in fd, read from offset 0. Returns 0, or
 * 100 (looping) or 111 (read error, no memory) with why set in qmail's
 * words. */
int loopcheck_fd(int fd, char const *dtline, size_t dtlen, stralloc *why) ;

#endif
