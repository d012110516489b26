/* rcptmake.c: users/rcpt.cdb's keys from users/cdb, the password
 * database and the homes' .qmail files (see rcptmake.h). */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/bytestr.h>
#include <skalibs/cdb.h>
#include <skalibs/cdbmake.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "assign.h"
#include "auto.h"
#include "dotqmail.h"
#include "lookup.h"
#include "rcptcheck.h"
#include "rcptmake.h"

stralloc rcptmake_error = STRALLOC_ZERO ;

/* Who decides a set of local parts: prefix (lower case) alone when
 * exact, else prefix and everything after it; ext(prefix R) = pre R. */
struct owner {
  char const *prefix ; size_t prefixlen ;
  int exact ;
  char const *home ;       /* NUL-terminated */
  char const *dash ;       /* "" or "-" */
  char const *pre ; size_t prelen ;
} ;

static struct lookup lk = LOOKUP_ZERO ;
static void (*warnf)(char const *) ;

static int fail(char const *a, char const *b, char const *c)
{
  rcptmake_error.len = 0 ;
  if (!stralloc_cats(&rcptmake_error, a) || !stralloc_cats(&rcptmake_error, b)
   || !stralloc_cats(&rcptmake_error, c) || !stralloc_0(&rcptmake_error))
  {
    rcptmake_error.len = 0 ;
    if (stralloc_cats(&rcptmake_error, "out of memory")) stralloc_0(&rcptmake_error) ;
  }
  return 0 ;
}

static int nomem(void)
{
  return fail("out of memory", "", "") ;
}

static void warn(char const *a, char const *b, char const *c, char const *d)
{
  stralloc w = STRALLOC_ZERO ;
  if (warnf && stralloc_cats(&w, a) && stralloc_cats(&w, b) && stralloc_cats(&w, c) && stralloc_cats(&w, d) && stralloc_0(&w))
    warnf(w.s) ;
  stralloc_free(&w) ;
}

/* s (n bytes) starts with p (m bytes) */
static int startswith(char const *s, size_t n, char const *p, size_t m)
{
  return n >= m && (!m || !memcmp(s, p, m)) ;
}

/* Case-blind equality of a (n bytes) with b (m bytes). */
static int sameci(char const *a, size_t n, char const *b, size_t m)
{
  return n == m && !case_diffb(a, n, b) ;
}

/* Does o decide key (len bytes; a "+" key when prefix)? 1 yes, 0 no, 2
 * the lookup failed (mail there would be deferred). The "+" key is asked
 * with a \001 after it: a byte that ends no user name and no wildcard
 * of users/assign, so the answer holds for what the key covers. */
static int owned(struct owner const *o, char const *key, size_t len, int prefix)
{
  static stralloc local = STRALLOC_ZERO, ext = STRALLOC_ZERO ;
  local.len = 0 ;
  if (!stralloc_catb(&local, key, len) || (prefix && !stralloc_catb(&local, "\001", 1))) return -1 ;
  switch (lookup_local(local.s, local.len, &lk))
  {
    case 1: break ;
    case 0: return 0 ;
    default: return 2 ;
  }
  ext.len = 0 ;
  if (!stralloc_catb(&ext, o->pre, o->prelen)) return -1 ;
  if (!o->exact && !stralloc_catb(&ext, local.s + o->prefixlen, local.len - o->prefixlen)) return -1 ;
  return !strcmp(lk.home, o->home) && !strcmp(lk.dash, o->dash) && sameci(lk.ext, strlen(lk.ext), ext.s, ext.len) ;
}

static int addrec(struct rcptmake *t, char kind, char const *key, size_t len, int value)
{
  size_t off = t->recs.len ;
  char v = value ? '1' : '0' ;
  if (len > RCPTCHECK_LOCALMAX) return 1 ;   /* longer is bounced anyway */
  if (!stralloc_catb(&t->recs, &v, 1) || !stralloc_catb(&t->recs, &kind, 1)
   || !stralloc_catb(&t->recs, key, len) || !stralloc_0(&t->recs)
   || !genalloc_append(size_t, &t->idx, &off))
    return nomem() ;
  case_lowerb(t->recs.s + off + 2, len) ;
  return 1 ;
}

/* Adds kind key (the owner's prefix followed by tail) if o decides it. */
static int key(struct rcptmake *t, struct owner const *o, char kind, char const *tail, size_t taillen, int value)
{
  static stralloc k = STRALLOC_ZERO ;
  int r ;
  k.len = 0 ;
  if (!stralloc_catb(&k, o->prefix, o->prefixlen) || !stralloc_catb(&k, tail, taillen)) return nomem() ;
  case_lowerb(k.s, k.len) ;
  r = owned(o, k.s, k.len, kind == '+') ;
  if (r < 0) return nomem() ;
  if (!r) return 1 ;
  if (r == 2)
  {
    if (!stralloc_0(&k)) return nomem() ;
    k.len-- ;
    warn("taken as deliverable: ", k.len ? k.s : "(every local part)", ": ", lookup_error.len ? lookup_error.s : "lookup failed") ;
  }
  return addrec(t, kind, k.s, k.len, value || r == 2) ;
}

/* The ext part of a .qmail name in the form of a local part: ':' is the
 * '.' that selects it; '.' or upper case are never selected. 0 if so. */
static int extname(stralloc *sa, char const *x)
{
  size_t n = strlen(x) ;
  sa->len = 0 ;
  for (size_t i = 0 ; i < n ; i++) if (x[i] == '.' || (x[i] >= 'A' && x[i] <= 'Z')) return 0 ;
  if (!stralloc_catb(sa, x, n)) return -1 ;
  for (size_t i = 0 ; i < n ; i++) if (sa->s[i] == ':') sa->s[i] = '.' ;
  return 1 ;
}

/* A home local delivery refuses (it defers the mail): not a directory we
 * can list, or group- or world-writable. */
static DIR *openhome(struct owner const *o)
{
  struct stat st ;
  DIR *d ;
  if (stat(o->home, &st) < 0 || !S_ISDIR(st.st_mode) || (st.st_mode & 022)) return 0 ;
  d = opendir(o->home) ;
  return d ;
}

/* Keys for an owner with a dash: from the .qmail-* files of its home. */
static int region(struct rcptmake *t, struct owner const *o)
{
  static stralloc x = STRALLOC_ZERO, pre = STRALLOC_ZERO, fn = STRALLOC_ZERO ;
  int base = 0 ;
  DIR *d ;
  struct dirent *e ;
  if (!*o->dash) return key(t, o, '+', "", 0, 1) ;
  d = openhome(o) ;
  if (!d)
  {
    warn("taken as deliverable: everything of home ", o->home, "", ": it cannot be listed or is group- or world-writable") ;
    return key(t, o, '+', "", 0, 1) ;
  }
  /* pre in the same form as the names: lower case, '.' for ':' */
  pre.len = 0 ;
  if (!stralloc_catb(&pre, o->pre, o->prelen)) goto nomem ;
  case_lowerb(pre.s, pre.len) ;
  for (size_t i = 0 ; i < pre.len ; i++) if (pre.s[i] == ':') pre.s[i] = '.' ;
  for (;;)
  {
    int r ;
    errno = 0 ;
    e = readdir(d) ;
    if (!e) break ;
    if (strncmp(e->d_name, ".qmail-", 7)) continue ;
    r = extname(&x, e->d_name + 7) ;
    if (r < 0) goto nomem ;
    if (!r) continue ;
    /* a dangling symbolic link is not there for local either */
    fn.len = 0 ;
    if (!stralloc_cats(&fn, o->home) || !stralloc_catb(&fn, "/", 1) || !stralloc_cats(&fn, e->d_name) || !stralloc_0(&fn)) goto nomem ;
    if (!dotqmail_exists(fn.s, &fn)) continue ;
    if (startswith(x.s, x.len, pre.s, pre.len))
      if (!key(t, o, '=', x.s + pre.len, x.len - pre.len, 1)) goto err ;
    if (x.len >= 7 && !memcmp(x.s + x.len - 7, "default", 7) && (x.len == 7 || x.s[x.len - 8] == '-'))
    {
      size_t z = x.len - 7 ;
      if (startswith(x.s, z, pre.s, pre.len))
      {
        if (!key(t, o, '+', x.s + pre.len, z - pre.len, 1)) goto err ;
      }
      else if (startswith(pre.s, pre.len, x.s, z)) base = 1 ;
    }
  }
  if (errno)
  {
    int err = errno ;
    closedir(d) ;
    warn("taken as deliverable: everything of home ", o->home, ": unable to read it: ", strerror(err)) ;
    return key(t, o, '+', "", 0, 1) ;
  }
  closedir(d) ;
  return key(t, o, '+', "", 0, base) ;
 nomem:
  nomem() ;
 err:
  closedir(d) ;
  return 0 ;
}

/* dotqmail_search's question for an exact owner, asked of its home. */
static int tryexists(char const *fn, void *ctx)
{
  static stralloc path = STRALLOC_ZERO ;
  struct owner const *o = ctx ;
  path.len = 0 ;
  if (!stralloc_cats(&path, o->home) || !stralloc_catb(&path, "/", 1) || !stralloc_cats(&path, fn) || !stralloc_0(&path)) return -1 ;
  return dotqmail_exists(path.s, &path) ? 1 : 0 ;   /* -1: local defers */
}

/* The key for an owner of one local part. */
static int single(struct rcptmake *t, struct owner const *o)
{
  stralloc ext = STRALLOC_ZERO, fn = STRALLOC_ZERO ;
  size_t defoff ;
  int r = 1 ;
  if (*o->dash)
  {
    DIR *d = openhome(o) ;
    if (!d) warn("taken as deliverable: ", o->prefix, ": its home cannot be listed or is group- or world-writable: ", o->home) ;
    else
    {
      closedir(d) ;
      if (!stralloc_catb(&ext, o->pre, o->prelen) || !stralloc_0(&ext)) return nomem() ;
      r = dotqmail_search(o->dash, ext.s, &tryexists, (void *)o, &fn, &defoff) ;
      if (r < 0) r = 1 ;
    }
  }
  stralloc_free(&ext) ;
  stralloc_free(&fn) ;
  return key(t, o, '=', "", 0, r) ;
}

/* Every record of users/cdb. */
static int fromassign(struct rcptmake *t)
{
  cdb c = CDB_ZERO ;
  cdb_data k, d ;
  uint32_t pos = CDB_TRAVERSE_INIT() ;
  stralloc home = STRALLOC_ZERO, prefix = STRALLOC_ZERO, pre = STRALLOC_ZERO ;
  int r, wild = 0, ok = 0 ;
  if (!cdb_init(&c, "users/cdb")) return errno == ENOENT ? 1 : fail("unable to read users/cdb: ", strerror(errno), "") ;
  while ((r = cdb_traverse_next(&c, &k, &d, &pos)) > 0)
  {
    struct assign a ;
    struct owner o ;
    int exact ;
    if (!k.len) { wild = 1 ; continue ; }
    if (k.s[0] != '!' || d.len > ASSIGN_LINEMAX || !assign_unpack(&a, d.s, d.len)) goto bad ;
    exact = k.s[k.len - 1] == 0 ;
    /* copies: nothing kept from here points into this mapping */
    home.len = prefix.len = pre.len = 0 ;
    if (!stralloc_catb(&home, a.home, a.homelen) || !stralloc_0(&home)
     || !stralloc_catb(&prefix, k.s + 1, k.len - 1 - exact) || !stralloc_0(&prefix)
     || !stralloc_catb(&pre, a.ext, a.extlen) || !stralloc_0(&pre)) { nomem() ; goto end ; }
    if (memchr(home.s, 0, home.len - 1) || memchr(prefix.s, 0, prefix.len - 1)) goto bad ;
    case_lowerb(prefix.s, prefix.len) ;
    o = (struct owner){ .prefix = prefix.s, .prefixlen = prefix.len - 1, .exact = exact, .home = home.s,
      .dash = a.dashlen ? "-" : "", .pre = pre.s, .prelen = pre.len - 1 } ;
    if (!(exact ? single(t, &o) : region(t, &o))) goto end ;
  }
  if (r < 0) goto bad ;
  if (!wild) { fail("users/cdb has no record of wildcard characters: run newu", "", "") ; goto end ; }
  ok = 1 ;
  goto end ;
 bad:
  fail("users/cdb is not a valid users table: run newu", "", "") ;
 end:
  cdb_free(&c) ;
  stralloc_free(&home) ; stralloc_free(&prefix) ; stralloc_free(&pre) ;
  return ok ;
}

/* Every user of the password database that owns its own name. The names
 * are read first: getpwnam (in lookup_local) between getpwent calls may
 * disturb the enumeration. */
static int frompasswd(struct rcptmake *t)
{
  stralloc names = STRALLOC_ZERO, home = STRALLOC_ZERO, prefix = STRALLOC_ZERO ;
  struct passwd *pw ;
  int ok = 0 ;
  setpwent() ;
  for (;;)
  {
    errno = 0 ;
    pw = getpwent() ;
    if (!pw) break ;
    if (strlen(pw->pw_name) > LOOKUP_USERMAX) continue ;
    if (!stralloc_cats(&names, pw->pw_name) || !stralloc_0(&names)) { endpwent() ; nomem() ; goto end ; }
  }
  if (errno && errno != ENOENT && errno != ESRCH)
  {
    endpwent() ;
    fail("unable to read the password database: ", strerror(errno), "") ;
    goto end ;
  }
  endpwent() ;
  for (size_t i = 0 ; i < names.len ; i += strlen(names.s + i) + 1)
  {
    char const *n = names.s + i ;
    size_t len = strlen(n) ;
    struct owner o ;
    switch (lookup_local(n, len, &lk))
    {
      case 1: break ;
      case 0: continue ;
      default:
        /* the mail for n would wait: never refuse it */
        warn("taken as deliverable: ", n, ": ", lookup_error.len ? lookup_error.s : "lookup failed") ;
        prefix.len = 0 ;
        if (!stralloc_cats(&prefix, n) || !stralloc_catb(&prefix, "-", 1)) { nomem() ; goto end ; }
        if (!addrec(t, '=', n, len, 1) || !addrec(t, '+', prefix.s, prefix.len, 1)) goto end ;
        continue ;
    }
    if (lk.source != LOOKUP_PASSWD || strcmp(lk.user, n) || *lk.dash) continue ;
    home.len = prefix.len = 0 ;
    if (!stralloc_cats(&home, lk.home) || !stralloc_0(&home)
     || !stralloc_cats(&prefix, n) || !stralloc_0(&prefix)) { nomem() ; goto end ; }
    o = (struct owner){ .prefix = prefix.s, .prefixlen = len, .exact = 1, .home = home.s, .dash = "", .pre = "", .prelen = 0 } ;
    if (!single(t, &o)) goto end ;
    prefix.s[len] = '-' ;
    o = (struct owner){ .prefix = prefix.s, .prefixlen = len + 1, .exact = 0, .home = home.s, .dash = "-", .pre = "", .prelen = 0 } ;
    if (!region(t, &o)) goto end ;
  }
  ok = 1 ;
 end:
  stralloc_free(&names) ; stralloc_free(&home) ; stralloc_free(&prefix) ;
  return ok ;
}

/* The alias user: everything no one else takes. */
static int fromalias(struct rcptmake *t)
{
  stralloc home = STRALLOC_ZERO ;
  struct owner o ;
  int ok ;
  if (!stralloc_cats(&home, auto_home) || !stralloc_cats(&home, "/alias") || !stralloc_0(&home)) return nomem() ;
  o = (struct owner){ .prefix = "", .prefixlen = 0, .exact = 0, .home = home.s, .dash = "-", .pre = "", .prelen = 0 } ;
  ok = region(t, &o) ;
  stralloc_free(&home) ;
  return ok ;
}

int rcptmake_collect(struct rcptmake *t, void (*w)(char const *))
{
  warnf = w ;
  return fromassign(t) && frompasswd(t) && fromalias(t) ;
}

static char const *sortbase ;

static int reccmp(void const *a, void const *b)
{
  return strcmp(sortbase + *(size_t const *)a + 1, sortbase + *(size_t const *)b + 1) ;
}

int rcptmake_write(struct rcptmake *t, cdbmaker *c)
{
  size_t *v = genalloc_s(size_t, &t->idx) ;
  size_t n = genalloc_len(size_t, &t->idx) ;
  sortbase = t->recs.s ;
  if (n) qsort(v, n, sizeof *v, &reccmp) ;
  if (!cdbmake_add(c, "", 0, RCPTCHECK_MAGIC, sizeof RCPTCHECK_MAGIC - 1)) return 0 ;
  for (size_t i = 0 ; i < n ;)
  {
    char const *k = t->recs.s + v[i] + 1 ;
    char value = '0' ;
    size_t j = i ;
    for (; j < n && !strcmp(t->recs.s + v[j] + 1, k) ; j++)
      if (t->recs.s[v[j]] == '1') value = '1' ;
    if (!cdbmake_add(c, k, (unsigned int)strlen(k), &value, 1)) return 0 ;
    i = j ;
  }
  return 1 ;
}

void rcptmake_free(struct rcptmake *t)
{
  stralloc_free(&t->recs) ;
  genalloc_free(size_t, &t->idx) ;
}
