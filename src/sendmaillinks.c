/* sendmaillinks.c: /usr/sbin/sendmail and friends to cairn
 * (sendmaillinks.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/stralloc.h>
#include "sendmaillinks.h"

static char const *const links[][2] = {
  { "/usr/sbin/sendmail", "/bin/sendmail" },
  { "/usr/lib/sendmail", "/bin/sendmail" },
  { "/usr/bin/mailq", "/bin/sendmail" },
  { "/usr/bin/newaliases", "/bin/newaliases" },
} ;

/* the directories above fn (fn is ROOT/usr/...), as mkdir -p */
static int parents(stralloc *fn)
{
  for (size_t i = 1 ; i < fn->len ; i++)
    if (fn->s[i] == '/')
    {
      fn->s[i] = 0 ;
      if (mkdir(fn->s, 0755) < 0 && errno != EEXIST) { fn->s[i] = '/' ; return 0 ; }
      fn->s[i] = '/' ;
    }
  return 1 ;
}

static int same(char const *fn, char const *target)
{
  char buf[4096] ;
  ssize_t r = readlink(fn, buf, sizeof buf) ;
  return r >= 0 && (size_t)r == strlen(target) && !memcmp(buf, target, (size_t)r) ;
}

static int one(char const *root, char const *home, char const *name, char const *prog,
  void (*say)(char const *, char const *), stralloc *fn, stralloc *target, stralloc *orig, stralloc *tmp)
{
  struct stat st, ost ;
  fn->len = target->len = orig->len = tmp->len = 0 ;
  if (!stralloc_cats(fn, root) || !stralloc_cats(fn, name) || !stralloc_0(fn)
   || !stralloc_cats(target, home) || !stralloc_cats(target, prog) || !stralloc_0(target)
   || !stralloc_cats(orig, fn->s) || !stralloc_cats(orig, SENDMAILLINKS_ORIG) || !stralloc_0(orig)
   || !stralloc_cats(tmp, fn->s) || !stralloc_cats(tmp, ".cairn-new") || !stralloc_0(tmp)) return 0 ;
  if (!parents(fn)) return 0 ;
  if (lstat(fn->s, &st) == 0)
  {
    if (S_ISLNK(st.st_mode) && same(fn->s, target->s)) return 1 ;
    if (S_ISDIR(st.st_mode)) { errno = EISDIR ; return 0 ; }
    if (lstat(orig->s, &ost) == 0)
    {
      /* the same file: an earlier run stopped after the link */
      if (ost.st_ino != st.st_ino || ost.st_dev != st.st_dev)
      {
        fn->len = 0 ;
        if (!stralloc_cats(fn, orig->s) || !stralloc_0(fn)) return 0 ;
        errno = EEXIST ;
        return 0 ;
      }
    }
    else if (errno != ENOENT) return 0 ;
    /* A second name for the old file first: NAME never goes missing. A
     * file system without hard links gets a rename instead. */
    else if (link(fn->s, orig->s) < 0 && rename(fn->s, orig->s) < 0) return 0 ;
    say("kept the old program as ", orig->s) ;
  }
  else if (errno != ENOENT) return 0 ;
  unlink(tmp->s) ;
  if (symlink(target->s, tmp->s) < 0) return 0 ;
  if (rename(tmp->s, fn->s) < 0) { int e = errno ; unlink(tmp->s) ; errno = e ; return 0 ; }
  say("linked to cairn: ", fn->s) ;
  return 1 ;
}

int sendmaillinks_install(char const *root, char const *home,
  void (*say)(char const *what, char const *path), char const **what)
{
  static stralloc fn = STRALLOC_ZERO, target = STRALLOC_ZERO, orig = STRALLOC_ZERO, tmp = STRALLOC_ZERO ;
  for (size_t i = 0 ; i < sizeof links / sizeof *links ; i++)
    if (!one(root, home, links[i][0], links[i][1], say, &fn, &target, &orig, &tmp))
    {
      *what = fn.len ? fn.s : links[i][0] ;
      return 0 ;
    }
  return 1 ;
}
