/* remoteconf.c: remote's control files (remoteconf.h). */
#include <errno.h>
#include <skalibs/djbunix.h>
#include "control.h"
#include "remoteconf.h"

static int readerr(char const *fn)
{
  control_seterror(fn, 0, "unable to read") ;
  return 0 ;
}

int remoteconf_read(struct remoteconf *c)
{
  int r = control_readline(&c->me, "control/me") ;
  if (r < 0) return readerr("control/me") ;
  if (!r || !c->me.len) { control_seterror("control/me", 0, "missing or empty") ; return 0 ; }
  if (!stralloc_0(&c->me)) return readerr("control/me") ;
  if (control_rldef(&c->helohost, "control/helohost", c->me.s) < 0 || !stralloc_0(&c->helohost))
    return readerr("control/helohost") ;
  if (control_rldef(&c->localiphost, "control/localiphost", c->me.s) < 0 || !stralloc_0(&c->localiphost))
    return readerr("control/localiphost") ;
  if (control_readulong(&c->timeoutconnect, "control/timeoutconnect", 60, 86400) < 0) return 0 ;
  if (control_readulong(&c->timeoutremote, "control/timeoutremote", 1200, 86400) < 0) return 0 ;
  if (!c->timeoutconnect) { control_seterror("control/timeoutconnect", 1, "must not be 0") ; return 0 ; }
  if (!c->timeoutremote) { control_seterror("control/timeoutremote", 1, "must not be 0") ; return 0 ; }
  if (control_readlist(&c->routes, &c->routelines, "control/smtproutes") < 0) return readerr("control/smtproutes") ;
  if (control_readlist(&c->tlsdest, &c->tlsdestlines, "control/tlsdestinations") < 0) return readerr("control/tlsdestinations") ;
  if (control_rldef(&c->tlsca, "control/tlsca", REMOTECONF_TLSCA) < 0 || !stralloc_0(&c->tlsca))
    return readerr("control/tlsca") ;
  c->resolvers.len = 0 ;
  c->haveresolvers = 0 ;
  if (openslurpclose(&c->resolvers, "control/resolvers")) c->haveresolvers = 1 ;
  else if (errno != ENOENT) return readerr("control/resolvers") ;
  return 1 ;
}
