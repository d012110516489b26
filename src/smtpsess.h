/* smtpsess.h: an SMTP session on fds 0 and 1 with the given configuration;
 * never returns (exits 0 when the client quits or goes away). */
#ifndef CAIRN_SMTPSESS_H
#define CAIRN_SMTPSESS_H

#include "smtpconf.h"

void smtpsess_run(struct smtpconf *) __attribute__((noreturn)) ;

#endif
