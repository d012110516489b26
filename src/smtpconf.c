/* smtpconf.c: smtpd's configuration: the control files' part (files),
 * read once per connection or through a ctlcache, and the environment's
 * part (env), applied to each connection. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/cdb.h>
#include <skalibs/env.h>
#include <skalibs/types.h>
#include "control.h"
#include "smtpconf.h"

static void lower(char *s, size_t n)
{
  for (size_t i = 0 ; i < n ; i++) if (s[i] >= 'A' && s[i] <= 'Z') s[i] += 'a' - 'A' ;
}

static int line(stralloc *sa, char const *fn, char const *def)
{
  if (control_rldef(sa, fn, def) < 0 || !stralloc_0(sa))
  {
    control_seterror(fn, 1, "unable to read") ;
    return 0 ;
  }
  return 1 ;
}

static int number(unsigned long *u, char const *fn, unsigned long def, unsigned long max)
{
  return control_readulong(u, fn, def, max) >= 0 ;
}

/* What the control files say, into c; the environment's part is env's. */
static int files(struct smtpconf *c)
{
  int r ;
  if (!line(&c->me, "control/me", "localhost")) return 0 ;
  {
    stralloc def = STRALLOC_ZERO ;
    int ok = stralloc_copyb(&def, c->me.s, c->me.len - 1) && stralloc_cats(&def, " ESMTP") && stralloc_0(&def)
          && line(&c->greeting, "control/smtpgreeting", def.s) ;
    stralloc_free(&def) ;
    if (!ok) return 0 ;
  }
  if (!line(&c->localiphost, "control/localiphost", c->me.s)) return 0 ;
  r = control_readfile(&c->rcpthosts, "control/rcpthosts") ;
  if (r < 0) { control_seterror("control/rcpthosts", 1, "unable to read") ; return 0 ; }
  if (!r)
  {
    control_seterror("control/rcpthosts", 0, "missing: refusing to run as an open relay") ;
    return 0 ;
  }
  lower(c->rcpthosts.s, c->rcpthosts.len) ;
  r = control_readfile(&c->badmailfrom, "control/badmailfrom") ;
  if (r < 0) { control_seterror("control/badmailfrom", 1, "unable to read") ; return 0 ; }
  lower(c->badmailfrom.s, c->badmailfrom.len) ;
  c->havemore = control_cdb(&c->morercpthosts, "control/morercpthosts.cdb") ;
  if (!c->havemore && errno != ENOENT) { control_seterror("control/morercpthosts.cdb", 0, "unable to read") ; return 0 ; }
  if (!number(&c->ctldatabytes, "control/databytes", 0, (unsigned long)-1 >> 1)) return 0 ;
  if (!number(&c->timeout, "control/timeoutsmtpd", 1200, 86400)) return 0 ;
  if (!number(&c->maxrcpt, "control/maxrcpt", 100, 100000)) return 0 ;
  if (!number(&c->maxerrors, "control/maxerrors", 20, 100000)) return 0 ;
  {
    unsigned long u ;
    if (!number(&u, "control/tlsrequired", 0, 1)) return 0 ;
    c->ctltlsrequired = u ;
  }
  return rcptcheck_load(&c->rcpt) ;
}

/* What tcpserver and the rules put in the environment for this
 * connection, over what the files say. */
static int env(struct smtpconf *c)
{
  char const *x ;
  c->databytes = c->ctldatabytes ;
  x = getenv("DATABYTES") ;
  if (x)
  {
    size_t n = ulong_scan(x, &c->databytes) ;
    if (!n || x[n]) { control_seterror("$DATABYTES", 0, "not a number") ; return 0 ; }
  }
  c->relayclient = getenv("RELAYCLIENT") ;
  c->remoteip = getenv("TCPREMOTEIP") ;
  if (!c->remoteip) c->remoteip = "unknown" ;
  c->remotehost = getenv("TCPREMOTEHOST") ;
  if (!c->remotehost) c->remotehost = "unknown" ;
  c->remoteinfo = getenv("TCPREMOTEINFO") ;
  c->localip = getenv("TCPLOCALIP") ;
  c->tlsctl = -1 ;
  c->tlsbroker = -1 ;
  x = getenv("TLSCTLFD") ;
  if (x)
  {
    unsigned int fd ;
    size_t n = uint_scan(x, &fd) ;
    /* a descriptor that is not open is no engine: no STARTTLS then */
    if (n && !x[n] && fd > 2 && fd < 1024 && fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0) c->tlsctl = (int)fd ;
  }
  c->tlsprotocol = getenv("TLS_PROTOCOL") ;
  c->tlscipher = getenv("TLS_CIPHER") ;
  if (!c->tlscipher) c->tlsprotocol = 0 ;
  else if (!c->tlsprotocol) c->tlsprotocol = "TLS" ;
  c->tlsrequired = c->ctltlsrequired ;
  x = getenv("TLSREQUIRED") ;
  if (x) c->tlsrequired = *x && strcmp(x, "0") ;
  return 1 ;
}

int smtpconf_load(struct smtpconf *c)
{
  return files(c) && env(c) ;
}

int smtpconf_reload(struct smtpconf *c, struct ctlcache *cc)
{
  control_usecache(cc) ;
  if (ctlcache_changed(cc))
  {
    int ok ;
    smtpconf_free(c) ;
    ok = files(c) ;
    ctlcache_done(cc, ok) ;
    if (!ok) return 0 ;
  }
  return env(c) ;
}

void smtpconf_free(struct smtpconf *c)
{
  if (c->havemore) control_cdbfree(&c->morercpthosts) ;
  c->havemore = 0 ;
  rcptcheck_free(&c->rcpt) ;
}

/* 1 if s (n bytes) equals one of the NUL-separated entries of list. */
static int inlist(stralloc const *list, char const *s, size_t n)
{
  for (size_t i = 0 ; i < list->len ; i += strlen(list->s + i) + 1)
    if (strlen(list->s + i) == n && !memcmp(list->s + i, s, n)) return 1 ;
  return 0 ;
}

int smtpconf_rcpthost(struct smtpconf const *c, char const *domain, size_t len)
{
  char d[256] ;
  if (!len || len >= sizeof d) return 0 ;
  memcpy(d, domain, len) ;
  lower(d, len) ;
  if (inlist(&c->rcpthosts, d, len)) return 1 ;
  /* ".example.org" covers every name under example.org */
  for (size_t i = 0 ; i < len ; i++)
    if (d[i] == '.' && inlist(&c->rcpthosts, d + i, len - i)) return 1 ;
  if (c->havemore)
  {
    cdb_data data ;
    if (cdb_find(&c->morercpthosts, &data, d, len) > 0) return 1 ;
    for (size_t i = 0 ; i < len ; i++)
      if (d[i] == '.' && cdb_find(&c->morercpthosts, &data, d + i, len - i) > 0) return 1 ;
  }
  return 0 ;
}

int smtpconf_badmailfrom(struct smtpconf const *c, char const *addr, size_t len)
{
  char a[1024] ;
  char const *at ;
  if (!c->badmailfrom.len || !len || len >= sizeof a) return 0 ;
  memcpy(a, addr, len) ;
  lower(a, len) ;
  if (inlist(&c->badmailfrom, a, len)) return 1 ;
  at = memrchr(a, '@', len) ;
  return at && inlist(&c->badmailfrom, at, len - (size_t)(at - a)) ;
}
