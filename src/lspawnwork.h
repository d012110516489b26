/* lspawnwork.h: lspawn's long-lived local delivery workers (local -W,
 * local(8)), a workpool (workpool.h) keyed by the user lookup_local found
 * (uid, gid, home): a worker runs as that user and gets only that user's
 * deliveries, one at a time, over its own socket (localjob.h) with the
 * message's descriptor, which lspawn opens as the per-delivery child opens
 * it. A new worker is started exactly as a per-delivery local (the same
 * switch of user and directory, bin/local with "-W" for arguments). The
 * workers and the per-delivery locals number at most concurrencylocal. */
#ifndef CAIRN_LSPAWNWORK_H
#define CAIRN_LSPAWNWORK_H

#include <skalibs/stralloc.h>
#include "lookup.h"
#include "spawnproto.h"

/* localprog: conf-home/bin/local; max: processes (workers and
 * per-delivery locals) at once. */
void lspawnwork_init(char const *localprog, unsigned int max) ;

/* Hands the delivery r to a worker of lk's user: args are the 8 arguments
 * of local after "--", messfn the message's file. Returns as
 * workpool_hand. */
int lspawnwork_hand(struct spawnreq const *r, struct lookup const *lk, char const *messfn, char const *const *args, stralloc *err) ;

#endif
