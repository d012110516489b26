/* rewrite.c: locals, percenthack, virtualdomains and envnoathost applied to
 * envelope recipients (see rewrite.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/bytestr.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "rewrite.h"

struct rewrite_entry {
  char const *key ;
  size_t keylen ;
  char const *val ;   /* NUL-terminated; "" for lists without values */
  size_t order ;      /* the value's rank in the file: later lines win */
} ;

static unsigned char lower(unsigned char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c ;
}

static int entrycmp(void const *a, void const *b)
{
  struct rewrite_entry const *x = a, *y = b ;
  size_t n = x->keylen < y->keylen ? x->keylen : y->keylen ;
  int c = memcmp(x->key, y->key, n) ;
  if (c) return c ;
  if (x->keylen != y->keylen) return x->keylen < y->keylen ? -1 : 1 ;
  return x->order < y->order ? -1 : x->order > y->order ;
}

/* Compares s (n bytes, any case) with a lowercased key. */
static int probecmp(char const *s, size_t n, struct rewrite_entry const *e)
{
  size_t m = n < e->keylen ? n : e->keylen ;
  for (size_t i = 0 ; i < m ; i++)
  {
    unsigned char a = lower((unsigned char)s[i]), b = (unsigned char)e->key[i] ;
    if (a != b) return a < b ? -1 : 1 ;
  }
  return n == e->keylen ? 0 : n < e->keylen ? -1 : 1 ;
}

/* The value for key s (n bytes, any case), or 0. */
static char const *tablefind(struct rewrite_table const *t, char const *s, size_t n)
{
  struct rewrite_entry const *v = genalloc_s(struct rewrite_entry, &t->index) ;
  size_t lo = 0, hi = genalloc_len(struct rewrite_entry, &t->index) ;
  while (lo < hi)
  {
    size_t mid = lo + (hi - lo) / 2 ;
    int c = probecmp(s, n, v + mid) ;
    if (!c) return v[mid].val ;
    if (c < 0) hi = mid ; else lo = mid + 1 ;
  }
  return 0 ;
}

static void tablefree(struct rewrite_table *t)
{
  stralloc_free(&t->data) ;
  genalloc_free(struct rewrite_entry, &t->index) ;
}

static int readerror(char const *fn)
{
  char const *e = strerror(errno) ;
  control_error.len = 0 ;
  if (stralloc_cats(&control_error, fn) && stralloc_cats(&control_error, ": unable to read: ")
   && stralloc_cats(&control_error, e) && stralloc_0(&control_error))
    control_error.len-- ;
  return -1 ;
}

/* Loads fn into t (or, with def, the one key def): keys lowercased,
 * "key:value" lines split at the first ':' when colon. 1; 0 when fn does
 * not exist (t empty); -1 with control_error set. */
static int loadtable(struct rewrite_table *t, char const *fn, int colon, stralloc const *def)
{
  genalloc lines = GENALLOC_ZERO ;
  struct rewrite_entry *v ;
  size_t n = 0, i = 0, k, kept ;
  int r = 0 ;
  if (def)
  {
    t->data.len = 0 ;
    if (!stralloc_copy(&t->data, def) || !stralloc_0(&t->data)) goto nomem ;
  }
  else
  {
    r = control_readlist(&t->data, &lines, fn) ;
    if (r < 0) { genalloc_free(unsigned int, &lines) ; return readerror(fn) ; }
  }
  for (k = 0 ; k < t->data.len ; k += strlen(t->data.s + k) + 1) n++ ;
  if (!genalloc_ready(struct rewrite_entry, &t->index, n)) goto nomem ;
  v = genalloc_s(struct rewrite_entry, &t->index) ;
  for (k = 0 ; k < t->data.len ; i++)
  {
    char *s = t->data.s + k ;
    size_t len = strlen(s), c = colon ? byte_chr(s, len, ':') : len ;
    k += len + 1 ;   /* before the ':' becomes a NUL */
    if (colon && c == len)
    {
      control_seterror(fn, r ? genalloc_s(unsigned int, &lines)[i] : 0, "line without ':'") ;
      genalloc_free(unsigned int, &lines) ;
      return -1 ;
    }
    s[c] = 0 ;
    case_lowerb(s, c) ;
    v[i].key = s ; v[i].keylen = c ; v[i].val = c < len ? s + c + 1 : s + c ; v[i].order = i ;
  }
  genalloc_free(unsigned int, &lines) ;
  qsort(v, n, sizeof *v, &entrycmp) ;
  /* of equal keys, keep the last line's */
  for (i = 0, kept = 0 ; i < n ; i++)
  {
    if (i + 1 < n && v[i].keylen == v[i + 1].keylen && !memcmp(v[i].key, v[i + 1].key, v[i].keylen)) continue ;
    v[kept++] = v[i] ;
  }
  genalloc_setlen(struct rewrite_entry, &t->index, kept) ;
  return def ? 1 : r ;
 nomem:
  genalloc_free(unsigned int, &lines) ;
  control_seterror(fn, 0, "out of memory") ;
  return -1 ;
}

/* control/me, needed as a default: 1, or -1 with control_error set. */
static int needme(stralloc *me, int *have, char const *forwhat)
{
  int r ;
  if (*have) return 1 ;
  r = control_readline(me, "control/me") ;
  if (r < 0) return readerror("control/me") ;
  if (!r || !me->len)
  {
    control_error.len = 0 ;
    if (stralloc_cats(&control_error, "control/me: missing, and needed as the default of ")
     && stralloc_cats(&control_error, forwhat) && stralloc_0(&control_error))
      control_error.len-- ;
    return -1 ;
  }
  *have = 1 ;
  return 1 ;
}

int rewrite_load(struct rewrite *rw)
{
  struct rewrite n = REWRITE_ZERO ;
  stralloc me = STRALLOC_ZERO ;
  int haveme = 0, r ;

  r = control_readline(&n.envnoathost, "control/envnoathost") ;
  if (r < 0) { readerror("control/envnoathost") ; goto fail ; }
  if (!r || !n.envnoathost.len)
  {
    if (needme(&me, &haveme, "control/envnoathost") < 0) goto fail ;
    if (!stralloc_copy(&n.envnoathost, &me)) { control_seterror("control/envnoathost", 0, "out of memory") ; goto fail ; }
  }
  r = loadtable(&n.locals, "control/locals", 0, 0) ;
  if (r < 0) goto fail ;
  if (!r && (needme(&me, &haveme, "control/locals") < 0 || loadtable(&n.locals, "control/locals", 0, &me) < 0)) goto fail ;
  if (loadtable(&n.percenthack, "control/percenthack", 0, 0) < 0
   || loadtable(&n.vdoms, "control/virtualdomains", 1, 0) < 0) goto fail ;
  stralloc_free(&me) ;
  rewrite_free(rw) ;
  *rw = n ;
  return 1 ;
 fail:
  stralloc_free(&me) ;
  rewrite_free(&n) ;
  return -1 ;
}

/* The virtualdomains value for a (n bytes, its last '@' at at), in
 * qmail-send's order: user@domain, domain, .suffixes longest first, "". */
static char const *vlookup(struct rewrite const *rw, char const *a, size_t n, size_t at)
{
  for (size_t i = 0 ; i <= n ; i++)
    if (!i || i == at + 1 || i == n || (i > at && a[i] == '.'))
    {
      char const *x = tablefind(&rw->vdoms, a + i, n - i) ;
      if (x) return x ;
    }
  return 0 ;
}

int rewrite_addr(struct rewrite const *rw, char const *addr, size_t len, stralloc *out)
{
  size_t base = out->len, n, at ;
  char const *x ;
  char *a ;
  if (len > REWRITE_ADDRMAX) { errno = ENAMETOOLONG ; return -1 ; }
  if (!stralloc_catb(out, addr, len)) return -1 ;
  at = byte_rchr(out->s + base, len, '@') ;
  if (at == len && (!stralloc_catb(out, "@", 1) || !stralloc_cat(out, &rw->envnoathost))) goto nomem ;
  a = out->s + base ;
  n = out->len - base ;
  case_lowerb(a + at + 1, n - at - 1) ;

  while (tablefind(&rw->percenthack, a + at + 1, n - at - 1))
  {
    size_t j = byte_rchr(a, at, '%') ;
    if (j == at) break ;
    n = at ;
    at = j ;
    a[at] = '@' ;
    case_lowerb(a + at + 1, n - at - 1) ;
  }
  out->len = base + n ;

  if (tablefind(&rw->locals, a + at + 1, n - at - 1)) return REWRITE_LOCAL ;
  x = vlookup(rw, a, n, at) ;
  if (!x || !*x) return REWRITE_REMOTE ;
  if (!stralloc_insertb(out, base, "-", 1) || !stralloc_insertb(out, base, x, strlen(x))) goto nomem ;
  return REWRITE_LOCAL ;
 nomem:
  out->len = base ;
  errno = ENOMEM ;
  return -1 ;
}

size_t rewrite_unvirtual(struct rewrite const *rw, char const *addr, size_t len)
{
  size_t at = byte_rchr(addr, len, '@') ;
  if (at == len || tablefind(&rw->locals, addr + at + 1, len - at - 1)) return 0 ;
  for (size_t d = 0 ; d < at ; d++)
  {
    char const *x ;
    if (addr[d] != '-') continue ;
    x = vlookup(rw, addr + d + 1, len - d - 1, at - d - 1) ;
    if (x && strlen(x) == d && !memcmp(x, addr, d)) return d + 1 ;
  }
  return 0 ;
}

void rewrite_free(struct rewrite *rw)
{
  stralloc_free(&rw->envnoathost) ;
  tablefree(&rw->locals) ;
  tablefree(&rw->percenthack) ;
  tablefree(&rw->vdoms) ;
}
