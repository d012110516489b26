/* smtpreply.c: SMTP reply lines and EHLO keywords (smtpreply.h). */
#include <string.h>
#include <strings.h>
#include <skalibs/types.h>
#include "smtpreply.h"

void smtpreply_start(struct smtpreply *r)
{
  r->code = 0 ;
  r->lines = 0 ;
  r->text.len = 0 ;
}

static int keep(struct smtpreply *r, char const *s, size_t len)
{
  size_t room = SMTPREPLY_TEXTMAX - r->text.len, start = r->text.len ;
  if (!room) return 1 ;
  if (len >= room) len = room - 1 ;
  if (!stralloc_catb(&r->text, s, len) || !stralloc_catb(&r->text, "\n", 1)) return 0 ;
  for (size_t i = start ; i < r->text.len - 1 ; i++) if (!r->text.s[i]) r->text.s[i] = '?' ;
  return 1 ;
}

enum smtpreply_status smtpreply_line(struct smtpreply *r, char const *s, size_t len)
{
  unsigned int code ;
  if (len < 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
    return SMTPREPLY_BAD ;
  if (len > 3 && s[3] != ' ' && s[3] != '-') return SMTPREPLY_BAD ;
  code = (unsigned int)(s[0] - '0') * 100 + (unsigned int)(s[1] - '0') * 10 + (unsigned int)(s[2] - '0') ;
  if (r->lines && code != r->code) return SMTPREPLY_BAD ;
  if (++r->lines > SMTPREPLY_LINES) return SMTPREPLY_BAD ;
  r->code = code ;
  if (!keep(r, s, len)) return SMTPREPLY_NOMEM ;
  return len > 3 && s[3] == '-' ? SMTPREPLY_MORE : SMTPREPLY_DONE ;
}

/* word of len bytes at s equals kw, without regard to case */
static int is(char const *s, size_t len, char const *kw)
{
  size_t n = strlen(kw) ;
  return len == n && !strncasecmp(s, kw, n) ;
}

static void keyword(struct smtpext *e, char const *s, size_t len)
{
  size_t w = 0 ;
  while (w < len && s[w] != ' ' && s[w] != '=') w++ ;
  if (is(s, w, "PIPELINING")) e->pipelining = 1 ;
  else if (is(s, w, "8BITMIME")) e->eightbitmime = 1 ;
  else if (is(s, w, "STARTTLS")) e->starttls = 1 ;
  else if (is(s, w, "SIZE"))
  {
    char num[21] ;
    size_t a = w, n ;
    unsigned long u ;
    e->size = 1 ;
    e->sizemax = 0 ;
    while (a < len && s[a] == ' ') a++ ;
    n = len - a ;
    if (!n || n >= sizeof num) return ;
    memcpy(num, s + a, n) ;
    num[n] = 0 ;
    if (ulong_scan(num, &u) == n) e->sizemax = u ;
  }
}

void smtpreply_ehlo(struct smtpext *e, char const *text, size_t len)
{
  size_t pos = 0 ;
  int first = 1 ;
  memset(e, 0, sizeof *e) ;
  while (pos < len)
  {
    char const *nl = memchr(text + pos, '\n', len - pos) ;
    size_t end = nl ? (size_t)(nl - text) : len ;
    if (!first && end - pos > 4) keyword(e, text + pos + 4, end - pos - 4) ;
    first = 0 ;
    pos = end + 1 ;
  }
}
