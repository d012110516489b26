/* qlist.h: qread's listing of one queue entry, in qmail-qread's format:
 *
 *   5 Mar 2024 07:08:09 GMT  #ID  SIZE  <sender>  bouncing
 *   <TAB>local<TAB>joe@example.com
 *     done<TAB>remote<TAB>bob@example.net
 *
 * " bouncing" is added when bounce/ID exists. A message still in todo/
 * (qmail-qread does not show these) gets " not yet preprocessed" and its
 * recipients the channel word "todo". Bytes outside 32..126 in addresses
 * are shown as "_", so that an address cannot forge lines or escapes. */
#ifndef CAIRN_QLIST_H
#define CAIRN_QLIST_H

#include <skalibs/buffer.h>
#include "qscan.h"

/* Formats e into b. 1, or 0 with errno set when b cannot be written. */
int qlist_put(buffer *b, struct qscan_entry const *e) ;

#endif
