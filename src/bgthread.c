/* bgthread.c: detached helper threads that take no signal (bgthread.h). */
#include <pthread.h>
#include <signal.h>
#include "bgthread.h"

int bgthread_start(void *(*fn)(void *), void *arg, size_t stack)
{
  pthread_attr_t attr ;
  pthread_t t ;
  sigset_t all, old ;
  int ok ;
  if (pthread_attr_init(&attr)) return 0 ;
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) ;
  if (stack) pthread_attr_setstacksize(&attr, stack) ;
  /* the new thread inherits the mask in force when it is created */
  sigfillset(&all) ;
  pthread_sigmask(SIG_SETMASK, &all, &old) ;
  ok = !pthread_create(&t, &attr, fn, arg) ;
  pthread_sigmask(SIG_SETMASK, &old, 0) ;
  pthread_attr_destroy(&attr) ;
  return ok ;
}
