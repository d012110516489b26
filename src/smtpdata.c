/* smtpdata.c: DATA bytes in, queue bytes out (see smtpdata.h). */
#include <string.h>
#include "smtpdata.h"

enum { S_LINESTART, S_DOT, S_DOTCR, S_TEXT, S_CR } ;

void smtpdata_init(struct smtpdata *d, size_t max)
{
  memset(d, 0, sizeof *d) ;
  d->state = S_LINESTART ;
  d->max = max ;
  d->inheader = 1 ;
}

static int startsi(char const *s, size_t n, char const *prefix)
{
  size_t p = strlen(prefix) ;
  if (n < p) return 0 ;
  for (size_t i = 0 ; i < p ; i++)
  {
    char c = s[i] ;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A' ;
    if (c != prefix[i]) return 0 ;
  }
  return 1 ;
}

static void endofline(struct smtpdata *d)
{
  if (d->inheader)
  {
    size_t n = d->linelen < sizeof d->head ? d->linelen : sizeof d->head ;
    if (!d->linelen) d->inheader = 0 ;
    else if (startsi(d->head, n, "received:") || startsi(d->head, n, "delivered-to:"))
      if (++d->hops > SMTPDATA_HOPMAX) d->flags |= SMTPDATA_HOPS ;
  }
  d->linelen = 0 ;
}

size_t smtpdata_feed(struct smtpdata *d, char const *in, size_t len, char *out, size_t *outlen, int *done)
{
  size_t i, o = 0 ;
#define EMIT(ch) do { \
    if (d->max && d->size >= d->max) d->flags |= SMTPDATA_TOOBIG ; \
    else { out[o++] = (ch) ; d->size++ ; } \
  } while (0)
#define TEXT(ch) do { \
    if (d->linelen < sizeof d->head) d->head[d->linelen] = (ch) ; \
    if (++d->linelen > SMTPDATA_LINEMAX) d->flags |= SMTPDATA_LONGLINE ; \
  } while (0)
  *done = 0 ;
  for (i = 0 ; i < len ; i++)
  {
    char c = in[i] ;
    switch (d->state)
    {
      case S_LINESTART:
        /* the dot at the start of a line is either the end or stuffing,
         * never text: it counts neither for the line length (RFC 5321
         * 4.5.3.1.6) nor in the header name */
        if (c == '.') { d->state = S_DOT ; continue ; }
        break ;
      case S_DOT:
        if (c == '\r') { d->state = S_DOTCR ; continue ; }
        break ;                           /* the stuffed dot is dropped */
      case S_DOTCR:
        if (c == '\n') { *done = 1 ; *outlen = o ; return i + 1 ; }
        d->flags |= SMTPDATA_BARE ;
        EMIT('\r') ;
        break ;
      case S_CR:
        if (c == '\n') { EMIT('\n') ; endofline(d) ; d->state = S_LINESTART ; continue ; }
        d->flags |= SMTPDATA_BARE ;
        EMIT('\r') ;
        break ;
      case S_TEXT:
        break ;
    }
    /* c is a byte of text in a line */
    d->state = S_TEXT ;
    if (c == '\r') { d->state = S_CR ; continue ; }
    if (c == '\n') d->flags |= SMTPDATA_BARE ;
    else if (!c) d->flags |= SMTPDATA_NUL ;
    TEXT(c) ;
    EMIT(c) ;
  }
  *outlen = o ;
  return len ;
#undef EMIT
#undef TEXT
}
