; PARÉ Desktop's Windows installer (NSIS, built on Debian by scripts/windows/build.py with makensis).
; Per-user: no administrator rights, installs under %LOCALAPPDATA%\Programs, Start menu entry for the
; current user, uninstaller registered in HKCU. Silent with /S (CI: scripts/windows/check.py).
; Defined on the command line: VERSION, VERSION4 (a.b.c.d), SRCDIR (dist/pare-windows), OUTFILE, COMPRESSOR,
; FILELIST (the uninstaller's list of top-level files and folders).
Target amd64-unicode  ; a 64-bit installer (the app is 64-bit only; wine64 alone runs it)
; COMPRESSOR: lzma for releases (smallest; ~4-8 min of CPU on 2 cores), zlib (about 1 min), or none for CI
; (4 s: windows-check tests what the installer does, not NSIS's decompression).
!ifndef COMPRESSOR
  !define COMPRESSOR lzma
!endif
!if "${COMPRESSOR}" == "none"
  SetCompress off
!else
  SetCompressor /SOLID ${COMPRESSOR}
!endif
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!define NAME "PARÉ Desktop"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PARE-Desktop"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\PARE Desktop"
InstallDirRegKey HKCU "Software\PARE Desktop" "InstallDir"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=1036 "ProductName" "${NAME}"
VIAddVersionKey /LANG=1036 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1036 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1036 "FileDescription" "Installation de ${NAME}"
VIAddVersionKey /LANG=1036 "CompanyName" "Droit d'Enfance"
VIAddVersionKey /LANG=1036 "LegalCopyright" "EUPL-1.2"

!define MUI_ICON "${SRCDIR}\pare-desktop.ico"
!define MUI_UNICON "${SRCDIR}\pare-desktop.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\pare.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${SRCDIR}\licenses\PARE-Desktop-EUPL-1.2.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "French"

Section "PARÉ Desktop" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A reinstall replaces the program files; the user's data (%LOCALAPPDATA%\DroitDEnfance) is elsewhere.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\pare.exe" "" "$INSTDIR\pare-desktop.ico" 0
  WriteRegStr HKCU "Software\PARE Desktop" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Droit d'Enfance"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\pare-desktop.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; The uninstaller removes the program, its Start menu entry and registry keys; the user's database and
; settings stay (they are the user's data, like a reinstall keeps them).
Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${NAME}.lnk"
  ; exactly what the installer put there (written by build.py from dist/pare-windows), never RMDir /r $INSTDIR:
  ; a user who chose an existing folder keeps its other files
  !include "${FILELIST}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\PARE Desktop"
SectionEnd
