/* dotqmail-search: which .qmail file qmail-local's search picks for an
 * address (dash, ext) given the files that exist, in which order it asks,
 * and what $DEFAULT becomes. */
#include <stdio.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "dotqmail.h"
#include "tap.h"

struct fake {
  char const *const *exists ;   /* names that exist, 0-terminated */
  char tried[2000] ;            /* every name asked, space-separated */
  char const *failon ;          /* this name gives an error */
} ;

static int try(char const *fn, void *ctx)
{
  struct fake *f = ctx ;
  strcat(f->tried, f->tried[0] ? " " : "") ;
  strcat(f->tried, fn) ;
  if (f->failon && !strcmp(fn, f->failon)) return -1 ;
  for (char const *const *e = f->exists ; *e ; e++) if (!strcmp(*e, fn)) return 1 ;
  return 0 ;
}

/* Runs a search; returns "name DEFAULT" or "none" or "error". */
static char const *search(char const *dash, char const *ext, char const *const *exists, char const *failon, char *tried)
{
  static char res[300] ;
  struct fake f = { exists, "", failon } ;
  stralloc fn = STRALLOC_ZERO ;
  size_t def = 12345 ;
  int r = dotqmail_search(dash, ext, &try, &f, &fn, &def) ;
  if (tried) strcpy(tried, f.tried) ;
  if (r < 0) strcpy(res, "error") ;
  else if (!r) strcpy(res, "none") ;
  else if (def == DOTQMAIL_NODEFAULT) snprintf(res, sizeof res, "%s", fn.s) ;
  else snprintf(res, sizeof res, "%s DEFAULT=%s", fn.s, ext + def) ;
  stralloc_free(&fn) ;
  return res ;
}

#define SET(...) ((char const *const[]){ __VA_ARGS__, 0 })

int main(void)
{
  char tried[2000] ;
  char const *const none[] = { 0 } ;
  stralloc sa = STRALLOC_ZERO ;

  is_str(search("", "", SET(".qmail"), 0, tried), ".qmail", "user's own address: .qmail") ;
  is_str(tried, ".qmail", "  found at the first name") ;
  is_str(search("", "", none, 0, tried), "none", "no .qmail: none (the default delivery applies)") ;
  is_str(tried, ".qmail .qmaildefault", "  names asked: .qmail then qmail-local's .qmaildefault") ;

  is_str(search("-", "foo", SET(".qmail-foo", ".qmail-default"), 0, tried), ".qmail-foo", "exact extension wins over -default") ;
  is_str(search("-", "foo", SET(".qmail-default"), 0, tried), ".qmail-default DEFAULT=foo", "joe-foo falls back to .qmail-default with DEFAULT=foo") ;
  is_str(tried, ".qmail-foo .qmail-default", "  in qmail-local's order (no .qmail-foo-default: a -default needs its dash)") ;
  is_str(search("-", "foo", SET(".qmail-foo-default"), 0, 0), "none", "joe-foo does not use .qmail-foo-default") ;
  is_str(search("-", "foo-", SET(".qmail-foo-default"), 0, 0), ".qmail-foo-default DEFAULT=", "joe-foo- does, with an empty DEFAULT") ;

  is_str(search("-", "foo-bar-baz", SET(".qmail-foo-default", ".qmail-default"), 0, tried),
    ".qmail-foo-default DEFAULT=bar-baz", "joe-foo-bar-baz: .qmail-foo-default, DEFAULT=bar-baz") ;
  is_str(tried, ".qmail-foo-bar-baz .qmail-foo-bar-default .qmail-foo-default",
    "  longest prefix first, each ending at a dash") ;
  is_str(search("-", "foo-bar-baz", SET(".qmail-foo-bar-default", ".qmail-foo-default"), 0, 0),
    ".qmail-foo-bar-default DEFAULT=baz", "the longer -default wins") ;
  is_str(search("-", "foo-bar", none, 0, tried), "none", "no file at all: none") ;
  is_str(tried, ".qmail-foo-bar .qmail-foo-default .qmail-default", "  every candidate asked once") ;

  is_str(search("-", "Foo.Bar", SET(".qmail-foo:bar"), 0, 0), ".qmail-foo:bar", "extension is lower-cased, dots become colons") ;
  is_str(search("-", "Foo.Bar-X", SET(".qmail-foo:bar-default"), 0, 0), ".qmail-foo:bar-default DEFAULT=X",
    "DEFAULT keeps the address's own case") ;
  is_str(search("-", "../../etc/passwd", SET(".qmail-::/::/etc/passwd", ".qmail-default"), 0, 0), ".qmail-::/::/etc/passwd",
    "no '..' can appear in a name") ;

  is_str(search("-", "", SET(".qmail-default"), 0, tried), ".qmail-default DEFAULT=", "joe- (empty extension): .qmail-default") ;
  is_str(tried, ".qmail- .qmail-default", "  after .qmail-") ;
  is_str(search("-", "list-default", SET(".qmail-list-default"), 0, 0), ".qmail-list-default DEFAULT=default",
    "an exact name ending in default sets DEFAULT (as qmail-local)") ;
  is_str(search("-", "a--b", SET(".qmail-a--default"), 0, tried), ".qmail-a--default DEFAULT=b", "doubled dash") ;
  is_str(tried, ".qmail-a--b .qmail-a--default", "  the longest prefix first") ;

  /* The alias user's addresses: lspawn gives dash "-" and the whole local
   * part as extension. */
  is_str(search("-", "postmaster", SET(".qmail-postmaster", ".qmail-default"), 0, 0), ".qmail-postmaster", "~alias/.qmail-postmaster") ;
  is_str(search("-", "nobody-here", SET(".qmail-default"), 0, 0), ".qmail-default DEFAULT=nobody-here", "~alias/.qmail-default catches the rest") ;

  is_str(search("-", "foo-bar", SET(".qmail-default"), ".qmail-foo-default", tried), "error", "an error stops the search") ;
  is_str(tried, ".qmail-foo-bar .qmail-foo-default", "  before any later name is tried") ;

  dotqmail_safeext(&sa, "A.B-C") ;
  is_mem(sa.s, sa.len, "a:b-c", 5, "safeext") ;
  stralloc_free(&sa) ;
  return tap_done() ;
}
