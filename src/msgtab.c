/* msgtab.c: open addressing with linear probing and tombstones. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "msgtab.h"

static size_t hash(unsigned long id, size_t cap)
{
  unsigned long long h = (unsigned long long)id * 0x9E3779B97F4A7C15ULL ;
  return (size_t)(h >> 20) & (cap - 1) ;
}

static struct msg *find(struct msgtab const *t, unsigned long id)
{
  size_t i ;
  if (!t->cap) return 0 ;
  for (i = hash(id, t->cap) ; t->m[i].id ; i = (i + 1) & (t->cap - 1))
    if (t->m[i].id == id) return t->m + i ;
  return 0 ;
}

struct msg *msgtab_get(struct msgtab *t, unsigned long id)
{
  return find(t, id) ;
}

static int grow(struct msgtab *t)
{
  size_t cap = t->cap ? t->cap : 1024 ;
  struct msg *old = t->m ;
  size_t oldcap = t->cap ;
  while (cap < 4 * (t->used + 1)) cap <<= 1 ;
  if (cap > ((size_t)-1) / sizeof(struct msg)) { errno = ENOMEM ; return 0 ; }
  t->m = calloc(cap, sizeof(struct msg)) ;
  if (!t->m) { t->m = old ; return 0 ; }
  t->cap = cap ; t->filled = t->used ;
  for (size_t j = 0 ; j < oldcap ; j++)
    if (old[j].id && old[j].id != MSGTAB_DEAD)
    {
      size_t i = hash(old[j].id, cap) ;
      while (t->m[i].id) i = (i + 1) & (cap - 1) ;
      t->m[i] = old[j] ;
    }
  free(old) ;
  return 1 ;
}

struct msg *msgtab_add(struct msgtab *t, unsigned long id)
{
  struct msg *m = find(t, id) ;
  size_t i ;
  if (m) return m ;
  if (2 * (t->filled + 1) > t->cap && !grow(t)) return 0 ;
  i = hash(id, t->cap) ;
  while (t->m[i].id && t->m[i].id != MSGTAB_DEAD) i = (i + 1) & (t->cap - 1) ;
  if (!t->m[i].id) t->filled++ ;
  t->used++ ;
  memset(t->m + i, 0, sizeof(struct msg)) ;
  t->m[i].id = id ;
  return t->m + i ;
}

void msgtab_del(struct msgtab *t, unsigned long id)
{
  struct msg *m = find(t, id) ;
  if (!m) return ;
  m->id = MSGTAB_DEAD ;
  t->used-- ;
}
