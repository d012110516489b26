/* remotedeliver.c: one remote delivery (remotedeliver.h). */
#include <string.h>
#include <skalibs/gccattributes.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "control.h"
#include "dns.h"
#include "ipme.h"
#include "msgsrc.h"
#include "remoteconf.h"
#include "remotedeliver.h"
#include "remotehosts.h"
#include "remoteout.h"
#include "remotesmtp.h"
#include "remotetls.h"
#include "tcpto.h"
#include "tlsdest.h"

static stralloc text = STRALLOC_ZERO ;

/* The control files a session depends on, as read for the last job, each
 * followed by a NUL: a kept session is reused only when they read the
 * same now, so that an edited smtproutes, tlsdestinations or tlsca takes
 * effect at the next message, as for a per-delivery remote. */
static stralloc confseen = STRALLOC_ZERO ;

/* 1 when the control files read as for the last job; notes them. */
static int sameconf(struct remoteconf const *c)
{
  static stralloc now = STRALLOC_ZERO ;
  stralloc const *part[] = { &c->me, &c->helohost, &c->localiphost, &c->routes, &c->resolvers, &c->tlsdest, &c->tlsca } ;
  char num[2 * ULONG_FMT] ;
  size_t n = ulong_fmt(num, c->timeoutconnect) ;
  int same ;
  num[n++] = ' ' ;
  n += ulong_fmt(num + n, c->timeoutremote) ;
  now.len = 0 ;
  if (!stralloc_catb(&now, num, n) || !stralloc_0(&now)) return 0 ;
  for (size_t i = 0 ; i < sizeof part / sizeof *part ; i++)
    if (!stralloc_catb(&now, part[i]->s, part[i]->len) || !stralloc_0(&now)) return 0 ;
  same = now.len == confseen.len && !memcmp(now.s, confseen.s, now.len) ;
  if (!stralloc_copy(&confseen, &now)) { confseen.len = 0 ; return 0 ; }
  return same ;
}

static void gccattr_noreturn confdie(void)
{
  if (!stralloc_copys(&text, "Unable to read control files: ") || !stralloc_cat(&text, &control_error)
   || !stralloc_cats(&text, " (#4.3.0)\n") || !stralloc_0(&text))
    remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
  remoteout_die('Z', text.s) ;
}

void remotedeliver(char const *domain, char const *sender, char const *const *recips, unsigned int nrecips, int msgfd)
{
  static struct remoteconf conf = REMOTECONF_ZERO ;
  static struct remotehosts hosts = REMOTEHOSTS_ZERO ;
  static struct msgsrc msg = MSGSRC_ZERO ;
  struct remotesmtp job ;
  struct remotetls tls ;
  int level ;
  char st ;
  if (!remoteconf_read(&conf)) confdie() ;
  if (!msgsrc_open(&msg, msgfd)) remoteout_die('Z', "Unable to read message. (#4.3.0)\n") ;
  level = tlsdest_find(conf.tlsdest.s, conf.tlsdest.len, &conf.tlsdestlines, domain) ;
  if (level < 0) confdie() ;
  job.domain = domain ;
  job.helohost = conf.helohost.s ;
  job.timeoutconnect = (unsigned int)conf.timeoutconnect ;
  job.timeout = (unsigned int)conf.timeoutremote ;
  job.sender = sender ;
  job.recips = recips ;
  job.nrecips = nrecips ;
  job.msg = &msg ;
  job.tcpto = TCPTO_FILE ;
  tls.level = (enum tlsdest_level)level ;
  tls.domain = domain ;
  tls.cafile = conf.tlsca.s ;
  tls.tlsd = "bin/tlsd" ;
  tls.timeout = job.timeout ;
  job.starttls = &remotetls_starttls ;
  job.tlsconf = &tls ;
  /* the session kept for this domain, when it still works and was made
   * under the same control files; its TLS note stays from its handshake */
  if (!sameconf(&conf)) remotesmtp_end(1) ;
  remotesmtp_reuse(&job) ;
  if (!remoteout_note(0)) remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
  if (!ipme_init()) remoteout_die('Z', "System resources temporarily unavailable. (#4.3.0)\n") ;
  if (dns_init(conf.haveresolvers ? conf.resolvers.s : 0, conf.resolvers.len, (unsigned int)conf.timeoutconnect * 1000, &text) != DNS_OK)
  {
    if (!stralloc_cats(&text, " (#4.3.0)\n") || !stralloc_0(&text)) remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die('Z', text.s) ;
  }
  st = remotehosts_find(&hosts, domain, &conf, &text) ;
  if (st != 'K')
  {
    if (!stralloc_0(&text)) remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die(st, text.s) ;
  }
  remotesmtp_deliver(&job, &hosts) ;
}
