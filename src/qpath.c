/* qpath.c: queue file names and the directory-hash arithmetic. */
#include <string.h>
#include <skalibs/types.h>
#include "qpath.h"

unsigned long qpath_bucket(unsigned long id, unsigned int split)
{
  return split ? id % split : 0 ;
}

int qpath_hashed(char const *dir)
{
  return !strcmp(dir, "mess/") || !strcmp(dir, "info/")
      || !strcmp(dir, "local/") || !strcmp(dir, "remote/") ;
}

size_t qpath_fmt(char *s, char const *dir, unsigned long id, unsigned int split)
{
  size_t n = strlen(dir) ;
  memcpy(s, dir, n) ;
  if (qpath_hashed(dir))
  {
    n += ulong_fmt(s + n, qpath_bucket(id, split)) ;
    s[n++] = '/' ;
  }
  n += ulong_fmt(s + n, id) ;
  s[n] = 0 ;
  return n ;
}

size_t qpath_dirfmt(char *s, char const *dir, unsigned int bucket)
{
  size_t n = strlen(dir) ;
  memcpy(s, dir, n) ;
  n += uint_fmt(s + n, bucket) ;
  s[n] = 0 ;
  return n ;
}
