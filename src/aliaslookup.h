/* aliaslookup.h: finding an alias in the cdb newaliases wrote
 * (aliasmake.h), for aliases(8). The name is looked up as
 * lc(local)@lc(host) first, then as lc(local), so that "name@domain:"
 * entries win over plain "name:" ones. */
#ifndef CAIRN_ALIASLOOKUP_H
#define CAIRN_ALIASLOOKUP_H

#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>

/* 1 found, with *d its targets (checked to lie inside the file and to end
 * with a NUL); 0 not found; -1 the record is malformed or the name too
 * long (errno set). */
int aliaslookup(cdb const *c, char const *local, char const *host, cdb_data *d) ;

/* The envelope sender of the alias's forwards, NUL-terminated, into out:
 * owner-LOCAL@HOST when an alias owner-LOCAL exists (sendmail's list
 * owner) and sender is neither empty nor "#@[]", else sender. 1, or 0 on
 * ENOMEM. */
int aliaslookup_sender(cdb const *c, char const *local, char const *host, char const *sender, stralloc *out) ;

#endif
