/* header.h: reading a message as qmail-inject does: header fields (with
 * their continuation lines) up to the empty line, then the body.
 *
 * Lines end in LF; a CR just before the LF is dropped, so that a message
 * written with CRLF line ends is read the same and queued with LF ends, as
 * qmail's queue wants. A line that is neither a field ("name:" with a name
 * of printable non-space bytes) nor a continuation (leading space or tab)
 * ends the header without an empty line: it is the first line of the body,
 * as in qmail-inject. An mbox "From " line becomes "MBOX-Line: From ...".
 * Other bytes, 8-bit ones included, are kept as they are. */
#ifndef CAIRN_HEADER_H
#define CAIRN_HEADER_H

#include <stddef.h>
#include <skalibs/buffer.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

#define HEADER_FIELD_MAX (1UL << 20)   /* one field, continuations included */
#define HEADER_MAX (4UL << 20)         /* the whole header */

struct header_field {
  size_t pos ;         /* offset in text */
  size_t len ;         /* with the final LF */
  size_t namelen ;     /* the name, without white space and colon */
  size_t valuepos ;    /* offset in the field just past the colon */
} ;

struct header {
  stralloc text ;      /* every field, each line LF-terminated */
  genalloc fields ;    /* struct header_field, in order */
  int open ;           /* the last field may still get continuation lines */
} ;
#define HEADER_ZERO { .text = STRALLOC_ZERO, .fields = GENALLOC_ZERO, .open = 0 }

enum header_status {
  HEADER_MORE,         /* the line was a field or a continuation */
  HEADER_END,          /* the empty line: the body follows */
  HEADER_BODY,         /* not a header line: the header ended, this line is body */
  HEADER_EOF,          /* (header_read) input ended inside the header */
  HEADER_ETOOBIG,      /* over HEADER_FIELD_MAX or HEADER_MAX */
  HEADER_ENOMEM,
  HEADER_EREAD         /* (header_read) read error, errno set */
} ;

/* Feeds one line, with its LF or (the last line of the input) without. */
enum header_status header_line(struct header *, char const *line, size_t len) ;

/* Reads lines from b and feeds them until the header ends. On HEADER_BODY
 * the line that ended it is left in bodyline (LF-terminated, CR dropped). */
enum header_status header_read(struct header *, buffer *b, stralloc *bodyline) ;

/* Number of fields and the i-th one. */
size_t header_nfields(struct header const *) ;
struct header_field const *header_field(struct header const *, size_t i) ;

/* 1 if the field's name is name, ignoring case. */
int header_is(struct header const *, struct header_field const *, char const *name) ;

/* Copies the rest of b to put(ctx, s, len), dropping a CR before each LF.
 * 1 at end of input, 0 on a read error (errno set). */
int header_body(buffer *b, void (*put)(void *, char const *, size_t), void *ctx) ;

void header_free(struct header *) ;

#endif
