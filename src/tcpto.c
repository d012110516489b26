/* tcpto.c: the memory of connection timeouts (tcpto.h). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/uint64.h>
#include "tcpto.h"

#define AGAIN_MIN 120        /* later timeouts count only after this */
#define SKIP_FIRST 600
#define SKIP_MAX 3600
#define COUNT_MAX 10

struct rec {
  unsigned char ip[16] ;
  unsigned char is6 ;
  unsigned int count ;   /* 0: a free slot */
  uint64_t when ;
} ;

static void unpack(struct rec *r, unsigned char const *s)
{
  memset(r, 0, sizeof *r) ;
  if (memcmp(s + 20, "tcpt", 4) || s[16] > 1 || !s[17] || s[17] > COUNT_MAX || s[18] || s[19]) return ;
  memcpy(r->ip, s, 16) ;
  r->is6 = s[16] ;
  r->count = s[17] ;
  uint64_unpack_big((char const *)s + 24, &r->when) ;
}

static void pack(unsigned char *s, struct rec const *r)
{
  memset(s, 0, TCPTO_RECLEN) ;
  if (!r->count) return ;
  memcpy(s, r->ip, 16) ;
  s[16] = r->is6 ;
  s[17] = (unsigned char)r->count ;
  memcpy(s + 20, "tcpt", 4) ;
  uint64_pack_big((char *)s + 24, r->when) ;
}

static int same(struct rec const *r, struct dns_ip const *ip)
{
  return r->count && r->is6 == !!ip->is6 && !memcmp(r->ip, ip->ip, ip->is6 ? 16 : 4)
    && (ip->is6 || !memcmp(r->ip + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12)) ;
}

/* The records of the file on fd: their number. */
static unsigned int readall(int fd, struct rec *recs)
{
  unsigned char buf[TCPTO_RECORDS * TCPTO_RECLEN] ;
  ssize_t r = pread(fd, buf, sizeof buf, 0) ;
  unsigned int n ;
  if (r <= 0) return 0 ;
  n = (unsigned int)((size_t)r / TCPTO_RECLEN) ;
  for (unsigned int i = 0 ; i < n ; i++) unpack(recs + i, buf + i * TCPTO_RECLEN) ;
  return n ;
}

int tcpto_skip(char const *fn, struct dns_ip const *ip, uint64_t now)
{
  struct rec recs[TCPTO_RECORDS] ;
  unsigned int n ;
  int fd = open2(fn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0) return 0 ;
  if (fd_lock(fd, 0, 0) < 1) { fd_close(fd) ; return 0 ; }
  n = readall(fd, recs) ;
  fd_close(fd) ;
  for (unsigned int i = 0 ; i < n ; i++)
    if (same(recs + i, ip))
    {
      uint64_t window ;
      if (recs[i].count < 2 || recs[i].when > now) return 0 ;
      window = recs[i].count - 2 >= 3 ? SKIP_MAX : (uint64_t)SKIP_FIRST << (recs[i].count - 2) ;
      if (window > SKIP_MAX) window = SKIP_MAX ;
      return now - recs[i].when < window ;
    }
  return 0 ;
}

void tcpto_note(char const *fn, struct dns_ip const *ip, int timedout, uint64_t now)
{
  struct rec recs[TCPTO_RECORDS] ;
  unsigned char buf[TCPTO_RECLEN] ;
  unsigned int n, i ;
  int fd = open2(fn, O_RDWR | O_CLOEXEC) ;
  if (fd < 0) return ;
  if (fd_lock(fd, 1, 0) < 1) goto end ;
  n = readall(fd, recs) ;
  for (i = 0 ; i < n ; i++) if (same(recs + i, ip)) break ;
  if (i < n)
  {
    if (!timedout) recs[i].count = 0 ;
    else
    {
      /* parallel deliveries to one dead host count as one timeout */
      if (now >= recs[i].when && now - recs[i].when < AGAIN_MIN) goto end ;
      if (recs[i].count < COUNT_MAX) recs[i].count++ ;
      recs[i].when = now ;
    }
  }
  else
  {
    if (!timedout) goto end ;
    for (i = 0 ; i < n ; i++) if (!recs[i].count) break ;
    if (i == n && n == TCPTO_RECORDS)
    {
      /* full: the record that expires first gives way, as in qmail */
      unsigned int best = 0 ;
      for (unsigned int j = 1 ; j < n ; j++)
        if (recs[j].when + ((uint64_t)recs[j].count << 10) < recs[best].when + ((uint64_t)recs[best].count << 10)) best = j ;
      i = best ;
    }
    memset(recs + i, 0, sizeof recs[i]) ;
    memcpy(recs[i].ip, ip->ip, ip->is6 ? 16 : 4) ;
    recs[i].is6 = !!ip->is6 ;
    recs[i].count = 1 ;
    recs[i].when = now ;
  }
  pack(buf, recs + i) ;
  /* one record in one write: a crash leaves the others whole */
  if (pwrite(fd, buf, TCPTO_RECLEN, (off_t)i * TCPTO_RECLEN) < 0) goto end ;
 end:
  fd_close(fd) ;
}
