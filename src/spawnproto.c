/* spawnproto.c: encoder and decoders of the send <-> spawner protocol. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "spawnproto.h"

/* Leading zeros are harmless, but a number field must still end: 20 digits
 * hold every unsigned long, and the bound keeps a stream of zeros from
 * being read for ever. */
#define DIGITS_MAX 20

/* One digit more of a decimal field. 1, or 0 when c is no digit, the field
 * is too long, or the value would pass max. */
static int digit(unsigned long *v, size_t *flen, unsigned char c, unsigned long max)
{
  unsigned long d = (unsigned long)c - '0' ;
  if (c < '0' || c > '9' || ++*flen > DIGITS_MAX) return 0 ;
  if (d > max || *v > (max - d) / 10) return 0 ;
  *v = *v * 10 + d ;
  return 1 ;
}

static enum spawnproto_status reqfail(struct spawnproto_reqdec *d, enum spawnproto_status e)
{
  d->err = e ;
  return e ;
}

void spawnproto_reqinit(struct spawnproto_reqdec *d, unsigned int slotmax)
{
  memset(d, 0, sizeof *d) ;
  d->slotmax = slotmax ;
}

/* One byte of a request. */
static enum spawnproto_status reqbyte(struct spawnproto_reqdec *d, unsigned char c)
{
  struct spawnreq *r = &d->req ;
  if (!d->inside)
  {
    r->slot = 0 ; r->id = 0 ; r->senderlen = 0 ; r->reciplen = 0 ;
    d->field = 0 ; d->flen = 0 ; d->inside = 1 ;
  }
  switch (d->field)
  {
    case 0:
    {
      unsigned long v = r->slot ;
      if (!c)
      {
        if (!d->flen) return reqfail(d, SPAWNPROTO_ESLOT) ;
        d->field = 1 ; d->flen = 0 ;
        return SPAWNPROTO_MORE ;
      }
      if (c < '0' || c > '9' || d->flen >= DIGITS_MAX) return reqfail(d, SPAWNPROTO_ESLOT) ;
      if (!digit(&v, &d->flen, c, d->slotmax)) return reqfail(d, SPAWNPROTO_ESLOTMAX) ;
      r->slot = (unsigned int)v ;
      return SPAWNPROTO_MORE ;
    }
    case 1:
      if (!c)
      {
        if (!d->flen) return reqfail(d, SPAWNPROTO_EID) ;
        d->field = 2 ; d->flen = 0 ;
        return SPAWNPROTO_MORE ;
      }
      if (!digit(&r->id, &d->flen, c, ULONG_MAX)) return reqfail(d, SPAWNPROTO_EID) ;
      return SPAWNPROTO_MORE ;
    case 2:
      if (!c) { r->sender[r->senderlen] = 0 ; d->field = 3 ; return SPAWNPROTO_MORE ; }
      if (r->senderlen >= SPAWNPROTO_ADDR_MAX) return reqfail(d, SPAWNPROTO_EADDR) ;
      r->sender[r->senderlen++] = (char)c ;
      return SPAWNPROTO_MORE ;
    default:
      if (!c)
      {
        if (!r->reciplen) return reqfail(d, SPAWNPROTO_ERCPT) ;
        r->recip[r->reciplen] = 0 ;
        d->inside = 0 ;
        return SPAWNPROTO_DONE ;
      }
      if (r->reciplen >= SPAWNPROTO_ADDR_MAX) return reqfail(d, SPAWNPROTO_EADDR) ;
      r->recip[r->reciplen++] = (char)c ;
      return SPAWNPROTO_MORE ;
  }
}

enum spawnproto_status spawnproto_reqfeed(struct spawnproto_reqdec *d, char const *s, size_t len, size_t *used)
{
  enum spawnproto_status st = d->err ? (enum spawnproto_status)d->err : SPAWNPROTO_MORE ;
  size_t i = 0 ;
  while (st == SPAWNPROTO_MORE && i < len) st = reqbyte(d, (unsigned char)s[i++]) ;
  *used = i ;
  return st ;
}

enum spawnproto_status spawnproto_reqend(struct spawnproto_reqdec const *d)
{
  if (d->err) return (enum spawnproto_status)d->err ;
  return d->inside ? SPAWNPROTO_ETRUNC : SPAWNPROTO_DONE ;
}

static enum spawnproto_status resfail(struct spawnproto_resdec *d, enum spawnproto_status e)
{
  d->err = e ;
  return e ;
}

void spawnproto_resinit(struct spawnproto_resdec *d, unsigned int slotmax)
{
  memset(d, 0, sizeof *d) ;
  d->slotmax = slotmax ;
}

/* One byte of a result. */
static enum spawnproto_status resbyte(struct spawnproto_resdec *d, unsigned char c)
{
  struct spawnres *r = &d->res ;
  if (!d->inside)
  {
    r->slot = 0 ; r->status = 0 ; r->len = 0 ;
    d->field = 0 ; d->flen = 0 ; d->inside = 1 ;
  }
  switch (d->field)
  {
    case 0:
    {
      unsigned long v = r->slot ;
      if (!c)
      {
        if (!d->flen) return resfail(d, SPAWNPROTO_ESLOT) ;
        d->field = 1 ;
        return SPAWNPROTO_MORE ;
      }
      if (c < '0' || c > '9' || d->flen >= DIGITS_MAX) return resfail(d, SPAWNPROTO_ESLOT) ;
      if (!digit(&v, &d->flen, c, d->slotmax)) return resfail(d, SPAWNPROTO_ESLOTMAX) ;
      r->slot = (unsigned int)v ;
      return SPAWNPROTO_MORE ;
    }
    case 1:
      if (c != 'K' && c != 'Z' && c != 'D') return resfail(d, SPAWNPROTO_ESTATUS) ;
      r->status = (char)c ;
      d->field = 2 ;
      return SPAWNPROTO_MORE ;
    default:
      if (!c) { r->text[r->len] = 0 ; d->inside = 0 ; return SPAWNPROTO_DONE ; }
      if (r->len >= SPAWNPROTO_TEXT_MAX) return resfail(d, SPAWNPROTO_ETEXT) ;
      r->text[r->len++] = (char)c ;
      return SPAWNPROTO_MORE ;
  }
}

enum spawnproto_status spawnproto_resfeed(struct spawnproto_resdec *d, char const *s, size_t len, size_t *used)
{
  enum spawnproto_status st = d->err ? (enum spawnproto_status)d->err : SPAWNPROTO_MORE ;
  size_t i = 0 ;
  while (st == SPAWNPROTO_MORE && i < len) st = resbyte(d, (unsigned char)s[i++]) ;
  *used = i ;
  return st ;
}

enum spawnproto_status spawnproto_resend(struct spawnproto_resdec const *d)
{
  if (d->err) return (enum spawnproto_status)d->err ;
  return d->inside ? SPAWNPROTO_ETRUNC : SPAWNPROTO_DONE ;
}

char const *spawnproto_errstr(enum spawnproto_status st)
{
  switch (st)
  {
    case SPAWNPROTO_MORE: return "message incomplete" ;
    case SPAWNPROTO_DONE: return "no error" ;
    case SPAWNPROTO_ESLOT: return "slot is not a decimal number" ;
    case SPAWNPROTO_ESLOTMAX: return "slot number over the maximum" ;
    case SPAWNPROTO_EID: return "message id is not a decimal number or too large" ;
    case SPAWNPROTO_EADDR: return "address longer than 1000 bytes" ;
    case SPAWNPROTO_ERCPT: return "empty recipient" ;
    case SPAWNPROTO_ESTATUS: return "status byte missing or not K, Z or D" ;
    case SPAWNPROTO_ETEXT: return "explanation longer than 4000 bytes" ;
    case SPAWNPROTO_ETRUNC: return "input ends inside a message" ;
  }
  return "unknown error" ;
}

/* slot and NUL, the start of both kinds of message */
static int putslot(stralloc *sa, unsigned int slot)
{
  char num[UINT_FMT] ;
  size_t n = uint_fmt(num, slot) ;
  num[n++] = 0 ;
  return stralloc_catb(sa, num, n) ;
}

static int addr_ok(char const *s, size_t len)
{
  return len <= SPAWNPROTO_ADDR_MAX && (!len || !memchr(s, 0, len)) ;
}

int spawnproto_putreq(stralloc *sa, unsigned int slot, unsigned long id,
  char const *sender, size_t senderlen, char const *recip, size_t reciplen)
{
  size_t oldlen = sa->len ;
  char num[ULONG_FMT] ;
  size_t n ;
  if (!addr_ok(sender, senderlen) || !reciplen || !addr_ok(recip, reciplen))
  {
    errno = EINVAL ;
    return 0 ;
  }
  n = ulong_fmt(num, id) ;
  num[n++] = 0 ;
  if (!putslot(sa, slot) || !stralloc_catb(sa, num, n)
   || !stralloc_catb(sa, sender, senderlen) || !stralloc_0(sa)
   || !stralloc_catb(sa, recip, reciplen) || !stralloc_0(sa))
  {
    sa->len = oldlen ;
    return 0 ;
  }
  return 1 ;
}

int spawnproto_putres(stralloc *sa, unsigned int slot, char status, char const *text, size_t len)
{
  size_t oldlen = sa->len ;
  char const *nul ;
  if (status != 'K' && status != 'Z' && status != 'D') { errno = EINVAL ; return 0 ; }
  if (len > SPAWNPROTO_TEXT_MAX) len = SPAWNPROTO_TEXT_MAX ;
  nul = len ? memchr(text, 0, len) : 0 ;
  if (nul) len = (size_t)(nul - text) ;
  if (!putslot(sa, slot) || !stralloc_catb(sa, &status, 1)
   || !stralloc_catb(sa, text, len) || !stralloc_0(sa))
  {
    sa->len = oldlen ;
    return 0 ;
  }
  return 1 ;
}
