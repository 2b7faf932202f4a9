/* Wine 8 work-around, TEST PREFIX ONLY (never shipped in the bundle): Qt 6.10+ (Qt6Core.dll) imports ICU's
 * converters from Windows' own icuuc.dll (Windows 10 1703+); wine has it from 11.5 only. Without it
 * `import PySide6.QtCore` fails inside wine, and PyInstaller's Qt hooks, which ask QLibraryInfo where the
 * plugins, translations and QtWebEngine's files are, silently collect none of them.
 * This DLL exports the 20 functions Qt6Core imports; every converter fails to open (U_FILE_ACCESS_ERROR),
 * which Qt treats as "codec not available" (UTF-8/UTF-16/Latin-1 are Qt's own and still work).
 * Built by scripts/windows/winenv.py with mingw-w64 and copied into the prefix's system32. */
#include <stddef.h>
#include <stdint.h>

typedef int32_t UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

EXPORT void *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    if (err && *err <= 0)
        *err = U_FILE_ACCESS_ERROR;
    return NULL;
}
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; (void)err; return NULL; }
EXPORT void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_setToUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; (void)e; }
EXPORT void ucnv_setFromUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e)
{ (void)c; (void)n; (void)nc; (void)o; (void)oc; (void)e; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void ucnv_cbToUWriteUChars(void) {}
EXPORT void ucnv_cbFromUWriteUChars(void) {}
EXPORT void ucnv_toUnicode(void) {}
EXPORT void ucnv_fromUnicode(void) {}
EXPORT int32_t ucnv_toUCountPending(const void *c, UErrorCode *e) { (void)c; (void)e; return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *c, UErrorCode *e) { (void)c; (void)e; return 0; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; (void)e; return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t i) { (void)i; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
