/* cleanpool.c: a batch of clean's removals on a few threads (cleanpool.h). */
#include <errno.h>
#include "cleanpool.h"
#include "qclean.h"
#include "workshare.h"

#define CLEANPOOL_STACK 65536

static struct workshare pool = WORKSHARE_INIT(CLEANPOOL_THREADS, CLEANPOOL_STACK) ;

struct batch {
  struct cleanproto_req const *req ;
  unsigned char const *ok ;
  char *ans ;
  int *err ;
  unsigned int split ;
} ;

static void one(size_t i, void *arg)
{
  struct batch *b = arg ;
  if (!b->ok[i]) return ;
  b->ans[i] = qclean_do(b->req + i, b->split) ;
  b->err[i] = b->ans[i] == CLEANPROTO_OK ? 0 : errno ;
}

void cleanpool_run(struct cleanproto_req const *req, unsigned char const *ok, char *ans, int *err, size_t n, unsigned int split)
{
  struct batch b = { .req = req, .ok = ok, .ans = ans, .err = err, .split = split } ;
  workshare_run(&pool, n, &one, &b) ;
}
