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
 * STARTTLS (remotetls.h): when starttls is set, it is called once the
 * server has answered EHLO (ehlo set: ext holds what it offered) or HELO
 * (ehlo 0: nothing offered), before MAIL, with tlsconf, the address as
 * text (host) and the exchanger's name (name: the MX host or the relay,
 * "" for an address literal). It may send STARTTLS on c (smtpconn_puts,
 * then smtpconn_reply), and on 220 start the TLS engine on c->sock, hand
 * the session over to the engine's pipes with smtpconn_setfds (which
 * drops whatever the server sent before the handshake), then say EHLO
 * again with remotesmtp_ehlo, which refills ext. It returns
 *   1                  go on with MAIL (over TLS, or in plaintext when it
 *                      chose not to start TLS or STARTTLS was refused);
 *   REMOTESMTP_AGAIN   the connection is lost (a failed handshake):
 *                      connect once more to the same address and go on in
 *                      plaintext without calling starttls again;
 *   0                  give up this address and try the next (QUIT first
 *                      when the session still works);
 *   -1                 defer the message now.
 * For 0 and -1 it leaves a one-line reason in why, and remote reports
 * "Connected to IP but why" (for 0, when no later address works). */
#ifndef CAIRN_REMOTESMTP_H
#define CAIRN_REMOTESMTP_H

#include <skalibs/stralloc.h>
#include "msgsrc.h"
#include "remotehosts.h"
#include "smtpconn.h"
#include "smtpreply.h"

struct remotesmtp {
  char const *domain ;  /* the destination, remote's first argument */
  char const *helohost ;
  unsigned int timeoutconnect ;
  unsigned int timeout ;
  char const *sender ;
  char const *const *recips ;
  unsigned int nrecips ;
  struct msgsrc *msg ;
  char const *tcpto ;   /* the tcpto file, or 0 for none */
  int (*starttls)(void const *tlsconf, struct smtpconn *c, char const *helohost, char const *host,
    char const *name, int ehlo, struct smtpext *ext, stralloc *why) ;
  void const *tlsconf ;
} ;

#define REMOTESMTP_AGAIN 2

void remotesmtp_deliver(struct remotesmtp const *, struct remotehosts const *) __attribute__((noreturn)) ;

/* For a worker (remotework.h): from now on a session whose message was
 * accepted (250 to the final dot) is not ended with QUIT but kept open
 * and idle, with its server's extensions, for the next message to the
 * same domain: the report is written as before (remoteout_final returns
 * to the worker). */
void remotesmtp_keep(void) ;

/* Delivers j over the session kept for j->domain, from MAIL on, as
 * remotesmtp_deliver does after hello (so it does not return once MAIL
 * has an answer). Returns, with the session closed, when there is none
 * to reuse or it turns out to be gone before anything was taken: the
 * connection ended or failed, or the server answered MAIL with 4xx; the
 * caller then delivers j afresh. */
void remotesmtp_reuse(struct remotesmtp const *j) ;

/* The descriptor the kept session reads, to watch while it is idle (the
 * server closing it, or a 421), or -1 when no session is kept. */
int remotesmtp_idlefd(void) ;

/* Ends the connection: with QUIT when sayit and a session is kept. */
void remotesmtp_end(int sayit) ;

/* Says EHLO helohost on c and reads the reply into r; when it is 2xx,
 * ext gets the extensions offered, otherwise none. Returns what
 * smtpconn_reply returns. */
enum smtpconn_status remotesmtp_ehlo(struct smtpconn *c, char const *helohost, struct smtpreply *r, struct smtpext *ext) ;

/* An address as it goes between < and > in MAIL and RCPT: the local part
 * quoted when it is not a dot-atom (RFC 5321 4.1.2). 1, or 0 on ENOMEM. */
int remotesmtp_addr(stralloc *sa, char const *addr) ;

#endif
