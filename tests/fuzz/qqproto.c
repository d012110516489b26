/* tests/fuzz/qqproto.c: libFuzzer target for queued's decoder
 * (src/qqproto.h), which reads what any local user sends. The input is
 * decoded whole, then again in pieces whose sizes come from its first
 * byte; both must give the same events and the same message and
 * envelope bytes, every byte given must be used or refused, no message
 * netstring may yield more than QQPROTO_CHUNK_MAX bytes, no envelope
 * more than ENVELOPE_MAX, and a malformed byte ends the decoding for
 * good. Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c
 * replays the corpus through the same checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "envelope.h"
#include "qqproto.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

struct outcome {
  char ev[256] ;
  size_t nev ;
  uint64_t msum, esum ;   /* bytes, and a checksum of them */
  size_t mlen, elen ;
} ;

static void decode(char const *s, size_t len, size_t step, struct outcome *o)
{
  struct qqproto p = QQPROTO_ZERO ;
  size_t chunk = 0, env = 0 ;
  int bad = 0 ;
  memset(o, 0, sizeof *o) ;
  for (size_t pos = 0 ; pos < len && !bad ;)
  {
    size_t n = len - pos < step ? len - pos : step ;
    size_t i = 0 ;
    while (i < n)
    {
      char const *d = 0 ;
      size_t used = 0, dl = 0 ;
      enum qqproto_event e = qqproto_next(&p, s + pos + i, n - i, &used, &d, &dl) ;
      CHECK(used <= n - i) ;
      i += used ;
      if (e == QQPROTO_MORE) { CHECK(i == n) ; break ; }
      if (o->nev < sizeof o->ev) o->ev[o->nev++] = (char)e ;
      switch (e)
      {
        case QQPROTO_DATA:
          CHECK(dl && d >= s && d + dl <= s + len) ;
          chunk += dl ; CHECK(chunk <= QQPROTO_CHUNK_MAX) ;
          for (size_t k = 0 ; k < dl ; k++) o->msum = o->msum * 31 + (unsigned char)d[k] ;
          o->mlen += dl ;
          break ;
        case QQPROTO_ENV:
          CHECK(dl && d >= s && d + dl <= s + len) ;
          env += dl ; CHECK(env <= ENVELOPE_MAX) ;
          for (size_t k = 0 ; k < dl ; k++) o->esum = o->esum * 31 + (unsigned char)d[k] ;
          o->elen += dl ;
          break ;
        case QQPROTO_ENDMSG: chunk = 0 ; break ;
        case QQPROTO_ENDENV: CHECK(env) ; env = 0 ; chunk = 0 ; CHECK(qqproto_idle(&p)) ; break ;
        case QQPROTO_EBAD:
        {
          size_t u2 ; char const *d2 ; size_t dl2 ;
          CHECK(qqproto_next(&p, "0:,", 3, &u2, &d2, &dl2) == QQPROTO_EBAD) ;
          bad = 1 ;
          break ;
        }
        default: CHECK(0) ;
      }
      if (bad) break ;
    }
    pos += n ;
  }
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  static struct outcome whole, pieces ;
  size_t step ;
  if (!size) return 0 ;
  step = (size_t)data[0] % 17 + 1 ;
  decode((char const *)data + 1, size - 1, size, &whole) ;
  decode((char const *)data + 1, size - 1, step, &pieces) ;
  /* pieces split DATA and ENV events; compare the other events in order */
  {
    char a[256], b[256] ;
    size_t na = 0, nb = 0 ;
    for (size_t i = 0 ; i < whole.nev ; i++) if (whole.ev[i] != QQPROTO_DATA && whole.ev[i] != QQPROTO_ENV) a[na++] = whole.ev[i] ;
    for (size_t i = 0 ; i < pieces.nev ; i++) if (pieces.ev[i] != QQPROTO_DATA && pieces.ev[i] != QQPROTO_ENV) b[nb++] = pieces.ev[i] ;
    if (whole.nev < sizeof whole.ev && pieces.nev < sizeof pieces.ev)
    {
      CHECK(na == nb && !memcmp(a, b, na)) ;
      CHECK(whole.mlen == pieces.mlen && whole.msum == pieces.msum) ;
      CHECK(whole.elen == pieces.elen && whole.esum == pieces.esum) ;
    }
  }
  CHECK(whole.mlen + whole.elen < size) ;
  return 0 ;
}
