/* lookup.c: local part to user: users/cdb, then the password database,
 * then the alias user (the rules are in lookup.h). */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/bytestr.h>
#include <skalibs/cdb.h>
#include <skalibs/error.h>
#include <skalibs/stralloc.h>
#include "assign.h"
#include "auto.h"
#include "ctlcache.h"
#include "lookup.h"

stralloc lookup_error = STRALLOC_ZERO ;

/* Sets lookup_error to the strings up to a null pointer, followed by
 * ": strerror(e)" when e is not 0. Returns r. */
static int fail(int r, int e, ...)
{
  va_list ap ;
  char const *s ;
  int ok = 1 ;
  lookup_error.len = 0 ;
  va_start(ap, e) ;
  while ((s = va_arg(ap, char const *))) ok = ok && stralloc_cats(&lookup_error, s) ;
  va_end(ap) ;
  if (e) ok = ok && stralloc_cats(&lookup_error, ": ") && stralloc_cats(&lookup_error, strerror(e)) ;
  if (!ok || !stralloc_0(&lookup_error))
  {
    lookup_error.len = 0 ;
    if (!stralloc_cats(&lookup_error, "out of memory") || !stralloc_0(&lookup_error)) return r ;
  }
  lookup_error.len-- ;
  return r ;
}

/* Copies the strings into r->sa first and takes pointers afterwards, as
 * a growing stralloc may move. ext is ext1 followed by ext2. */
static int fill(struct lookup *r, enum lookup_source source, char const *user, size_t userlen,
  uid_t uid, gid_t gid, char const *home, size_t homelen, char const *dash,
  char const *ext1, size_t ext1len, char const *ext2, size_t ext2len)
{
  size_t dashlen = strlen(dash) ;
  r->sa.len = 0 ;
  if (!stralloc_catb(&r->sa, user, userlen) || !stralloc_0(&r->sa)
   || !stralloc_catb(&r->sa, home, homelen) || !stralloc_0(&r->sa)
   || !stralloc_catb(&r->sa, dash, dashlen) || !stralloc_0(&r->sa)
   || !stralloc_catb(&r->sa, ext1, ext1len) || !stralloc_catb(&r->sa, ext2, ext2len)
   || !stralloc_0(&r->sa))
    return fail(-1, errno, "unable to look up the user", (char const *)0) ;
  r->user = r->sa.s ;
  r->home = r->user + userlen + 1 ;
  r->dash = r->home + homelen + 1 ;
  r->ext = r->dash + dashlen + 1 ;
  r->uid = uid ;
  r->gid = gid ;
  r->source = source ;
  return 1 ;
}

static int wildchar(cdb_data const *wild, char c)
{
  /* c is lower case; a cdb from qmail-newu may hold upper case here */
  for (uint32_t i = 0 ; i < wild->len ; i++)
  {
    char w = wild->s[i] ;
    if (w >= 'A' && w <= 'Z') w += 'a' - 'A' ;
    if (w == c) return 1 ;
  }
  return 0 ;
}

/* cdb_find trusts the lengths in the file: check that a record lies
 * inside the mapping before reading it. */
static int inside(cdb const *c, cdb_data const *d)
{
  size_t off = (size_t)(d->s - c->map) ;
  return off <= c->size && d->len <= c->size - off ;
}

/* users/cdb stays mapped from one lookup to the next (lspawn makes one
 * per delivery): each lookup stats it once, and it is opened and mapped
 * again only when it changed (ctlcache.h: replaced, edited, created or
 * removed). Mapping it anew each time cost lspawn an open, an fstat, an
 * mmap, a munmap and a close, and a page fault on its first read, per
 * delivery. 1 with *c set, 0 when there is no users/cdb, -1 with errno. */
static int usercdb(cdb *c)
{
  static struct ctlcache cache = CTLCACHE_ZERO ;
  static cdb map = CDB_ZERO ;
  static int present = 0 ;
  if (ctlcache_changed(&cache))
  {
    present = ctlcache_cdb(&cache, &map, "users/cdb") ;
    if (!present && errno != ENOENT)
    {
      int e = errno ;
      ctlcache_done(&cache, 0) ;
      errno = e ;
      return -1 ;
    }
    ctlcache_done(&cache, 1) ;
  }
  if (present) *c = map ;
  return present ;
}

/* Rule 1, as qmail-lspawn: key "!" lc(local) NUL for the exact entry,
 * then "!" lc(prefix) for ever shorter prefixes, skipping prefixes whose
 * last character ends no wildcard. 1 found, 0 not, -1 error. */
static int fromcdb(struct lookup *r, char const *local, size_t len)
{
  cdb c = CDB_ZERO ;
  cdb_data wild, d ;
  char key[LOOKUP_LOCALMAX + 2] ;
  size_t i = len + 2 ;
  int flagwild = 0, found = 0 ;

  switch (usercdb(&c))
  {
    case 0: return 0 ;
    case -1: return fail(-1, errno, "unable to read users/cdb", (char const *)0) ;
  }
  key[0] = '!' ;
  memcpy(key + 1, local, len) ;
  key[len + 1] = 0 ;
  case_lowerb(key + 1, len) ;
  switch (cdb_find(&c, &wild, "", 0))
  {
    case 1: if (inside(&c, &wild)) break ; /* fall through */
    case -1: found = fail(-1, 0, "users/cdb is not a valid cdb: run newu", (char const *)0) ; goto end ;
    default: found = fail(-1, 0, "users/cdb has no record of wildcard characters: run newu", (char const *)0) ; goto end ;
  }
  do
  {
    if (!flagwild || i == 1 || wildchar(&wild, key[i - 1]))
    {
      struct assign a ;
      int k = cdb_find(&c, &d, key, (uint32_t)i) ;
      if (k < 0 || (k && !inside(&c, &d)))
      { found = fail(-1, 0, "users/cdb is not a valid cdb: run newu", (char const *)0) ; goto end ; }
      if (k)
      {
        /* a wildcard's ext is its pre and then the rest of local, in
         * the sender's case */
        size_t rest = flagwild ? len - (i - 1) : 0 ;
        if (d.len > ASSIGN_LINEMAX || !assign_unpack(&a, d.s, d.len))
        {
          if (i < len + 2) key[i] = 0 ;
          found = fail(-1, 0, "users/cdb: malformed record for ", key + 1, ": run newu", (char const *)0) ;
          goto end ;
        }
        found = fill(r, LOOKUP_ASSIGN, a.user, a.userlen, a.uid, a.gid, a.home, a.homelen,
          a.dashlen ? "-" : "", a.ext, a.extlen, local + len - rest, rest) ;
        goto end ;
      }
    }
    i-- ;
    flagwild = 1 ;
  } while (i) ;
 end:
  return found ;
}

int lookup_nextname(char const *local, size_t len, size_t *n)
{
  size_t m = *n ;
  while (m-- > 1)
    if (m <= LOOKUP_USERMAX && (m == len || local[m] == '-')) { *n = m ; return 1 ; }
  return 0 ;
}

/* getpwnam(3) names these errors; any other errno with a null result
 * (0, ENOENT, ESRCH, ...) means there is no such user. */
static int pwerror(int e)
{
  return e == EINTR || e == EIO || e == EMFILE || e == ENFILE || e == ENOMEM || e == ERANGE || e == EAGAIN ;
}

/* Rule 2, as qmail-getpw. */
static int frompasswd(struct lookup *r, char const *local, size_t len)
{
  size_t n = len + 1 ;
  while (lookup_nextname(local, len, &n))
  {
    char name[LOOKUP_USERMAX + 1] ;
    struct passwd *pw ;
    struct stat st ;
    memcpy(name, local, n) ;
    name[n] = 0 ;
    case_lowerb(name, n) ;
    errno = 0 ;
    pw = getpwnam(name) ;
    if (!pw)
    {
      if (pwerror(errno)) return fail(-1, errno, "unable to look up ", name, " in the password database", (char const *)0) ;
      continue ;
    }
    if (!pw->pw_uid) continue ;
    if (stat(pw->pw_dir, &st) < 0)
    {
      /* a missing home means "not a mail user"; a server that does not
       * answer must not send the mail to the alias user instead */
      if (error_temp(errno)) return fail(-1, errno, "unable to stat home directory ", pw->pw_dir, " of ", name, (char const *)0) ;
      continue ;
    }
    if (st.st_uid != pw->pw_uid) continue ;
    if (st.st_mode & (S_IWGRP | S_IWOTH))
      return fail(-1, 0, "home directory ", pw->pw_dir, " of ", name, " is group- or world-writable (#4.7.0)", (char const *)0) ;
    return n < len
      ? fill(r, LOOKUP_PASSWD, pw->pw_name, strlen(pw->pw_name), pw->pw_uid, pw->pw_gid,
          pw->pw_dir, strlen(pw->pw_dir), "-", local + n + 1, len - n - 1, "", 0)
      : fill(r, LOOKUP_PASSWD, pw->pw_name, strlen(pw->pw_name), pw->pw_uid, pw->pw_gid,
          pw->pw_dir, strlen(pw->pw_dir), "", "", 0, "", 0) ;
  }
  return 0 ;
}

/* Rule 3. */
static int fromalias(struct lookup *r, char const *local, size_t len)
{
  struct passwd *pw ;
  stralloc home = STRALLOC_ZERO ;
  int k ;
  errno = 0 ;
  pw = getpwnam(auto_user[AUTO_ALIAS]) ;
  if (!pw)
    return pwerror(errno)
      ? fail(-1, errno, "unable to look up alias user ", auto_user[AUTO_ALIAS], " in the password database", (char const *)0)
      : fail(-1, 0, "alias user ", auto_user[AUTO_ALIAS], " is not in the password database", (char const *)0) ;
  if (!stralloc_cats(&home, auto_home) || !stralloc_cats(&home, "/alias"))
    return fail(-1, errno, "unable to look up the user", (char const *)0) ;
  k = fill(r, LOOKUP_ALIAS, pw->pw_name, strlen(pw->pw_name), pw->pw_uid, pw->pw_gid,
    home.s, home.len, "-", local, len, "", 0) ;
  stralloc_free(&home) ;
  return k ;
}

int lookup_local(char const *local, size_t len, struct lookup *r)
{
  int k ;
  if (len > LOOKUP_LOCALMAX) return fail(0, 0, "address local part longer than 1000 bytes", (char const *)0) ;
  if (memchr(local, 0, len)) return fail(0, 0, "address local part contains a NUL byte", (char const *)0) ;
  k = fromcdb(r, local, len) ;
  if (!k) k = frompasswd(r, local, len) ;
  if (!k) k = fromalias(r, local, len) ;
  return k ;
}

void lookup_free(struct lookup *r)
{
  stralloc_free(&r->sa) ;
  r->user = r->home = r->dash = r->ext = 0 ;
}
