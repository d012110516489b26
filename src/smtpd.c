/* smtpd: the SMTP server (qmail-smtpd's job), on fd 0 and fd 1 under
 * tcpserver, as qmaild. It reads its configuration, then runs one session;
 * each accepted message goes through queue. Refuses to start without
 * control/rcpthosts rather than run as an open relay. */
#include <signal.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "control.h"
#include "smtpconf.h"
#include "smtpsess.h"

static struct smtpconf conf ;

static void die421(char const *why)
{
  buffer_putsflush(buffer_1, "421 4.3.0 temporary configuration problem; try again later\r\n") ;
  strerr_dief(111, why) ;
}

int main(void)
{
  PROG = "smtpd" ;
  signal(SIGPIPE, SIG_IGN) ;
  if (chdir(auto_home) < 0) die421("unable to switch to the home directory") ;
  if (!smtpconf_load(&conf)) die421(control_error.len ? control_error.s : "unable to read the control files") ;
  smtpsess_run(&conf) ;
  /* The session has said its last word: _exit, as smtpd did at QUIT
   * before sessions returned, so that nothing at exit (a sanitizer's
   * leak check, which hangs in a process that dropped its uid without
   * exec, as under tlsd) keeps the client waiting for the close. */
  _exit(0) ;
}
