/* tests/fuzz/smtpcmd.c: libFuzzer target for smtpd's command words
 * (src/smtpcmd.h): the verb of a line and the arguments of MAIL and RCPT.
 * The first byte picks databytes (0, or a multiple of 1000); the rest is
 * a command line. Checked on every input, aborting on a violation:
 *  - the verb's argument offset is within the line;
 *  - every reply is "NNN X.Y.Z text" with a 4xx or 5xx code whose class
 *    matches the enhanced code's, and no CR, LF or NUL;
 *  - after a refusal no address is left; after an accepted MAIL the
 *    sender is empty or has an '@', its SIZE is within databytes; after
 *    an accepted RCPT the recipient has an '@' with a domain after it;
 *  - no control byte and no 8-bit byte in an accepted address;
 *  - smtpcmd_literalme names an offset inside the address, just after
 *    its last '@'.
 * Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c replays
 * the corpus through the same checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "smtpcmd.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

static void sc_reply(char const *r)
{
  size_t n = strlen(r) ;
  CHECK(n > 10) ;
  CHECK((r[0] == '4' || r[0] == '5') && r[1] >= '0' && r[1] <= '9' && r[2] >= '0' && r[2] <= '9' && r[3] == ' ') ;
  CHECK(r[4] == r[0] && r[5] == '.') ;
  CHECK(!memchr(r, '\r', n) && !memchr(r, '\n', n)) ;
}

static void sc_addr(stralloc const *a, int nullok)
{
  char const *at ;
  for (size_t i = 0 ; i < a->len ; i++) CHECK((unsigned char)a->s[i] >= 32 && (unsigned char)a->s[i] < 127) ;
  if (!a->len) { CHECK(nullok) ; return ; }
  at = memrchr(a->s, '@', a->len) ;
  CHECK(at && at > a->s && (size_t)(at - a->s) < a->len - 1) ;
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  static stralloc addr = STRALLOC_ZERO ;
  struct smtpcmd_mail m ;
  char const *line = (char const *)data + 1, *r ;
  size_t len, arg = (size_t)-1, dom ;
  unsigned long databytes ;
  enum smtpcmd_verb v ;
  if (!size) return 0 ;
  databytes = (unsigned long)data[0] * 1000 ;
  len = size - 1 ;
  v = smtpcmd_verb(line, len, &arg) ;
  if (v != SMTPCMD_UNKNOWN) CHECK(arg <= len && (arg == 4 || arg == 5)) ;
  else arg = len >= 5 ? 5 : len ;   /* the argument parsers take any bytes */

  addr.len = 0 ;
  r = smtpcmd_mail(line + arg, len - arg, databytes, &addr, &m) ;
  if (r) { sc_reply(r) ; CHECK(!addr.len) ; }
  else
  {
    sc_addr(&addr, 1) ;
    CHECK(!databytes || m.size <= databytes) ;
    if (addr.len && smtpcmd_literalme(addr.s, addr.len, "192.0.2.1", &dom))
      CHECK(dom > 0 && dom < addr.len && addr.s[dom - 1] == '@' && !memchr(addr.s + dom, '@', addr.len - dom)) ;
  }
  r = smtpcmd_rcpt(line + arg, len - arg, "mx.example", 10, &addr) ;
  if (r) { sc_reply(r) ; CHECK(!addr.len) ; }
  else
  {
    sc_addr(&addr, 0) ;
    if (smtpcmd_literalme(addr.s, addr.len, "2001:db8::25", &dom))
      CHECK(dom > 0 && dom < addr.len && addr.s[dom - 1] == '@') ;
  }
  return 0 ;
}
