/* remotesmtp.h: remote's SMTP client: one message, its sender and
 * recipients, to the first exchanger that takes the session as far as
 * MAIL. For each address in order (remotehosts.h): skip it when tcpto
 * says so; connect within timeoutconnect; read the greeting; EHLO, or
 * HELO when EHLO is refused. A failed connection, a greeting or HELO that
 * is not 2xx, or a connection lost before MAIL moves on to the next
 * address. Then, with the service extensions the server offered:
 * SIZE=n (and no attempt at all when the message is over the server's
 * limit), BODY=8BITMIME for a message with 8-bit bytes, and PIPELINING
 * (MAIL, every RCPT and DATA in one write, the replies read in order);
 * the message, dot-stuffed with CR LF line ends; QUIT. Every read and
 * write waits at most timeoutremote. The report goes out through
 * remoteout.h, and the program exits.
 *
 * STARTTLS (for remote-tls): when starttls is set, it is called after
 * the EHLO reply, with the extensions the server offered. It may send
 * STARTTLS on c, and on 220 start the TLS engine, hand the session over
 * to the engine's pipes with smtpconn_setfds, send EHLO again and read
 * the new extensions into ext. It returns 1 to go on with MAIL, 0 to give
 * up this address and try the next (with a reason in why, one line), and
 * -1 to defer the message now (why). */
#ifndef CAIRN_REMOTESMTP_H
#define CAIRN_REMOTESMTP_H

#include <skalibs/stralloc.h>
#include "msgsrc.h"
#include "remotehosts.h"
#include "smtpconn.h"
#include "smtpreply.h"

struct remotesmtp {
  char const *helohost ;
  unsigned int timeoutconnect ;
  unsigned int timeout ;
  char const *sender ;
  char const *const *recips ;
  unsigned int nrecips ;
  struct msgsrc *msg ;
  char const *tcpto ;   /* the tcpto file, or 0 for none */
  int (*starttls)(struct smtpconn *c, struct smtpext *ext, char const *host, stralloc *why) ;
} ;

void remotesmtp_deliver(struct remotesmtp const *, struct remotehosts const *) __attribute__((noreturn)) ;

/* An address as it goes between < and > in MAIL and RCPT: the local part
 * quoted when it is not a dot-atom (RFC 5321 4.1.2). 1, or 0 on ENOMEM. */
int remotesmtp_addr(stralloc *sa, char const *addr) ;

#endif
