/* received.c: qmail-queue's Received line. */
#include <string.h>
#include <skalibs/types.h>
#include "date822.h"
#include "received.h"

static size_t cats(char *s, char const *t)
{
  size_t n = strlen(t) ;
  memcpy(s, t, n) ;
  return n ;
}

size_t received_fmt(char *s, pid_t pid, enum received_kind kind, uid_t uid, time_t t)
{
  size_t n = cats(s, "Received: (qmail ") ;
  n += pid_fmt(s + n, pid) ;
  switch (kind)
  {
    case RECEIVED_ALIAS: n += cats(s + n, " invoked by alias") ; break ;
    case RECEIVED_NETWORK: n += cats(s + n, " invoked from network") ; break ;
    case RECEIVED_BOUNCE: n += cats(s + n, " invoked for bounce") ; break ;
    case RECEIVED_UID:
      n += cats(s + n, " invoked by uid ") ;
      n += uid_fmt(s + n, uid) ;
      break ;
  }
  n += cats(s + n, "); ") ;
  n += date822_qmail(s + n, t) ;
  s[n++] = '\n' ;
  return n ;
}
