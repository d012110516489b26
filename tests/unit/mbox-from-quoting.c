/* mbox-from-quoting: the From_ line (qmail's UFLINE) and the quoting of
 * lines matching ">*From " in an mbox entry, for the message given whole
 * and given one byte at a time (a read can end anywhere in a line). */
#include <stdio.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "mbox.h"
#include "tap.h"

/* Quotes s given in pieces of step bytes; returns the result. */
static char const *quote(char const *s, size_t step)
{
  static stralloc out = STRALLOC_ZERO ;
  struct mbox_quote q = MBOX_QUOTE_ZERO ;
  size_t len = strlen(s) ;
  out.len = 0 ;
  for (size_t i = 0 ; i < len ; i += step)
    if (!mbox_quote(&q, &out, s + i, len - i < step ? len - i : step)) return "ENOMEM" ;
  if (!mbox_quote_end(&q, &out) || !stralloc_0(&out)) return "ENOMEM" ;
  return out.s ;
}

static void both(char const *in, char const *want, char const *name)
{
  is_str(quote(in, 100000), want, name) ;
  is_str(quote(in, 1), want, "  same when read one byte at a time") ;
  is_str(quote(in, 3), want, "  and three bytes at a time") ;
}

int main(void)
{
  stralloc sa = STRALLOC_ZERO ;

  /* 1793768582 is 2026-11-04 05:03:02 UTC, a Wednesday. */
  mbox_ufline(&sa, "joe@example.org", 1793768582) ; stralloc_0(&sa) ;
  is_str(sa.s, "From joe@example.org Wed Nov 04 05:03:02 2026\n", "From_ line: sender, asctime in UTC, two-digit day") ;
  sa.len = 0 ; mbox_ufline(&sa, "", 0) ; stralloc_0(&sa) ;
  is_str(sa.s, "From MAILER-DAEMON Thu Jan 01 00:00:00 1970\n", "null sender is MAILER-DAEMON") ;
  sa.len = 0 ; mbox_ufline(&sa, "a b\tc\nd@x", 0) ; stralloc_0(&sa) ;
  is_str(sa.s, "From a-b-c-d@x Thu Jan 01 00:00:00 1970\n", "blanks and newlines in the sender become dashes") ;
  sa.len = 0 ; mbox_ufline(&sa, "x@y", 1798761599) ; stralloc_0(&sa) ;
  is_str(sa.s, "From x@y Thu Dec 31 23:59:59 2026\n", "last second of a year") ;

  both("Subject: x\n\nbody\n", "Subject: x\n\nbody\n\n", "plain message: copied, one empty line added") ;
  both("From me\n", ">From me\n\n", "a line starting with 'From ' gets '>'") ;
  both("a\nFrom me\nb\n", "a\n>From me\nb\n\n", "in the middle") ;
  both(">From me\n", ">>From me\n\n", "'>From ' gets one more '>' (reversible, as qmail)") ;
  both(">>>From x\n", ">>>>From x\n\n", "any number of '>'") ;
  both("From\n", "From\n\n", "'From' without the space is left alone") ;
  both("Fromage\n", "Fromage\n\n", "'Fromage' is left alone") ;
  both(">Frog\n", ">Frog\n\n", "'>Frog' is left alone") ;
  both("> From x\n", "> From x\n\n", "'> From' (space after >) is left alone") ;
  both("x From y\n", "x From y\n\n", "'From ' inside a line is left alone") ;
  both(" From y\n", " From y\n\n", "'From ' after a space is left alone") ;
  both("from y\n", "from y\n\n", "lower-case 'from ' is left alone") ;
  both("last line", "last line\n\n", "a last line without newline gets one") ;
  both("From x", ">From x\n\n", "a last 'From ' line without newline") ;
  both(">>", ">>\n\n", "a last line of '>' only") ;
  both("Fro", "Fro\n\n", "a last line that is the start of 'From '") ;
  both("", "\n", "empty message: the empty line only") ;
  both("\n\n", "\n\n\n", "empty lines") ;
  both("From a\nFrom b\n>From c\n", ">From a\n>From b\n>>From c\n\n", "consecutive From lines") ;
  both("FFrom x\n", "FFrom x\n\n", "'FFrom ' is left alone") ;
  both(">\n>From x\n", ">\n>>From x\n\n", "'>' alone then '>From'") ;

  stralloc_free(&sa) ;
  return tap_done() ;
}
