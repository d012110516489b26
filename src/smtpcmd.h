/* smtpcmd.h: the words of smtpd's command lines, without any I/O, so that
 * the unit tests and the fuzzer reach them: which verb a line holds, and
 * the arguments of MAIL (RFC 5321 4.1.1.2, SIZE of RFC 1870, BODY of RFC
 * 6152) and RCPT (4.1.1.3). A line is what smtpio_getline gives: no CRLF,
 * no CR, LF or NUL, at most 510 octets.
 *
 * Each parser returns 0 when the argument is good, or the whole reply to
 * send, a static string with its enhanced status code ("501 5.5.4 ...").
 * A reply starting with "421" means no memory was left: the session ends.
 * Every other reply is a client error, which the session counts. */
#ifndef CAIRN_SMTPCMD_H
#define CAIRN_SMTPCMD_H

#include <stddef.h>
#include <skalibs/stralloc.h>

enum smtpcmd_verb {
  SMTPCMD_UNKNOWN = 0,
  SMTPCMD_HELO, SMTPCMD_EHLO, SMTPCMD_MAIL, SMTPCMD_RCPT, SMTPCMD_DATA,
  SMTPCMD_RSET, SMTPCMD_NOOP, SMTPCMD_QUIT, SMTPCMD_VRFY, SMTPCMD_HELP,
  SMTPCMD_STARTTLS
} ;

/* The verb of line (len bytes, any case). The verb must be the whole line
 * or be followed by a space; *arg gets the offset of what follows that
 * space (len when there is nothing). */
enum smtpcmd_verb smtpcmd_verb(char const *line, size_t len, size_t *arg) ;

struct smtpcmd_mail {
  unsigned long size ;   /* SIZE=, 0 when not given; ULONG_MAX when past it */
  int body8 ;            /* BODY=8BITMIME was given */
} ;

/* MAIL's argument: "FROM:" [spaces] path [" " parameters]; the
 * parameters are SIZE=digits and BODY=7BIT or BODY=8BITMIME, each at most
 * once. The sender (empty for <>) replaces what addr held, without a NUL.
 * A SIZE over databytes (when databytes is not 0) gets 552. */
char const *smtpcmd_mail(char const *s, size_t len, unsigned long databytes, stralloc *addr, struct smtpcmd_mail *m) ;

/* RCPT's argument: "TO:" [spaces] path; no parameters are taken. The
 * recipient replaces what addr held, without a NUL. "<postmaster>" (any
 * case) without a domain, which RFC 5321 4.5.1 says must be accepted,
 * becomes postmaster@me (melen bytes). */
char const *smtpcmd_rcpt(char const *s, size_t len, char const *me, size_t melen, stralloc *addr) ;

/* When the domain of addr (len bytes) is an address literal naming the
 * address localip (text, as TCPLOCALIP gives it) -- "[192.0.2.1]" or
 * "[IPv6:2001:db8::25]" -- *dom gets its offset and 1 is returned: the
 * caller puts localiphost there, as qmail-smtpd does, so that mail for
 * the literal of this server is local mail. 0 otherwise. */
int smtpcmd_literalme(char const *addr, size_t len, char const *localip, size_t *dom) ;

#endif
