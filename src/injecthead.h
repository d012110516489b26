/* injecthead.h: what inject does to a message's header, after
 * qmail-header(5).
 *
 * Fields carrying addresses (To, Cc, Bcc, Apparently-To, Resent-To,
 * Resent-Cc, Resent-Bcc, Return-Path, Sender, From, Reply-To,
 * Return-Receipt-To, Errors-To, Resent-Sender, Resent-From,
 * Resent-Reply-To) get their bare names qualified (addrlist.h). Bcc,
 * Resent-Bcc, Return-Path and Content-Length are removed. A message is
 * "resent" when it has any Resent- field; its recipients are then those
 * of Resent-To/-Cc/-Bcc, else those of To/Cc/Bcc/Apparently-To.
 *
 * Added in front of the kept fields when missing (with "Resent-" in front
 * of each name for a resent message): Date, Message-ID
 * <TIME.PID.cairn@idhost>, From, and "Cc: recipient list not shown: ;"
 * when there is neither To nor Cc. */
#ifndef CAIRN_INJECTHEAD_H
#define CAIRN_INJECTHEAD_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <skalibs/stralloc.h>
#include "addrlist.h"

#define INJECTHEAD_RCPT_MAX 10000   /* recipients of one message */

struct injecthead_conf {
  struct addrlist_qualify q ;
  char const *idhost ;
  char const *user ;        /* local part of the From address */
  char const *host ;        /* its host; 0: defaulthost */
  char const *suser ;       /* local part of the default envelope sender */
  char const *shost ;       /* its host; 0: defaulthost */
  char const *name ;        /* display name of From; 0: none */
  int namecomment ;         /* From: addr (name), not "name" <addr> */
  int deletereturnpath ;    /* drop Return-Path unread */
  int deletefrom ;          /* drop From, so that a new one is made */
  int deletemessageid ;     /* drop Message-ID, likewise */
} ;

struct injecthead {
  stralloc kept ;           /* the fields to queue, rewritten, in order */
  stralloc rcpt ;           /* To/Cc/Bcc/Apparently-To addresses, NUL after each */
  stralloc resentrcpt ;     /* Resent-To/-Cc/-Bcc addresses */
  stralloc returnpath ;     /* first address of the first Return-Path */
  int hasreturnpath ;
  unsigned long seen ;      /* one bit per field name known here */
  stralloc field ;          /* scratch */
  stralloc addrs ;          /* scratch */
} ;
#define INJECTHEAD_ZERO { .kept = STRALLOC_ZERO, .rcpt = STRALLOC_ZERO, .resentrcpt = STRALLOC_ZERO, \
  .returnpath = STRALLOC_ZERO, .hasreturnpath = 0, .seen = 0, .field = STRALLOC_ZERO, .addrs = STRALLOC_ZERO }

/* One header field as header.h gives it: len bytes with the final LF, the
 * name's length, the offset past the colon. Kept (rewritten) or dropped. */
enum addrlist_status injecthead_field(struct injecthead *, struct injecthead_conf const *,
                                      char const *field, size_t len, size_t namelen, size_t valuepos) ;

/* 1 if a Resent- field was seen. */
int injecthead_resent(struct injecthead const *) ;

/* The envelope sender, NUL-terminated, into sender: from fsender (the -f
 * option, "<addr>" taken as addr) if not 0, else from Return-Path, else
 * suser@shost; always qualified. */
enum addrlist_status injecthead_sender(struct injecthead const *, struct injecthead_conf const *,
                                       char const *fsender, stralloc *sender) ;

/* Appends the fields to add in front of the kept ones. ADDRLIST_OK, or an
 * error when the From address made from user and host is unusable. */
enum addrlist_status injecthead_added(struct injecthead const *, struct injecthead_conf const *,
                                      stralloc *out, time_t now, pid_t pid) ;

/* Appends the header recipients (of the Resent- fields for a resent
 * message) to list, NUL after each, skipping empty addresses, and counts
 * them in *n. 1, or 0 on ENOMEM. */
int injecthead_recipients(struct injecthead const *, stralloc *list, size_t *n) ;

void injecthead_free(struct injecthead *) ;

#endif
