/* aliaslookup.c: alias records in the cdb (aliaslookup.h). */
#include <errno.h>
#include <string.h>
#include <skalibs/bytestr.h>
#include "aliasfile.h"
#include "aliaslookup.h"

static int find(cdb const *c, char const *key, size_t len, cdb_data *d)
{
  int r = cdb_find(c, d, key, (uint32_t)len) ;
  size_t off ;
  if (r <= 0) return r ;
  off = (size_t)(d->s - c->map) ;
  if (off > c->size || d->len > c->size - off || !d->len || d->s[d->len - 1]) { errno = EPROTO ; return -1 ; }
  return 1 ;
}

int aliaslookup(cdb const *c, char const *local, char const *host, cdb_data *d)
{
  char key[2 * ALIASFILE_ADDRMAX + 2] ;
  size_t l = strlen(local), h = strlen(host) ;
  int r ;
  if (l > ALIASFILE_ADDRMAX || h > ALIASFILE_ADDRMAX) { errno = ENAMETOOLONG ; return -1 ; }
  memcpy(key, local, l) ;
  key[l] = '@' ;
  memcpy(key + l + 1, host, h) ;
  case_lowerb(key, l + 1 + h) ;
  if (h && (r = find(c, key, l + 1 + h, d))) return r ;
  return find(c, key, l, d) ;
}

int aliaslookup_sender(cdb const *c, char const *local, char const *host, char const *sender, stralloc *out)
{
  stralloc owner = STRALLOC_ZERO ;
  cdb_data d ;
  int r ;
  out->len = 0 ;
  if (!*sender || !strcmp(sender, "#@[]")) return stralloc_cats(out, sender) && stralloc_0(out) ;
  if (!stralloc_cats(&owner, "owner-") || !stralloc_cats(&owner, local) || !stralloc_0(&owner)) return 0 ;
  r = aliaslookup(c, owner.s, host, &d) ;
  case_lowerb(owner.s, owner.len) ;
  if (r == 1) r = stralloc_cat(out, &owner) && (out->len--, stralloc_catb(out, "@", 1)) && stralloc_cats(out, host) && stralloc_0(out) ;
  else r = stralloc_cats(out, sender) && stralloc_0(out) ;
  stralloc_free(&owner) ;
  return r ;
}
