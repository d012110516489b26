/* sendmail: the sendmail-compatible front end (qmail's sendmail wrapper).
 * Reads sendmail's options (sendmailopt.h) and becomes the cairn program
 * that does the job: inject for a message, smtpd for -bs, qread for -bp
 * and "mailq", newaliases for -bi; -q wakes send (sendalrm.h). The home is
 * conf-home, compiled in, so that /usr/sbin/sendmail may be a symlink.
 * Exit codes are those of the program it becomes. See sendmail(8). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "sendalrm.h"
#include "sendmailopt.h"

#define USAGE "sendmail [ -t ] [ -f sender ] [ -F name ] [ -bm | -bs | -bp | -bi | -q ] [ -- ] [ recip ... ]"

static void gccattr_noreturn run(char const *const *argv)
{
  execv(argv[0], (char *const *)argv) ;
  strerr_dieexec(111, argv[0]) ;
}

/* qmail's sendmail -bs: a local user speaks SMTP as if from 127.0.0.1,
 * allowed to relay; what tcpserver would have set, unless it did. */
static void gccattr_noreturn smtp(void)
{
  static char const *const vars[][2] = {
    { "RELAYCLIENT", "" }, { "DATABYTES", "0" }, { "PROTO", "TCP" },
    { "TCPLOCALIP", "127.0.0.1" }, { "TCPLOCALHOST", "localhost" },
    { "TCPREMOTEIP", "127.0.0.1" }, { "TCPREMOTEHOST", "localhost" },
    { "TCPREMOTEINFO", "sendmail-bs" }
  } ;
  if (!getenv("PROTO"))
    for (size_t i = 0 ; i < sizeof vars / sizeof *vars ; i++)
      if (setenv(vars[i][0], vars[i][1], 1) < 0) strerr_diefu1sys(111, "set the environment") ;
  run((char const *const[]){ "bin/smtpd", 0 }) ;
}

static void gccattr_noreturn flush(void)
{
  pid_t pid ;
  switch (sendalrm("queue/lock/sendmutex", &pid))
  {
    case SENDALRM_OK: _exit(0) ;
    case SENDALRM_NOTRUNNING: strerr_dief1x(111, "send is not running: nothing to wake") ;
    case SENDALRM_EPERM: strerr_dief1x(100, "-q: only root and the send user may wake send (try: s6-svc -a on its service)") ;
    default: strerr_diefu1sys(111, "signal send") ;
  }
}

int main(int argc, char const *const *argv)
{
  static struct sendmailopt o = SENDMAILOPT_ZERO ;
  char const *base ;
  char const **args ;
  unsigned int n = 0 ;

  PROG = "sendmail" ;
  if (chdir(auto_home) < 0) strerr_diefu2sys(111, "switch to ", auto_home) ;
  base = argc ? strrchr(argv[0], '/') : 0 ;
  base = base ? base + 1 : argc ? argv[0] : "sendmail" ;
  if (!strcmp(base, "mailq")) run((char const *const[]){ "bin/qread", 0 }) ;
  if (!strcmp(base, "newaliases"))
  {
    /* its own options (-f, -o) pass through */
    char const **a = malloc(((size_t)argc + 1) * sizeof *a) ;
    if (!a) strerr_diefu1sys(111, "allocate") ;
    a[0] = "bin/newaliases" ;
    for (int i = 1 ; i <= argc ; i++) a[i] = argv[i] ;
    run(a) ;
  }
  if (!sendmailopt_parse(&o, (unsigned int)argc, argv)) strerr_diefu1sys(111, "read options") ;
  if (o.error) strerr_dief3x(100, o.error, "; usage: ", USAGE) ;
  for (size_t i = 0 ; i < o.ignored.len ; i += strlen(o.ignored.s + i) + 1)
    strerr_warnw3x("ignoring unknown option ", o.ignored.s + i, "") ;
  switch (o.mode)
  {
    case SENDMAIL_SMTP: smtp() ;
    case SENDMAIL_MAILQ: run((char const *const[]){ "bin/qread", 0 }) ;
    case SENDMAIL_ALIASES: run((char const *const[]){ "bin/newaliases", 0 }) ;
    case SENDMAIL_FLUSH: flush() ;
    case SENDMAIL_INJECT: break ;
  }
  if (o.fullname && setenv("QMAILNAME", o.fullname, 1) < 0) strerr_diefu1sys(111, "set the environment") ;
  args = malloc(((size_t)argc + 6) * sizeof *args) ;
  if (!args) strerr_diefu1sys(111, "allocate") ;
  args[n++] = "bin/inject" ;
  /* qmail's sendmail: -t adds the header's recipients to the arguments'. */
  args[n++] = o.headers ? "-H" : "-a" ;
  if (o.sender) { args[n++] = "-f" ; args[n++] = o.sender ; }
  args[n++] = "--" ;
  for (unsigned int i = o.rcpt ; i < (unsigned int)argc ; i++) args[n++] = argv[i] ;
  args[n] = 0 ;
  run(args) ;
}
