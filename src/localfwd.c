/* localfwd.c: forwarding by re-injection through queue (qqclient). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/bytestr.h>
#include "envelope.h"
#include "localfwd.h"
#include "qqclient.h"
#include "qqexit.h"

static int say(stralloc *why, char const *a, char const *b, char const *c, int code)
{
  why->len = 0 ;
  if (!stralloc_cats(why, a) || !stralloc_cats(why, b) || !stralloc_cats(why, c)) why->len = 0 ;
  return code ;
}

int localfwd_send(int msgfd, char const *dtline, size_t dtlen, char const *sender,
  char const *recips, size_t recipslen, pid_t *qp, stralloc *why)
{
  struct qqclient qq ;
  stralloc env = STRALLOC_ZERO ;
  char buf[65536] ;
  int code ;

  if (!envelope_add(&env, 'F', sender, strlen(sender))) goto nomem ;
  for (size_t i = 0 ; i < recipslen ; )
  {
    size_t n = byte_chr(recips + i, recipslen - i, 0) ;
    if (!envelope_add(&env, 'T', recips + i, n)) goto nomem ;
    i += n + 1 ;
  }
  if (!envelope_end(&env)) goto nomem ;
  if (lseek(msgfd, 0, SEEK_SET) < 0) { stralloc_free(&env) ; return say(why, "Unable to rewind message: ", strerror(errno), ". (#4.3.0)", 111) ; }
  if (!qqclient_start(&qq, 0, 0)) { stralloc_free(&env) ; return say(why, "Unable to forward message: unable to run queue: ", strerror(errno), ". (#4.3.0)", 111) ; }
  *qp = qq.pid ;
  qqclient_put(&qq, dtline, dtlen) ;
  for (;;)
  {
    ssize_t r = fd_read(msgfd, buf, sizeof buf) ;
    if (r < 0)
    {
      int e = errno ;
      /* Marking the client failed closes the envelope pipe empty: queue
       * sees a cut envelope and commits nothing. */
      qq.failed = 1 ;
      qqclient_finish(&qq, 0, 0) ;
      stralloc_free(&env) ;
      return say(why, "Unable to read message: ", strerror(e), ". (#4.3.0)", 111) ;
    }
    if (!r) break ;
    qqclient_put(&qq, buf, (size_t)r) ;
  }
  code = qqclient_finish(&qq, env.s, env.len) ;
  stralloc_free(&env) ;
  if (!code) return 0 ;
  return say(why, "Unable to forward message: ", qqexit_text(code), ".", qqexit_permanent(code) ? 100 : 111) ;

 nomem:
  stralloc_free(&env) ;
  return say(why, "Out of memory. (#4.3.0)", "", "", 111) ;
}
