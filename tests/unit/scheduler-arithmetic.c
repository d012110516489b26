/* The scheduler's arithmetic: qmail's retry schedule, the job heap's
 * order, the message table, and the log's escaping. */
#include <stdlib.h>
#include "tap.h"
#include "jobheap.h"
#include "msgtab.h"
#include "retry.h"
#include "sendlog.h"

static void retries(void)
{
  /* birth 1000: local n = floor(sqrt(age)) + 10, next = birth + n^2 */
  is_int(retry_next(1000, 1000, CHAN_LOCAL), 1000 + 100, "local: first retry 100 s after arrival") ;
  is_int(retry_next(1000, 1100, CHAN_LOCAL), 1000 + 400, "local: after 100 s the next is at 400 s") ;
  is_int(retry_next(1000, 1400, CHAN_LOCAL), 1000 + 900, "local: after 400 s the next is at 900 s") ;
  is_int(retry_next(1000, 1000, CHAN_REMOTE), 1000 + 400, "remote: first retry 400 s after arrival") ;
  is_int(retry_next(1000, 1400, CHAN_REMOTE), 1000 + 1600, "remote: then 1600 s") ;
  is_int(retry_next(1000, 2600, CHAN_REMOTE), 1000 + 3600, "remote: then 3600 s") ;
  is_int(retry_next(1000, 1000 + 604800, CHAN_REMOTE), 1000 + (777 + 20) * (777 + 20), "remote after a week: sqrt(604800)=777") ;
  is_int(retry_next(5000, 1000, CHAN_LOCAL), 5100, "a birth in the future counts as age 0") ;
  ok(retry_next(1000, 1099, CHAN_LOCAL) > 1099, "the next retry is always in the future") ;
}

static void heap(void)
{
  jobheap h = JOBHEAP_ZERO ;
  unsigned int n = 1000, bad = 0 ;
  time_t last = 0 ;
  srand(7) ;
  for (unsigned int i = 0 ; i < n ; i++) jobheap_push(&h, rand() % 100000, i + 1, i % 2) ;
  is_int(jobheap_len(&h), n, "1000 entries pushed") ;
  while (jobheap_peek(&h))
  {
    if (jobheap_peek(&h)->when < last) bad++ ;
    last = jobheap_peek(&h)->when ;
    jobheap_pop(&h) ;
  }
  is_int(bad, 0, "entries come out in time order") ;
  for (unsigned int i = 0 ; i < 10 ; i++) jobheap_push(&h, 1000 + i, i + 1, 0) ;
  jobheap_advance(&h, 500) ;
  is_int(jobheap_peek(&h)->when, 500, "advance makes every entry due at once") ;
  is_int(jobheap_peek(&h)->id, 1, "equal times come out by id") ;
  genalloc_free(struct jobent, &h) ;
}

static void table(void)
{
  struct msgtab t = MSGTAB_ZERO ;
  unsigned int missing = 0, wrong = 0 ;
  for (unsigned long id = 1 ; id <= 100000 ; id++)
  {
    struct msg *m = msgtab_add(&t, id * 7919) ;
    if (!m) { missing++ ; continue ; }
    m->birth = (time_t)id ;
  }
  for (unsigned long id = 1 ; id <= 100000 ; id += 2) msgtab_del(&t, id * 7919) ;
  for (unsigned long id = 1 ; id <= 100000 ; id++)
  {
    struct msg *m = msgtab_get(&t, id * 7919) ;
    if (id % 2 ? m != 0 : (!m || m->birth != (time_t)id)) wrong++ ;
  }
  is_int(missing, 0, "100,000 messages added") ;
  is_int(wrong, 0, "the deleted half is gone, the other half is found with its data") ;
  is_int(t.used, 50000, "the table counts 50,000 live messages") ;
  ok(msgtab_add(&t, 3 * 7919) && msgtab_get(&t, 3 * 7919), "a deleted id can be added again") ;
  free(t.m) ;
}

static void escape(void)
{
  stralloc sa = STRALLOC_ZERO ;
  sendlog_escape(&sa, "did 0+1+0\nqp 12\n", 16) ;
  is_mem(sa.s, sa.len, "did_0+1+0/qp_12/", 16, "newline becomes /, space becomes _") ;
  sa.len = 0 ;
  sendlog_escape(&sa, "a\tb\x7f\xc3\xa9", 6) ;
  is_mem(sa.s, sa.len, "a_b___", 6, "tabs, DEL and 8-bit bytes become _") ;
  stralloc_free(&sa) ;
}

int main(void)
{
  retries() ;
  heap() ;
  table() ;
  escape() ;
  return tap_done() ;
}
