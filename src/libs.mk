# remote is static (conf-static) but for a sanitizer build: servstub.o
# gives libcares.a the two service lookups it names and remote never
# makes, so that glibc's NSS versions are not linked (src/servstub.c).
LIBS_remote = $(if $(filter remote,$(STATIC)),$(O)/obj/servstub.o) -lcares
LIBS_dns-lookups := -lcares
LIBS_showctl := -lcares -lbearssl
LIBS_remotehosts-backup-mx := -lcares
LIBS_tlsdest-levels := -lcares
# BearSSL: only the TLS engine links it, and the unit tests and fuzz
# targets that reach its modules (tlspem, tlsctx).
LIBS_tlsd := -lbearssl
LIBS_fuzz-corpus-replays := -lbearssl
LIBS_tlspem := -lbearssl
LIBS_tls-files-and-records := -lbearssl
