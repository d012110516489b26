/* dotqmail.h: the .qmail files of dot-qmail(5): which file holds the
 * delivery instructions for an address, and what each of its lines asks.
 *
 * The search is qmail-local's: ".qmail" DASH EXT first, then the -default
 * names from the longest prefix of EXT that ends at a dash down to
 * ".qmail" DASH "default". EXT is used in its safe form: lower case, with
 * every "." turned into ":", so that no address can name ".." or a file
 * outside the home.
 *
 * Lines: "#..." comment, "|command", "/file" or "./file" (a Maildir when
 * the name ends in "/", an mbox otherwise), "&address", an address that
 * starts with a letter or a digit, "+list" (later lines may only forward),
 * and empty lines except the first. Anything else is refused: local defers
 * (111) with the file and line named, rather than guess what was meant. */
#ifndef CAIRN_DOTQMAIL_H
#define CAIRN_DOTQMAIL_H

#include <stddef.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

#define DOTQMAIL_MAX (256UL << 10)   /* bytes of one .qmail file */
#define DOTQMAIL_LINES 10000U        /* lines of one .qmail file */
#define DOTQMAIL_ADDR_MAX 1000U      /* a forward address, as the envelope */
#define DOTQMAIL_NODEFAULT ((size_t)-1)

enum dotqmail_kind {
  DOTQMAIL_IGNORE = 0,   /* comment or empty line */
  DOTQMAIL_MBOX,         /* arg: file name as written */
  DOTQMAIL_MAILDIR,      /* arg: directory name, with its final "/" */
  DOTQMAIL_PROGRAM,      /* arg: the command after "|" */
  DOTQMAIL_FORWARD,      /* arg: the address, without a leading "&" */
  DOTQMAIL_LIST,         /* "+list" */
  DOTQMAIL_BAD           /* none of the forms */
} ;

struct dotqmail_line {
  enum dotqmail_kind kind ;
  size_t arg ;             /* offset of the NUL-terminated argument in the text */
  size_t arglen ;
  unsigned int lineno ;    /* 1-based */
} ;

/* Classifies one line s of len bytes (no newline; trailing blanks are the
 * caller's). *arg gets the offset of the argument in s. A forward address
 * longer than DOTQMAIL_ADDR_MAX or holding a control byte is DOTQMAIL_BAD,
 * and so is an empty command, file name or address. */
enum dotqmail_kind dotqmail_classify(char const *s, size_t len, size_t *arg) ;

/* Splits text (a whole .qmail file or the default delivery) into lines in
 * place: each line is cut at its newline, its trailing spaces and tabs are
 * dropped, and it is NUL-terminated; then classified into lines (a genalloc
 * of struct dotqmail_line). Returns 0, or 111 with why set ("FN:LINE:
 * reason. (#4.2.1)") for: a blank first line (qmail's rule: the file was
 * probably being written), a line that is none of the forms, a file or
 * program line where only forwards are allowed (forwardonly: the file has
 * its x bit set, or a "+list" line came before), more than DOTQMAIL_LINES
 * lines, or no memory. */
int dotqmail_parse(stralloc *text, genalloc *lines, char const *fn, int forwardonly, stralloc *why) ;

/* EXT as it appears in file names: lower case, "." turned into ":". */
int dotqmail_safeext(stralloc *sa, char const *ext) ;

/* try(fn, ctx) is asked about each candidate name in order; it returns 1
 * when fn exists (and keeps what it needs, an open descriptor), 0 when it
 * does not, -1 on an error that must stop the search. */
typedef int dotqmail_try_func(char const *fn, void *ctx) ;

/* Searches as described above. Returns 1 with fn holding the name found
 * (NUL-terminated) and *defaultoff the offset in ext where $DEFAULT starts
 * (DOTQMAIL_NODEFAULT when the name is not a -default one), 0 when no
 * candidate exists, -1 when try failed or memory ran out. */
int dotqmail_search(char const *dash, char const *ext, dotqmail_try_func *try, void *ctx, stralloc *fn, size_t *defaultoff) ;

/* The try function for real files, with qmail-local's checks: a name that
 * does not exist is absent (0); one that exists but cannot be opened, or a
 * regular file that is group- or world-writable, is an error (-1, why set,
 * temporary). On 1, *fd is open for reading and *forwardonly is set when
 * the file's owner x bit is on. */
struct dotqmail_open {
  int fd ;
  int forwardonly ;
  stralloc *why ;
} ;
int dotqmail_tryopen(char const *fn, void *ctx) ;

/* Reads at most DOTQMAIL_MAX bytes of fd into text and closes fd. 0, or
 * 111 with why set (read error, file too large). */
int dotqmail_read(int fd, char const *fn, stralloc *text, stralloc *why) ;

/* 1 if fn exists, 0 if not, -1 (why set) when that cannot be known: for
 * qmail's ".qmail-EXT-owner" test of mailing lists. */
int dotqmail_exists(char const *fn, stralloc *why) ;

/* The envelope sender for forwards ($NEWSENDER), qmail-local's rule for
 * mailing lists: the sender itself, except that when ".qmail" DASH EXT
 * "-owner" exists (and the sender is neither <> nor #@[]), bounces go to
 * the list's owner: LOCAL-owner@HOST, or LOCAL-owner-@HOST-@[] (for
 * VERP) when ".qmail" DASH EXT "-owner-default" exists too. Returns 0 with
 * sa set (NUL-terminated), or 111 with why set. */
int dotqmail_newsender(stralloc *sa, char const *dash, char const *ext, char const *local,
  char const *host, char const *sender, stralloc *why) ;

#endif
