/* sched.h: the state of send, the scheduler, shared by its parts:
 *   sched.c      the event loop: pipes, trigger, signals, timers
 *   schedtodo.c  finding new entries in todo/ and preprocessing them,
 *                the startup scan of info/, the orphan sweep
 *   schedjob.c   jobs (one message, one channel), deliveries, results,
 *                bounces and the end of a message
 * send runs in the queue directory; control files are read from the home
 * (homefd) on start and on HUP. */
#ifndef CAIRN_SCHED_H
#define CAIRN_SCHED_H

#include <sys/types.h>
#include <time.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "cleanproto.h"
#include "jobheap.h"
#include "msgtab.h"
#include "retry.h"
#include "rewrite.h"
#include "spare.h"
#include "spawnproto.h"

#define SCHED_CONCURRENCY_MAX 1000
#define SCHED_FINISH CHANNELS      /* jobheap channel for "end this message" */
#define SCHED_NEWJOBS 1000         /* first attempts kept ahead of the heap */
#define SCHED_HEAPSHARE 4          /* one dispatch in this many serves the heap */
#define SCHED_CLEANWINDOW 64       /* requests to clean unanswered before
                                      preprocessing waits for answers */
#define SCHED_AHEADMIN 64          /* backlog messages preprocessed ahead of
                                      their deliveries, at least (sched_aheadmax) */

struct slot {
  unsigned int job ;         /* 1 + index into jobs, 0 when free */
  unsigned long delnum ;     /* the "delivery N" of the log */
  size_t off ;               /* offset of the T item in the job's file */
} ;

struct job {
  unsigned long id ;
  unsigned int chan ;
  int fd ;                   /* the local/ or remote/ file, for D marks */
  size_t next ;              /* next item of file to look at */
  unsigned int inflight ;
  int deferred ;             /* some recipient must be tried again */
  stralloc file ;            /* the channel file's items */
  stralloc sender ;          /* from info/, NUL-terminated */
} ;

struct chan {
  int reqfd ;                /* to the spawner, -1 if there is none */
  int resfd ;                /* from the spawner */
  unsigned int concurrency ; /* from control/concurrency* */
  unsigned int busy ;
  struct slot *slots ;       /* SCHED_CONCURRENCY_MAX of them */
  stralloc out ;             /* requests not yet written */
  size_t outdone ;
  struct spawnproto_resdec dec ;
} ;

/* A request to clean not answered yet. clean answers in order, so these
 * are a FIFO; what waits on the answer is done when it comes. */
struct cleanwait {
  unsigned long id ;
  time_t birth ;             /* todo: the entry's info/ mtime */
  unsigned char kind ;       /* enum cleanproto_kind */
  unsigned char fresh ;      /* todo: arrived while send runs */
  unsigned char finish ;     /* foop: a finished message, whose info/ goes next */
} ;

struct sched {
  int homefd ;
  unsigned int split ;
  struct chan chan[CHANNELS] ;
  int cleanout, cleanin ;    /* clean's request and answer pipes */
  stralloc cleanreq ;        /* requests not yet written to clean */
  size_t cleanreqdone ;
  genalloc cleanwait ;       /* struct cleanwait, from cleanhead on */
  size_t cleanhead ;
  unsigned int parked ;      /* todo/ ids put off while their id finishes */
  struct spares spares ;     /* send's recycled info/ local/ remote/ files */
  int trigger, triggerw ;    /* lock/trigger read side, and a writer kept open */
  struct msgtab msgs ;       /* preprocessed messages */
  struct msgtab todoknown ;  /* ids waiting in todo/ */
  genalloc fresh ;           /* unsigned long: new todo ids, first served */
  genalloc backlog ;         /* unsigned long: todo ids found at start */
  size_t backlogpos ;
  unsigned int ahead ;       /* backlog messages preprocessed and due whose
                                jobs are not open yet (struct msg's ahead) */
  jobheap heap[CHANNELS + 1] ;  /* per channel, and SCHED_FINISH */
  genalloc newjobs[CHANNELS] ;  /* unsigned long: first attempts of mail that
                                   arrived while send runs, newest last;
                                   at most SCHED_NEWJOBS, the overflow goes
                                   to the heap */
  unsigned long picks ;         /* counts dispatches, to give the heap its share */
  genalloc jobs ;            /* struct job */
  genalloc freejobs ;        /* unsigned int: free indexes of jobs */
  unsigned long delnum ;
  int flagexit ;             /* TERM: finish what runs, start nothing */
  int wanttodoscan ;
  time_t lasttodoscan ;
  size_t todoentries ;       /* names in todo/ at the last scan */
  time_t lastsweep ;
  /* configuration */
  struct rewrite rw ;
  unsigned long lifetime ;
  stralloc me, bouncefrom, bouncehost, doublebounceto, doublebouncehost ;
} ;

/* sched.c */
int sched_config(struct sched *) ;      /* 1, or 0 with a logged warning */
void sched_run(struct sched *) ;
void sched_status(struct sched const *) ;
/* Queues a request to clean; w says what to do once it is answered
 * (schedtodo_cleaned, schedjob_cleaned). */
void sched_clean(struct sched *, struct cleanwait const *w) ;
int sched_busy(struct sched const *) ;
size_t sched_cleanpending(struct sched const *) ;   /* requests not yet answered */
/* How many backlog messages preprocessing keeps ready ahead of the
 * deliveries: twice the concurrency of the channels with a spawner, plus a
 * group, and never fewer than SCHED_AHEADMIN. */
unsigned int sched_aheadmax(struct sched const *) ;

/* schedtodo.c */
void schedtodo_startup(struct sched *) ;
int schedtodo_scan(struct sched *) ;
int schedtodo_work(struct sched *, unsigned int max) ;   /* 1 if more is waiting */
void schedtodo_sweep(struct sched *) ;
void schedtodo_cleaned(struct sched *, struct cleanwait const *, int ok) ;

/* schedjob.c */
void schedjob_dispatch(struct sched *) ;  /* start what is due and fits */
void schedjob_result(struct sched *, unsigned int chan, struct spawnres const *) ;
void schedjob_finish(struct sched *, unsigned long id) ;
void schedjob_addnew(struct sched *, unsigned long id, unsigned int chan) ;
time_t schedjob_nextdue(struct sched const *) ;
void schedjob_cleaned(struct sched *, struct cleanwait const *, int ok) ;

#endif
