/* remotetls.h: remote's STARTTLS step (remotesmtp.h's starttls hook),
 * by the destination's level (tlsdest.h). After the EHLO reply:
 *   none, or may without STARTTLS offered: plaintext, as before;
 *   STARTTLS offered (or required): sends STARTTLS; on 220 runs the TLS
 *   engine "tlsd -c -n NAME [-a CAFILE] -t TIMEOUT" on the connection
 *   (tlsd(8): the connection on its fds 6 and 7, a socketpair on 0 and 1,
 *   /dev/null on 2, since remote's fd 2 is its report), reads the outcome
 *   record, hands the session to the socketpair (smtpconn_setfds) and
 *   says EHLO again (RFC 3207: the session starts over);
 *   NAME is the exchanger's name (MX host or smtproutes relay), or the
 *   destination domain when the exchanger is an address literal.
 * What fails, by level:
 *   may: STARTTLS refused (any reply but 220): go on in plaintext on the
 *     same connection; a failed handshake: the connection is lost, so
 *     connect once more to the same address and go on without STARTTLS
 *     (never more than once per address, so it cannot loop);
 *   encrypt, verify: STARTTLS not offered or refused, or the handshake
 *     failed (for verify: a certificate that does not lead to CAFILE's
 *     authorities or does not name NAME): this address is given up with
 *     the reason, never in plaintext; when every address fails so, the
 *     message is deferred (Z) with the last reason.
 * Each outcome is left as a note at the end of remote's report
 * (remoteout_note), so that send's log says it: "TLS: TLSv1.2
 * ECDHE-RSA-AES256-GCM-SHA384 (verified mx.example.org)". */
#ifndef CAIRN_REMOTETLS_H
#define CAIRN_REMOTETLS_H

#include <skalibs/stralloc.h>
#include "smtpconn.h"
#include "smtpreply.h"
#include "tlsdest.h"

struct remotetls {
  enum tlsdest_level level ;
  char const *domain ;   /* the destination (remote's first argument) */
  char const *cafile ;   /* for verify */
  char const *tlsd ;     /* the engine, normally bin/tlsd under conf-home */
  unsigned int timeout ; /* seconds, for STARTTLS and the handshake */
} ;

/* The starttls hook of remotesmtp.h, with a struct remotetls as conf:
 * after the handshake it says EHLO again (remotesmtp_ehlo). */
int remotetls_starttls(void const *conf, struct smtpconn *c, char const *helohost, char const *host,
  char const *name, int ehlo, struct smtpext *ext, stralloc *why) ;

/* 1 when s is an address (IPv4 or IPv6, bracketed or not), not a name. */
int remotetls_isaddress(char const *s) ;

#endif
