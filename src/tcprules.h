/* tcprules.h: the rules of a cdb written by ucspi-tcp's tcprules
 * (control/tcp.smtp.cdb), applied as tcpserver -H -R applies them, for
 * smtppool's workers.
 *
 * The table. A key is an address or a prefix of one: "1.2.3.4",
 * "1.2.3.", "10.", "2001:db8:", or "" for the default rule (tcprules also
 * writes "=host" and "info@..." keys, which need DNS or ident lookups and
 * are never consulted here, as under tcpserver -H -R). Its data is a
 * sequence of NUL-terminated entries: "D" (deny), "+NAME=value" (set the
 * variable); tcprules writes ":allow" as empty data, "deny" as "D\0",
 * ",RELAYCLIENT=\"\"" as "+RELAYCLIENT=\0". Anything else is skipped,
 * as tcpserver skips it.
 *
 * The lookup order (tcpserver's rules.c): the whole address, then each of
 * its prefixes that ends in '.' (or ':' for IPv6), longest first, then
 * "". The first key found decides; no key at all means allow with no
 * variables. */
#ifndef CAIRN_TCPRULES_H
#define CAIRN_TCPRULES_H

#include <stddef.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>

#define TCPRULES_IPMAX 64     /* the longest address text looked up */

/* The data of the rule for ip (NUL-terminated text, as TCPREMOTEIP): 1
 * found (*d set), 0 no rule, -1 the table is broken. */
int tcprules_find(cdb const *c, char const *ip, cdb_data *d) ;

/* Applies rule data (len bytes): every "+NAME=value" entry is set in the
 * environment, and names records, once per NAME, "NAME\0" followed by
 * the value it had before ("=value\0", or "!\0" for none), so that
 * tcprules_unset can put the service's own environment back. Returns 1
 * allow, 0 deny ("D"), -1 out of memory. */
int tcprules_apply(char const *data, size_t len, stralloc *names) ;

/* Gives every variable recorded in names its value from before the rule
 * (unsets it if it had none) and empties names. */
void tcprules_unset(stralloc *names) ;

#endif
