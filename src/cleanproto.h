/* cleanproto.h: the requests send writes to clean and clean's answers
 * (clean(8)), as qmail-send and qmail-clean speak them:
 *
 *   request  "foop/ID" NUL   remove intd/ID and mess/B/ID (a finished
 *                            message, or one queue abandoned)
 *            "todo/ID" NUL   remove intd/ID and todo/ID (preprocessed)
 *   answer   "+"             done: the files are gone (or never were)
 *            "x"             the request is not one of the above
 *            "!"             a file could not be removed; try again later
 *
 * A request is 7 to 100 bytes with its NUL; ID is decimal digits only.
 * One module for both sides; the reader bounds what it keeps, so a
 * request of any length costs clean at most CLEANPROTO_MAX bytes. */
#ifndef CAIRN_CLEANPROTO_H
#define CAIRN_CLEANPROTO_H

#include <stddef.h>

#define CLEANPROTO_MIN 7      /* "todo/1" and its NUL */
#define CLEANPROTO_MAX 100    /* with its NUL, as qmail-clean */

#define CLEANPROTO_OK '+'
#define CLEANPROTO_BAD 'x'
#define CLEANPROTO_FAILED '!'

enum cleanproto_kind { CLEANPROTO_FOOP, CLEANPROTO_TODO } ;

struct cleanproto_req {
  enum cleanproto_kind kind ;
  unsigned long id ;
} ;

/* Writes the request with its NUL into s (CLEANPROTO_MAX bytes); returns
 * its length with the NUL. */
size_t cleanproto_fmt(char *s, enum cleanproto_kind kind, unsigned long id) ;

/* Parses one request of len bytes, the last being its NUL. 1 with *req
 * filled, or 0 when it must be answered CLEANPROTO_BAD. */
int cleanproto_parse(struct cleanproto_req *req, char const *s, size_t len) ;

/* Splits a byte stream into requests. */
struct cleanproto_reader {
  size_t len ;                 /* bytes of the current request, may pass MAX */
  char buf[CLEANPROTO_MAX] ;   /* its first MAX bytes */
} ;
#define CLEANPROTO_READER_ZERO { 0, { 0 } }

/* Takes bytes of s up to and with the first NUL; returns how many it took.
 * *complete becomes 1 when a request ended (then call cleanproto_take
 * before feeding more), else 0. */
size_t cleanproto_feed(struct cleanproto_reader *r, char const *s, size_t n, int *complete) ;
/* The request that just ended: as cleanproto_parse. Resets the reader. */
int cleanproto_take(struct cleanproto_reader *r, struct cleanproto_req *req) ;

#endif
