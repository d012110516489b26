/* rspawnwork.h: rspawn's long-lived remote delivery workers (remote -W,
 * remotework.h), a workpool (workpool.h) keyed by destination domain: a
 * delivery goes first to an idle worker whose last delivery went to the
 * same domain, since it may still hold that session open; a worker idle
 * for REMOTEWORK_KEEP seconds has ended its session and takes any domain.
 * The workers run as rspawn runs (qmailr), started as a per-delivery
 * remote is, with the socket on fd 0 and rspawn's fd 2 on fds 1 and 2.
 * The workers and the per-delivery remotes number at most
 * concurrencyremote. */
#ifndef CAIRN_RSPAWNWORK_H
#define CAIRN_RSPAWNWORK_H

#include <skalibs/stralloc.h>
#include "spawnproto.h"

/* remoteprog: conf-home/bin/remote; max: processes at once. */
void rspawnwork_init(char const *remoteprog, unsigned int max) ;

/* Hands the delivery r, for domain, to a worker; messfn is the message's
 * file. Returns as workpool_hand. */
int rspawnwork_hand(struct spawnreq const *r, char const *domain, char const *messfn, stralloc *err) ;

#endif
