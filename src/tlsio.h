/* tlsio.h: tlsd's event loop. BearSSL's engine (a state machine over
 * buffers) between the network connection and the control channel: TLS
 * records from and to the network, plaintext from and to the program.
 * Every buffer is the engine's own (BR_SSL_BUFSIZE_BIDI, set by the
 * caller): nothing grows. When the handshake is done the outcome record
 * (tlsctl.h) goes to the program before any plaintext. The program's EOF
 * sends close_notify; the network's EOF or close_notify ends the
 * program's input. */
#ifndef CAIRN_TLSIO_H
#define CAIRN_TLSIO_H

#include <bearssl.h>
#include <skalibs/stralloc.h>

struct tlsio {
  br_ssl_engine_context *eng ;   /* reset, with its buffer */
  int netin, netout ;            /* the connection (may be one fd) */
  int appin, appout ;            /* the control channel (may be one fd) */
  unsigned int timeout ;         /* seconds the network may stall us */
  /* called once, when the handshake is done: the 'Y' record into sa */
  int (*ready)(br_ssl_engine_context *, stralloc *sa, void *ctx) ;
  void *ctx ;
  int handshook ;                /* out: the handshake was completed */
} ;

/* Runs until both sides are done. 1 when the connection ended cleanly;
 * 0 with a reason in why (at least 128 bytes): a failed handshake, a
 * TLS error, a network error or a timeout. */
int tlsio_run(struct tlsio *, char *why) ;

#endif
