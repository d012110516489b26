/* date822.c: RFC 5322 dates in UTC, without locale or libc strftime
 * surprises. */
#include <skalibs/types.h>
#include "date822.h"

static char const months[] = "JanFebMarAprMayJunJulAugSepOctNovDec" ;
static char const days[] = "SunMonTueWedThuFriSat" ;

static size_t two(char *s, unsigned int n)
{
  s[0] = '0' + (n / 10) % 10 ; s[1] = '0' + n % 10 ;
  return 2 ;
}

static size_t body(char *s, struct tm const *tm)
{
  size_t n = uint_fmt(s, (unsigned int)tm->tm_mday) ;
  s[n++] = ' ' ;
  s[n++] = months[3 * tm->tm_mon] ; s[n++] = months[3 * tm->tm_mon + 1] ; s[n++] = months[3 * tm->tm_mon + 2] ;
  s[n++] = ' ' ;
  n += uint_fmt(s + n, (unsigned int)tm->tm_year + 1900) ;
  s[n++] = ' ' ;
  n += two(s + n, (unsigned int)tm->tm_hour) ; s[n++] = ':' ;
  n += two(s + n, (unsigned int)tm->tm_min) ; s[n++] = ':' ;
  n += two(s + n, (unsigned int)tm->tm_sec) ;
  return n ;
}

size_t date822_qmail(char *s, time_t t)
{
  struct tm tm ;
  size_t n ;
  gmtime_r(&t, &tm) ;
  n = body(s, &tm) ;
  s[n++] = ' ' ; s[n++] = '-' ; s[n++] = '0' ; s[n++] = '0' ; s[n++] = '0' ; s[n++] = '0' ;
  s[n] = 0 ;
  return n ;
}

size_t date822_full(char *s, time_t t)
{
  struct tm tm ;
  size_t n = 0 ;
  gmtime_r(&t, &tm) ;
  s[n++] = days[3 * tm.tm_wday] ; s[n++] = days[3 * tm.tm_wday + 1] ; s[n++] = days[3 * tm.tm_wday + 2] ;
  s[n++] = ',' ; s[n++] = ' ' ;
  n += body(s + n, &tm) ;
  s[n++] = ' ' ; s[n++] = '+' ; s[n++] = '0' ; s[n++] = '0' ; s[n++] = '0' ; s[n++] = '0' ;
  s[n] = 0 ;
  return n ;
}
