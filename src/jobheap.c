/* jobheap.c: binary min-heap on genalloc. */
#include "jobheap.h"

#define E(h) genalloc_s(struct jobent, (h))

static int before(struct jobent const *a, struct jobent const *b)
{
  return a->when < b->when || (a->when == b->when && a->id < b->id) ;
}

static void swap(struct jobent *a, struct jobent *b)
{
  struct jobent t = *a ; *a = *b ; *b = t ;
}

int jobheap_push(jobheap *h, time_t when, unsigned long id, unsigned int chan)
{
  struct jobent e = { when, id, chan } ;
  size_t i ;
  if (!genalloc_append(struct jobent, h, &e)) return 0 ;
  i = genalloc_len(struct jobent, h) - 1 ;
  while (i && before(E(h) + i, E(h) + (i - 1) / 2))
  {
    swap(E(h) + i, E(h) + (i - 1) / 2) ;
    i = (i - 1) / 2 ;
  }
  return 1 ;
}

struct jobent const *jobheap_peek(jobheap const *h)
{
  return genalloc_len(struct jobent, h) ? genalloc_s(struct jobent const, h) : 0 ;
}

size_t jobheap_len(jobheap const *h)
{
  return genalloc_len(struct jobent, h) ;
}

static void siftdown(struct jobent *e, size_t n, size_t i)
{
  for (;;)
  {
    size_t l = 2 * i + 1, r = l + 1, m = i ;
    if (l < n && before(e + l, e + m)) m = l ;
    if (r < n && before(e + r, e + m)) m = r ;
    if (m == i) break ;
    swap(e + i, e + m) ;
    i = m ;
  }
}

void jobheap_pop(jobheap *h)
{
  size_t n = genalloc_len(struct jobent, h) ;
  if (!n) return ;
  E(h)[0] = E(h)[--n] ;
  genalloc_setlen(struct jobent, h, n) ;
  siftdown(E(h), n, 0) ;
}

void jobheap_advance(jobheap *h, time_t when)
{
  size_t n = genalloc_len(struct jobent, h) ;
  for (size_t i = 0 ; i < n ; i++) if (E(h)[i].when > when) E(h)[i].when = when ;
  for (size_t i = n / 2 ; i-- > 0 ;) siftdown(E(h), n, i) ;
}
