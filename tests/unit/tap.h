/* tap.h: a minimal TAP producer for the unit tests. */
#ifndef CAIRN_TAP_H
#define CAIRN_TAP_H

#include <stdio.h>
#include <string.h>

static unsigned int tap_n, tap_failed ;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, name) tap_is_int((long long)(got), (long long)(want), name, __LINE__)
#define is_str(got, want, name) tap_is_str((got), (want), name, __LINE__)
#define is_mem(got, glen, want, wlen, name) tap_is_mem((got), (glen), (want), (wlen), name, __LINE__)

static int tap_ok(int c, char const *file, int line, char const *name)
{
  tap_n++ ;
  printf("%sok %u - %s\n", c ? "" : "not ", tap_n, name) ;
  if (!c) { tap_failed++ ; printf("# failed at %s:%d\n", file, line) ; }
  return c ;
}

static inline int tap_is_int(long long got, long long want, char const *name, int line)
{
  int c = tap_ok(got == want, __FILE__, line, name) ;
  if (!c) printf("#   expected: %lld\n#        got: %lld\n", want, got) ;
  return c ;
}

static inline int tap_is_mem(char const *got, size_t glen, char const *want, size_t wlen, char const *name, int line)
{
  int c = tap_ok(glen == wlen && !memcmp(got, want, wlen), __FILE__, line, name) ;
  if (!c) printf("#   expected: %.*s\n#        got: %.*s\n", (int)wlen, want, (int)glen, got) ;
  return c ;
}

static inline int tap_is_str(char const *got, char const *want, char const *name, int line)
{
  return tap_is_mem(got ? got : "(null)", strlen(got ? got : "(null)"), want, strlen(want), name, line) ;
}

static int tap_done(void)
{
  printf("1..%u\n", tap_n) ;
  return tap_failed ? 1 : 0 ;
}

#endif
