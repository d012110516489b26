/* local: delivers one message to one local address, as qmail-local does:
 *   local [-nN] user homedir local dash ext domain sender defaultdelivery
 * run by lspawn as the user, with the message on fd 0 (a seekable file);
 * the delivery itself is localdeliver.h's. qmail-local's report on stdout
 * (localreport.h); exit 0 delivered, 100 permanent failure (a bounce), 111
 * temporary failure (a retry). -n prints the deliveries it would make
 * instead.
 *   local -W
 * is a delivery worker (localworker.h): lspawn starts it as one user and
 * sends it that user's deliveries, one after another, over the socket on
 * fd 0. See local(8). */
#include <signal.h>
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "localdeliver.h"
#include "localreport.h"
#include "localworker.h"

#define USAGE "local [-nN] user homedir local dash ext domain sender defaultdelivery"

static void gccattr_noreturn usage(char const *what)
{
  stralloc report = STRALLOC_ZERO ;
  char const *s[] = { "Unable to deliver: local was run with ", what, "; usage: ", USAGE, " (#4.3.5)", 0 } ;
  for (char const *const *p = s ; *p ; p++) localreport_cat(&report, *p, strlen(*p)) ;
  localreport_exit(&report, 111) ;
}

int main(int argc, char const *const *argv)
{
  subgetopt o = SUBGETOPT_ZERO ;
  struct localdeliver_args a ;
  stralloc report = STRALLOC_ZERO ;
  int doit = 1, worker = 0, code ;

  PROG = "local" ;
  signal(SIGPIPE, SIG_IGN) ;
  for (int opt ; (opt = subgetopt_r(argc, argv, "nNW", &o)) != -1 ;)
    if (opt == 'n') doit = 0 ;
    else if (opt == 'N') doit = 1 ;
    else if (opt == 'W') worker = 1 ;
    else usage("a bad option") ;
  argc -= o.ind ; argv += o.ind ;
  if (worker)
  {
    if (argc) usage("bad arguments") ;
    return localworker_run() ;
  }
  /* A wrong call is the system's fault, never the sender's: defer. */
  if (argc != 8 || argv[1][0] != '/') usage("bad arguments") ;
  a = (struct localdeliver_args){ argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], argv[7] } ;
  code = localdeliver(&a, doit, &report) ;
  localreport_exit(&report, code) ;
}
