/* msgtab.h: the scheduler's table of preprocessed messages, keyed by
 * message id (inode number, never 0), in an open-addressing hash table so
 * that a queue of hundreds of thousands of messages costs O(1) a lookup
 * and a few dozen bytes a message. Pointers stay valid until the next
 * msgtab_add. */
#ifndef CAIRN_MSGTAB_H
#define CAIRN_MSGTAB_H

#include <stddef.h>
#include <time.h>

struct msg {
  unsigned long id ;       /* 0: free slot; MSGTAB_DEAD: deleted */
  time_t birth ;           /* info file mtime: when the queue took it */
  unsigned int job[2] ;    /* 1 + index of the open job per channel, or 0 */
  unsigned char pending[2] ; /* local/ and remote/ file exist */
  unsigned char finishing ;  /* clean is removing mess/ and intd/ */
  unsigned char ahead ;      /* from the backlog, due, no job opened yet */
} ;

#define MSGTAB_DEAD ((unsigned long)-1)

struct msgtab {
  struct msg *m ;
  size_t cap ;     /* power of two */
  size_t used ;    /* live entries */
  size_t filled ;  /* live + dead */
} ;
#define MSGTAB_ZERO { 0, 0, 0, 0 }

struct msg *msgtab_get(struct msgtab *, unsigned long id) ;
/* Adds id (or returns the existing entry); 0 on ENOMEM. */
struct msg *msgtab_add(struct msgtab *, unsigned long id) ;
void msgtab_del(struct msgtab *, unsigned long id) ;

#endif
