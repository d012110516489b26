/* spawnproto.h: the protocol between send and its delivery spawners
 * (lspawn, rspawn), cairn-spawn(5). Two pipes, a stream of messages each way:
 *   request, send -> spawner:  SLOT NUL ID NUL SENDER NUL RECIPIENT NUL
 *   result,  spawner -> send:  SLOT NUL STATUS TEXT NUL
 * SLOT and ID are decimal, SENDER may be empty (the null sender), STATUS is
 * one byte: K delivered, Z temporary failure, D permanent failure. TEXT is
 * the explanation, any bytes but NUL, at most SPAWNPROTO_TEXT_MAX.
 * One encoder and one streaming decoder per direction serve both sides.
 * The decoders take bytes in pieces of any size, as a pipe delivers them,
 * and refuse a malformed stream for good: its reader can no longer know
 * where the next message starts. */
#ifndef CAIRN_SPAWNPROTO_H
#define CAIRN_SPAWNPROTO_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define SPAWNPROTO_ADDR_MAX 1000   /* sender or recipient, as qmail */
#define SPAWNPROTO_TEXT_MAX 4000   /* explanation text */

struct spawnreq {
  unsigned int slot ;
  unsigned long id ;                       /* the message: inode of its mess file */
  size_t senderlen ;
  size_t reciplen ;
  char sender[SPAWNPROTO_ADDR_MAX + 1] ;   /* NUL-terminated */
  char recip[SPAWNPROTO_ADDR_MAX + 1] ;    /* NUL-terminated, never empty */
} ;

struct spawnres {
  unsigned int slot ;
  char status ;                            /* 'K', 'Z' or 'D' */
  size_t len ;
  char text[SPAWNPROTO_TEXT_MAX + 1] ;     /* NUL-terminated */
} ;

/* Return values of the decoders. Errors stay: once a decoder has returned
 * one, every later call returns it again. */
enum spawnproto_status {
  SPAWNPROTO_MORE = 0,   /* every byte used, no message complete yet */
  SPAWNPROTO_DONE,       /* one message complete in the decoder */
  SPAWNPROTO_ESLOT,      /* slot empty, not decimal digits, over 20 digits */
  SPAWNPROTO_ESLOTMAX,   /* slot over the decoder's maximum */
  SPAWNPROTO_EID,        /* id empty, not decimal digits, over 20 digits
                            or over ULONG_MAX */
  SPAWNPROTO_EADDR,      /* an address over SPAWNPROTO_ADDR_MAX */
  SPAWNPROTO_ERCPT,      /* empty recipient */
  SPAWNPROTO_ESTATUS,    /* status byte missing or not K, Z, D */
  SPAWNPROTO_ETEXT,      /* text over SPAWNPROTO_TEXT_MAX */
  SPAWNPROTO_ETRUNC      /* input ended inside a message (spawnproto_*end) */
} ;

struct spawnproto_reqdec {
  struct spawnreq req ;
  unsigned int slotmax ;
  unsigned int field ;   /* 0 slot, 1 id, 2 sender, 3 recipient */
  unsigned int err ;     /* 0 or the error that stopped the decoder */
  unsigned int inside ;  /* bytes of a message seen, not yet complete */
  size_t flen ;          /* bytes of the current field */
} ;

struct spawnproto_resdec {
  struct spawnres res ;
  unsigned int slotmax ;
  unsigned int field ;   /* 0 slot, 1 status, 2 text */
  unsigned int err ;
  unsigned int inside ;
  size_t flen ;
} ;

/* A decoder accepting slots 0 to slotmax. */
void spawnproto_reqinit(struct spawnproto_reqdec *, unsigned int slotmax) ;
void spawnproto_resinit(struct spawnproto_resdec *, unsigned int slotmax) ;

/* Feeds len bytes of s. Stops after the first complete message and returns
 * SPAWNPROTO_DONE with it in d->req (d->res), valid until the next call;
 * *used gets the bytes consumed, so the caller feeds the rest next. Returns
 * SPAWNPROTO_MORE when all len bytes are used without completing one, or an
 * error (*used then counts the byte that was refused). */
enum spawnproto_status spawnproto_reqfeed(struct spawnproto_reqdec *d, char const *s, size_t len, size_t *used) ;
enum spawnproto_status spawnproto_resfeed(struct spawnproto_resdec *d, char const *s, size_t len, size_t *used) ;

/* For end of input: SPAWNPROTO_DONE if the stream ended between messages,
 * SPAWNPROTO_ETRUNC if inside one, or the error the decoder already had. */
enum spawnproto_status spawnproto_reqend(struct spawnproto_reqdec const *) ;
enum spawnproto_status spawnproto_resend(struct spawnproto_resdec const *) ;

/* What a decoder error means, for the caller's fatal message. */
char const *spawnproto_errstr(enum spawnproto_status) ;

/* Appends one request. 1, or 0 with sa unchanged and errno EINVAL (an
 * address over SPAWNPROTO_ADDR_MAX or holding a NUL, or an empty
 * recipient) or ENOMEM. */
int spawnproto_putreq(stralloc *sa, unsigned int slot, unsigned long id,
  char const *sender, size_t senderlen, char const *recip, size_t reciplen) ;

/* Appends one result. The text is cut at its first NUL and after
 * SPAWNPROTO_TEXT_MAX bytes. 1, or 0 with sa unchanged and errno EINVAL
 * (status not K, Z, D) or ENOMEM. */
int spawnproto_putres(stralloc *sa, unsigned int slot, char status, char const *text, size_t len) ;

#endif
