/* envelope.c: scanner and encoder for queue's envelope on fd 1. */
#include <skalibs/stralloc.h>
#include "envelope.h"

enum { S_START, S_SENDER, S_ITEM, S_RCPT, S_DONE, S_BAD } ;

/* The state remembers which error ended the scan, so that bytes fed after
 * it get the same answer (S_BAD + status). */
static enum envelope_status fail(struct envelope_scan *e, enum envelope_status st)
{
  e->state = S_BAD + (unsigned int)st ;
  return st ;
}

/* Control characters never belong in an address; refusing them here keeps
 * log lines and header fields built from addresses one line each. */
static int addrbyte_ok(unsigned char c)
{
  return c >= 32 && c != 127 ;
}

enum envelope_status envelope_feed(struct envelope_scan *e, unsigned char c)
{
  if (e->state == S_DONE) return ENVELOPE_DONE ;
  if (e->state >= S_BAD) return (enum envelope_status)(e->state - S_BAD) ;
  if (++e->total > ENVELOPE_MAX) return fail(e, ENVELOPE_ETOOBIG) ;
  switch (e->state)
  {
    case S_START:
      if (c != 'F') return fail(e, ENVELOPE_EFORMAT) ;
      e->state = S_SENDER ; e->addrlen = 0 ;
      return ENVELOPE_MORE ;
    case S_ITEM:
      if (!c) { e->state = S_DONE ; return ENVELOPE_DONE ; }
      if (c != 'T') return fail(e, ENVELOPE_EFORMAT) ;
      e->state = S_RCPT ; e->addrlen = 0 ;
      return ENVELOPE_MORE ;
    case S_SENDER:
    case S_RCPT:
      if (!c)
      {
        if (e->state == S_RCPT) e->nrcpt++ ;
        e->state = S_ITEM ;
        return ENVELOPE_MORE ;
      }
      if (!addrbyte_ok(c)) return fail(e, ENVELOPE_EFORMAT) ;
      if (++e->addrlen > ENVELOPE_ADDR_MAX) return fail(e, ENVELOPE_ETOOLONG) ;
      return ENVELOPE_MORE ;
  }
  return fail(e, ENVELOPE_EFORMAT) ;
}

enum envelope_status envelope_scanb(struct envelope_scan *e, char const *s, size_t len, size_t *used)
{
  enum envelope_status st = ENVELOPE_MORE ;
  size_t i = 0 ;
  while (i < len && st == ENVELOPE_MORE) st = envelope_feed(e, (unsigned char)s[i++]) ;
  if (used) *used = i ;
  return st ;
}

int envelope_exitcode(enum envelope_status st)
{
  switch (st)
  {
    case ENVELOPE_DONE: return 0 ;
    case ENVELOPE_MORE: return 54 ;
    case ENVELOPE_ETOOLONG: return 11 ;
    case ENVELOPE_ETOOBIG: return 31 ;
    case ENVELOPE_EFORMAT: break ;
  }
  return 91 ;
}

int envelope_add(stralloc *sa, char kind, char const *addr, size_t len)
{
  return stralloc_catb(sa, &kind, 1) && stralloc_catb(sa, addr, len) && stralloc_0(sa) ;
}

int envelope_end(stralloc *sa)
{
  return stralloc_0(sa) ;
}
