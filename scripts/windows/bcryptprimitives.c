/* Wine 8 work-around, TEST PREFIX ONLY (never shipped in the bundle): Rust >= 1.78 links its random
 * numbers to bcryptprimitives.dll!ProcessPrng (Windows 10+); wine 8 has no such DLL, so wheels built
 * with Rust (cryptography, pydantic-core, opening-hours-py) fail to load. This DLL exports ProcessPrng on
 * top of advapi32's RtlGenRandom (SystemFunction036). Built by scripts/windows/winenv.py with mingw-w64. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
