/* Unit tests for header: fields, continuation lines, the end of the
 * header with and without an empty line, CRLF, bounds, and the body copy. */
#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "header.h"
#include "tap.h"

static struct header h ;

static char const *fieldtext(size_t i)
{
  static stralloc t ;
  struct header_field const *f = header_field(&h, i) ;
  stralloc_copyb(&t, h.text.s + f->pos, f->len) ;
  stralloc_0(&t) ;
  return t.s ;
}

static void feed(char const *msg, enum header_status *last, size_t *used)
{
  char const *p = msg ;
  header_free(&h) ;
  *last = HEADER_MORE ;
  while (*p && *last == HEADER_MORE)
  {
    char const *nl = strchr(p, '\n') ;
    size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p) ;
    *last = header_line(&h, p, len) ;
    p += len ;
  }
  *used = (size_t)(p - msg) ;
}

static stralloc sink ;
static void put(void *ctx, char const *s, size_t len)
{
  (void)ctx ;
  stralloc_catb(&sink, s, len) ;
}

/* The message through a pipe into header_read and header_body. */
static enum header_status readall(char const *msg, size_t len, stralloc *line)
{
  int p[2] ;
  char buf[64] ;   /* small, so that lines and CRLF pairs straddle refills */
  buffer b ;
  enum header_status r ;
  if (pipe(p) < 0) return HEADER_EREAD ;
  if (fork() == 0) { close(p[0]) ; (void)!write(p[1], msg, len) ; _exit(0) ; }
  close(p[1]) ;
  buffer_init(&b, &buffer_read, p[0], buf, sizeof buf) ;
  header_free(&h) ;
  line->len = 0 ;
  sink.len = 0 ;
  r = header_read(&h, &b, line) ;
  if (r == HEADER_END || r == HEADER_BODY || r == HEADER_EOF) header_body(&b, &put, 0) ;
  close(p[0]) ;
  return r ;
}

int main(void)
{
  enum header_status st ;
  size_t used ;
  stralloc line = STRALLOC_ZERO ;

  feed("Subject: hi\nTo: a@b\n\nbody\n", &st, &used) ;
  is_int(st, HEADER_END, "empty line ends the header") ;
  is_int(header_nfields(&h), 2, "two fields") ;
  is_str(fieldtext(0), "Subject: hi\n", "first field") ;
  is_str(fieldtext(1), "To: a@b\n", "second field") ;
  is_int(used, 21, "the body is not consumed") ;
  ok(header_is(&h, header_field(&h, 1), "to"), "field names match without case") ;
  ok(!header_is(&h, header_field(&h, 1), "t"), "a prefix is not a match") ;
  is_int(header_field(&h, 0)->namelen, 7, "name length") ;
  is_int(header_field(&h, 0)->valuepos, 8, "value starts after the colon") ;

  feed("To: a@b,\n  c@d,\n\te@f\nSubject: x\n\n", &st, &used) ;
  is_int(header_nfields(&h), 2, "continuation lines join their field") ;
  is_str(fieldtext(0), "To: a@b,\n  c@d,\n\te@f\n", "folded field kept with its folding") ;

  feed("Subject : spaced\n\n", &st, &used) ;
  is_int(st, HEADER_END, "space before the colon is allowed") ;
  is_int(header_field(&h, 0)->namelen, 7, "name without the space") ;

  feed("To: a@b\nthis is not a field\nmore\n", &st, &used) ;
  is_int(st, HEADER_BODY, "a non-field line ends the header") ;
  is_int(header_nfields(&h), 1, "the fields before it are kept") ;
  is_int(used, 28, "the non-field line is the body's first line") ;

  feed(" leading space\n", &st, &used) ;
  is_int(st, HEADER_BODY, "a continuation with no field before it is body") ;

  feed("From someone Tue Nov 24 05:33:12 2026\nTo: a@b\n\n", &st, &used) ;
  is_str(fieldtext(0), "MBOX-Line: From someone Tue Nov 24 05:33:12 2026\n", "mbox From line renamed") ;
  ok(header_is(&h, header_field(&h, 0), "MBOX-Line"), "and named MBOX-Line") ;

  feed("To: a@b\r\nCc: c@d\r\n\r\nbody\r\n", &st, &used) ;
  is_int(st, HEADER_END, "CRLF empty line ends the header") ;
  is_str(fieldtext(0), "To: a@b\n", "CR dropped from header lines") ;
  is_str(fieldtext(1), "Cc: c@d\n", "every header line") ;

  feed("X-8bit: caf\xc3\xa9 \xff\n\n", &st, &used) ;
  is_str(fieldtext(0), "X-8bit: caf\xc3\xa9 \xff\n", "8-bit bytes kept") ;

  feed("Bad\x01name: x\n", &st, &used) ;
  is_int(st, HEADER_BODY, "control character in a name: not a field") ;

  feed("To: a@b", &st, &used) ;
  is_int(st, HEADER_MORE, "last line without LF") ;
  is_str(fieldtext(0), "To: a@b\n", "gets its LF") ;

  {
    /* a field over 1000 bytes is kept whole */
    stralloc big = STRALLOC_ZERO ;
    stralloc_cats(&big, "X-Long: ") ;
    for (int i = 0 ; i < 5000 ; i++) stralloc_catb(&big, "x", 1) ;
    stralloc_cats(&big, "\n") ;
    header_free(&h) ;
    is_int(header_line(&h, big.s, big.len), HEADER_MORE, "5000-byte field accepted") ;
    is_int(header_field(&h, 0)->len, big.len, "and kept whole") ;
    stralloc_free(&big) ;
  }
  {
    /* bounds: one field, and the whole header */
    stralloc big = STRALLOC_ZERO ;
    stralloc_cats(&big, "X-Huge: ") ;
    while (big.len < HEADER_FIELD_MAX) stralloc_catb(&big, "y", 1) ;
    stralloc_cats(&big, "\n") ;
    header_free(&h) ;
    is_int(header_line(&h, big.s, big.len), HEADER_ETOOBIG, "a line over HEADER_FIELD_MAX refused") ;
    header_free(&h) ;
    is_int(header_line(&h, "X: a\n", 5), HEADER_MORE, "start of a long folded field") ;
    big.s[0] = ' ' ; big.len = HEADER_FIELD_MAX / 2 ; big.s[big.len - 1] = '\n' ;
    is_int(header_line(&h, big.s, big.len), HEADER_MORE, "half the limit in a continuation") ;
    is_int(header_line(&h, big.s, big.len), HEADER_ETOOBIG, "continuations past the field limit refused") ;
    header_free(&h) ;
    st = HEADER_MORE ;
    big.len = 1000 ; memcpy(big.s, "X-Many: ", 8) ; big.s[999] = '\n' ;
    for (size_t i = 0 ; i < HEADER_MAX / 1000 + 1 && st == HEADER_MORE ; i++) st = header_line(&h, big.s, big.len) ;
    is_int(st, HEADER_ETOOBIG, "a header over HEADER_MAX refused") ;
    ok(h.text.len <= HEADER_MAX, "and nothing stored past it") ;
    stralloc_free(&big) ;
  }

  /* header_read and header_body over a real descriptor */
  {
    static char const m[] = "To: a@b\r\nSubject: s\r\n\r\nline 1\r\nline 2\rx\r\n\r\nend" ;
    st = readall(m, sizeof m - 1, &line) ;
    is_int(st, HEADER_END, "read: CRLF header ends") ;
    is_int(header_nfields(&h), 2, "read: two fields") ;
    is_mem(sink.s, sink.len, "line 1\nline 2\rx\n\nend", 20, "read: body CRLF to LF, lone CR kept, last line without LF kept") ;
  }
  {
    static char const m[] = "To: a@b\nnot a field\nsecond\n" ;
    st = readall(m, sizeof m - 1, &line) ;
    is_int(st, HEADER_BODY, "read: no separator") ;
    is_mem(line.s, line.len, "not a field\n", 12, "read: the line that ended the header") ;
    is_mem(sink.s, sink.len, "second\n", 7, "read: then the rest") ;
  }
  {
    static char const m[] = "To: a@b\nSubject: only header" ;
    st = readall(m, sizeof m - 1, &line) ;
    is_int(st, HEADER_EOF, "read: message that is all header") ;
    is_int(header_nfields(&h), 2, "read: its fields") ;
    is_str(fieldtext(1), "Subject: only header\n", "read: last field completed with LF") ;
  }
  {
    st = readall("", 0, &line) ;
    is_int(st, HEADER_EOF, "read: empty message") ;
    is_int(header_nfields(&h), 0, "read: no fields") ;
  }
  {
    /* a long line straddles many refills of the 64-byte buffer */
    stralloc m = STRALLOC_ZERO ;
    stralloc_cats(&m, "X-Long: ") ;
    for (int i = 0 ; i < 3000 ; i++) stralloc_catb(&m, "z", 1) ;
    stralloc_cats(&m, "\r\n\r\nbody\r\n") ;
    st = readall(m.s, m.len, &line) ;
    is_int(st, HEADER_END, "read: long field through a small buffer") ;
    is_int(header_field(&h, 0)->len, 3009, "read: long field whole, CR dropped") ;
    is_mem(sink.s, sink.len, "body\n", 5, "read: body after it") ;
    stralloc_free(&m) ;
  }
  {
    /* a line with no LF longer than the field limit is refused while reading */
    stralloc m = STRALLOC_ZERO ;
    stralloc_cats(&m, "X-Huge: ") ;
    while (m.len < HEADER_FIELD_MAX + 10) stralloc_catb(&m, "w", 1) ;
    st = readall(m.s, m.len, &line) ;
    is_int(st, HEADER_ETOOBIG, "read: endless line refused") ;
    ok(line.len <= HEADER_FIELD_MAX + 2, "read: and not stored past the limit") ;
    stralloc_free(&m) ;
  }

  stralloc_free(&line) ;
  header_free(&h) ;
  return tap_done() ;
}
