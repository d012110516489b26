/* smtpio.h: smtpd's side of the connection: fd 0 in, fd 1 out. Replies
 * are buffered and written out only when the client has nothing more
 * pipelined, so a PIPELINING client gets one write per batch. Every read
 * waits at most the session timeout. */
#ifndef CAIRN_SMTPIO_H
#define CAIRN_SMTPIO_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define SMTPIO_LINEMAX 512      /* a command line with its CRLF, RFC 5321 */

enum smtpio_line {
  SMTPIO_LINE = 0,   /* a command line in the stralloc, without CRLF */
  SMTPIO_TOOLONG,    /* over SMTPIO_LINEMAX; consumed up to its CRLF */
  SMTPIO_BAD,        /* held a bare CR, a bare LF or a NUL */
  SMTPIO_EOF,        /* the client went away */
  SMTPIO_TIMEOUT     /* nothing for timeout seconds */
} ;

/* Starts a session: empties both buffers. */
void smtpio_init(unsigned int timeout) ;
/* fds 0 and 1 were replaced (STARTTLS): their timeouts are set again. */
void smtpio_newfds(void) ;
void smtpio_put(char const *) ;
void smtpio_putb(char const *, size_t) ;
void smtpio_flush(void) ;            /* exits 111 when the client is gone */
enum smtpio_line smtpio_getline(stralloc *) ;

/* The next input bytes, reading when none are buffered: returns their
 * number (0 on EOF, -1 on timeout) and *p points to them; smtpio_eat(n)
 * consumes n of them. */
long smtpio_peek(char const **p) ;
void smtpio_eat(size_t n) ;
/* Bytes already read and not consumed: discarded (the STARTTLS rule). */
size_t smtpio_pending(void) ;

#endif
