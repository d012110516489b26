/* qqproto.c: the netstring framing of queued's protocol (qqproto.h). */
#include <skalibs/types.h>
#include "envelope.h"
#include "qqproto.h"

enum { LEN, DATA, COMMA, ELEN, EDATA, ECOMMA, BAD } ;

/* One digit of a length: no leading zero, at most QQPROTO_DIGITS digits,
 * at most max. 0 when the length is refused. */
static int digit(struct qqproto *p, unsigned char c, size_t max)
{
  if (c < '0' || c > '9') return 0 ;
  if (p->digits && !p->len) return 0 ;          /* leading zero */
  if (++p->digits > QQPROTO_DIGITS) return 0 ;
  p->len = p->len * 10 + (c - '0') ;            /* < 10^9: no overflow */
  return p->len <= max ;
}

static enum qqproto_event bad(struct qqproto *p, size_t *used, size_t i)
{
  p->state = BAD ;
  *used = i ;
  return QQPROTO_EBAD ;
}

enum qqproto_event qqproto_next(struct qqproto *p, char const *s, size_t n, size_t *used, char const **data, size_t *datalen)
{
  size_t i = 0 ;
  while (i < n)
  {
    unsigned char c = s[i] ;
    switch (p->state)
    {
      case LEN: case ELEN:
      {
        int env = p->state == ELEN ;
        if (c == ':')
        {
          i++ ;
          if (!p->digits || (env && !p->len)) return bad(p, used, i) ;
          p->digits = 0 ;
          if (!env && !p->len) { p->state = COMMA ; p->len = 1 ; continue ; }
          p->state = env ? EDATA : DATA ;
          continue ;
        }
        if (!digit(p, c, env ? ENVELOPE_MAX : QQPROTO_CHUNK_MAX)) return bad(p, used, i) ;
        i++ ;
        continue ;
      }
      case DATA: case EDATA:
      {
        size_t take = n - i < p->len ? n - i : p->len ;
        *data = s + i ; *datalen = take ;
        p->len -= take ;
        if (!p->len) p->state = p->state == DATA ? COMMA : ECOMMA ;
        *used = i + take ;
        return p->state == DATA || p->state == COMMA ? QQPROTO_DATA : QQPROTO_ENV ;
      }
      case COMMA:
        /* len is 1 after "0:" (the end of the message), 0 after data */
        if (c != ',') return bad(p, used, i) ;
        i++ ;
        if (p->len) { p->state = ELEN ; p->len = 0 ; p->digits = 0 ; *used = i ; return QQPROTO_ENDMSG ; }
        p->state = LEN ; p->digits = 0 ;
        continue ;
      case ECOMMA:
        if (c != ',') return bad(p, used, i) ;
        p->state = LEN ; p->len = 0 ; p->digits = 0 ;
        *used = i + 1 ;
        return QQPROTO_ENDENV ;
      default:
        return bad(p, used, i) ;
    }
  }
  *used = i ;
  return p->state == BAD ? QQPROTO_EBAD : QQPROTO_MORE ;
}

int qqproto_idle(struct qqproto const *p)
{
  return p->state == LEN && !p->digits ;
}

size_t qqproto_head(char *s, size_t len)
{
  size_t n = size_fmt(s, len) ;
  s[n++] = ':' ;
  return n ;
}

int qqproto_reply(char const *s, size_t n, int *code)
{
  unsigned int v = 0 ;
  size_t i = 0 ;
  for (; i < n && s[i] >= '0' && s[i] <= '9' ; i++)
  {
    v = v * 10 + (unsigned int)(s[i] - '0') ;
    if (v > 255) return 0 ;
  }
  if (!i || i + 1 != n || s[i] != '\n') return 0 ;
  *code = (int)v ;
  return 1 ;
}
