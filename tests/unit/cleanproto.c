/* Unit tests of cleanproto: send <-> clean requests, with malformed bytes. */
#include "tap.h"
#include "cleanproto.h"

static int parse(char const *s, size_t len, struct cleanproto_req *r)
{
  return cleanproto_parse(r, s, len) ;
}

#define P(lit, r) parse(lit, sizeof lit - 1, r)   /* literal with its NUL spelled out */

/* Feeds s in pieces of step bytes; returns how many requests ended and
 * writes each verdict ('+' valid, 'x' not) into out. */
static size_t stream(char const *s, size_t len, size_t step, char *out, unsigned long *ids)
{
  struct cleanproto_reader rd = CLEANPROTO_READER_ZERO ;
  size_t n = 0 ;
  for (size_t pos = 0 ; pos < len ;)
  {
    size_t chunk = len - pos < step ? len - pos : step ;
    size_t i = 0 ;
    while (i < chunk)
    {
      int complete ;
      i += cleanproto_feed(&rd, s + pos + i, chunk - i, &complete) ;
      if (complete)
      {
        struct cleanproto_req req = { 0, 0 } ;
        int ok = cleanproto_take(&rd, &req) ;
        out[n] = ok ? (req.kind == CLEANPROTO_TODO ? 't' : 'f') : 'x' ;
        ids[n++] = ok ? req.id : 0 ;
      }
    }
    pos += chunk ;
  }
  out[n] = 0 ;
  return n ;
}

int main(void)
{
  struct cleanproto_req r = { 0, 0 } ;
  char s[CLEANPROTO_MAX] ;
  char out[64] ;
  unsigned long ids[64] ;
  char big[300] ;
  size_t n ;

  n = cleanproto_fmt(s, CLEANPROTO_FOOP, 457) ;
  is_mem(s, n, "foop/457\0", 9, "fmt writes foop/ID and its NUL") ;
  n = cleanproto_fmt(s, CLEANPROTO_TODO, 18446744073709551615UL) ;
  is_mem(s, n, "todo/18446744073709551615\0", 26, "fmt writes the largest id") ;
  ok(parse(s, n, &r) && r.kind == CLEANPROTO_TODO && r.id == 18446744073709551615UL, "parse reads back what fmt wrote") ;

  ok(P("foop/457\0", &r) && r.kind == CLEANPROTO_FOOP && r.id == 457, "foop/457 is a foop request for 457") ;
  ok(P("todo/1\0", &r) && r.kind == CLEANPROTO_TODO && r.id == 1, "todo/1 (7 bytes, the shortest) is accepted") ;
  ok(P("todo/0042\0", &r) && r.id == 42, "leading zeros are accepted, as qmail-clean") ;
  ok(!P("todo/\0", &r), "6 bytes (no id) is refused") ;
  ok(!P("\0", &r), "an empty request is refused") ;
  ok(!P("mess/457\0", &r), "an unknown prefix is refused") ;
  ok(!P("FOOP/457\0", &r), "the prefix is case-sensitive") ;
  ok(!P("foop457x\0", &r), "a prefix without its slash is refused") ;
  ok(!P("foop/45a7\0", &r), "a letter inside the id is refused") ;
  ok(!P("foop/-457\0", &r), "a sign is refused") ;
  ok(!P("foop/457 \0", &r), "a trailing space is refused") ;
  ok(!P("foop/../../etc/passwd\0", &r), "a path is refused") ;
  ok(!P("foop/457\n", &r), "a request not ending in NUL is refused") ;
  ok(!P("foop/4\0" "577\0", &r), "a NUL inside the request is refused") ;
  ok(!P("foop/\xff\xfe\x80\0", &r), "high bytes are refused") ;
  ok(!P("todo/18446744073709551616\0", &r), "an id over the largest unsigned long is refused") ;
  memcpy(big, "todo/", 5) ;
  memset(big + 5, '1', 94) ; big[99] = 0 ;
  ok(!parse(big, 100, &r), "100 bytes of digits: accepted length, but the id overflows") ;
  memset(big + 5, '0', 93) ; big[98] = '7' ; big[99] = 0 ;
  ok(parse(big, 100, &r) && r.id == 7, "100 bytes (the longest) is accepted") ;
  memset(big + 5, '0', 94) ; big[99] = '7' ; big[100] = 0 ;
  ok(!parse(big, 101, &r), "101 bytes is refused") ;

  n = stream("foop/1\0todo/2\0junk\0foop/3\0", 26, 1, out, ids) ;
  is_str(out, "ftxf", "byte by byte: three requests and one refusal, in order") ;
  ok(n == 4 && ids[0] == 1 && ids[1] == 2 && ids[3] == 3, "byte by byte: the ids") ;
  n = stream("foop/1\0todo/2\0junk\0foop/3\0", 26, 4096, out, ids) ;
  is_str(out, "ftxf", "in one read: the same answers") ;
  n = stream("foop/1\0todo/2", 13, 4096, out, ids) ;
  is_str(out, "f", "a request cut short is not answered") ;

  /* 250 bytes of an overlong request, then a good one: the first is
   * refused without being kept whole, the second still understood. */
  memcpy(big, "foop/", 5) ;
  memset(big + 5, '9', 244) ; big[249] = 0 ;
  memcpy(big + 250, "foop/5\0", 7) ;
  n = stream(big, 257, 7, out, ids) ;
  is_str(out, "xf", "an overlong request is refused and the next one read") ;
  ok(n == 2 && ids[1] == 5, "the request after the overlong one has its id") ;
  n = stream(big, 257, 1000, out, ids) ;
  is_str(out, "xf", "the same in one read") ;
  return tap_done() ;
}
