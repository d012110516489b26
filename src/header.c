/* header.c: a message's header cut into fields, and its body copied, with
 * every line bounded before it is stored. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <skalibs/buffer.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "header.h"

static char const mboxname[] = "MBOX-Line: " ;

/* Length of the name if s starts a field ("name:" or "name :"), else 0;
 * *valuepos gets the offset past the colon. */
static size_t fieldname(char const *s, size_t len, size_t *valuepos)
{
  size_t i = 0, n ;
  while (i < len && (unsigned char)s[i] > 32 && (unsigned char)s[i] < 127 && s[i] != ':') i++ ;
  n = i ;
  if (!n) return 0 ;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) i++ ;
  if (i >= len || s[i] != ':') return 0 ;
  *valuepos = i + 1 ;
  return n ;
}

static struct header_field *last(struct header *h)
{
  return genalloc_s(struct header_field, &h->fields) + genalloc_len(struct header_field, &h->fields) - 1 ;
}

/* Appends line (without its end) and an LF to the text, within bounds. */
static enum header_status store(struct header *h, char const *prefix, size_t plen, char const *s, size_t n, size_t fieldlen)
{
  size_t add = plen + n + 1 ;
  if (n >= HEADER_FIELD_MAX || add > HEADER_FIELD_MAX - fieldlen || add > HEADER_MAX - h->text.len) return HEADER_ETOOBIG ;
  if (!stralloc_readyplus(&h->text, add)) return HEADER_ENOMEM ;
  stralloc_catb(&h->text, prefix, plen) ;
  stralloc_catb(&h->text, s, n) ;
  stralloc_catb(&h->text, "\n", 1) ;
  return HEADER_MORE ;
}

enum header_status header_line(struct header *h, char const *line, size_t len)
{
  struct header_field f ;
  enum header_status r ;
  size_t n = len, plen = 0 ;
  if (n && line[n - 1] == '\n') n-- ;
  if (n && line[n - 1] == '\r') n-- ;
  if (!n) { h->open = 0 ; return HEADER_END ; }
  if ((line[0] == ' ' || line[0] == '\t') && h->open)
  {
    struct header_field *l = last(h) ;
    r = store(h, "", 0, line, n, l->len) ;
    if (r == HEADER_MORE) last(h)->len += n + 1 ;
    return r ;
  }
  if (n >= 5 && !memcmp(line, "From ", 5))
  {
    plen = sizeof mboxname - 1 ;
    f.namelen = plen - 2 ;
    f.valuepos = plen - 1 ;
  }
  else if (!(f.namelen = fieldname(line, n, &f.valuepos)))
  {
    h->open = 0 ;
    return HEADER_BODY ;
  }
  f.pos = h->text.len ;
  f.len = plen + n + 1 ;
  r = store(h, mboxname, plen, line, n, 0) ;
  if (r != HEADER_MORE) return r ;
  if (!genalloc_append(struct header_field, &h->fields, &f)) { h->text.len = f.pos ; return HEADER_ENOMEM ; }
  h->open = 1 ;
  return HEADER_MORE ;
}

/* One line of at most max bytes into sa: 1 with its LF, 0 at end of input
 * (sa holds the unterminated rest, maybe nothing), -1 on a read error,
 * -2 when the line is longer than max. */
static int getline_max(buffer *b, stralloc *sa, size_t max)
{
  sa->len = 0 ;
  for (;;)
  {
    struct iovec v[2] ;
    char const *nl ;
    size_t take ;
    if (buffer_isempty(b))
    {
      ssize_t r = buffer_fill(b) ;
      if (r < 0) return -1 ;
      if (!r) return 0 ;
    }
    buffer_rpeek(b, v) ;
    nl = memchr(v[0].iov_base, '\n', v[0].iov_len) ;
    take = nl ? (size_t)(nl - (char const *)v[0].iov_base) + 1 : v[0].iov_len ;
    if (take > max - sa->len) return -2 ;
    if (!stralloc_catb(sa, v[0].iov_base, take)) return -1 ;
    buffer_rseek(b, take) ;
    if (nl) return 1 ;
  }
}

enum header_status header_read(struct header *h, buffer *b, stralloc *bodyline)
{
  for (;;)
  {
    enum header_status r ;
    /* +2: the LF and a CR before it */
    int g = getline_max(b, bodyline, HEADER_FIELD_MAX + 2) ;
    if (g == -1) return errno == ENOMEM ? HEADER_ENOMEM : HEADER_EREAD ;
    if (g == -2) return HEADER_ETOOBIG ;
    if (!g && !bodyline->len) return HEADER_EOF ;
    r = header_line(h, bodyline->s, bodyline->len) ;
    if (r == HEADER_BODY)
    {
      size_t n = bodyline->len ;
      if (n && bodyline->s[n - 1] == '\n') n-- ;
      if (n && bodyline->s[n - 1] == '\r') n-- ;
      bodyline->len = n ;
      if (g && !stralloc_catb(bodyline, "\n", 1)) return HEADER_ENOMEM ;
      return r ;
    }
    if (r != HEADER_MORE) return r ;
    if (!g) return HEADER_EOF ;
  }
}

size_t header_nfields(struct header const *h)
{
  return genalloc_len(struct header_field, &h->fields) ;
}

struct header_field const *header_field(struct header const *h, size_t i)
{
  return genalloc_s(struct header_field, &h->fields) + i ;
}

int header_is(struct header const *h, struct header_field const *f, char const *name)
{
  size_t n = strlen(name) ;
  return f->namelen == n && !strncasecmp(h->text.s + f->pos, name, n) ;
}

int header_body(buffer *b, void (*put)(void *, char const *, size_t), void *ctx)
{
  int cr = 0 ;   /* the last chunk ended with a CR */
  for (;;)
  {
    struct iovec v[2] ;
    char const *s ;
    size_t len, start = 0 ;
    if (buffer_isempty(b))
    {
      ssize_t r = buffer_fill(b) ;
      if (r < 0) return 0 ;
      if (!r) break ;
    }
    buffer_rpeek(b, v) ;
    s = v[0].iov_base ; len = v[0].iov_len ;
    if (cr && s[0] != '\n') put(ctx, "\r", 1) ;
    cr = 0 ;
    for (;;)
    {
      char const *p = memchr(s + start, '\r', len - start) ;
      size_t i ;
      if (!p) break ;
      i = (size_t)(p - s) ;
      if (i + 1 == len) { put(ctx, s + start, i - start) ; start = len ; cr = 1 ; break ; }
      if (s[i + 1] == '\n') { put(ctx, s + start, i - start) ; start = i + 1 ; }
      else { put(ctx, s + start, i + 1 - start) ; start = i + 1 ; }
    }
    if (start < len) put(ctx, s + start, len - start) ;
    buffer_rseek(b, len) ;
  }
  if (cr) put(ctx, "\r", 1) ;
  return 1 ;
}

void header_free(struct header *h)
{
  stralloc_free(&h->text) ;
  genalloc_free(struct header_field, &h->fields) ;
  h->open = 0 ;
}
