/* aliases: delivers a message to a sendmail-style alias, as fastforward
 * does for qmail: run from ~alias/.qmail-default by local,
 *   |/var/qmail/bin/aliases /etc/aliases.cdb
 * it looks up $DEFAULT (else $LOCAL) at $HOST in the cdb newaliases made
 * (aliaslookup.h), appends to the alias's files, runs its programs, and
 * sends one new message through queue to its addresses (localfwd.h) with
 * this delivery's Delivered-To line, so that an alias of an alias is
 * looked up when that copy is delivered and a loop is seen where it
 * closes. Exit 0 delivered, 100 no such alias (0 with -p) or a permanent
 * failure, 111 a temporary one; the report on stdout, as local's. See
 * aliases(8). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/cdb.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "aliasfile.h"
#include "aliaslookup.h"
#include "localenv.h"
#include "localfwd.h"
#include "localprog.h"
#include "localreport.h"
#include "mbox.h"

#define USAGE "aliases [ -nN ] [ -pP ] cdbfile"

static stralloc report = STRALLOC_ZERO ;
static stralloc why = STRALLOC_ZERO ;

static void gccattr_noreturn sayv(int code, char const *const *s)
{
  report.len = 0 ;
  for (; *s ; s++) localreport_cat(&report, *s, strlen(*s)) ;
  localreport_exit(&report, code) ;
}
#define say(code, ...) sayv(code, (char const *const[]){ __VA_ARGS__, 0 })
static void gccattr_noreturn nomem(void) { say(111, "Out of memory. (#4.3.0)") ; }
static void gccattr_noreturn die(int code)
{
  if (!why.len) nomem() ;
  report.len = 0 ;
  localreport_cat(&report, why.s, why.len) ;
  localreport_exit(&report, code) ;
}

static char const *need(char const *var)
{
  char const *x = getenv(var) ;
  if (!x) say(111, "Unable to deliver: $", var, " is not set; aliases runs from a .qmail file. (#4.3.5)") ;
  return x ;
}

static void print(char const *what, char const *arg)
{
  buffer_puts(buffer_1, what) ;
  buffer_puts(buffer_1, arg) ;
  buffer_putflush(buffer_1, "\n", 1) ;
}

/* UFLINE RPLINE DTLINE as local set them (or made again when run by hand). */
static void lines(char const *local, char const *host, char const *sender, stralloc *dt, stralloc *head)
{
  char const *u = getenv("UFLINE"), *r = getenv("RPLINE"), *d = getenv("DTLINE") ;
  if (d) { if (!stralloc_cats(dt, d)) nomem() ; }
  else if (!localenv_dtline(dt, local, host)) nomem() ;
  if (u) { if (!stralloc_cats(head, u)) nomem() ; }
  else if (!mbox_ufline(head, sender, time(0))) nomem() ;
  if (r) { if (!stralloc_cats(head, r)) nomem() ; }
  else if (!localenv_rpline(head, sender)) nomem() ;
  if (!stralloc_cat(head, dt)) nomem() ;
}

int main(int argc, char const *const *argv)
{
  subgetopt o = SUBGETOPT_ZERO ;
  cdb c = CDB_ZERO ;
  cdb_data d ;
  stralloc dt = STRALLOC_ZERO, head = STRALLOC_ZERO, sender = STRALLOC_ZERO, recips = STRALLOC_ZERO, out = STRALLOC_ZERO ;
  char const *local, *host, *name ;
  unsigned long count[3] = { 0, 0, 0 } ;   /* forwards, files, programs */
  char num[ULONG_FMT] ;
  int doit = 1, pass = 0, r ;
  pid_t qp = 0 ;

  PROG = "aliases" ;
  signal(SIGPIPE, SIG_IGN) ;
  for (int opt ; (opt = subgetopt_r(argc, argv, "nNpP", &o)) != -1 ;)
    switch (opt)
    {
      case 'n': doit = 0 ; break ;
      case 'N': doit = 1 ; break ;
      case 'p': pass = 1 ; break ;
      case 'P': pass = 0 ; break ;
      default: say(111, "Unable to deliver: aliases was run with a bad option; usage: ", USAGE, " (#4.3.5)") ;
    }
  if (argc - o.ind != 1) say(111, "Unable to deliver: aliases was run with bad arguments; usage: ", USAGE, " (#4.3.5)") ;
  local = need("LOCAL") ; host = need("HOST") ;
  name = getenv("DEFAULT") ;
  if (!name || !*name) name = local ;
  if (!cdb_init(&c, argv[o.ind])) say(111, "Unable to read ", argv[o.ind], ": ", strerror(errno), " (run newaliases). (#4.3.0)") ;
  r = aliaslookup(&c, name, host, &d) ;
  if (r < 0) say(111, "Unable to read ", argv[o.ind], ": ", strerror(errno), ". (#4.3.0)") ;
  if (!r)
  {
    if (pass) say(0, "No alias ", name, ": passed on.") ;
    say(100, "Sorry, no mailbox here by that name. (#5.1.1)") ;
  }
  for (uint32_t i = 0 ; i < d.len ; i += strlen(d.s + i) + 1)
    if (d.s[i] == ALIAS_ERROR) say(100, "Sorry, ", name, " does not take mail: ", d.s + i + 1, " (#5.1.1)") ;
  if (!aliaslookup_sender(&c, name, host, getenv("NEWSENDER") ? getenv("NEWSENDER") : need("SENDER"), &sender)) nomem() ;
  lines(local, host, need("SENDER"), &dt, &head) ;
  if (!doit) print("sender ", sender.s) ;
  for (uint32_t i = 0 ; i < d.len ; i += strlen(d.s + i) + 1)
  {
    char const *t = d.s + i + 1 ;
    switch (d.s[i])
    {
      case ALIAS_FILE:
        count[1]++ ;
        if (!doit) { print("file ", t) ; break ; }
        if (mbox_deliver(t, 0, head.s, head.len, &why)) die(111) ;
        break ;
      case ALIAS_PROGRAM:
        count[2]++ ;
        if (!doit) { print("program ", t) ; break ; }
        r = localprog_run(t, 0, &out, &why) ;
        if (r == 100 || r == 111) die(r) ;
        break ;
      case ALIAS_ADDRESS:
      {
        size_t base = recips.len ;
        if (!stralloc_cats(&recips, t)) nomem() ;
        /* a bare name is a name at this domain */
        if (!strchr(t, '@') && (!stralloc_catb(&recips, "@", 1) || !stralloc_cats(&recips, host))) nomem() ;
        if (!stralloc_0(&recips)) nomem() ;
        for (size_t k = 0 ; k < base ; k += strlen(recips.s + k) + 1)
          if (!strcmp(recips.s + k, recips.s + base)) { recips.len = base ; break ; }
        if (recips.len == base) break ;
        count[0]++ ;
        if (!doit) print("forward ", recips.s + base) ;
        break ;
      }
      default: say(111, "Unable to read ", argv[o.ind], ": unknown target kind (run newaliases). (#4.3.0)") ;
    }
  }
  if (doit && recips.len)
    if ((r = localfwd_send(0, dt.s, dt.len, sender.s, recips.s, recips.len, &qp, &why))) die(r) ;
  report.len = 0 ;
  if (!stralloc_cats(&report, "alias ") || !localreport_cat(&report, name, strlen(name)) || !stralloc_cats(&report, ": did ")) nomem() ;
  for (unsigned int i = 0 ; i < 3 ; i++)
    if (!stralloc_catb(&report, num, ulong_fmt(num, count[i])) || (i < 2 && !stralloc_cats(&report, "+"))) nomem() ;
  if (qp && (!stralloc_cats(&report, " qp ") || !stralloc_catb(&report, num, pid_fmt(num, qp)))) nomem() ;
  localreport_exit(&report, 0) ;
}
