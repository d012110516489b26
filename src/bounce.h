/* bounce.h: the bounce of a message, as send builds it.
 *
 * While a message is delivered, every permanent failure is appended to
 * queue/bounce/ID as one record in qmail-send's format:
 *   "<" recipient ">:" LF, the failure text's lines, an empty line
 * where a LF inside the recipient became '_' and an empty line inside the
 * text became "/" (qmail's bytes exactly, so an existing qmail queue's
 * bounce files are read unchanged).
 *
 * When the message is finished, bounce_compose turns that file and the
 * message's header into one RFC 3464 delivery status notification
 * (multipart/report; report-type=delivery-status) with three parts:
 *   1 text/plain: qmail's wording ("Hi. This is the cairn delivery
 *     program at ME. ...") followed by the bounce file as it is
 *   2 message/delivery-status: Reporting-MTA and Arrival-Date, then per
 *     recipient Final-Recipient, Action: failed, Status, Remote-MTA (when
 *     the text names the peer's IP address) and Diagnostic-Code
 *   3 text/rfc822-headers: the original header, at most BOUNCE_HEADMAX
 *     bytes, cut at a line boundary
 * No line of the result is longer than 998 octets: a text part with a
 * longer line is sent quoted-printable (its decoded bytes unchanged), and
 * the delivery-status fields are folded and kept to US-ASCII.
 * Everything here is pure: no file is named, no global is touched. */
#ifndef CAIRN_BOUNCE_H
#define CAIRN_BOUNCE_H

#include <stddef.h>
#include <time.h>
#include <skalibs/stralloc.h>

#define BOUNCE_HEADMAX 65536   /* bytes of the original header kept */
#define BOUNCE_DIAGMAX 2048    /* bytes of failure text in a Diagnostic-Code */
#define BOUNCE_STATUSMAX 12    /* "5.123.123" and a NUL, rounded up */

/* One record of a bounce file; the pointers point into the parsed bytes. */
struct bounce_record {
  char const *rcpt ;     /* the recipient, without < and >: */
  size_t rcptlen ;
  char const *text ;     /* its lines, each ending in LF ("/" lines kept) */
  size_t textlen ;
} ;

/* Appends to sa the record for rcpt (NUL-terminated) with the failure text
 * (NUL-terminated, any number of lines), byte for byte as qmail-send's
 * addbounce writes it. 1, or 0 when out of memory (sa unchanged). */
int bounce_addrecord(stralloc *sa, char const *rcpt, char const *text) ;

/* Reads the record that starts at *pos in s (len bytes). Returns 1 with r
 * filled and *pos after the record; 0 at the end of s; -1 when the line at
 * *pos is not "<...>:" (errno EPROTO; *pos is moved past the bad record,
 * so the caller may go on). Empty lines between records are skipped, and
 * a last record without its empty line (a cut append) still counts. */
int bounce_nextrecord(char const *s, size_t len, size_t *pos, struct bounce_record *r) ;

/* The RFC 3463 status for a failure text, "5.1.1", into st
 * (BOUNCE_STATUSMAX bytes, NUL-terminated); returns its length. Taken from
 * the last "(#c.s.d)" in the text, else from the enhanced code of a remote
 * SMTP reply ("Remote host said: 550 5.1.1 ..."), else 5.0.0. A class-4
 * code (a temporary failure that became final, e.g. the message expired)
 * is reported with class 5 and its subject and detail: 4.4.7 -> 5.4.7. */
size_t bounce_status(char const *text, size_t len, char *st) ;

struct bounce_params {
  char const *me ;          /* control/me: the wording and Reporting-MTA */
  char const *bouncefrom ;  /* local part of From: (MAILER-DAEMON) */
  char const *bouncehost ;  /* domain of From: and of the Message-ID */
  char const *to ;          /* the bounce's recipient: the envelope sender,
                               or doublebounceto@doublebouncehost */
  unsigned long id ;        /* the original message's queue id */
  time_t arrival ;          /* when the original was queued */
  time_t now ;              /* Date: */
  int doublebounce ;        /* the original is itself a bounce */
} ;

/* Appends to msg the whole bounce (header and body, LF line ends, as queue
 * takes it) for the bounce file's bytes btext (len bytes) and the message
 * read from fdmess (positioned at its start; only its header is read).
 * Returns 1, or 0 with errno set: ENOMEM; a read error of fdmess; EINVAL
 * when a parameter is missing or holds a control character (it would
 * break the header); ENOMSG when btext holds no well-formed record, so
 * there is nobody to report about (an empty bounce file). msg is left as
 * it was on failure. */
int bounce_compose(stralloc *msg, struct bounce_params const *p, char const *btext, size_t len, int fdmess) ;

#endif
