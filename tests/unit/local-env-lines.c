/* local-env-lines: the Delivered-To and Return-Path lines local adds and
 * the environment it gives to |programs (qmail-command(8)): HOST2..4,
 * EXT2..4, RECIPIENT, and no stale DEFAULT or NEWSENDER. */
#include <stdlib.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "localenv.h"
#include "tap.h"

static char const *rp(char const *sender)
{
  static stralloc sa = STRALLOC_ZERO ;
  sa.len = 0 ;
  localenv_rpline(&sa, sender) ;
  stralloc_0(&sa) ;
  return sa.s ;
}

static char const *hostn(char const *host, unsigned int n)
{
  static stralloc sa = STRALLOC_ZERO ;
  sa.len = 0 ;
  localenv_hostn(&sa, host, n) ;
  return sa.s ;
}

static char const *env(char const *name)
{
  char const *s = getenv(name) ;
  return s ? s : "(unset)" ;
}

int main(void)
{
  stralloc sa = STRALLOC_ZERO ;
  localenv_dtline(&sa, "joe-list", "example.org") ; stralloc_0(&sa) ;
  is_str(sa.s, "Delivered-To: joe-list@example.org\n", "Delivered-To: local@host") ;
  sa.len = 0 ; localenv_dtline(&sa, "a\nb", "x") ; stralloc_0(&sa) ;
  is_str(sa.s, "Delivered-To: a_b@x\n", "a newline in the address becomes _") ;

  is_str(rp("joe@example.org"), "Return-Path: <joe@example.org>\n", "Return-Path of a plain address") ;
  is_str(rp(""), "Return-Path: <>\n", "null sender: <>") ;
  is_str(rp("#@[]"), "Return-Path: <#@[]>\n", "double-bounce sender #@[]") ;
  is_str(rp("a.b+c@x"), "Return-Path: <a.b+c@x>\n", "a dot-atom is not quoted") ;
  is_str(rp("a b@x"), "Return-Path: <\"a b\"@x>\n", "a space makes the local part quoted") ;
  is_str(rp("a\"b\\c@x"), "Return-Path: <\"a\\\"b\\\\c\"@x>\n", "quote and backslash are escaped") ;
  is_str(rp("a..b@x"), "Return-Path: <\"a..b\"@x>\n", "two dots need quotes") ;
  is_str(rp(".a@x"), "Return-Path: <\".a\"@x>\n", "a leading dot needs quotes") ;
  is_str(rp("a@b@x"), "Return-Path: <\"a@b\"@x>\n", "the domain starts at the last @") ;
  is_str(rp("joe"), "Return-Path: <joe>\n", "an address without @") ;
  is_str(rp("a\nb@x"), "Return-Path: <\"a\\_b\"@x>\n", "a newline never ends the line") ;

  is_str(hostn("mail.example.org", 1), "mail.example", "HOST2") ;
  is_str(hostn("mail.example.org", 2), "mail", "HOST3") ;
  is_str(hostn("mail.example.org", 3), "mail", "HOST4: no more dots, the first part stays") ;
  is_str(hostn("localhost", 1), "localhost", "a host without dots") ;
  is_str(localenv_extn("a-b-c-d", 1), "b-c-d", "EXT2") ;
  is_str(localenv_extn("a-b-c-d", 2), "c-d", "EXT3") ;
  is_str(localenv_extn("a-b-c-d", 3), "d", "EXT4") ;
  is_str(localenv_extn("a", 1), "", "EXT2 of an extension without dash is empty") ;

  setenv("DEFAULT", "stale", 1) ;
  setenv("NEWSENDER", "stale", 1) ;
  {
    struct localenv e = { "joe", "/home/joe", "joe-a-b", "mail.example.org", "a-b", "s@x",
      "Delivered-To: joe-a-b@mail.example.org\n", "Return-Path: <s@x>\n", "From s@x Thu Jan 01 00:00:00 1970\n" } ;
    ok(localenv_put(&e), "localenv_put") ;
  }
  is_str(env("USER"), "joe", "USER") ;
  is_str(env("HOME"), "/home/joe", "HOME") ;
  is_str(env("LOCAL"), "joe-a-b", "LOCAL") ;
  is_str(env("HOST"), "mail.example.org", "HOST") ;
  is_str(env("HOST2"), "mail.example", "HOST2 set") ;
  is_str(env("HOST3"), "mail", "HOST3 set") ;
  is_str(env("HOST4"), "mail", "HOST4 set") ;
  is_str(env("RECIPIENT"), "joe-a-b@mail.example.org", "RECIPIENT") ;
  is_str(env("SENDER"), "s@x", "SENDER") ;
  is_str(env("EXT"), "a-b", "EXT") ;
  is_str(env("EXT2"), "b", "EXT2 set") ;
  is_str(env("EXT3"), "", "EXT3 set, empty") ;
  is_str(env("EXT4"), "", "EXT4 set, empty") ;
  is_str(env("DTLINE"), "Delivered-To: joe-a-b@mail.example.org\n", "DTLINE") ;
  is_str(env("RPLINE"), "Return-Path: <s@x>\n", "RPLINE") ;
  is_str(env("UFLINE"), "From s@x Thu Jan 01 00:00:00 1970\n", "UFLINE") ;
  is_str(env("DEFAULT"), "(unset)", "an inherited DEFAULT is removed") ;
  is_str(env("NEWSENDER"), "(unset)", "an inherited NEWSENDER is removed") ;
  stralloc_free(&sa) ;
  return tap_done() ;
}
