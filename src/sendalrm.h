/* sendalrm.h: asks the running send to retry every queued message now
 * (qmail's "svc -a qmail-send"), without knowing how send was started.
 * send holds an fcntl write lock on queue/lock/sendmutex while it runs;
 * the lock names its holder's pid, and that process gets SIGALRM. Only
 * root and the send user (qmails) can open sendmutex and signal send. */
#ifndef CAIRN_SENDALRM_H
#define CAIRN_SENDALRM_H

#include <sys/types.h>

enum sendalrm_status {
  SENDALRM_OK,        /* *pid got SIGALRM */
  SENDALRM_NOTRUNNING,/* nobody holds the lock */
  SENDALRM_EPERM,     /* not allowed to open the lock or signal send */
  SENDALRM_ERROR      /* another system error, errno set */
} ;

/* lockfn: the sendmutex, normally conf-home/queue/lock/sendmutex. */
enum sendalrm_status sendalrm(char const *lockfn, pid_t *pid) ;

#endif
