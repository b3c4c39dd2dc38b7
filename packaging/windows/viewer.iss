; Inno Setup recipe of the Windows installer (Inno Setup 6.3+), built on Windows from the
; PyInstaller one-folder app:
;   pyinstaller --noconfirm --distpath build\dist --workpath build\work packaging\viewer.spec
;   python packaging\make_installer_files.py --out build\installer
;   iscc /DAppVersion=0.1.0 packaging\windows\viewer.iss
; Silent, pre-configured install (properties -> site file, validated by the viewer itself):
;   viewer-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /TENANT_URL=https://acme.eu.qlikcloud.com /APP_ID=... /KIOSK=true /LOCK=tenant.base_url
; The same AppId makes a newer installer upgrade in place; users' profiles and sessions live in
; their own %LOCALAPPDATA%\viewer and are never touched.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root ".."

[Setup]
AppId={{6A0F1E52-7C3B-4E55-9B0F-3C1D2B7A9E41}
AppName=Viewer
AppVersion={#AppVersion}
AppPublisher=ViewerProject
DefaultDirName={autopf}\Viewer
DefaultGroupName=Viewer
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\..\build
OutputBaseFilename=viewer-setup-{#AppVersion}
Compression=lzma2/fast
SolidCompression=yes
CloseApplications=yes
UninstallDisplayIcon={app}\viewer.exe
SetupLogging=yes

[Files]
Source: "{#Root}\..\build\dist\viewer\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; the Group Policy template, for administrators to copy into their central store
Source: "{#Root}\..\build\installer\viewer.admx"; DestDir: "{app}\policies"; Flags: ignoreversion
Source: "{#Root}\..\build\installer\en-US\viewer.adml"; DestDir: "{app}\policies\en-US"; Flags: ignoreversion

[Icons]
Name: "{group}\Viewer"; Filename: "{app}\viewer.exe"; Parameters: "run"
Name: "{autodesktop}\Viewer"; Filename: "{app}\viewer.exe"; Parameters: "run"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop icon"; Flags: unchecked

[UninstallDelete]
; the site file the installer wrote (a site that wants to keep it copies it first)
Type: files; Name: "{commonappdata}\viewer\site.toml"

#include "..\..\build\installer\site-properties.iss"
