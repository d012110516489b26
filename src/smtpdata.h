/* smtpdata.h: the DATA state machine of smtpd. It takes the bytes the
 * client sends after 354 in pieces of any size and gives the message as
 * queue stores it: dot-unstuffed, CRLF turned into LF. Only CRLF "." CRLF
 * ends the data (the CRLF before the dot may be the one that ended the
 * DATA command): a bare LF or a bare CR is never a line end, so
 * <LF>.<LF>, <CR>.<CR>, <LF>.<CR><LF> and <CR><LF>.<LF> cannot end one
 * message and start another (SMTP smuggling). A message holding a bare
 * CR or LF, a NUL, or a line over 998 octets (the dot added for
 * transparency not counted, RFC 5321 4.5.3.1.6) is read to its real end
 * and then refused, with the reason in the flags. */
#ifndef CAIRN_SMTPDATA_H
#define CAIRN_SMTPDATA_H

#include <stddef.h>

#define SMTPDATA_LINEMAX 998   /* octets of text per line, without CRLF */
#define SMTPDATA_HOPMAX 100    /* Received + Delivered-To header lines */

enum {
  SMTPDATA_BARE = 1,      /* a CR or LF that was not part of CRLF */
  SMTPDATA_NUL = 2,
  SMTPDATA_LONGLINE = 4,
  SMTPDATA_TOOBIG = 8,    /* over the size limit: the rest is not kept */
  SMTPDATA_HOPS = 16      /* more than SMTPDATA_HOPMAX hops in the header */
} ;

struct smtpdata {
  unsigned int state ;
  unsigned int flags ;
  size_t linelen ;        /* octets of the current line */
  size_t size ;           /* octets of message kept so far */
  size_t max ;            /* 0: no limit */
  unsigned int hops ;
  int inheader ;
  char head[16] ;         /* the start of the current header line */
} ;

void smtpdata_init(struct smtpdata *, size_t max) ;

/* Feeds len bytes; the message bytes to keep are written to out (which
 * has room for len + 1 bytes) and *outlen set. Returns the number of input
 * bytes used; *done is set to 1 when the final CRLF.CRLF was taken, and
 * the bytes after it (the next command, pipelined) are not used. */
size_t smtpdata_feed(struct smtpdata *, char const *in, size_t len, char *out, size_t *outlen, int *done) ;

#endif
