/* smtpsess.h: an SMTP session on fds 0 and 1 with the given configuration.
 * Returns when the session is over (QUIT, the client went away, a 421
 * such as a timeout or too many errors), the reply flushed; the next call
 * starts a new session with nothing kept from this one, on whatever fds 0
 * and 1 are then. Exits 111 when the client cannot be written to. After
 * a failed TLS handshake the session ends (returns): the connection is
 * no longer plaintext. After STARTTLS fds 0 and 1 are the engine's
 * control channel (the caller closes them as it closed the connection). */
#ifndef CAIRN_SMTPSESS_H
#define CAIRN_SMTPSESS_H

#include "smtpconf.h"

void smtpsess_run(struct smtpconf *) ;

#endif
