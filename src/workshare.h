/* workshare.h: a batch of independent items done by the caller and up to
 * max helper threads at once, each item by whichever thread takes it
 * next. The helpers start when a batch first needs them, stay for the
 * life of the process (or until it forks: a child starts its own), take
 * no signal, and sleep between batches. Callers on several threads take
 * turns, one batch at a time. queued's and send's fsyncs (qsync.h) and
 * clean's removals (cleanpool.h) use it. */
#ifndef CAIRN_WORKSHARE_H
#define CAIRN_WORKSHARE_H

#include <pthread.h>
#include <stddef.h>

struct workshare {
  pthread_mutex_t mu ;
  pthread_mutex_t turn ;        /* one batch at a time */
  pthread_cond_t work ;
  pthread_cond_t finished ;
  unsigned int max ;            /* helpers at most */
  size_t stack ;                /* their stack size */
  unsigned int nthreads ;       /* helpers started */
  int registered ;              /* for the fork handler */
  /* the batch in hand, under mu: items next..n-1 not taken, left not done */
  void (*fn)(size_t, void *) ;
  void *arg ;
  size_t n, next, left ;
} ;
#define WORKSHARE_INIT(max_, stack_) { .mu = PTHREAD_MUTEX_INITIALIZER, .turn = PTHREAD_MUTEX_INITIALIZER, \
  .work = PTHREAD_COND_INITIALIZER, .finished = PTHREAD_COND_INITIALIZER, .max = (max_), .stack = (stack_), \
  .nthreads = 0, .registered = 0, .fn = 0, .arg = 0, .n = 0, .next = 0, .left = 0 }

/* Calls fn(i, arg) once for each i below n, on the caller and on up to
 * n - 1 helpers, and returns when every call has returned. Without
 * helpers (none could start) the caller makes every call itself. */
void workshare_run(struct workshare *w, size_t n, void (*fn)(size_t i, void *arg), void *arg) ;

#endif
