/* retry.c: qmail's quadratic back-off. */
#include "retry.h"

static unsigned long isqrt(unsigned long x)
{
  unsigned long r = 0, bit = 1UL << (sizeof(unsigned long) * 8 - 2) ;
  while (bit > x) bit >>= 2 ;
  while (bit)
  {
    if (x >= r + bit) { x -= r + bit ; r = (r >> 1) + bit ; }
    else r >>= 1 ;
    bit >>= 2 ;
  }
  return r ;
}

time_t retry_next(time_t birth, time_t now, unsigned int chan)
{
  static unsigned long const skip[CHANNELS] = { 10, 20 } ;
  unsigned long n = now > birth ? isqrt((unsigned long)(now - birth)) : 0 ;
  n += skip[chan < CHANNELS ? chan : CHAN_REMOTE] ;
  return birth + (time_t)(n * n) ;
}
