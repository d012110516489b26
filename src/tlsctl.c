/* tlsctl.c: outcome records of the TLS control protocol (tlsctl.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/tai.h>
#include "tlsctl.h"

int tlsctl_begin(stralloc *sa, char status)
{
  sa->len = 0 ;
  return stralloc_catb(sa, &status, 1) ;
}

int tlsctl_field(stralloc *sa, char const *name, char const *value)
{
  size_t n = strlen(name), v = strlen(value), room ;
  /* name, '=', value, NUL, and the final NUL must fit */
  if (sa->len + n + 3 > TLSCTL_MAX) return 1 ;
  room = TLSCTL_MAX - (sa->len + n + 3) ;
  if (v > room) v = room ;
  if (!stralloc_readyplus(sa, n + v + 2)) return 0 ;
  memcpy(sa->s + sa->len, name, n) ; sa->len += n ;
  sa->s[sa->len++] = '=' ;
  for (size_t i = 0 ; i < v ; i++)
  {
    unsigned char c = (unsigned char)value[i] ;
    sa->s[sa->len++] = c < 32 || c > 126 ? '?' : (char)c ;
  }
  sa->s[sa->len++] = 0 ;
  return 1 ;
}

int tlsctl_end(stralloc *sa)
{
  return stralloc_0(sa) ;
}

ssize_t tlsctl_parse(char const *s, size_t len)
{
  size_t i = 1 ;
  if (!len) return 0 ;
  if (s[0] != 'Y' && s[0] != 'N') return -1 ;
  for (;;)
  {
    size_t start = i ;
    int eq = 0 ;
    if (i >= TLSCTL_MAX) return -1 ;
    if (i >= len) return 0 ;
    if (!s[i]) return (ssize_t)(i + 1) ;   /* the empty field ends it */
    for (; i < len && s[i] ; i++)
    {
      unsigned char c = (unsigned char)s[i] ;
      if (i >= TLSCTL_MAX) return -1 ;
      if (c < 32 || c > 126) return -1 ;
      if (c == '=' && !eq) { if (i == start) return -1 ; eq = 1 ; }
    }
    if (i >= len) return 0 ;
    if (!eq) return -1 ;
    i++ ;
  }
}

char const *tlsctl_get(char const *rec, size_t len, char const *name)
{
  size_t n = strlen(name) ;
  for (size_t i = 1 ; i < len && rec[i] ; i += strlen(rec + i) + 1)
    if (!strncmp(rec + i, name, n) && rec[i + n] == '=') return rec + i + n + 1 ;
  return 0 ;
}

int tlsctl_read(int fd, stralloc *sa, int timeoutms)
{
  tain deadline, now ;
  sa->len = 0 ;
  tain_now(&now) ;
  if (timeoutms >= 0)
  {
    tain t ;
    tain_from_millisecs(&t, timeoutms) ;
    tain_add(&deadline, &now, &t) ;
  }
  for (;;)
  {
    char c ;
    ssize_t r ;
    if (timeoutms >= 0)
    {
      struct pollfd p = { fd, POLLIN, 0 } ;
      int ms, n ;
      tain_now(&now) ;
      if (!tain_less(&now, &deadline)) { errno = ETIMEDOUT ; return -1 ; }
      {
        tain left ;
        tain_sub(&left, &deadline, &now) ;
        ms = (int)tain_to_millisecs(&left) ;
        if (ms < 0) ms = 0 ;
      }
      n = poll(&p, 1, ms) ;
      if (n < 0) { if (errno == EINTR) continue ; return -1 ; }
      if (!n) { errno = ETIMEDOUT ; return -1 ; }
    }
    r = fd_read(fd, &c, 1) ;
    if (r < 0) return -1 ;
    if (!r) { sa->len = 0 ; return 0 ; }
    if (!stralloc_catb(sa, &c, 1)) return -1 ;
    r = tlsctl_parse(sa->s, sa->len) ;
    if (r < 0) { errno = EPROTO ; return -1 ; }
    if (r > 0) return sa->s[0] == 'Y' ;
  }
}
