/* smtpconn.h: remote's connection to an SMTP server: connecting within a
 * time limit, buffered commands, replies read a line at a time, every
 * read and write bounded by the session timeout. The connection reads
 * rfd and writes wfd: both are the socket at first; STARTTLS replaces
 * them with the pipes of a TLS engine (smtpconn_setfds), the rest of the
 * session going on unchanged in plaintext over the pipes. */
#ifndef CAIRN_SMTPCONN_H
#define CAIRN_SMTPCONN_H

#include <stddef.h>
#include <stdint.h>
#include <skalibs/buffer.h>
#include <skalibs/stralloc.h>
#include "dns.h"
#include "smtpreply.h"

struct smtpconn {
  int sock ;              /* the TCP socket */
  int rfd, wfd ;          /* what the session reads and writes */
  unsigned int timeout ;  /* seconds, for each read and each write */
  buffer in, out ;
  char inbuf[4096] ;
  char outbuf[16384] ;
  stralloc line ;
} ;

enum smtpconn_status {
  SMTPCONN_OK = 0,
  SMTPCONN_DIED,      /* end of input, an error, or the timeout (errno) */
  SMTPCONN_BAD,       /* the peer sent something that is not a reply */
  SMTPCONN_NOMEM
} ;

/* Connects to ip port within timeoutconnect seconds. 1, or 0 with errno
 * (ETIMEDOUT when the time ran out) and no descriptor left open. */
int smtpconn_connect(struct smtpconn *, struct dns_ip const *ip, uint16_t port,
  unsigned int timeoutconnect, unsigned int timeout) ;

/* STARTTLS: from now on the session reads rfd and writes wfd (both
 * non-blocking). Input already buffered is discarded (RFC 3207: nothing
 * the peer sent before the handshake may be taken as part of the
 * protected session); the output buffer must be empty (flushed). */
void smtpconn_setfds(struct smtpconn *, int rfd, int wfd) ;

/* Buffers len bytes, writing out when the buffer is full. */
enum smtpconn_status smtpconn_put(struct smtpconn *, char const *s, size_t len) ;
enum smtpconn_status smtpconn_puts(struct smtpconn *, char const *s) ;
enum smtpconn_status smtpconn_flush(struct smtpconn *) ;

/* Flushes, then reads one whole reply into r. */
enum smtpconn_status smtpconn_reply(struct smtpconn *, struct smtpreply *r) ;

/* Closes every descriptor of the connection. */
void smtpconn_close(struct smtpconn *) ;

#endif
