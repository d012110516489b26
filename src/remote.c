/* remote: one remote delivery (qmail-remote's place and interface).
 *   remote host sender recip [recip ...]
 * Sends the message on fd 0 to the exchangers of host (remotehosts.h)
 * over SMTP (remotesmtp.h), with STARTTLS by the destination's TLS level
 * (tlsdest.h, remotetls.h), and reports on fd 1 in qmail-remote's format
 * (remoteout.h, remote(8)). Exits 0 once it has reported, whatever the
 * result; 111 when the report cannot be written. */
#include <signal.h>
#include <unistd.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "control.h"
#include "dns.h"
#include "ipme.h"
#include "msgsrc.h"
#include "remoteconf.h"
#include "remotehosts.h"
#include "remoteout.h"
#include "remotesmtp.h"
#include "remotetls.h"
#include "tcpto.h"
#include "tlsdest.h"

int main(int argc, char const *const *argv)
{
  static struct remoteconf conf = REMOTECONF_ZERO ;
  static struct remotehosts hosts = REMOTEHOSTS_ZERO ;
  static struct msgsrc msg = MSGSRC_ZERO ;
  static stralloc text = STRALLOC_ZERO ;
  struct remotesmtp job ;
  struct remotetls tls ;
  int level ;
  char st ;
  PROG = "remote" ;
  sig_ignore(SIGPIPE) ;
  if (argc < 4) remoteout_die('D', "I (remote) was invoked improperly. (#5.3.5)\n") ;
  if (chdir(auto_home) < 0) remoteout_die('Z', "Unable to switch to home directory. (#4.3.0)\n") ;
  if (!remoteconf_read(&conf))
  {
    if (!stralloc_copys(&text, "Unable to read control files: ") || !stralloc_cat(&text, &control_error)
     || !stralloc_cats(&text, " (#4.3.0)\n") || !stralloc_0(&text))
      remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die('Z', text.s) ;
  }
  if (!msgsrc_open(&msg, 0)) remoteout_die('Z', "Unable to read message. (#4.3.0)\n") ;
  if (!ipme_init()) remoteout_die('Z', "System resources temporarily unavailable. (#4.3.0)\n") ;
  if (dns_init(conf.haveresolvers ? conf.resolvers.s : 0, conf.resolvers.len, (unsigned int)conf.timeoutconnect * 1000, &text) != DNS_OK)
  {
    if (!stralloc_cats(&text, " (#4.3.0)\n") || !stralloc_0(&text)) remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die('Z', text.s) ;
  }
  level = tlsdest_find(conf.tlsdest.s, conf.tlsdest.len, &conf.tlsdestlines, argv[1]) ;
  if (level < 0)
  {
    if (!stralloc_copys(&text, "Unable to read control files: ") || !stralloc_cat(&text, &control_error)
     || !stralloc_cats(&text, " (#4.3.0)\n") || !stralloc_0(&text))
      remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die('Z', text.s) ;
  }
  st = remotehosts_find(&hosts, argv[1], &conf, &text) ;
  if (st != 'K')
  {
    if (!stralloc_0(&text)) remoteout_die('Z', "Out of memory. (#4.3.0)\n") ;
    remoteout_die(st, text.s) ;
  }
  job.helohost = conf.helohost.s ;
  job.timeoutconnect = (unsigned int)conf.timeoutconnect ;
  job.timeout = (unsigned int)conf.timeoutremote ;
  job.sender = argv[2] ;
  job.recips = argv + 3 ;
  job.nrecips = (unsigned int)(argc - 3) ;
  job.msg = &msg ;
  job.tcpto = TCPTO_FILE ;
  tls.level = (enum tlsdest_level)level ;
  tls.domain = argv[1] ;
  tls.cafile = conf.tlsca.s ;
  tls.tlsd = "bin/tlsd" ;
  tls.timeout = job.timeout ;
  job.starttls = &remotetls_starttls ;
  job.tlsconf = &tls ;
  remotesmtp_deliver(&job, &hosts) ;
}
