/* jobheap.h: the scheduler's timetable, a binary min-heap of (when, id,
 * channel): the next time each message's local or remote recipients are
 * due. Stale entries are allowed; the scheduler checks each popped entry
 * against the message's state. */
#ifndef CAIRN_JOBHEAP_H
#define CAIRN_JOBHEAP_H

#include <stddef.h>
#include <time.h>
#include <skalibs/genalloc.h>

struct jobent {
  time_t when ;
  unsigned long id ;
  unsigned int chan ;
} ;

typedef genalloc jobheap ;   /* of struct jobent */
#define JOBHEAP_ZERO GENALLOC_ZERO

int jobheap_push(jobheap *, time_t when, unsigned long id, unsigned int chan) ;
/* The earliest entry, or 0 when empty. */
struct jobent const *jobheap_peek(jobheap const *) ;
void jobheap_pop(jobheap *) ;
size_t jobheap_len(jobheap const *) ;
/* Makes every entry due at when (ALRM: "retry everything now"). */
void jobheap_advance(jobheap *, time_t when) ;

#endif
