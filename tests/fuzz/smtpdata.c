/* tests/fuzz/smtpdata.c: libFuzzer target for smtpd's DATA state machine
 * (src/smtpdata.h). The input's first byte picks the size limit, its
 * second seeds the split into pieces; the rest is what a client sends
 * after 354. Checked on every input, aborting on a violation:
 *  - each call gives at most len + 1 output bytes (the +1 is a CR held
 *    back from the previous piece);
 *  - fed at once, byte by byte and in random pieces, the machine gives
 *    the same output, flags, size and end;
 *  - it ends exactly after the first CRLF "." CRLF of the stream (the
 *    CRLF that ended the DATA command counts), and never elsewhere: no
 *    bare-LF or bare-CR variant ends a message (SMTP smuggling);
 *  - a bare CR or LF, a NUL, a line over 998 octets, more than 100
 *    Received/Delivered-To header lines set their flags exactly when
 *    present; without those, the output is the unstuffed text with LF
 *    line ends, cut at the size limit exactly when TOOBIG is set.
 * Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c replays
 * the corpus through the same checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "smtpdata.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

struct sd_run {
  char *out ;
  size_t outlen ;
  size_t used ;
  int done ;
  struct smtpdata d ;
} ;

/* Feeds in pieces whose sizes come from the pieces function. */
static void sd_feed(struct sd_run *r, char const *in, size_t len, size_t max, unsigned int seed, int mode)
{
  size_t pos = 0 ;
  smtpdata_init(&r->d, max) ;
  r->outlen = 0 ; r->done = 0 ;
  while (pos < len && !r->done)
  {
    size_t n, o, u ;
    if (mode == 0) n = len - pos ;
    else if (mode == 1) n = 1 ;
    else { seed = seed * 1103515245u + 12345u ; n = 1 + (seed >> 16) % 17 ; if (n > len - pos) n = len - pos ; }
    u = smtpdata_feed(&r->d, in + pos, n, r->out + r->outlen, &o, &r->done) ;
    CHECK(u <= n) ;
    CHECK(o <= n + 1) ;
    CHECK(r->done || u == n) ;
    CHECK(!r->done || u >= 1) ;
    r->outlen += o ;
    pos += u ;
  }
  r->used = pos ;
}

static int sd_startsi(char const *s, size_t n, char const *p)
{
  size_t k = strlen(p) ;
  if (n < k) return 0 ;
  for (size_t i = 0 ; i < k ; i++)
  {
    char c = s[i] ;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A' ;
    if (c != p[i]) return 0 ;
  }
  return 1 ;
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  struct sd_run a, b, c ;
  char const *in ;
  size_t len, max, end = 0 ;
  unsigned int seed ;
  int found = 0 ;
  if (size < 2) return 0 ;
  max = data[0] ? (size_t)data[0] * 4 : 0 ;
  seed = data[1] ;
  in = (char const *)data + 2 ;
  len = size - 2 ;
  a.out = malloc(len + 2) ; b.out = malloc(len + 2) ; c.out = malloc(len + 2) ;
  CHECK(a.out && b.out && c.out) ;
  sd_feed(&a, in, len, max, seed, 0) ;
  sd_feed(&b, in, len, max, seed, 1) ;
  sd_feed(&c, in, len, max, seed, 2) ;

  CHECK(a.done == b.done && a.done == c.done) ;
  CHECK(a.used == b.used && a.used == c.used) ;
  CHECK(a.d.flags == b.d.flags && a.d.flags == c.d.flags) ;
  CHECK(a.d.size == b.d.size && a.d.size == c.d.size && a.d.size == a.outlen) ;
  CHECK(a.outlen == b.outlen && a.outlen == c.outlen) ;
  CHECK(!memcmp(a.out, b.out, a.outlen) && !memcmp(a.out, c.out, a.outlen)) ;
  CHECK(!max || a.outlen <= max) ;

  /* The end: the first CRLF.CRLF, with the DATA command's CRLF before in. */
  for (size_t i = 0 ; i < len && !found ; i++)
  {
    if (in[i] != '.') continue ;
    if (i + 2 >= len || in[i + 1] != '\r' || in[i + 2] != '\n') continue ;
    if (i == 0 || (i >= 2 && in[i - 2] == '\r' && in[i - 1] == '\n')) { found = 1 ; end = i + 3 ; }
  }
  CHECK(a.done == found) ;
  if (!found) CHECK(a.used == len) ;
  else
  {
    /* What came before the final ".\r\n": lines ended by CRLF. */
    size_t bodylen = end - 3, i = 0, o = 0, hops = 0 ;
    int bare = 0, nul = 0, longline = 0, header = 1 ;
    char *ref = malloc(bodylen + 1) ;
    CHECK(a.used == end) ;
    CHECK(ref) ;
    for (size_t k = 0 ; k < bodylen ; k++)
    {
      if (!in[k]) nul = 1 ;
      if (in[k] == '\r' && (k + 1 >= bodylen || in[k + 1] != '\n')) bare = 1 ;
      if (in[k] == '\n' && (k == 0 || in[k - 1] != '\r')) bare = 1 ;
    }
    CHECK(!!(a.d.flags & SMTPDATA_BARE) == bare) ;
    CHECK(!!(a.d.flags & SMTPDATA_NUL) == nul) ;
    if (!bare)
    {
      while (i < bodylen)
      {
        size_t e = i ;
        while (in[e] != '\r') e++ ;            /* no bare CR: a CRLF is there */
        if (e - i > SMTPDATA_LINEMAX) longline = 1 ;
        if (header)
        {
          if (e == i) header = 0 ;
          else if (sd_startsi(in + i, e - i, "received:") || sd_startsi(in + i, e - i, "delivered-to:")) hops++ ;
        }
        for (size_t k = i + (in[i] == '.' && e > i) ; k < e ; k++) ref[o++] = in[k] ;
        ref[o++] = '\n' ;
        i = e + 2 ;
      }
      CHECK(!!(a.d.flags & SMTPDATA_LONGLINE) == longline) ;
      CHECK(!!(a.d.flags & SMTPDATA_HOPS) == (hops > SMTPDATA_HOPMAX)) ;
      if (max && o > max)
      {
        CHECK(a.d.flags & SMTPDATA_TOOBIG) ;
        CHECK(a.outlen == max && !memcmp(a.out, ref, max)) ;
      }
      else
      {
        CHECK(!(a.d.flags & SMTPDATA_TOOBIG)) ;
        CHECK(a.outlen == o && !memcmp(a.out, ref, o)) ;
      }
    }
    free(ref) ;
  }
  free(a.out) ; free(b.out) ; free(c.out) ;
  return 0 ;
}
