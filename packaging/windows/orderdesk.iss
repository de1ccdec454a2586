; Inno Setup 6 script of OrderDesk's Windows installer (issue #16). NOT BUILT OR TRIED YET: only the
; Linux bundle has been built and run (packaging/README.md). Built by packaging\windows\build.ps1,
; after PyInstaller made packaging\dist\orderdesk\ (orderdesk.exe, orderdeskw.exe, _internal\):
;
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\orderdesk.iss   ->  packaging\dist\OrderDesk-0.1.0-setup.exe
;
; Per-user by default (no administrator rights; the user may choose all users). The optional task
; "daily report" registers a Task Scheduler entry, the same one a person can make by hand:
;   schtasks /Create /F /SC DAILY /ST 09:00 /TN "OrderDesk\Daily report" /TR "\"%LOCALAPPDATA%\Programs\OrderDesk\orderdesk.exe\" report daily --push"
; (09:00 of the computer's clock: set /ST to 09:00 China time when the computer keeps another zone).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root ".."
#define Bundle Root + "\dist\orderdesk"

[Setup]
AppId={{6C0F2C55-6B43-4D0B-9E6B-0D3B5C0A9F16}
AppName=OrderDesk
AppVersion={#AppVersion}
AppVerName=OrderDesk {#AppVersion}
AppPublisher=OrderDesk
DefaultDirName={autopf}\OrderDesk
DefaultGroupName=OrderDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=OrderDesk-{#AppVersion}-setup
SetupIconFile={#Root}\build\icons\orderdesk.ico
UninstallDisplayIcon={app}\orderdeskw.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "dailyreport"; Description: "Push the daily report at 09:00 every day (Task Scheduler; needs a hub set in the console's settings and a signed-in supervisor)"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\OrderDesk"; Filename: "{app}\orderdeskw.exe"; Parameters: "console"; IconFilename: "{app}\orderdeskw.exe"
Name: "{autoprograms}\OrderDesk demo"; Filename: "{app}\orderdeskw.exe"; Parameters: "demo"; IconFilename: "{app}\orderdeskw.exe"
Name: "{autodesktop}\OrderDesk"; Filename: "{app}\orderdeskw.exe"; Parameters: "console"; Tasks: desktopicon

[Run]
; The scheduled task runs as the installing user, only while that user is signed in (its token stays
; in that user's Windows Credential Manager, which keyring reads).
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /SC DAILY /ST 09:00 /TN ""OrderDesk\Daily report"" /TR ""\""{app}\orderdesk.exe\"" report daily --push"""; Flags: runhidden; Tasks: dailyreport
Filename: "{app}\orderdeskw.exe"; Parameters: "console"; Description: "{cm:LaunchProgram,OrderDesk}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""OrderDesk\Daily report"""; Flags: runhidden; RunOnceId: "OrderDeskDailyReport"
