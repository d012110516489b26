/* msgsrc.h: the message remote sends, from its fd 0: a queue file
 * (seekable: read twice, once to measure it and once to send it) or a
 * pipe (read once into memory). The measure gives the SIZE= value (the
 * bytes of the DATA it makes, RFC 1870) and whether it has 8-bit bytes
 * (BODY=8BITMIME). */
#ifndef CAIRN_MSGSRC_H
#define CAIRN_MSGSRC_H

#include <stdint.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>

struct msgsrc {
  int fd ;
  int seekable ;
  off_t start ;     /* where the message starts in fd, when seekable */
  stralloc mem ;    /* the message, when fd is not seekable */
  size_t pos ;
  uint64_t size ;   /* bytes of the DATA it makes, without the final "." */
  int high ;        /* it has a byte over 127 */
} ;
#define MSGSRC_ZERO { -1, 0, 0, STRALLOC_ZERO, 0, 0, 0 }

/* Reads and measures the message on fd. 1, or 0 with errno. */
int msgsrc_open(struct msgsrc *, int fd) ;

/* Back to the start. 1, or 0 with errno. */
int msgsrc_rewind(struct msgsrc *) ;

/* Up to len bytes: their number, 0 at the end, -1 on error. */
ssize_t msgsrc_read(struct msgsrc *, char *buf, size_t len) ;

#endif
