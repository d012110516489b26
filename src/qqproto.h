/* qqproto.h: the bytes between a queue client and queued (queued(8)).
 * Per message, the client sends the message as netstrings ("len:bytes,"),
 * an empty netstring "0:," to end it, then the envelope (F..., T..., the
 * final NUL: what queue reads on fd 1) as one netstring; queued answers
 * one line, queue's exit code in decimal and LF, once the entry is
 * durable or has failed. Several messages may follow on one connection.
 * One decoder for queued (and the tests), one encoder for qqclient. */
#ifndef CAIRN_QQPROTO_H
#define CAIRN_QQPROTO_H

#include <stddef.h>

#define QQPROTO_CHUNK_MAX (1UL << 24)   /* longest message netstring */
#define QQPROTO_DIGITS 8                /* digits of QQPROTO_CHUNK_MAX */
#define QQPROTO_HEAD_MAX (QQPROTO_DIGITS + 1)  /* "len:" */
#define QQPROTO_REPLY_MAX 8             /* "255\n" and room */

enum qqproto_event {
  QQPROTO_MORE = 0,    /* every byte given was used: feed more */
  QQPROTO_DATA,        /* *data, *datalen: message bytes */
  QQPROTO_ENDMSG,      /* the empty netstring: the message is whole */
  QQPROTO_ENV,         /* *data, *datalen: envelope bytes */
  QQPROTO_ENDENV,      /* the envelope netstring is whole: one message done */
  QQPROTO_EBAD         /* malformed: drop the connection */
} ;

struct qqproto {
  unsigned int state ;
  unsigned int digits ;
  size_t len ;         /* length being read, then bytes left in the netstring */
} ;
#define QQPROTO_ZERO { 0, 0, 0 }

/* Decodes from s (n bytes); *used gets how many were consumed. Returns one
 * event at a time: call again with the rest. A message netstring's length
 * is at most QQPROTO_CHUNK_MAX, an envelope's 1 to ENVELOPE_MAX; a length
 * has no leading zero and at most QQPROTO_DIGITS digits. After
 * QQPROTO_EBAD it keeps returning QQPROTO_EBAD. */
enum qqproto_event qqproto_next(struct qqproto *, char const *s, size_t n, size_t *used, char const **data, size_t *datalen) ;

/* 1 if the decoder is between messages (nothing of the next one read). */
int qqproto_idle(struct qqproto const *) ;

/* Formats "len:" into s (QQPROTO_HEAD_MAX bytes); returns its length. */
size_t qqproto_head(char *s, size_t len) ;

/* Reads a reply line from s (n bytes): 1 and *code when s holds digits
 * then LF (code 0 to 255), 0 otherwise. */
int qqproto_reply(char const *s, size_t n, int *code) ;

#endif
