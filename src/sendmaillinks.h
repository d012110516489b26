/* sendmaillinks.h: the names that other MTAs' users and programs call,
 * pointed at cairn (install -s): ROOT/usr/sbin/sendmail,
 * ROOT/usr/lib/sendmail and ROOT/usr/bin/mailq become symlinks to
 * HOME/bin/sendmail, ROOT/usr/bin/newaliases to HOME/bin/newaliases.
 * ROOT is empty for the running system, a directory for a staged one.
 *
 * A name that already is that symlink is left alone, so that running it
 * again changes nothing. Anything else found there (another MTA's
 * program or symlink) is kept as NAME.orig-cairn, never deleted: it is
 * hard-linked to that name, then the new symlink, made beside it, is
 * renamed over NAME, so that NAME always exists. When NAME.orig-cairn
 * exists already, nothing is touched and the caller is told. */
#ifndef CAIRN_SENDMAILLINKS_H
#define CAIRN_SENDMAILLINKS_H

#define SENDMAILLINKS_ORIG ".orig-cairn"

/* say(what, path) reports each change ("kept as", "linked"). Returns 1,
 * or 0 with errno set and *what naming the path that failed (EEXIST: its
 * .orig-cairn name is taken). */
int sendmaillinks_install(char const *root, char const *home,
  void (*say)(char const *what, char const *path), char const **what) ;

#endif
