/* Unit tests of qqproto: queued's framing, fed whole and byte by byte,
 * with malformed input: bad digits, leading zeros, lengths over the
 * limits, missing commas, an empty envelope, and truncation. */
#include "tap.h"
#include "envelope.h"
#include "qqproto.h"

/* Decodes s in pieces of step bytes; writes the message bytes to msg,
 * the envelope bytes to env, and one letter per event to ev: E end of
 * message, V end of envelope, X malformed (then stops). */
static void run(char const *s, size_t len, size_t step, char *msg, size_t *mlen, char *env, size_t *elen, char *ev)
{
  struct qqproto p = QQPROTO_ZERO ;
  size_t ne = 0 ;
  *mlen = *elen = 0 ;
  for (size_t pos = 0 ; pos < len ;)
  {
    size_t chunk = len - pos < step ? len - pos : step ;
    size_t i = 0 ;
    while (i < chunk)
    {
      char const *d = 0 ;
      size_t used = 0, dlen = 0 ;
      enum qqproto_event e = qqproto_next(&p, s + pos + i, chunk - i, &used, &d, &dlen) ;
      i += used ;
      switch (e)
      {
        case QQPROTO_DATA: memcpy(msg + *mlen, d, dlen) ; *mlen += dlen ; break ;
        case QQPROTO_ENV: memcpy(env + *elen, d, dlen) ; *elen += dlen ; break ;
        case QQPROTO_ENDMSG: ev[ne++] = 'E' ; break ;
        case QQPROTO_ENDENV: ev[ne++] = 'V' ; break ;
        case QQPROTO_EBAD: ev[ne++] = 'X' ; ev[ne] = 0 ; return ;
        default: if (i != chunk) { ev[ne++] = '?' ; ev[ne] = 0 ; return ; } break ;
      }
    }
    pos += chunk ;
  }
  ev[ne] = 0 ;
}

/* The events of s, fed whole and byte by byte (they must agree). */
static char const *events(char const *s, size_t len)
{
  static char ev1[64], ev2[64] ;
  static char msg[4096], env[4096] ;
  size_t ml, el ;
  run(s, len, len ? len : 1, msg, &ml, env, &el, ev1) ;
  run(s, len, 1, msg, &ml, env, &el, ev2) ;
  return strcmp(ev1, ev2) ? "whole and byte by byte differ" : ev1 ;
}
#define EV(lit) events(lit, sizeof lit - 1)

int main(void)
{
  char msg[4096], env[4096], ev[64], s[64] ;
  size_t ml, el, n ;
  int code = -1 ;
  static char const one[] = "5:hello,6: world,0:,11:Fa@b\0Tc@d\0\0," ;

  {
    size_t step = 1 ;
    for (; step < sizeof one ; step++)
    {
      run(one, sizeof one - 1, step, msg, &ml, env, &el, ev) ;
      if (strcmp(ev, "EV") || ml != 11 || memcmp(msg, "hello world", 11) || el != 11 || memcmp(env, "Fa@b\0Tc@d\0\0", 11)) break ;
    }
    is_int(step, sizeof one, "one message decodes the same in pieces of every size") ;
  }
  run(one, sizeof one - 1, 3, msg, &ml, env, &el, ev) ;
  is_str(ev, "EV", "a message, its end, its envelope") ;
  is_mem(msg, ml, "hello world", 11, "the message bytes are the two netstrings' contents") ;
  is_mem(env, el, "Fa@b\0Tc@d\0\0", 11, "the envelope bytes are the envelope netstring's content") ;

  is_str(EV("0:,3:F\0\0,"), "EV", "an empty message (0:, alone) is a message") ;
  is_str(EV("1:a,0:,3:F\0\0,1:b,0:,3:F\0\0,"), "EVEV", "two messages follow on one connection") ;
  is_str(EV(""), "", "nothing is nothing") ;
  is_str(EV("1:a,0:,3:F\0\0"), "E", "an envelope without its comma is not whole (truncated)") ;
  is_str(EV("5:hel"), "", "a truncated netstring gives no event") ;

  is_str(EV("x:,"), "X", "a letter for a length is malformed") ;
  is_str(EV(":a,"), "X", "an empty length is malformed") ;
  is_str(EV("-1:a,"), "X", "a sign is malformed") ;
  is_str(EV("01:a,"), "X", "a leading zero is malformed") ;
  is_str(EV("00:,"), "X", "00 is malformed") ;
  is_str(EV("1:ab"), "X", "a missing comma after data is malformed") ;
  is_str(EV("0:;"), "X", "a missing comma after 0: is malformed") ;
  is_str(EV("1 :a,"), "X", "a space in a length is malformed") ;
  is_str(EV("0:,0:,"), "EX", "an empty envelope netstring is malformed") ;
  is_str(EV("0:,2:F\0;"), "EX", "an envelope without its comma is malformed") ;

  n = qqproto_head(s, QQPROTO_CHUNK_MAX) ; s[n++] = 'a' ;
  run(s, n, n, msg, &ml, env, &el, ev) ;
  ok(!strcmp(ev, "") && ml == 1, "a netstring of QQPROTO_CHUNK_MAX bytes is accepted") ;
  n = qqproto_head(s, QQPROTO_CHUNK_MAX + 1) ;
  run(s, n, 1, msg, &ml, env, &el, ev) ;
  is_str(ev, "X", "a netstring of QQPROTO_CHUNK_MAX + 1 bytes is refused") ;
  is_str(EV("999999999:"), "X", "nine digits are refused (no overflow)") ;
  is_str(EV("99999999999999999999999999:"), "X", "twenty-six digits are refused (no overflow)") ;
  memcpy(s, "0:,", 3) ; n = 3 + qqproto_head(s + 3, ENVELOPE_MAX) ;
  run(s, n, 1, msg, &ml, env, &el, ev) ;
  is_str(ev, "E", "an envelope of ENVELOPE_MAX bytes is accepted") ;
  memcpy(s, "0:,", 3) ; n = 3 + qqproto_head(s + 3, ENVELOPE_MAX + 1) ;
  run(s, n, 1, msg, &ml, env, &el, ev) ;
  is_str(ev, "EX", "an envelope of ENVELOPE_MAX + 1 bytes is refused") ;
  {
    struct qqproto p = QQPROTO_ZERO ;
    char const *d ; size_t used, dl ;
    qqproto_next(&p, "x", 1, &used, &d, &dl) ;
    ok(qqproto_next(&p, "1:a,", 4, &used, &d, &dl) == QQPROTO_EBAD, "after a malformed byte, everything is malformed") ;
    ok(!qqproto_idle(&p), "a broken decoder is not idle") ;
  }
  {
    struct qqproto p = QQPROTO_ZERO ;
    char const *d ; size_t used, dl ;
    ok(qqproto_idle(&p), "a new decoder is idle") ;
    qqproto_next(&p, "1", 1, &used, &d, &dl) ;
    ok(!qqproto_idle(&p), "a decoder in a length is not idle") ;
  }

  ok(qqproto_reply("0\n", 2, &code) && code == 0, "reply 0") ;
  ok(qqproto_reply("53\n", 3, &code) && code == 53, "reply 53") ;
  ok(qqproto_reply("255\n", 4, &code) && code == 255, "reply 255") ;
  ok(!qqproto_reply("256\n", 4, &code), "reply 256 is refused") ;
  ok(!qqproto_reply("0", 1, &code), "a reply without LF is refused") ;
  ok(!qqproto_reply("\n", 1, &code), "an empty reply is refused") ;
  ok(!qqproto_reply("0\n\n", 3, &code), "bytes after the LF are refused") ;
  ok(!qqproto_reply("x\n", 2, &code), "a letter is refused") ;
  is_mem(s, qqproto_head(s, 0), "0:", 2, "head of 0") ;
  is_mem(s, qqproto_head(s, 16777216), "16777216:", 9, "head of QQPROTO_CHUNK_MAX") ;
  return tap_done() ;
}
