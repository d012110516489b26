/* bgthread.h: a detached helper thread that takes no signal (they stay
 * with the thread that handles them: a selfpipe, or the default action).
 * queued's committers and fsync helpers, and clean's removers. */
#ifndef CAIRN_BGTHREAD_H
#define CAIRN_BGTHREAD_H

#include <stddef.h>

/* Starts fn(arg) on a detached thread with all signals blocked, and a
 * stack of stack bytes (0: the default). 1, or 0 if it could not start. */
int bgthread_start(void *(*fn)(void *), void *arg, size_t stack) ;

#endif
