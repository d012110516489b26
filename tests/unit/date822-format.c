/* date822-format: RFC 5322 dates in UTC (date822.c) for known timestamps:
 * the epoch, leap days (2000, 2024), the day after a non-leap 28 February
 * (2100), single-digit days, and times past 2038. Expected strings were
 * computed with GNU date -u. */
#include <string.h>
#include "date822.h"
#include "tap.h"

static char const *q(time_t t)
{
  static char s[DATE822_MAX] ;
  size_t n = date822_qmail(s, t) ;
  return n == strlen(s) ? s : "(returned length differs)" ;
}

static char const *f(time_t t)
{
  static char s[DATE822_MAX] ;
  size_t n = date822_full(s, t) ;
  return n == strlen(s) ? s : "(returned length differs)" ;
}

int main(void)
{
  is_str(q(0), "1 Jan 1970 00:00:00 -0000", "qmail form: the epoch") ;
  is_str(f(0), "Thu, 1 Jan 1970 00:00:00 +0000", "full form: the epoch (a Thursday)") ;
  is_str(q(1709210096), "29 Feb 2024 12:34:56 -0000", "qmail form: leap day 2024") ;
  is_str(f(1709210096), "Thu, 29 Feb 2024 12:34:56 +0000", "full form: leap day 2024") ;
  is_str(f(951868799), "Tue, 29 Feb 2000 23:59:59 +0000", "full form: leap day 2000 (divisible by 400)") ;
  is_str(f(4107542399), "Sun, 28 Feb 2100 23:59:59 +0000", "full form: 28 Feb 2100") ;
  is_str(f(4107542400), "Mon, 1 Mar 2100 00:00:00 +0000", "full form: 2100 is not leap, next day is 1 Mar") ;
  is_str(q(1793854989), "5 Nov 2026 05:03:09 -0000", "qmail form: single-digit day, no leading zero; zero-padded time") ;
  is_str(f(1793854989), "Thu, 5 Nov 2026 05:03:09 +0000", "full form: single-digit day") ;
  is_str(q(2147483647), "19 Jan 2038 03:14:07 -0000", "qmail form: last second of 32-bit time") ;
  is_str(q(2147483648), "19 Jan 2038 03:14:08 -0000", "qmail form: first second past 32-bit time") ;
  is_str(f(2147483648), "Tue, 19 Jan 2038 03:14:08 +0000", "full form: past 2038") ;
  is_str(q(1795498392), "24 Nov 2026 05:33:12 -0000", "qmail form: the example in received.h") ;
  {
    char s[DATE822_MAX] ;
    size_t n = date822_full(s, 253402300799) ;   /* 31 Dec 9999 23:59:59 */
    is_str(s, "Fri, 31 Dec 9999 23:59:59 +0000", "full form: year 9999") ;
    ok(n < DATE822_MAX, "longest four-digit-year date fits DATE822_MAX") ;
  }
  return tap_done() ;
}
