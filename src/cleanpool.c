/* cleanpool.c: a batch of clean's removals on a few threads (cleanpool.h). */
#include <errno.h>
#include <pthread.h>
#include "bgthread.h"
#include "cleanpool.h"
#include "qclean.h"

#define CLEANPOOL_STACK 65536

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER ;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER ;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER ;
static unsigned int nthreads ;
static int hired ;
/* the batch: what is taken and what is finished, under mu */
static struct cleanproto_req const *breq ;
static unsigned char const *bok ;
static char *bans ;
static int *berr ;
static size_t bn, bnext, bleft ;
static unsigned int bsplit ;

/* Takes and does requests of the batch until none is left to take;
 * called and returns with mu held. */
static void drain(void)
{
  while (bnext < bn)
  {
    size_t i = bnext++ ;
    struct cleanproto_req const *req = breq + i ;
    char *ans = bans + i ;
    int *err = berr + i ;
    int doit = bok[i] ;
    unsigned int split = bsplit ;
    pthread_mutex_unlock(&mu) ;
    if (doit)
    {
      *ans = qclean_do(req, split) ;
      *err = *ans == CLEANPROTO_OK ? 0 : errno ;
    }
    pthread_mutex_lock(&mu) ;
    if (!--bleft) pthread_cond_signal(&done) ;
  }
}

static void *helper(void *arg)
{
  (void)arg ;
  pthread_mutex_lock(&mu) ;
  for (;;)
  {
    while (bnext >= bn) pthread_cond_wait(&work, &mu) ;
    drain() ;
  }
  return 0 ;
}

static void hire(void)
{
  hired = 1 ;
  while (nthreads < CLEANPOOL_THREADS && bgthread_start(&helper, 0, CLEANPOOL_STACK)) nthreads++ ;
}

void cleanpool_run(struct cleanproto_req const *req, unsigned char const *ok, char *ans, int *err, size_t n, unsigned int split)
{
  if (!n) return ;
  if (n > 1 && !hired) hire() ;
  pthread_mutex_lock(&mu) ;
  breq = req ; bok = ok ; bans = ans ; berr = err ; bsplit = split ;
  bnext = 0 ; bleft = n ; bn = n ;
  if (n > 1 && nthreads) pthread_cond_broadcast(&work) ;
  drain() ;
  while (bleft) pthread_cond_wait(&done, &mu) ;
  /* nothing left to take: helpers that wake now go back to waiting */
  bn = bnext = 0 ;
  pthread_mutex_unlock(&mu) ;
}
