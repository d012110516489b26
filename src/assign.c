/* assign.c: users/assign lines, and their records in users/cdb. */
#include <stdint.h>
#include <string.h>
#include <skalibs/bytestr.h>
#include <skalibs/diuint32.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "assign.h"

/* A decimal id that fits in 32 bits and is not (uid_t)-1, which the
 * system calls read as "no change" rather than as a user. */
static int scanid(char const *s, size_t len, uint32_t *id)
{
  if (!len || len > 10) return 0 ;
  for (size_t i = 0 ; i < len ; i++) if (s[i] < '0' || s[i] > '9') return 0 ;
  return uint32_scan(s, id) == len && *id != UINT32_MAX ;
}

/* Cuts s into n fields, each ended by sep. Returns the length of what
 * follows the n-th separator, or SIZE_MAX when there are fewer. */
static size_t cut(char const *s, size_t len, char sep, char const **f, size_t *fl, unsigned int n)
{
  size_t start = 0 ;
  unsigned int k = 0 ;
  for (size_t i = 0 ; i < len && k < n ; i++)
    if (s[i] == sep) { f[k] = s + start ; fl[k] = i - start ; k++ ; start = i + 1 ; }
  return k < n ? SIZE_MAX : len - start ;
}

/* The six fields after the local part, in a line or a record. */
static int fields(struct assign *a, char const *const *f, size_t const *fl, char const **why)
{
  uint32_t id ;
  if (!fl[0]) { *why = "empty user name" ; return 0 ; }
  a->user = f[0] ; a->userlen = fl[0] ;
  if (!scanid(f[1], fl[1], &id)) { *why = "uid is not a number below 4294967295" ; return 0 ; }
  a->uid = (uid_t)id ;
  if (!scanid(f[2], fl[2], &id)) { *why = "gid is not a number below 4294967295" ; return 0 ; }
  a->gid = (gid_t)id ;
  if (!fl[3]) { *why = "empty home directory" ; return 0 ; }
  a->home = f[3] ; a->homelen = fl[3] ;
  if (fl[4] > 1 || (fl[4] && f[4][0] != '-')) { *why = "dash is neither empty nor -" ; return 0 ; }
  a->dash = f[4] ; a->dashlen = fl[4] ;
  a->ext = f[5] ; a->extlen = fl[5] ;
  return 1 ;
}

int assign_parse(struct assign *a, char const *s, size_t len, char const **why)
{
  char const *f[7] ;
  size_t fl[7], rest ;
  if (!len) { *why = "empty line" ; return 0 ; }
  if (len > ASSIGN_LINEMAX) { *why = "line longer than 8192 bytes" ; return 0 ; }
  if (memchr(s, 0, len)) { *why = "line contains a NUL byte" ; return 0 ; }
  if (s[0] != '=' && s[0] != '+') { *why = "line starts with neither = nor +" ; return 0 ; }
  rest = cut(s + 1, len - 1, ':', f, fl, 7) ;
  if (rest == SIZE_MAX) { *why = "fewer than seven fields each ended by a colon" ; return 0 ; }
  if (rest) { *why = "text after the colon that ends the seventh field" ; return 0 ; }
  if (fl[0] > ASSIGN_LOCALMAX) { *why = "address longer than 1000 bytes" ; return 0 ; }
  a->kind = s[0] ;
  a->local = f[0] ; a->locallen = fl[0] ;
  return fields(a, f + 1, fl + 1, why) ;
}

int assign_unpack(struct assign *a, char const *s, size_t len)
{
  char const *f[6] ;
  size_t fl[6] ;
  char const *why ;
  /* the last field has no NUL after it: cut it off by hand */
  size_t rest = cut(s, len, 0, f, fl, 5) ;
  if (rest == SIZE_MAX || memchr(s + len - rest, 0, rest)) return 0 ;
  f[5] = s + len - rest ; fl[5] = rest ;
  return fields(a, f, fl, &why) ;
}

static int record(cdbmaker *c, stralloc *key, stralloc *data, struct assign const *a)
{
  char num[UINT32_FMT] ;
  key->len = 0 ; data->len = 0 ;
  if (!stralloc_catb(key, "!", 1) || !stralloc_catb(key, a->local, a->locallen)) return 0 ;
  if (a->kind == '=' && !stralloc_0(key)) return 0 ;
  case_lowerb(key->s, key->len) ;
  if (!stralloc_catb(data, a->user, a->userlen) || !stralloc_0(data)
   || !stralloc_catb(data, num, uint32_fmt(num, (uint32_t)a->uid)) || !stralloc_0(data)
   || !stralloc_catb(data, num, uint32_fmt(num, (uint32_t)a->gid)) || !stralloc_0(data)
   || !stralloc_catb(data, a->home, a->homelen) || !stralloc_0(data)
   || !stralloc_catb(data, a->dash, a->dashlen) || !stralloc_0(data)
   || !stralloc_catb(data, a->ext, a->extlen)) return 0 ;
  return cdbmake_add(c, key->s, key->len, data->s, data->len) ;
}

int assign_compile(cdbmaker *c, char const *s, size_t len, size_t *lineno, char const **why)
{
  stralloc key = STRALLOC_ZERO, data = STRALLOC_ZERO ;
  char wild[256] ;
  size_t nwild = 0, pos = 0 ;
  int r = -1 ;
  *lineno = 0 ;
  for (;;)
  {
    struct assign a ;
    char const *nl ;
    size_t ll ;
    ++*lineno ;
    if (pos >= len) { *why = "missing the last line, a single dot" ; r = 0 ; goto end ; }
    nl = memchr(s + pos, '\n', len - pos) ;
    ll = nl ? (size_t)(nl - (s + pos)) : len - pos ;
    if (ll == 1 && s[pos] == '.') break ;
    if (!nl) { *why = "last line does not end with a newline" ; r = 0 ; goto end ; }
    if (!assign_parse(&a, s + pos, ll, why)) { r = 0 ; goto end ; }
    if (!record(c, &key, &data, &a)) goto end ;
    if (a.kind == '+' && a.locallen)
    {
      /* lower case, so that "+JOE:" is found for "joe-x" (qmail-newu
       * kept the case here, and lost such addresses) */
      char ch = a.local[a.locallen - 1] ;
      if (ch >= 'A' && ch <= 'Z') ch += 'a' - 'A' ;
      if (!memchr(wild, ch, nwild)) wild[nwild++] = ch ;
    }
    pos += ll + 1 ;
  }
  if (!cdbmake_add(c, "", 0, wild, nwild)) goto end ;
  r = 1 ;
 end:
  stralloc_free(&key) ; stralloc_free(&data) ;
  if (r != 1) genalloc_free(diuint32, &c->hplist) ;
  return r ;
}
