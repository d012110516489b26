/* dotqmail-lines: every kind of .qmail line is classified as dot-qmail(5)
 * says, a line that is none of them is refused with its file and line
 * named, and the file-level rules hold (blank first line, trailing blanks,
 * forward-only files, the line limit). */
#include <stdio.h>
#include <string.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "dotqmail.h"
#include "tap.h"

static enum dotqmail_kind kind(char const *s, size_t *arg)
{
  return dotqmail_classify(s, strlen(s), arg) ;
}

static void classify(char const *s, enum dotqmail_kind want, size_t wantarg, char const *name)
{
  size_t arg = 99 ;
  enum dotqmail_kind k = kind(s, &arg) ;
  is_int(k, want, name) ;
  if (want != DOTQMAIL_BAD && want != DOTQMAIL_IGNORE) is_int(arg, wantarg, "  argument offset") ;
}

static char const *whytext(stralloc *why)
{
  static char s[300] ;
  size_t n = why->len < sizeof s - 1 ? why->len : sizeof s - 1 ;
  memcpy(s, why->s ? why->s : "", n) ; s[n] = 0 ;
  return s ;
}

/* parse text; returns the code; lines in *g */
static int parse(char const *text, genalloc *g, int forwardonly, stralloc *why, stralloc *sa)
{
  sa->len = 0 ;
  stralloc_cats(sa, text) ;
  why->len = 0 ;
  return dotqmail_parse(sa, g, ".qmail-test", forwardonly, why) ;
}

int main(void)
{
  stralloc sa = STRALLOC_ZERO, why = STRALLOC_ZERO ;
  genalloc g = GENALLOC_ZERO ;
  struct dotqmail_line const *l ;
  char big[1100] ;

  classify("# a comment", DOTQMAIL_IGNORE, 0, "comment") ;
  classify("", DOTQMAIL_IGNORE, 0, "empty line") ;
  classify("./Maildir/", DOTQMAIL_MAILDIR, 0, "./Maildir/ is a Maildir") ;
  classify("/var/spool/mail/joe/", DOTQMAIL_MAILDIR, 0, "absolute name ending in / is a Maildir") ;
  classify("./Mailbox", DOTQMAIL_MBOX, 0, "./Mailbox is an mbox") ;
  classify("/var/spool/mail/joe", DOTQMAIL_MBOX, 0, "absolute name is an mbox") ;
  classify("../shared/Mailbox", DOTQMAIL_MBOX, 0, "a name starting with a dot is a file (as qmail)") ;
  classify("|preline procmail", DOTQMAIL_PROGRAM, 1, "|command is a program, argument after |") ;
  classify("| exit 99", DOTQMAIL_PROGRAM, 1, "| with a space is a program") ;
  classify("|", DOTQMAIL_BAD, 0, "| alone is refused") ;
  classify("&joe@example.org", DOTQMAIL_FORWARD, 1, "&address forwards, argument after &") ;
  classify("&-weird@example.org", DOTQMAIL_FORWARD, 1, "&address may start with any byte") ;
  classify("joe@example.org", DOTQMAIL_FORWARD, 0, "an address starting with a letter forwards") ;
  classify("2joe@example.org", DOTQMAIL_FORWARD, 0, "an address starting with a digit forwards") ;
  classify("Joe", DOTQMAIL_FORWARD, 0, "a bare local name forwards") ;
  classify("&", DOTQMAIL_BAD, 0, "& alone is refused") ;
  classify("+list", DOTQMAIL_LIST, 0, "+list") ;
  classify("+other", DOTQMAIL_BAD, 0, "another + line is refused") ;
  classify(" ./Maildir/", DOTQMAIL_BAD, 0, "a line starting with a space is refused (not a forward to ' ./Maildir/')") ;
  classify("\t|prog", DOTQMAIL_BAD, 0, "a line starting with a tab is refused") ;
  classify("<joe@example.org>", DOTQMAIL_BAD, 0, "an address in angle brackets is refused") ;
  classify("-joe", DOTQMAIL_BAD, 0, "a line starting with - is refused") ;
  classify("joe\001@example.org", DOTQMAIL_BAD, 0, "an address with a control byte is refused") ;
  {
    size_t arg ;
    is_int(dotqmail_classify("./Mail\0box", 10, &arg), DOTQMAIL_BAD, "a file name with a NUL is refused") ;
    is_int(dotqmail_classify("|a\0b", 4, &arg), DOTQMAIL_BAD, "a command with a NUL is refused") ;
  }
  memset(big, 'a', sizeof big - 1) ; big[sizeof big - 1] = 0 ;
  big[DOTQMAIL_ADDR_MAX] = 0 ;
  classify(big, DOTQMAIL_FORWARD, 0, "an address of DOTQMAIL_ADDR_MAX bytes forwards") ;
  big[DOTQMAIL_ADDR_MAX] = 'a' ;
  classify(big, DOTQMAIL_BAD, 0, "an address over DOTQMAIL_ADDR_MAX bytes is refused") ;

  /* Whole files. */
  is_int(parse("# mail\n./Maildir/  \t\n\n|cmd arg \n&a@b\nc@d\n+list\ne@f", &g, 0, &why, &sa), 0, "a file of every kind parses") ;
  l = genalloc_s(struct dotqmail_line, &g) ;
  is_int(genalloc_len(struct dotqmail_line, &g), 5, "comments, blank lines and +list are not deliveries") ;
  is_int(l[0].kind, DOTQMAIL_MAILDIR, "line 2: Maildir") ;
  is_str(sa.s + l[0].arg, "./Maildir/", "trailing spaces and tabs are cut") ;
  is_int(l[0].lineno, 2, "line numbers count from 1") ;
  is_int(l[1].kind, DOTQMAIL_PROGRAM, "line 4: program") ;
  is_str(sa.s + l[1].arg, "cmd arg", "program argument without | and trailing space") ;
  is_int(l[1].arglen, 7, "argument length") ;
  is_str(sa.s + l[2].arg, "a@b", "&a@b gives a@b") ;
  is_str(sa.s + l[3].arg, "c@d", "c@d gives c@d") ;
  is_str(sa.s + l[4].arg, "e@f", "a last line without newline is read") ;
  is_int(l[4].lineno, 8, "its number") ;

  is_int(parse("\n./Maildir/\n", &g, 0, &why, &sa), 111, "a blank first line defers (111)") ;
  ok(strstr(whytext(&why), ".qmail-test line 1") != 0, "  the message names the file and line") ;
  is_int(parse("  \n./Maildir/\n", &g, 0, &why, &sa), 111, "a first line of blanks only defers too") ;

  is_int(parse("./Maildir/\n# ok\n <joe@x>\n", &g, 0, &why, &sa), 111, "a bad line defers (111)") ;
  is_str(whytext(&why), "Uh-oh: .qmail-test line 3 is not a delivery instruction. (#4.2.1)", "  and says which file and line") ;

  is_int(parse("joe@x\n./Mailbox\n", &g, 1, &why, &sa), 111, "a forward-only file (x bit) may not deliver to a file") ;
  ok(strstr(whytext(&why), "line 2 is a file delivery") != 0, "  named") ;
  is_int(parse("joe@x\n|prog\n", &g, 1, &why, &sa), 111, "a forward-only file may not run a program") ;
  is_int(parse("joe@x\n+list\n|prog\n", &g, 0, &why, &sa), 111, "after +list a program is refused") ;
  is_int(parse("|prog\n+list\njoe@x\n", &g, 0, &why, &sa), 0, "before +list a program is fine") ;
  is_int(parse("joe@x\nann@y\n", &g, 1, &why, &sa), 0, "a forward-only file that only forwards is fine") ;

  sa.len = 0 ;
  for (unsigned int i = 0 ; i < DOTQMAIL_LINES ; i++) stralloc_cats(&sa, "# c\n") ;
  why.len = 0 ;
  is_int(dotqmail_parse(&sa, &g, ".qmail", 0, &why), 0, "DOTQMAIL_LINES lines are accepted") ;
  /* The text was cut into lines in place: make it again, one line longer. */
  sa.len = 0 ;
  for (unsigned int i = 0 ; i <= DOTQMAIL_LINES ; i++) stralloc_cats(&sa, "# c\n") ;
  is_int(dotqmail_parse(&sa, &g, ".qmail", 0, &why), 111, "one line more defers") ;
  ok(strstr(whytext(&why), "too many lines") != 0, "  saying too many lines") ;

  stralloc_free(&sa) ; stralloc_free(&why) ; genalloc_free(struct dotqmail_line, &g) ;
  return tap_done() ;
}
