/* tcpto.h: remote's memory of addresses that did not answer a connection
 * attempt in time (qmail's lock/tcpto), so that an unreachable exchanger
 * is skipped for a while instead of costing timeoutconnect on every
 * delivery. The file (queue/lock/tcpto, owned by qmailr) holds at most
 * TCPTO_RECORDS records of TCPTO_RECLEN bytes:
 *   0-15 address (IPv4 in the first 4 bytes), 16 is6, 17 timeouts (1-10),
 *   18-19 zero, 20-23 "tcpt", 24-31 time of the last timeout (seconds,
 *   big-endian).
 * A record that is not exactly that (a torn write, a qmail tcpto file) is
 * a free slot; a short file is as long as its whole records. An address
 * is skipped after 2 timeouts at least 2 minutes apart, for 10 minutes,
 * doubling with each later timeout up to an hour; a connection that works
 * forgets it. Every failure to read or write the file is ignored: the
 * memory is an optimization, never a reason to defer. Writers hold an
 * exclusive lock on the file. */
#ifndef CAIRN_TCPTO_H
#define CAIRN_TCPTO_H

#include <stdint.h>
#include "dns.h"

#define TCPTO_FILE "queue/lock/tcpto"
#define TCPTO_RECORDS 64
#define TCPTO_RECLEN 32

/* 1 if ip is to be skipped at time now (seconds), else 0. */
int tcpto_skip(char const *fn, struct dns_ip const *ip, uint64_t now) ;

/* Records the end of a connection attempt to ip: timed out or not. */
void tcpto_note(char const *fn, struct dns_ip const *ip, int timedout, uint64_t now) ;

#endif
