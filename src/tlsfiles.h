/* tlsfiles.h: reading tlsd's files (control/tlscert, control/tlskey, a CA
 * bundle), for tlsd and for showctl, so that showctl says what tlsd would
 * do: at most TLSPEM_MAXFILE bytes; a secret (the key) that others can
 * read is refused, as ssh refuses such keys: in a multi-user build one
 * that its group or others can read, in a single-user build one that
 * others can read. */
#ifndef CAIRN_TLSFILES_H
#define CAIRN_TLSFILES_H

#include <bearssl.h>
#include <skalibs/stralloc.h>
#include "tlspem.h"

/* fn into sa. 1; or 0 with *why set (a reason of ours) or, with *why 0,
 * errno set. */
int tlsfiles_read(char const *fn, stralloc *sa, int secret, char const **why) ;

/* The chain of certfn and the key of keyfn, checked to belong together.
 * 1, or 0 with "file: reason" in why (NUL-terminated); the key's text is
 * wiped from memory after use. */
int tlsfiles_load(struct tlspem_chain *, br_skey_decoder_context *, char const *certfn, char const *keyfn, stralloc *why) ;

#endif
