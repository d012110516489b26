/* aliasfile-format: the aliases(5) grammar as aliasfile.h says: entries
 * with continuation lines and comments, quoted names and targets, every
 * kind of target, lowercased names, and errors named with file and line. */
#include <string.h>
#include <skalibs/stralloc.h>
#include "aliasfile.h"
#include "tap.h"

static stralloc name, out, err ;

static int entry(char const *s)
{
  name.len = out.len = err.len = 0 ;
  return aliasfile_entry(s, strlen(s), "aliases", 7, &name, &out, &err) ;
}

int main(void)
{
  char const *text = "# comment\n\nroot: alice\nstaff: a,\n\tb ,\n  c\n\nx: y\n" ;
  size_t pos = 0, start, elen ;
  unsigned int line = 0, eline ;

  is_int(aliasfile_next(text, strlen(text), &pos, &line, &start, &elen, &eline, "f", &err), 1, "first entry") ;
  is_mem(text + start, elen, "root: alice", 11, "  after the comment and the empty line") ;
  is_int(eline, 3, "  on line 3") ;
  is_int(aliasfile_next(text, strlen(text), &pos, &line, &start, &elen, &eline, "f", &err), 1, "second entry") ;
  is_mem(text + start, elen, "staff: a,\n\tb ,\n  c", 18, "  with its continuation lines") ;
  is_int(eline, 4, "  on line 4") ;
  is_int(aliasfile_next(text, strlen(text), &pos, &line, &start, &elen, &eline, "f", &err), 1, "third entry") ;
  is_int(eline, 8, "  on line 8") ;
  is_int(aliasfile_next(text, strlen(text), &pos, &line, &start, &elen, &eline, "f", &err), 0, "then the end") ;
  text = "# c\n  indented\n" ; pos = 0 ; line = 0 ;
  is_int(aliasfile_next(text, strlen(text), &pos, &line, &start, &elen, &eline, "f", &err), -1, "an indented line after a comment is an error") ;
  ok(strstr(err.s, "f:2: ") == err.s, "  named f:2") ;

  is_int(entry("Root: alice"), 1, "simple entry") ;
  is_str(name.s, "root", "  name lowercased") ;
  is_mem(out.s, out.len, "Aalice\0", 7, "  one address") ;
  is_int(entry("list: a@x, <b@y>, \\c, \"d e\"@z"), 1, "addresses") ;
  is_mem(out.s, out.len, "Aa@x\0Ab@y\0Ac\0Ad e@z\0", 20, "  angle brackets, backslash and quotes removed") ;
  is_int(entry("\"two words\": |prog arg, /var/log/f, ./rel, :include:/etc/l, error:nouser gone"), 1, "every kind") ;
  is_str(name.s, "two words", "  quoted name") ;
  is_mem(out.s, out.len, "Pprog arg\0F/var/log/f\0F./rel\0I/etc/l\0Enouser gone\0", 50, "  program, files, include, error") ;
  is_int(entry("p: \"|prog a, b\", \"/path with space\""), 1, "quoted targets") ;
  is_mem(out.s, out.len, "Pprog a, b\0F/path with space\0", 29, "  keep commas and spaces") ;
  is_int(entry("n@Example.ORG: x"), 1, "a name with a domain") ;
  is_str(name.s, "n@example.org", "  lowercased too") ;

  is_int(entry("nocolon"), 0, "no colon") ;
  ok(strstr(err.s, "aliases:7: no colon") == err.s, "  error names file and line") ;
  is_int(entry("a: b,\n c d"), 0, "a target with a space") ;
  ok(strstr(err.s, "aliases:8: not an address") == err.s, "  named on its own line (8)") ;
  is_int(entry("a: \"open"), 0, "an unclosed quote") ;
  is_int(entry("a: <b@c"), 0, "an unclosed angle bracket") ;
  is_int(entry("a: ,"), 0, "no target") ;
  is_int(entry(": b"), 0, "no name") ;
  is_int(entry("a: :include:rel"), 0, ":include: with a relative path") ;
  is_int(entry("a: |  "), 0, "an empty program") ;
  is_int(entry("a: b@"), 0, "an address ending in @") ;
  return tap_done() ;
}
