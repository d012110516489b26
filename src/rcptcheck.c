/* rcptcheck.c: smtpd's side of recipient validation (see rcptcheck.h). */
#include <errno.h>
#include <string.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "rcptcheck.h"
#include "rewrite.h"

int rcptcheck_load(struct rcptcheck *r)
{
  unsigned long want ;
  cdb_data d ;
  r->on = 0 ;
  if (control_readulong(&want, "control/rcptcheck", 1, 1) < 0) return 0 ;
  if (!want) return 1 ;
  if (!control_cdb(&r->table, RCPTCHECK_FILE))
  {
    if (errno == ENOENT) return 1 ;
    control_seterror(RCPTCHECK_FILE, 0, "unable to read") ;
    return 0 ;
  }
  /* a table from another program (or a truncated one) must not decide */
  if (cdb_find(&r->table, &d, "", 0) <= 0 || d.len != sizeof RCPTCHECK_MAGIC - 1
   || memcmp(d.s, RCPTCHECK_MAGIC, d.len))
  {
    control_cdbfree(&r->table) ;
    control_seterror(RCPTCHECK_FILE, 0, "not a table made by mkrcpt: run mkrcpt") ;
    return 0 ;
  }
  if (rewrite_load(&r->rw) < 0) { control_cdbfree(&r->table) ; return 0 ; }
  r->on = 1 ;
  return 1 ;
}

/* 1 or 0 for a found record, 2 for none, -1 for a broken table. */
static int find(cdb const *c, char const *key, size_t len)
{
  cdb_data d ;
  switch (cdb_find(c, &d, key, (uint32_t)len))
  {
    case 0: return 2 ;
    case 1: break ;
    default: return -1 ;
  }
  if (d.len != 1 || (d.s[0] != '0' && d.s[0] != '1')) return -1 ;
  return d.s[0] == '1' ;
}

int rcptcheck_local(cdb const *c, char const *local, size_t len)
{
  char key[RCPTCHECK_LOCALMAX + 1] ;
  size_t i ;
  int r ;
  if (len > RCPTCHECK_LOCALMAX || memchr(local, 0, len)) return 0 ;   /* lookup_local's "no user" */
  if (memchr(local, ':', len)) return 1 ;
  key[0] = '=' ;
  for (i = 0 ; i < len ; i++)
  {
    char ch = local[i] ;
    key[i + 1] = ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch ;
  }
  r = find(c, key, len + 1) ;
  if (r != 2) return r ;
  /* "+" and the first i bytes of the lowered local part, longest first */
  key[0] = '+' ;
  for (i = len + 1 ; i-- > 0 ;)
  {
    r = find(c, key, i + 1) ;
    if (r != 2) return r ;
  }
  return 1 ;
}

int rcptcheck_addr(struct rcptcheck const *r, char const *addr, size_t len)
{
  static stralloc out = STRALLOC_ZERO ;
  char const *at ;
  int k ;
  if (!r->on) return 1 ;
  out.len = 0 ;
  k = rewrite_addr(&r->rw, addr, len, &out) ;
  if (k < 0) return errno == ENAMETOOLONG ? 1 : -1 ;   /* too long for queue anyway */
  if (k != REWRITE_LOCAL) return 1 ;
  /* send hands lspawn the local part before the last '@' */
  at = memrchr(out.s, '@', out.len) ;
  return rcptcheck_local(&r->table, out.s, at ? (size_t)(at - out.s) : out.len) ;
}

void rcptcheck_free(struct rcptcheck *r)
{
  if (r->on) control_cdbfree(&r->table) ;
  rewrite_free(&r->rw) ;
  *r = (struct rcptcheck)RCPTCHECK_ZERO ;
}
