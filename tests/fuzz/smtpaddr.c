/* tests/fuzz/smtpaddr.c: libFuzzer target for the RFC 5321 path parser
 * (src/smtpaddr.h). The first byte sets nullok (bit 0) and utf8 (bit 1);
 * the rest is what follows "MAIL FROM:" or "RCPT TO:". Checked on every
 * input, aborting on a violation:
 *  - on an error, out keeps exactly what it held before;
 *  - on success, used is within the input; the address is empty only for
 *    "<>" where nullok allows it; otherwise it has a local part of 1 to
 *    64 octets and a domain of 1 to 255 octets after its last '@': labels
 *    of 1 to 63 letters, digits, '-' or '_' (not first or last) joined by
 *    dots, or a bracketed literal that smtpaddr_literal takes;
 *  - no control byte and, without utf8, no 8-bit byte in the address;
 *  - the path alone (the first used bytes) gives the same address;
 *  - an address whose local part is a dot-atom parses back to itself
 *    inside < >.
 * Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c replays
 * the corpus through the same checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "smtpaddr.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

static int sa_atext(unsigned char c, int utf8)
{
  if (c >= 128) return utf8 ;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c)) ;
}

static int sa_dotatom(char const *s, size_t n, int utf8)
{
  int dot = 1 ;
  for (size_t i = 0 ; i < n ; i++)
  {
    if (s[i] == '.') { if (dot) return 0 ; dot = 1 ; }
    else if (sa_atext((unsigned char)s[i], utf8)) dot = 0 ;
    else return 0 ;
  }
  return n && !dot ;
}

static void sa_domain(char const *d, size_t n, int utf8)
{
  size_t label = 0 ;
  char ip[16] ;
  CHECK(n >= 1 && n <= SMTPADDR_DOMAINMAX) ;
  if (d[0] == '[')
  {
    CHECK(n >= 3 && d[n - 1] == ']') ;
    CHECK(smtpaddr_literal(d + 1, n - 2, ip)) ;
    return ;
  }
  for (size_t i = 0 ; i <= n ; i++)
  {
    unsigned char c = i < n ? (unsigned char)d[i] : '.' ;
    if (c == '.')
    {
      CHECK(label >= 1 && label <= 63) ;
      CHECK(d[i - label] != '-' && d[i - 1] != '-') ;
      label = 0 ;
      continue ;
    }
    CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || (c >= 128 && utf8)) ;
    label++ ;
  }
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  static stralloc out = STRALLOC_ZERO, again = STRALLOC_ZERO, path = STRALLOC_ZERO ;
  char const *s = (char const *)data + 1 ;
  size_t len, used = (size_t)-1, used2 ;
  int nullok, utf8 ;
  enum smtpaddr_status st ;
  char const *at ;
  if (!size) return 0 ;
  nullok = data[0] & 1 ;
  utf8 = !!(data[0] & 2) ;
  len = size - 1 ;
  out.len = 0 ;
  CHECK(stralloc_cats(&out, "PRE")) ;
  st = smtpaddr_parse(s, len, nullok, utf8, &out, &used) ;
  CHECK(!memcmp(out.s, "PRE", 3)) ;
  if (st)
  {
    CHECK(st < SMTPADDR_ENOMEM) ;
    CHECK(out.len == 3) ;
    CHECK(smtpaddr_errstr(st)[0]) ;
    return 0 ;
  }
  CHECK(used >= 1 && used <= len) ;
  for (size_t i = 3 ; i < out.len ; i++)
  {
    unsigned char c = (unsigned char)out.s[i] ;
    CHECK(c >= 32 && c != 127) ;
    CHECK(utf8 || c < 128) ;
  }
  if (out.len == 3)
  {
    CHECK(nullok && used == 2 && s[0] == '<' && s[1] == '>') ;
    return 0 ;
  }
  at = memrchr(out.s + 3, '@', out.len - 3) ;
  CHECK(at) ;
  CHECK(at - (out.s + 3) >= 1 && at - (out.s + 3) <= SMTPADDR_LOCALMAX) ;
  sa_domain(at + 1, out.len - (size_t)(at + 1 - out.s), utf8) ;

  /* the path alone gives the same */
  again.len = 0 ;
  CHECK(smtpaddr_parse(s, used, nullok, utf8, &again, &used2) == SMTPADDR_OK) ;
  CHECK(used2 == used && again.len == out.len - 3 && !memcmp(again.s, out.s + 3, again.len)) ;

  /* a dot-atom local part needs no quotes: the address reads back */
  if (sa_dotatom(out.s + 3, (size_t)(at - (out.s + 3)), utf8))
  {
    path.len = 0 ;
    CHECK(stralloc_catb(&path, "<", 1) && stralloc_catb(&path, out.s + 3, out.len - 3) && stralloc_catb(&path, ">", 1)) ;
    again.len = 0 ;
    CHECK(smtpaddr_parse(path.s, path.len, 0, utf8, &again, &used2) == SMTPADDR_OK) ;
    CHECK(used2 == path.len && again.len == out.len - 3 && !memcmp(again.s, out.s + 3, again.len)) ;
  }
  return 0 ;
}
