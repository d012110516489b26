/* injectconf.c: inject's control files and environment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "control.h"
#include "injectconf.h"

/* control/NAME into sa, else me, else NAME itself; then $var wins. */
static int one(stralloc *sa, char const *name, stralloc const *me, char const *var)
{
  char fn[32] = "control/" ;
  char const *x = getenv(var) ;
  if (x) return stralloc_copys(sa, x) && stralloc_0(sa) ;
  strcat(fn, name) ;
  if (me->len) { if (control_rldef(sa, fn, me->s) < 0) return 0 ; }
  else if (control_rldef(sa, fn, name) < 0) return 0 ;
  return stralloc_0(sa) ;
}

static char const *firstenv(char const *a, char const *b, char const *c, char const *d)
{
  char const *x = getenv(a) ;
  if (!x && b) x = getenv(b) ;
  if (!x && c) x = getenv(c) ;
  if (!x && d) x = getenv(d) ;
  return x ;
}

int injectconf_read(struct injectconf *c, char const **fn)
{
  struct injecthead_conf *h = &c->hc ;
  char const *x ;
  int r ;
  *fn = "control/me" ;
  r = control_readline(&c->me, "control/me") ;
  if (r < 0) return 0 ;
  if (!r) c->me.len = 0 ;
  if (!stralloc_0(&c->me)) return 0 ;
  c->me.len-- ;   /* empty me means "none" to one() */
  *fn = "control/defaulthost" ;
  if (!one(&c->defaulthost, "defaulthost", &c->me, "QMAILDEFAULTHOST")) return 0 ;
  *fn = "control/defaultdomain" ;
  if (!one(&c->defaultdomain, "defaultdomain", &c->me, "QMAILDEFAULTDOMAIN")) return 0 ;
  *fn = "control/plusdomain" ;
  if (!one(&c->plusdomain, "plusdomain", &c->me, "QMAILPLUSDOMAIN")) return 0 ;
  *fn = "control/idhost" ;
  if (!one(&c->idhost, "idhost", &c->me, "QMAILIDHOST")) return 0 ;

  memset(h, 0, sizeof *h) ;
  h->q.defaulthost = c->defaulthost.s ;
  h->q.defaultdomain = c->defaultdomain.s ;
  h->q.plusdomain = c->plusdomain.s ;
  h->idhost = c->idhost.s ;
  h->user = firstenv("QMAILUSER", "MAILUSER", "USER", "LOGNAME") ;
  if (!h->user) h->user = "anonymous" ;
  h->host = firstenv("QMAILHOST", "MAILHOST", 0, 0) ;
  h->name = firstenv("QMAILNAME", "MAILNAME", "NAME", 0) ;
  h->suser = getenv("QMAILSUSER") ;
  if (!h->suser) h->suser = h->user ;
  h->shost = getenv("QMAILSHOST") ;
  if (!h->shost) h->shost = h->host ;
  for (x = getenv("QMAILINJECT") ; x && *x ; x++)
    switch (*x)
    {
      case 'c': h->namecomment = 1 ; break ;
      case 's': h->deletereturnpath = 1 ; break ;
      case 'f': h->deletefrom = 1 ; break ;
      case 'i': h->deletemessageid = 1 ; break ;
    }
  errno = 0 ;
  return 1 ;
}
