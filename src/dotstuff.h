/* dotstuff.h: a message as SMTP DATA carries it (RFC 5321 4.5.2): every
 * line end becomes CR LF (a bare LF, and a bare CR as qmail-remote does,
 * so that no lone CR or LF reaches the peer), a line starting with '.'
 * gets one more, and the data ends with CR LF "." CR LF. A final line
 * without its line end gets one. The converter is streaming: input comes
 * in pieces of any size and the state carries across them. */
#ifndef CAIRN_DOTSTUFF_H
#define CAIRN_DOTSTUFF_H

#include <stddef.h>

struct dotstuff {
  unsigned char bol ;   /* at the start of a line */
  unsigned char cr ;    /* a CR seen, its LF not yet */
  unsigned char high ;  /* a byte over 127 was seen */
} ;
#define DOTSTUFF_ZERO { 1, 0, 0 }

/* The output of at most DOTSTUFF_OUT(len) bytes for len input bytes. */
#define DOTSTUFF_OUT(len) (4 * (len))
#define DOTSTUFF_ENDMAX 5

void dotstuff_init(struct dotstuff *) ;

/* Converts len bytes of in into out (room for DOTSTUFF_OUT(len) bytes);
 * returns the bytes written. */
size_t dotstuff_run(struct dotstuff *, char const *in, size_t len, char *out) ;

/* The end of the data into out (DOTSTUFF_ENDMAX bytes): the missing line
 * end, then ".\r\n". Returns the bytes written. */
size_t dotstuff_end(struct dotstuff *, char *out) ;

#endif
