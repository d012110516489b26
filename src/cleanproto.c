/* cleanproto.c: send <-> clean requests, both directions (cleanproto.h). */
#include <string.h>
#include <skalibs/types.h>
#include "cleanproto.h"

size_t cleanproto_fmt(char *s, enum cleanproto_kind kind, unsigned long id)
{
  size_t n = 5 ;
  memcpy(s, kind == CLEANPROTO_TODO ? "todo/" : "foop/", 5) ;
  n += ulong_fmt(s + n, id) ;
  s[n++] = 0 ;
  return n ;
}

int cleanproto_parse(struct cleanproto_req *req, char const *s, size_t len)
{
  size_t digits ;
  if (len < CLEANPROTO_MIN || len > CLEANPROTO_MAX || s[len - 1]) return 0 ;
  if (!memcmp(s, "foop/", 5)) req->kind = CLEANPROTO_FOOP ;
  else if (!memcmp(s, "todo/", 5)) req->kind = CLEANPROTO_TODO ;
  else return 0 ;
  digits = len - 6 ;
  for (size_t i = 5 ; i < len - 1 ; i++)
    if (s[i] < '0' || s[i] > '9') return 0 ;
  /* ulong_scan stops before a digit that would overflow */
  return ulong_scan(s + 5, &req->id) == digits ;
}

size_t cleanproto_feed(struct cleanproto_reader *r, char const *s, size_t n, int *complete)
{
  char const *nul = memchr(s, 0, n) ;
  size_t take = nul ? (size_t)(nul - s) + 1 : n ;
  if (r->len < CLEANPROTO_MAX)
  {
    size_t keep = CLEANPROTO_MAX - r->len ;
    if (keep > take) keep = take ;
    memcpy(r->buf + r->len, s, keep) ;
  }
  /* Only the count goes on past MAX: enough to know it is too long. */
  r->len = r->len + take < r->len ? (size_t)-1 : r->len + take ;
  *complete = !!nul ;
  return take ;
}

int cleanproto_take(struct cleanproto_reader *r, struct cleanproto_req *req)
{
  int ok = r->len <= CLEANPROTO_MAX && cleanproto_parse(req, r->buf, r->len) ;
  r->len = 0 ;
  return ok ;
}
