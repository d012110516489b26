/* workshare.c: a batch of items on the caller and helper threads
 * (workshare.h). */
#include "bgthread.h"
#include "workshare.h"

#define WORKSHARE_POOLS 4   /* pools a process can have (for the fork handler) */

static pthread_mutex_t poolsmu = PTHREAD_MUTEX_INITIALIZER ;
static struct workshare *pools[WORKSHARE_POOLS] ;
static unsigned int npools ;
static int atfork_set ;

/* Takes and does items until none is left to take; mu held on entry and
 * on return. */
static void drain(struct workshare *w)
{
  while (w->next < w->n)
  {
    size_t i = w->next++ ;
    void (*fn)(size_t, void *) = w->fn ;
    void *arg = w->arg ;
    pthread_mutex_unlock(&w->mu) ;
    (*fn)(i, arg) ;
    pthread_mutex_lock(&w->mu) ;
    if (!--w->left) pthread_cond_signal(&w->finished) ;
  }
}

static void *helper(void *arg)
{
  struct workshare *w = arg ;
  pthread_mutex_lock(&w->mu) ;
  for (;;)
  {
    while (w->next >= w->n) pthread_cond_wait(&w->work, &w->mu) ;
    drain(w) ;
  }
  return 0 ;
}

/* A forked child has the forking thread only: it starts its own helpers
 * when it needs them (fork is called with no batch in hand). */
static void child_after_fork(void)
{
  for (unsigned int k = 0 ; k < npools ; k++)
  {
    struct workshare *w = pools[k] ;
    pthread_mutex_init(&w->mu, 0) ;
    pthread_mutex_init(&w->turn, 0) ;
    pthread_cond_init(&w->work, 0) ;
    pthread_cond_init(&w->finished, 0) ;
    w->nthreads = 0 ;
    w->n = w->next = w->left = 0 ;
  }
}

/* Starts helpers until there are want of them (or w->max). A pool the
 * fork handler cannot know of starts none: a child would wait for
 * helpers it does not have. */
static void hire(struct workshare *w, size_t want)
{
  if (want > w->max) want = w->max ;
  if (w->nthreads >= want) return ;
  if (!w->registered)
  {
    pthread_mutex_lock(&poolsmu) ;
    if (!atfork_set) atfork_set = pthread_atfork(0, 0, &child_after_fork) == 0 ;
    if (atfork_set && npools < WORKSHARE_POOLS) { pools[npools++] = w ; w->registered = 1 ; }
    pthread_mutex_unlock(&poolsmu) ;
    if (!w->registered) return ;
  }
  while (w->nthreads < want && bgthread_start(&helper, w, w->stack)) w->nthreads++ ;
}

void workshare_run(struct workshare *w, size_t n, void (*fn)(size_t i, void *arg), void *arg)
{
  if (!n) return ;
  pthread_mutex_lock(&w->turn) ;
  if (n > 1) hire(w, n - 1) ;
  pthread_mutex_lock(&w->mu) ;
  w->fn = fn ; w->arg = arg ; w->n = n ; w->next = 0 ; w->left = n ;
  if (n > 1 && w->nthreads)
  {
    if (n - 1 >= w->nthreads) pthread_cond_broadcast(&w->work) ;
    else for (size_t k = 1 ; k < n ; k++) pthread_cond_signal(&w->work) ;
  }
  drain(w) ;
  while (w->left) pthread_cond_wait(&w->finished, &w->mu) ;
  /* nothing left to take: helpers that wake now go back to waiting */
  w->n = w->next = 0 ;
  pthread_mutex_unlock(&w->mu) ;
  pthread_mutex_unlock(&w->turn) ;
}
