/* tlsfiles.c: tlsd's files (tlsfiles.h). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/djbunix.h>
#include "auto.h"
#include "tlsfiles.h"

int tlsfiles_read(char const *fn, stralloc *sa, int secret, char const **why)
{
  struct stat st ;
  int fd = open_read(fn) ;
  int ok ;
  *why = 0 ;
  if (fd < 0) return 0 ;
  if (fstat(fd, &st) < 0) { fd_close(fd) ; return 0 ; }
  if (st.st_size > TLSPEM_MAXFILE) { fd_close(fd) ; *why = "file too large" ; return 0 ; }
  if (secret && !auto_singleuser && st.st_mode & 077)
  { fd_close(fd) ; *why = "readable by group or others: chmod 600 it (owner root)" ; return 0 ; }
  if (secret && st.st_mode & 004)
  { fd_close(fd) ; *why = "readable by others: chmod 600 it" ; return 0 ; }
  ok = slurp(sa, fd) ;
  if (ok && sa->len > TLSPEM_MAXFILE) { ok = 0 ; *why = "file too large" ; }
  fd_close(fd) ;
  return ok ;
}

int tlsfiles_load(struct tlspem_chain *chain, br_skey_decoder_context *key, char const *certfn, char const *keyfn, stralloc *why)
{
  stralloc text = STRALLOC_ZERO ;
  char const *w = 0, *fn = certfn ;
  int r ;
  if (!tlsfiles_read(certfn, &text, 0, &w)) goto fail ;
  r = tlspem_chain(chain, text.s, text.len, &w) ;
  if (r <= 0) goto fail ;
  text.len = 0 ;
  fn = keyfn ;
  if (!tlsfiles_read(keyfn, &text, 1, &w)) goto fail ;
  r = tlspem_key(key, text.s, text.len, &w) ;
  if (r <= 0) goto fail ;
  if (!tlspem_match(chain, key, &w)) goto fail ;
  memset(text.s, 0, text.a) ;
  stralloc_free(&text) ;
  return 1 ;
 fail:
  {
    int e = errno ;
    if (text.s) memset(text.s, 0, text.a) ;
    stralloc_free(&text) ;
    why->len = 0 ;
    if (!stralloc_cats(why, fn) || !stralloc_cats(why, ": ")
     || !stralloc_cats(why, w ? w : e ? strerror(e) : "out of memory") || !stralloc_0(why))
      why->len = 0 ;
  }
  return 0 ;
}
