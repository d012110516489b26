/* cleanpool.h: clean's requests of one read, removed on a few threads at
 * once. On a file system mounted with discard, an unlink that frees a
 * file's blocks waits for the device to discard them: one process removing
 * a queue drain's files one after another spends most of its time in that
 * wait, and send's deliveries wait for it. Several removals at once
 * overlap their waits. The answers are the same as one after another,
 * and in the requests' order; the requests of one batch name different
 * messages (send asks again for an id only once it has the answer). */
#ifndef CAIRN_CLEANPOOL_H
#define CAIRN_CLEANPOOL_H

#include <stddef.h>
#include "cleanproto.h"

#define CLEANPOOL_THREADS 3    /* helpers beside the caller */

/* Answers the n requests req (qclean_do) into ans, setting err[i] to the
 * errno of each that failed. ok[i] 0 marks a request not to do (already
 * answered CLEANPROTO_BAD by the caller). Without helper threads (none
 * could start) the caller does them all, one after another. */
void cleanpool_run(struct cleanproto_req const *req, unsigned char const *ok, char *ans, int *err, size_t n, unsigned int split) ;

#endif
