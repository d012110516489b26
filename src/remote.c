/* remote: one remote delivery (qmail-remote's place and interface).
 *   remote host sender recip [recip ...]
 * Sends the message on fd 0 to the exchangers of host (remotehosts.h)
 * over SMTP (remotesmtp.h), with STARTTLS by the destination's TLS level
 * (tlsdest.h, remotetls.h), and reports on fd 1 in qmail-remote's format
 * (remoteout.h, remote(8)). Exits 0 once it has reported, whatever the
 * result; 111 when the report cannot be written.
 *   remote -W
 * is a delivery worker of rspawn's (remotework.h): jobs and reports on
 * the socket on fd 0, sessions kept between messages to one domain. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "remotedeliver.h"
#include "remoteout.h"
#include "remotework.h"

int main(int argc, char const *const *argv)
{
  PROG = "remote" ;
  sig_ignore(SIGPIPE) ;
  if (argc == 2 && !strcmp(argv[1], "-W"))
  {
    if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
    return remotework_run() ;
  }
  if (argc < 4) remoteout_die('D', "I (remote) was invoked improperly. (#5.3.5)\n") ;
  if (chdir(auto_home) < 0) remoteout_die('Z', "Unable to switch to home directory. (#4.3.0)\n") ;
  remotedeliver(argv[1], argv[2], argv + 3, (unsigned int)(argc - 3), 0) ;
}
