/* envelope.h: the envelope that queue reads on fd 1 (qmail-queue(8)):
 *   F sender NUL, then T recipient NUL for each recipient, then one NUL.
 * One scanner serves the writer (queue) and the tests; one encoder serves
 * every program that hands mail to queue. */
#ifndef CAIRN_ENVELOPE_H
#define CAIRN_ENVELOPE_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define ENVELOPE_ADDR_MAX 1000          /* longest address, as qmail */
#define ENVELOPE_MAX (4UL << 20)        /* whole envelope, bytes */

enum envelope_status {
  ENVELOPE_MORE = 0,   /* feed more bytes */
  ENVELOPE_DONE,       /* the final NUL was seen */
  ENVELOPE_EFORMAT,    /* not F..., not T..., or a control character */
  ENVELOPE_ETOOLONG,   /* an address over ENVELOPE_ADDR_MAX */
  ENVELOPE_ETOOBIG     /* the envelope over ENVELOPE_MAX */
} ;

struct envelope_scan {
  unsigned int state ;
  size_t addrlen ;     /* bytes of the address being read */
  size_t total ;       /* bytes seen */
  size_t nrcpt ;       /* complete recipients */
} ;
#define ENVELOPE_SCAN_ZERO { 0, 0, 0, 0 }

/* Feeds one byte; returns ENVELOPE_MORE until the envelope ends or is bad.
 * After ENVELOPE_DONE or an error, further bytes change nothing. */
enum envelope_status envelope_feed(struct envelope_scan *, unsigned char) ;

/* Scans a whole buffer; *used gets the bytes consumed (up to the end). */
enum envelope_status envelope_scanb(struct envelope_scan *, char const *, size_t, size_t *used) ;

/* The qmail-queue exit code for a scanner status (91, 11, 31, or 54 for
 * ENVELOPE_MORE at end of input: the envelope was cut short). */
int envelope_exitcode(enum envelope_status) ;

/* Appends kind ('F' or 'T'), addr and NUL; addr must hold no NUL.
 * envelope_end appends the final NUL. Return 1, or 0 on ENOMEM. */
int envelope_add(stralloc *, char kind, char const *addr, size_t len) ;
int envelope_end(stralloc *) ;

#endif
