/* smtpaddr.h: RFC 5321 paths in MAIL FROM and RCPT TO.
 *   Path = "<" [ A-d-l ":" ] Mailbox ">", or "<>" for the null sender
 *   Mailbox = Local-part "@" ( Domain / address-literal )
 * Source routes (A-d-l) are accepted and ignored; a quoted local part is
 * unquoted into the envelope, as qmail stores it; address literals are
 * [IPv4] (four numbers 0-255) or [IPv6:...] (RFC 5321 4.1.3); the
 * general form tag:text is refused. The empty quoted local part "" is
 * refused. Limits: local part 64 octets (after unquoting), domain 255.
 * RFC 5321's 256 octets for a whole path is not enforced, as its 4.5.3.1
 * asks, so that both limits above can be reached; the 512 octets of a
 * command line bound it. Bytes over 127 are refused unless utf8 is set
 * (SMTPUTF8). */
#ifndef CAIRN_SMTPADDR_H
#define CAIRN_SMTPADDR_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define SMTPADDR_LOCALMAX 64
#define SMTPADDR_DOMAINMAX 255

enum smtpaddr_status {
  SMTPADDR_OK = 0,
  SMTPADDR_ESYNTAX,    /* not a path */
  SMTPADDR_ELOCAL,     /* local part over 64 */
  SMTPADDR_EDOMAIN,    /* domain over 255, or a bad label */
  SMTPADDR_E8BIT,      /* 8-bit byte without SMTPUTF8 */
  SMTPADDR_ENOMEM
} ;

/* Parses a path at s (len bytes). On success the envelope address
 * (local@domain, or empty for <>) is in out, not NUL-terminated; *used
 * gets the bytes of s that made the path (what follows are parameters).
 * nullok says whether <> is allowed (MAIL) or not (RCPT). A bare address
 * without < > is accepted too, as many clients send it. */
enum smtpaddr_status smtpaddr_parse(char const *s, size_t len, int nullok, int utf8, stralloc *out, size_t *used) ;

/* The content of an address literal (s, len bytes, without the
 * brackets): a dotted quad, or "IPv6:" (any case) and an IPv6 address,
 * also in its IPv6v4 forms. 1 with the address in ip (16 bytes; IPv4 as
 * ::ffff:a.b.c.d), 0 if it is not one. */
int smtpaddr_literal(char const *s, size_t len, char *ip) ;

/* The same for a bare address as tcpserver writes TCPLOCALIP: a dotted
 * quad or an IPv6 address (no tag). */
int smtpaddr_ip(char const *s, size_t len, char *ip) ;

/* A short reply text for a status, e.g. "syntax error in address". */
char const *smtpaddr_errstr(enum smtpaddr_status) ;

#endif
