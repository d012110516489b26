/* received-line: the Received line queue prepends (received.c), exact bytes
 * for each kind at a fixed time and pid, as qmail-queue writes them. */
#include <limits.h>
#include <string.h>
#include <sys/types.h>
#include "received.h"
#include "tap.h"

#define T0 1795498392   /* 24 Nov 2026 05:33:12 UTC */

static void check(enum received_kind k, pid_t pid, uid_t uid, time_t t, char const *want, char const *name)
{
  char s[RECEIVED_MAX + 8] ;
  size_t n ;
  memset(s, 'Z', sizeof s) ;
  n = received_fmt(s, pid, k, uid, t) ;
  is_mem(s, n, want, strlen(want), name) ;
}

int main(void)
{
  check(RECEIVED_UID, 4242, 1000, T0,
    "Received: (qmail 4242 invoked by uid 1000); 24 Nov 2026 05:33:12 -0000\n", "by uid N") ;
  check(RECEIVED_UID, 1, 0, 0,
    "Received: (qmail 1 invoked by uid 0); 1 Jan 1970 00:00:00 -0000\n", "by uid 0 at the epoch") ;
  check(RECEIVED_ALIAS, 4242, 1000, T0,
    "Received: (qmail 4242 invoked by alias); 24 Nov 2026 05:33:12 -0000\n", "by alias (uid not shown)") ;
  check(RECEIVED_NETWORK, 77, 1000, T0,
    "Received: (qmail 77 invoked from network); 24 Nov 2026 05:33:12 -0000\n", "from network") ;
  check(RECEIVED_BOUNCE, 77, 1000, T0,
    "Received: (qmail 77 invoked for bounce); 24 Nov 2026 05:33:12 -0000\n", "for bounce") ;
  {
    /* the longest line: largest pid and uid, a date in year 9999 */
    char s[RECEIVED_MAX + 8] ;
    size_t n ;
    memset(s, 'Z', sizeof s) ;
    n = received_fmt(s, INT_MAX, RECEIVED_UID, (uid_t)-1, 253402300799) ;
    char const *want = "Received: (qmail 2147483647 invoked by uid 4294967295); 31 Dec 9999 23:59:59 -0000\n" ;
    is_mem(s, n, want, strlen(want), "largest pid and uid, year 9999") ;
    ok(n <= RECEIVED_MAX && s[RECEIVED_MAX] == 'Z', "longest line fits RECEIVED_MAX") ;
  }
  return tap_done() ;
}
