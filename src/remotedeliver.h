/* remotedeliver.h: one remote delivery, as remote makes it (remote(8)):
 * reads the control files (remoteconf.h), measures the message on msgfd
 * (msgsrc.h), picks the TLS level (tlsdest.h), finds the exchangers
 * (remotehosts.h) and runs the SMTP session (remotesmtp.h), which reports
 * through remoteout.h. In a worker (remotesmtp_keep called) the session
 * kept for the same domain is tried first. Never returns: the report's
 * message record exits, or returns to the worker (remoteout_capture).
 * The working directory must be conf-home. */
#ifndef CAIRN_REMOTEDELIVER_H
#define CAIRN_REMOTEDELIVER_H

void remotedeliver(char const *domain, char const *sender, char const *const *recips, unsigned int nrecips, int msgfd)
  __attribute__((noreturn)) ;

#endif
