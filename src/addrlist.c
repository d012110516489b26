/* addrlist.c: address lists of header fields, and qualification of bare
 * names. The field is cut into tokens first (atoms, quoted strings,
 * literals, specials; comments and white space are skipped but stay in the
 * text), so that a display name can be told from an address by looking
 * ahead for "<". The rewritten field keeps every byte of the original
 * except the addresses themselves, so folding, comments and display names
 * come through as the sender wrote them. */
#include <string.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "addrlist.h"
#include "envelope.h"

enum { T_ATOM, T_QUOTE, T_LITERAL, T_SPECIAL } ;

struct token {
  unsigned char type ;
  char c ;             /* T_SPECIAL: which one */
  size_t start ;       /* bytes [start, end) of the field, quotes included */
  size_t end ;
} ;

static int isspace_(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' ;
}

static int isspecial(char c)
{
  return c && strchr("<>@,;:.", c) ;
}

/* Ends an atom. ")" and "]" out of place are taken as atom bytes. */
static int isdelim(char c)
{
  return isspace_(c) || isspecial(c) || c == '(' || c == '"' || c == '[' ;
}

static enum addrlist_status tokenize(char const *s, size_t len, genalloc *toks)
{
  size_t i = 0 ;
  toks->len = 0 ;
  while (i < len)
  {
    struct token t ;
    char c = s[i] ;
    if (isspace_(c)) { i++ ; continue ; }
    if (c == '(')
    {
      size_t depth = 0 ;
      for (; i < len ; i++)
      {
        if (s[i] == '\\') { i++ ; continue ; }
        if (s[i] == '(') depth++ ;
        else if (s[i] == ')' && !--depth) break ;
      }
      if (i >= len) return ADDRLIST_ESYNTAX ;
      i++ ;
      continue ;
    }
    t.start = i ; t.c = 0 ;
    if (c == '"' || c == '[')
    {
      char close = c == '"' ? '"' : ']' ;
      for (i++ ; i < len && s[i] != close ; i++)
        if (s[i] == '\\') i++ ;
      if (i >= len) return ADDRLIST_ESYNTAX ;
      t.type = c == '"' ? T_QUOTE : T_LITERAL ;
      t.end = ++i ;
    }
    else if (isspecial(c)) { t.type = T_SPECIAL ; t.c = c ; t.end = ++i ; }
    else
    {
      while (i < len && !isdelim(s[i])) i++ ;
      t.type = T_ATOM ; t.end = i ;
    }
    if (!genalloc_append(struct token, toks, &t)) return ADDRLIST_ENOMEM ;
  }
  return ADDRLIST_OK ;
}

static int isspecialtok(struct token const *t, char c)
{
  return t->type == T_SPECIAL && t->c == c ;
}

/* The bytes a token stands for in an address: a quoted string without its
 * quotes, backslashes and folding; anything else as written. */
static int cattoken(stralloc *sa, char const *s, struct token const *t)
{
  if (t->type != T_QUOTE) return stralloc_catb(sa, s + t->start, t->end - t->start) ;
  for (size_t i = t->start + 1 ; i + 1 < t->end ; i++)
  {
    if (s[i] == '\r' || s[i] == '\n') continue ;
    if (s[i] == '\\' && i + 2 < t->end) i++ ;
    if (!stralloc_catb(sa, s + i, 1)) return 0 ;
  }
  return 1 ;
}

static enum addrlist_status check(char const *a, size_t len)
{
  if (len > ENVELOPE_ADDR_MAX) return ADDRLIST_ETOOLONG ;
  for (size_t i = 0 ; i < len ; i++)
    if ((unsigned char)a[i] < 32 || a[i] == 127) return ADDRLIST_EBAD ;
  return ADDRLIST_OK ;
}

/* sa holds, from start, an address in envelope form; at is the offset of
 * its last @ or 0 when it has none. Applies qmail-inject's three rules. */
static int qualify(stralloc *sa, size_t start, size_t at, struct addrlist_qualify const *q)
{
  size_t dom ;
  if (!q || sa->len == start) return 1 ;
  if (!at || at + 1 == sa->len)
  {
    if (!at && !stralloc_catb(sa, "@", 1)) return 0 ;
    at = sa->len - 1 ;
    if (!stralloc_cats(sa, q->defaulthost)) return 0 ;
  }
  dom = at + 1 ;
  if (dom < sa->len && sa->s[dom] == '[') return 1 ;
  if (dom < sa->len && sa->s[sa->len - 1] == '+')
  {
    sa->len-- ;
    return stralloc_catb(sa, ".", 1) && stralloc_cats(sa, q->plusdomain) ;
  }
  if (!memchr(sa->s + dom, '.', sa->len - dom))
    return stralloc_catb(sa, ".", 1) && stralloc_cats(sa, q->defaultdomain) ;
  return 1 ;
}

/* Envelope form of the address made of tokens [a, b) into one. */
static enum addrlist_status build(char const *s, struct token const *t, size_t a, size_t b,
                                  struct addrlist_qualify const *q, stralloc *one)
{
  size_t at = b, atoff = 0 ;
  one->len = 0 ;
  /* qmail drops one stray leading "." and then one "@" */
  if (a < b && isspecialtok(&t[a], '.')) a++ ;
  if (a < b && isspecialtok(&t[a], '@')) a++ ;
  for (size_t k = a ; k < b ; k++)
  {
    if (t[k].type == T_SPECIAL && t[k].c != '.' && t[k].c != '@') return ADDRLIST_ESYNTAX ;
    if (isspecialtok(&t[k], '@')) at = k ;
  }
  for (size_t k = a ; k < b ; k++)
  {
    if (k == at) atoff = one->len ;
    if (!cattoken(one, s, &t[k])) return ADDRLIST_ENOMEM ;
  }
  if (!qualify(one, 0, at < b ? atoff : 0, q)) return ADDRLIST_ENOMEM ;
  return check(one->s, one->len) ;
}

struct parse {
  char const *s ;
  struct token const *t ;
  struct addrlist_qualify const *q ;
  stralloc *out ;
  stralloc *addrs ;
  size_t *n ;
  size_t copied ;      /* bytes of s already in out */
  stralloc one ;
} ;

/* One address, tokens [a, b): recorded, and written in place of the text
 * of tokens [from, b) (from < a: a source route, dropped). */
static enum addrlist_status emit(struct parse *p, size_t from, size_t a, size_t b, int comma)
{
  enum addrlist_status r = build(p->s, p->t, a, b, p->q, &p->one) ;
  if (r) return r ;
  if (!stralloc_catb(p->addrs, p->one.s, p->one.len) || !stralloc_0(p->addrs)) return ADDRLIST_ENOMEM ;
  (*p->n)++ ;
  if (!p->out) return ADDRLIST_OK ;
  if (comma && !stralloc_catb(p->out, ",", 1)) return ADDRLIST_ENOMEM ;
  if (a == b || !p->one.len) return ADDRLIST_OK ;   /* <> stays as written */
  if (!stralloc_catb(p->out, p->s + p->copied, p->t[from].start - p->copied)
   || !addrlist_quote(p->out, p->one.s, p->one.len)) return ADDRLIST_ENOMEM ;
  p->copied = p->t[b - 1].end ;
  return ADDRLIST_OK ;
}

/* A mailbox without <>: words joined by "." and "@"; a word right after a
 * word starts another address (qmail's "djb fred -> djb, fred"). */
static enum addrlist_status plain(struct parse *p, size_t i, size_t j)
{
  int first = 1 ;
  while (i < j)
  {
    size_t a = i ;
    int prevword = 0 ;
    enum addrlist_status r ;
    for (; i < j ; i++)
    {
      int word = p->t[i].type != T_SPECIAL ;
      if (word && prevword) break ;
      prevword = word ;
    }
    r = emit(p, a, a, i, !first) ;
    if (r) return r ;
    first = 0 ;
  }
  return ADDRLIST_OK ;
}

static enum addrlist_status parse(struct parse *p, size_t nt)
{
  struct token const *t = p->t ;
  size_t i = 0 ;
  while (i < nt)
  {
    size_t j, lt = nt, gt = nt ;
    enum addrlist_status r ;
    for (j = i ; j < nt ; j++)
    {
      if (t[j].type != T_SPECIAL) continue ;
      if (t[j].c == '<')
      {
        if (lt < nt) return ADDRLIST_ESYNTAX ;
        lt = j ;
        while (++j < nt && !isspecialtok(&t[j], '>')) ;
        if (j == nt) return ADDRLIST_ESYNTAX ;
        gt = j ;
        continue ;
      }
      if (t[j].c == '>') return ADDRLIST_ESYNTAX ;
      if (t[j].c == ',' || t[j].c == ';' || t[j].c == ':') break ;
    }
    if (j < nt && t[j].c == ':') { i = j + 1 ; continue ; }   /* a group's name */
    if (lt < nt)
    {
      size_t a = lt + 1 ;
      for (size_t k = a ; k < gt ; k++)   /* source route: up to the last ':' */
        if (isspecialtok(&t[k], ':')) a = k + 1 ;
      r = emit(p, lt + 1, a, gt, 0) ;
    }
    else r = plain(p, i, j) ;
    if (r) return r ;
    i = j + 1 ;
  }
  return ADDRLIST_OK ;
}

enum addrlist_status addrlist_parse(char const *s, size_t len, struct addrlist_qualify const *q,
                                    stralloc *out, stralloc *addrs, size_t *n)
{
  genalloc toks = GENALLOC_ZERO ;
  struct parse p = { .s = s, .q = q, .out = out, .addrs = addrs, .n = n, .copied = 0, .one = STRALLOC_ZERO } ;
  enum addrlist_status r = tokenize(s, len, &toks) ;
  if (!r)
  {
    p.t = genalloc_s(struct token, &toks) ;
    r = parse(&p, genalloc_len(struct token, &toks)) ;
  }
  if (!r && out && !stralloc_catb(out, s + p.copied, len - p.copied)) r = ADDRLIST_ENOMEM ;
  genalloc_free(struct token, &toks) ;
  stralloc_free(&p.one) ;
  return r ;
}

enum addrlist_status addrlist_envelope(char const *s, size_t len, struct addrlist_qualify const *q, stralloc *addrs)
{
  size_t start = addrs->len, at = 0 ;
  int found = 0 ;
  enum addrlist_status r ;
  if (!stralloc_catb(addrs, s, len)) return ADDRLIST_ENOMEM ;
  for (size_t i = len ; i ; i--)
    if (s[i - 1] == '@') { at = start + i - 1 ; found = 1 ; break ; }
  /* A lone @ in front is qmail's stray @: "@fred" is fred. */
  if (found && at == start)
  {
    memmove(addrs->s + start, addrs->s + start + 1, len - 1) ;
    addrs->len-- ;
    found = 0 ;
  }
  /* qualify() takes 0 for "no @"; found means at > 0 here */
  if (!qualify(addrs, start, found ? at : 0, q)) return ADDRLIST_ENOMEM ;
  r = check(addrs->s + start, addrs->len - start) ;
  if (r) return r ;
  return stralloc_0(addrs) ? ADDRLIST_OK : ADDRLIST_ENOMEM ;
}

static int isatext(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
      || c >= 128 || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ;
}

static int isdotatom(char const *s, size_t len)
{
  if (!len || s[0] == '.' || s[len - 1] == '.') return 0 ;
  for (size_t i = 0 ; i < len ; i++)
  {
    if (s[i] == '.') { if (s[i + 1] == '.') return 0 ; continue ; }
    if (!isatext((unsigned char)s[i])) return 0 ;
  }
  return 1 ;
}

int addrlist_quote(stralloc *out, char const *addr, size_t len)
{
  size_t local = len ;
  for (size_t i = len ; i ; i--)
    if (addr[i - 1] == '@') { local = i - 1 ; break ; }
  if (!len) return 1 ;
  if (isdotatom(addr, local)) return stralloc_catb(out, addr, len) ;
  if (!stralloc_catb(out, "\"", 1)) return 0 ;
  for (size_t i = 0 ; i < local ; i++)
  {
    if ((addr[i] == '"' || addr[i] == '\\') && !stralloc_catb(out, "\\", 1)) return 0 ;
    if (!stralloc_catb(out, addr + i, 1)) return 0 ;
  }
  return stralloc_catb(out, "\"", 1) && stralloc_catb(out, addr + local, len - local) ;
}

char const *addrlist_strerror(enum addrlist_status r)
{
  switch (r)
  {
    case ADDRLIST_OK: return "ok" ;
    case ADDRLIST_ESYNTAX: return "syntax error in address list" ;
    case ADDRLIST_ETOOLONG: return "address too long" ;
    case ADDRLIST_EBAD: return "control character in address" ;
    case ADDRLIST_ENOMEM: return "out of memory" ;
  }
  return "unknown error" ;
}
