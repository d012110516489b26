/* bounce.c: bounce records in qmail-send's format, and the RFC 3464
 * delivery status notification built from them (see bounce.h). */
#include <errno.h>
#include <string.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include <skalibs/fmtscan.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "bounce.h"
#include "date822.h"

#define LINEMAX 998   /* RFC 5322: octets of a line, without its end */
#define FOLDAT 78     /* where a folded field prefers to break */
#define QPLINE 76     /* RFC 2045: octets of a quoted-printable line */

/* ---------------------------------------------------------------- records */

int bounce_addrecord(stralloc *sa, char const *rcpt, char const *text)
{
  size_t base = sa->len, tlen = strlen(text), i ;
  if (!stralloc_catb(sa, "<", 1)) return 0 ;
  for (char const *r = rcpt ; *r ; r++)
    if (!stralloc_catb(sa, *r == '\n' ? "_" : r, 1)) goto nomem ;
  if (!stralloc_catb(sa, ">:\n", 3) || !stralloc_catb(sa, text, tlen)) goto nomem ;
  if (tlen && text[tlen - 1] != '\n' && !stralloc_catb(sa, "\n", 1)) goto nomem ;
  /* qmail marks an empty line with "/" so that only the record's end is
   * empty. It walks backwards from the next-to-last byte, so in a run of
   * empty lines every one becomes "/", and one empty line at the very end
   * of the text stays empty: the same bytes, quirks included. */
  for (i = sa->len - 2 ; i > base ; i--)
    if (sa->s[i] == '\n' && sa->s[i - 1] == '\n') sa->s[i] = '/' ;
  if (!stralloc_catb(sa, "\n", 1)) goto nomem ;
  return 1 ;
 nomem:
  sa->len = base ;
  return 0 ;
}

/* End of the line that starts at i: the index of its LF, or len. */
static size_t lineend(char const *s, size_t len, size_t i)
{
  char const *p = i < len ? memchr(s + i, '\n', len - i) : 0 ;
  return p ? (size_t)(p - s) : len ;
}

/* Index of the first t (tn bytes) in s (n bytes), or n. */
static size_t find(char const *s, size_t n, char const *t, size_t tn)
{
  char const *p = memmem(s, n, t, tn) ;
  return p ? (size_t)(p - s) : n ;
}

static size_t nextline(char const *s, size_t len, size_t i)
{
  size_t e = lineend(s, len, i) ;
  return e < len ? e + 1 : len ;
}

int bounce_nextrecord(char const *s, size_t len, size_t *pos, struct bounce_record *r)
{
  size_t p = *pos, he, b, q ;
  while (p < len && s[p] == '\n') p++ ;
  if (p >= len) { *pos = len ; return 0 ; }
  he = lineend(s, len, p) ;
  b = he < len ? he + 1 : len ;
  for (q = b ; q < len && s[q] != '\n' ; q = nextline(s, len, q)) ;
  *pos = q < len ? q + 1 : len ;
  if (he - p < 3 || s[p] != '<' || s[he - 2] != '>' || s[he - 1] != ':') { errno = EPROTO ; return -1 ; }
  r->rcpt = s + p + 1 ; r->rcptlen = he - p - 3 ;
  r->text = s + b ; r->textlen = q - b ;
  return 1 ;
}

/* ------------------------------------------------------ reading a failure */

static int isdigit_(char c) { return c >= '0' && c <= '9' ; }

/* Scans "c.s.d" (class one digit, subject and detail 1 to 3 digits) at s;
 * returns its length, 0 if there is none. */
static size_t scancode(char const *s, size_t n)
{
  size_t i = 0, k ;
  if (n < 5 || !isdigit_(s[0]) || s[1] != '.') return 0 ;
  i = 2 ;
  for (k = 0 ; k < 3 && i < n && isdigit_(s[i]) ; k++) i++ ;
  if (!k || i >= n || s[i] != '.') return 0 ;
  i++ ;
  for (k = 0 ; k < 3 && i < n && isdigit_(s[i]) ; k++) i++ ;
  if (!k || (i < n && isdigit_(s[i]))) return 0 ;
  return i ;
}

/* The remote SMTP reply in a failure text: qmail-remote writes it after
 * "Remote host said: ", and a multiline reply goes on with lines that
 * start with the 3-digit code. Sets [*b, *e) and returns 1, or 0. */
static int smtpreply(char const *t, size_t n, size_t *b, size_t *e)
{
  static char const said[] = "Remote host said: " ;
  size_t const sl = sizeof said - 1 ;
  for (size_t i = 0 ; i < n ; i = nextline(t, n, i))
  {
    size_t le = lineend(t, n, i), c = i + sl ;
    if (le - i < sl + 3 || memcmp(t + i, said, sl)) continue ;
    if (!isdigit_(t[c]) || !isdigit_(t[c + 1]) || !isdigit_(t[c + 2])) continue ;
    if (c + 3 < le && t[c + 3] != ' ' && t[c + 3] != '-') continue ;
    *b = c ;
    for (;;)
    {
      size_t nx = le + 1, ne ;
      if (le >= n || nx >= n) break ;
      ne = lineend(t, n, nx) ;
      if (ne - nx < 3 || !isdigit_(t[nx]) || !isdigit_(t[nx + 1]) || !isdigit_(t[nx + 2])) break ;
      if (nx + 3 < ne && t[nx + 3] != ' ' && t[nx + 3] != '-') break ;
      le = ne ;
    }
    *e = le ;
    return 1 ;
  }
  return 0 ;
}

size_t bounce_status(char const *text, size_t len, char *st)
{
  char const *code = 0 ;
  size_t cl = 0, b, e ;
  for (size_t i = 0 ; i + 2 < len ; i++)
  {
    size_t k ;
    if (text[i] != '(' || text[i + 1] != '#') continue ;
    k = scancode(text + i + 2, len - i - 2) ;
    if (k && i + 2 + k < len && text[i + 2 + k] == ')') { code = text + i + 2 ; cl = k ; }
  }
  if (!code && smtpreply(text, len, &b, &e) && e - b > 4)
  {
    size_t k = scancode(text + b + 4, e - b - 4) ;
    if (k && (b + 4 + k == e || text[b + 4 + k] == ' ')) { code = text + b + 4 ; cl = k ; }
  }
  if (!code || (code[0] != '2' && code[0] != '4' && code[0] != '5')) { memcpy(st, "5.0.0", 6) ; return 5 ; }
  memcpy(st, code, cl) ;
  st[0] = '5' ;
  st[cl] = 0 ;
  return cl ;
}

/* Remote-MTA from qmail-remote's wording: "Connected to IP but ...",
 * "IP does not like recipient.", "Giving up on IP.". The token must be an
 * IP address. Appends "[IP]" or "[IPv6:IP]" to sa; 1 found, 0 not, -1. */
static int remotemta(stralloc *sa, char const *t, size_t n)
{
  for (size_t i = 0 ; i < n ; i = nextline(t, n, i))
  {
    size_t le = lineend(t, n, i), ll = le - i, a = 0, z = 0 ;
    char tok[64], ip[16] ;
    char const *l = t + i ;
    if (ll > 13 && !memcmp(l, "Connected to ", 13))
    {
      a = 13 ; z = byte_chr(l + a, ll - a, ' ') + a ;
      if (z >= ll || ll - z < 4 || memcmp(l + z, " but", 4)) continue ;
    }
    else if (ll > 13 && !memcmp(l, "Giving up on ", 13))
    {
      a = 13 ; z = ll ;
      if (l[z - 1] == '.') z-- ;
    }
    else
    {
      static char const dnl[] = " does not like recipient." ;
      z = byte_chr(l, ll, ' ') ;
      if (z >= ll || ll - z != sizeof dnl - 1 || memcmp(l + z, dnl, sizeof dnl - 1)) continue ;
    }
    if (z <= a || z - a >= sizeof tok) continue ;
    memcpy(tok, l + a, z - a) ; tok[z - a] = 0 ;
    if (ip4_scan(tok, ip) == z - a)
      return stralloc_catb(sa, "[", 1) && stralloc_cats(sa, tok) && stralloc_catb(sa, "]", 1) ? 1 : -1 ;
    if (ip6_scan(tok, ip) == z - a)
      return stralloc_cats(sa, "[IPv6:") && stralloc_cats(sa, tok) && stralloc_catb(sa, "]", 1) ? 1 : -1 ;
  }
  return 0 ;
}

/* ------------------------------------------------------- writing the parts */

/* Appends s to sa as printable US-ASCII on one line: LF and TAB become
 * spaces, other control and 8-bit bytes '?'; with squeeze, runs of white
 * space become one space and lines that are only "/" (qmail's empty line)
 * are dropped. At most max bytes are added. */
static int catascii(stralloc *sa, char const *s, size_t n, int squeeze, size_t max)
{
  size_t start = sa->len ;
  for (size_t i = 0 ; i < n && sa->len - start < max ; i++)
  {
    char c = s[i] ;
    if (squeeze && c == '/' && (!i || s[i - 1] == '\n') && (i + 1 == n || s[i + 1] == '\n')) continue ;
    if (c == '\n' || c == '\t') c = ' ' ;
    else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) c = '?' ;
    if (squeeze && c == ' ' && (sa->len == start || sa->s[sa->len - 1] == ' ')) continue ;
    if (!stralloc_catb(sa, &c, 1)) return 0 ;
  }
  if (squeeze) while (sa->len > start && sa->s[sa->len - 1] == ' ') sa->len-- ;
  return 1 ;
}

/* Appends "name: value" and LF, folded before a space so that lines stay
 * near FOLDAT octets where the value allows it, and never pass LINEMAX:
 * a value with no space for that long gets a fold of its own, the only
 * case where unfolding does not give back "name: value" exactly. */
static int catfield(stralloc *sa, char const *name, char const *v, size_t n)
{
  stralloc line = STRALLOC_ZERO ;
  size_t s = 0 ;
  int ok = 0 ;
  if (!stralloc_cats(&line, name) || !stralloc_catb(&line, ": ", 2) || !stralloc_catb(&line, v, n)) goto end ;
  while (line.len - s > FOLDAT)
  {
    /* the last space within FOLDAT, else the first one after it; never
     * one that would leave a line of white space only */
    size_t p = 0 ;
    int seen = 0 ;
    for (size_t q = s ; q < line.len && q - s <= LINEMAX ; q++)
    {
      if (line.s[q] != ' ') { seen = 1 ; continue ; }
      if (!seen) continue ;
      if (q - s <= FOLDAT) p = q ;
      else { if (!p) p = q ; break ; }
    }
    if (p)
    {
      if (!stralloc_catb(sa, line.s + s, p - s) || !stralloc_catb(sa, "\n", 1)) goto end ;
      s = p ;
    }
    else if (line.len - s <= LINEMAX) break ;
    else
    {
      if (!stralloc_catb(sa, line.s + s, LINEMAX - 1) || !stralloc_catb(sa, "\n ", 2)) goto end ;
      s += LINEMAX - 1 ;
    }
  }
  ok = stralloc_catb(sa, line.s + s, line.len - s) && stralloc_catb(sa, "\n", 1) ;
 end:
  stralloc_free(&line) ;
  return ok ;
}

/* Quoted-printable (RFC 2045) of s, whose lines end in LF. */
static int catqp(stralloc *sa, char const *s, size_t n)
{
  static char const hex[] = "0123456789ABCDEF" ;
  size_t col = 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    unsigned char c = (unsigned char)s[i] ;
    char e[3] ;
    size_t el = 1 ;
    if (c == '\n') { if (!stralloc_catb(sa, "\n", 1)) return 0 ; col = 0 ; continue ; }
    e[0] = (char)c ;
    if ((c < 0x20 && c != '\t') || c >= 0x7f || c == '='
     || ((c == ' ' || c == '\t') && (i + 1 == n || s[i + 1] == '\n')))
    { e[0] = '=' ; e[1] = hex[c >> 4] ; e[2] = hex[c & 15] ; el = 3 ; }
    if (col + el > QPLINE - 1) { if (!stralloc_catb(sa, "=\n", 2)) return 0 ; col = 0 ; }
    if (!stralloc_catb(sa, e, el)) return 0 ;
    col += el ;
  }
  return 1 ;
}

enum { ENC_8BIT = 1, ENC_LONG = 2 } ;

/* What a text part holds: ENC_8BIT for bytes over 127, ENC_LONG for a
 * line over LINEMAX (then it travels quoted-printable). */
static int encoding(char const *s, size_t n)
{
  size_t col = 0 ;
  int f = 0 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (s[i] == '\n') { col = 0 ; continue ; }
    if (++col > LINEMAX) f |= ENC_LONG ;
    if ((unsigned char)s[i] >= 0x80) f |= ENC_8BIT ;
  }
  return f ;
}

/* Appends a part: its header lines, an empty line, the body in its
 * encoding; body ends in LF. */
static int catpart(stralloc *sa, char const *type, int enc, char const *body, size_t n)
{
  char const *cte = enc & ENC_LONG ? "quoted-printable" : enc & ENC_8BIT ? "8bit" : 0 ;
  if (!catfield(sa, "Content-Type", type, strlen(type))) return 0 ;
  if (cte && !catfield(sa, "Content-Transfer-Encoding", cte, strlen(cte))) return 0 ;
  if (!stralloc_catb(sa, "\n", 1)) return 0 ;
  return enc & ENC_LONG ? catqp(sa, body, n) : stralloc_catb(sa, body, n) ;
}

/* s as an RFC 5322 quoted string. */
static int catquoted(stralloc *sa, char const *s, size_t n)
{
  if (!stralloc_catb(sa, "\"", 1)) return 0 ;
  for (size_t i = 0 ; i < n ; i++)
    if (((s[i] == '"' || s[i] == '\\') && !stralloc_catb(sa, "\\", 1)) || !stralloc_catb(sa, s + i, 1)) return 0 ;
  return stralloc_catb(sa, "\"", 1) ;
}

/* An RFC 5322 local part as it must be written: as it is when it is a
 * dot-atom, else as a quoted string. */
static int catlocal(stralloc *sa, char const *s, size_t n)
{
  static char const special[] = "()<>[]:;@\\,.\" " ;
  int atom = n && s[0] != '.' && s[n - 1] != '.' ;
  for (size_t i = 0 ; atom && i < n ; i++)
  {
    unsigned char c = (unsigned char)s[i] ;
    if (c <= 0x20 || c == 0x7f || (c != '.' && strchr(special, c))) atom = 0 ;
    else if (c == '.' && s[i + 1] == '.') atom = 0 ;
  }
  return atom ? stralloc_catb(sa, s, n) : catquoted(sa, s, n) ;
}

static int cataddr(stralloc *sa, char const *a)
{
  size_t n = strlen(a), at = byte_rchr(a, n, '@') ;
  if (!catlocal(sa, a, at)) return 0 ;
  return at == n || stralloc_catb(sa, a + at, n - at) ;
}

/* 1 if s holds a control character (one that could end a header line). */
static int hasctl(char const *s)
{
  for (; *s ; s++) if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1 ;
  return 0 ;
}

/* ------------------------------------------------------------- composing */

/* The original header: up to and with the LF before the first empty line,
 * at most BOUNCE_HEADMAX bytes cut after a LF, always ending in LF. */
static int readheader(stralloc *sa, int fd)
{
  size_t n = 0, end ;
  if (!stralloc_ready(sa, BOUNCE_HEADMAX + 1)) return 0 ;
  while (n < BOUNCE_HEADMAX)
  {
    ssize_t r = fd_read(fd, sa->s + n, BOUNCE_HEADMAX - n) ;
    if (r < 0) return 0 ;
    if (!r) break ;
    n += (size_t)r ;
    if (find(sa->s, n, "\n\n", 2) < n) break ;
  }
  if (n && sa->s[0] == '\n') end = 0 ;
  else
  {
    end = find(sa->s, n, "\n\n", 2) ;
    if (end < n) end++ ;
    else if (n == BOUNCE_HEADMAX)
    {
      size_t lf = byte_rchr(sa->s, n, '\n') ;
      end = lf < n ? lf + 1 : n ;
    }
    else end = n ;
  }
  sa->len = end ;
  if (end && sa->s[end - 1] != '\n') sa->s[sa->len++] = '\n' ;
  return 1 ;
}

/* message/delivery-status: per-message fields, then a block per record. */
static int dsnpart(stralloc *sa, struct bounce_params const *p, char const *bt, size_t blen, size_t *nrec)
{
  stralloc v = STRALLOC_ZERO ;
  struct bounce_record r ;
  char date[DATE822_MAX] ;
  size_t pos = 0 ;
  int ok = 0, x ;
  *nrec = 0 ;
  if (!stralloc_cats(&v, "dns; ") || !catascii(&v, p->me, strlen(p->me), 0, LINEMAX)
   || !catfield(sa, "Reporting-MTA", v.s, v.len)) goto end ;
  if (!catfield(sa, "Arrival-Date", date, date822_full(date, p->arrival))) goto end ;
  while ((x = bounce_nextrecord(bt, blen, &pos, &r)))
  {
    char st[BOUNCE_STATUSMAX] ;
    size_t b, e ;
    if (x < 0) continue ;   /* a damaged record: the text part still has it */
    (*nrec)++ ;
    if (!stralloc_catb(sa, "\n", 1)) goto end ;
    v.len = 0 ;
    if (!stralloc_cats(&v, "rfc822; ") || !catascii(&v, r.rcpt, r.rcptlen, 0, LINEMAX)
     || !catfield(sa, "Final-Recipient", v.s, v.len)
     || !catfield(sa, "Action", "failed", 6)
     || !catfield(sa, "Status", st, bounce_status(r.text, r.textlen, st))) goto end ;
    v.len = 0 ;
    if (!stralloc_cats(&v, "dns; ")) goto end ;
    x = remotemta(&v, r.text, r.textlen) ;
    if (x < 0 || (x && !catfield(sa, "Remote-MTA", v.s, v.len))) goto end ;
    v.len = 0 ;
    if (smtpreply(r.text, r.textlen, &b, &e))
    {
      if (!stralloc_cats(&v, "smtp; ") || !catascii(&v, r.text + b, e - b, 1, BOUNCE_DIAGMAX)) goto end ;
    }
    else if (!stralloc_cats(&v, "x-cairn; ") || !catascii(&v, r.text, r.textlen, 1, BOUNCE_DIAGMAX)) goto end ;
    if (!catfield(sa, "Diagnostic-Code", v.s, v.len)) goto end ;
  }
  ok = 1 ;
 end:
  stralloc_free(&v) ;
  return ok ;
}

static char const hi[] = "Hi. This is the cairn delivery program at " ;
static char const single[] = ".\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n" ;
static char const dbl[] = ".\n\
I tried to deliver a bounce message to this address, but the bounce bounced!\n\n" ;

/* A boundary found in none of the parts. "=_" cannot occur in
 * quoted-printable text, so only raw parts can collide, and a collision
 * only moves the counter on. */
static size_t boundary(char *b, struct bounce_params const *p, stralloc const *parts, unsigned int nparts)
{
  for (unsigned long k = 0 ; ; k++)
  {
    size_t n = 0 ;
    unsigned int i ;
    memcpy(b, "=_cairn_", 8) ; n = 8 ;
    n += ulong_fmt(b + n, p->id) ; b[n++] = '_' ;
    n += ulong_fmt(b + n, (unsigned long)p->now) ; b[n++] = '_' ;
    n += ulong_fmt(b + n, k) ;
    for (i = 0 ; i < nparts ; i++)
      if (find(parts[i].s, parts[i].len, b, n) < parts[i].len) break ;
    if (i == nparts) return n ;
  }
}

int bounce_compose(stralloc *msg, struct bounce_params const *p, char const *btext, size_t len, int fdmess)
{
  stralloc part[3] = { STRALLOC_ZERO, STRALLOC_ZERO, STRALLOC_ZERO } ;
  stralloc body[3] = { STRALLOC_ZERO, STRALLOC_ZERO, STRALLOC_ZERO } ;
  char date[DATE822_MAX] ;
  char bnd[8 + 3 * ULONG_FMT + 3] ;
  size_t base = msg->len, bl, nrec ;
  int enc[3], eight = 0, e = ENOMEM ;

  if (!p->me || !p->bouncefrom || !p->bouncehost || !p->to || !p->to[0]
   || hasctl(p->me) || hasctl(p->bouncefrom) || hasctl(p->bouncehost) || hasctl(p->to)) { errno = EINVAL ; return 0 ; }

  /* 2: the report, first, to know whether there is anyone to report */
  if (!dsnpart(&body[1], p, btext, len, &nrec)) goto fail ;
  if (!nrec) { e = ENOMSG ; goto fail ; }
  /* 1: qmail's text and the bounce file as it is */
  if (!stralloc_cats(&body[0], hi) || !stralloc_cats(&body[0], p->me)
   || !stralloc_cats(&body[0], p->doublebounce ? dbl : single)
   || !stralloc_catb(&body[0], btext, len)) goto fail ;
  if (len && btext[len - 1] != '\n' && !stralloc_catb(&body[0], "\n", 1)) goto fail ;
  /* 3: the original header */
  if (!readheader(&body[2], fdmess)) { e = errno ; goto fail ; }

  enc[0] = encoding(body[0].s, body[0].len) ;
  enc[1] = 0 ;
  enc[2] = encoding(body[2].s, body[2].len) ;
  eight = enc[0] == ENC_8BIT || enc[2] == ENC_8BIT ;
  if (!catpart(&part[0], enc[0] & ENC_8BIT ? "text/plain; charset=utf-8" : "text/plain; charset=us-ascii", enc[0], body[0].s, body[0].len)
   || !catpart(&part[1], "message/delivery-status", 0, body[1].s, body[1].len)
   || !catpart(&part[2], "text/rfc822-headers", enc[2], body[2].s, body[2].len)) goto fail ;
  bl = boundary(bnd, p, part, 3) ;

  {
    stralloc *m = msg ;
    stralloc v = STRALLOC_ZERO, name = STRALLOC_ZERO ;
    char num[ULONG_FMT] ;
    int ok =
         catascii(&name, p->bouncefrom, strlen(p->bouncefrom), 0, LINEMAX)
      && catquoted(&v, name.s, name.len)
      && stralloc_cats(&v, " <")
      && catlocal(&v, p->bouncefrom, strlen(p->bouncefrom))
      && stralloc_catb(&v, "@", 1) && stralloc_cats(&v, p->bouncehost) && stralloc_catb(&v, ">", 1)
      && catfield(m, "Date", date, date822_full(date, p->now))
      && catfield(m, "From", v.s, v.len)
      && ((v.len = 0), cataddr(&v, p->to))
      && catfield(m, "To", v.s, v.len)
      && catfield(m, "Subject", "failure notice", 14)
      && ((v.len = 0), stralloc_catb(&v, "<", 1))
      && stralloc_catb(&v, num, ulong_fmt(num, (unsigned long)p->now)) && stralloc_catb(&v, ".", 1)
      && stralloc_catb(&v, num, ulong_fmt(num, p->id))
      && stralloc_cats(&v, ".bounce@") && stralloc_cats(&v, p->bouncehost) && stralloc_catb(&v, ">", 1)
      && catfield(m, "Message-ID", v.s, v.len)
      && catfield(m, "MIME-Version", "1.0", 3)
      && ((v.len = 0), stralloc_cats(&v, "multipart/report; report-type=delivery-status; boundary=\""))
      && stralloc_catb(&v, bnd, bl) && stralloc_catb(&v, "\"", 1)
      && catfield(m, "Content-Type", v.s, v.len)
      && (!eight || catfield(m, "Content-Transfer-Encoding", "8bit", 4))
      && catfield(m, "Auto-Submitted", "auto-replied", 12)
      && stralloc_cats(m, "\nThis is a MIME-formatted delivery status notification.\n") ;
    stralloc_free(&v) ;
    stralloc_free(&name) ;
    if (!ok) goto fail ;
    /* Each part's body ends in LF; the LF before a delimiter belongs to
     * the delimiter, hence the empty line. */
    for (unsigned int i = 0 ; i < 3 ; i++)
      if (!stralloc_cats(m, "\n--") || !stralloc_catb(m, bnd, bl) || !stralloc_catb(m, "\n", 1)
       || !stralloc_cat(m, &part[i])) goto fail ;
    if (!stralloc_cats(m, "\n--") || !stralloc_catb(m, bnd, bl) || !stralloc_cats(m, "--\n")) goto fail ;
  }
  for (unsigned int i = 0 ; i < 3 ; i++) { stralloc_free(&part[i]) ; stralloc_free(&body[i]) ; }
  return 1 ;

 fail:
  for (unsigned int i = 0 ; i < 3 ; i++) { stralloc_free(&part[i]) ; stralloc_free(&body[i]) ; }
  msg->len = base ;
  errno = e ;
  return 0 ;
}
