; Evidence Organiser - Inno Setup script (Inno Setup 6.3 or later).
;
; Installs the one-folder PyInstaller build (dist\EvidenceOrganiser, made by
; `pyinstaller installer\evidence_app.spec`) like any Windows desktop program.
;
;   iscc /DAppVersion=0.1.0 installer\evidence-organiser.iss
;       -> dist\EvidenceOrganiser-0.1.0-setup.exe
;   (the version comes from pyproject.toml's package metadata; the workflow passes it)
;
; Install modes (PrivilegesRequired=lowest + PrivilegesRequiredOverridesAllowed):
;   per user, no administrator rights (default): %LOCALAPPDATA%\Programs\Evidence Organiser
;   per machine: setup.exe /ALLUSERS (asks for elevation): C:\Program Files\Evidence Organiser
; Silent:     setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/ALLUSERS] [/TASKS="desktopicon"]
; Uninstall:  "<app>\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES [/DELETEDATA]
;   Workspaces and settings are kept unless /DELETEDATA is given (or the person says yes
;   when an interactive uninstall asks).
;
; Code signing (optional, with the council's certificate, never stored in the repository):
;   iscc /DAppVersion=0.1.0 /DSign "/Ssigntool=signtool.exe sign /fd sha256 /tr <timestamp URL>
;        /td sha256 /f $qC:\path\cert.pfx$q /p <password> $f" installer\evidence-organiser.iss
;   SignTool signs Setup and its uninstaller; the programs inside are signed beforehand.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (from pyproject.toml, see the workflow)
#endif
#define AppName "Evidence Organiser"
#define AppExe "EvidenceOrganiser.exe"
#define CliExe "evidence-app.exe"
#define AppPublisher "Evidence Organiser developers"
; The folder where the app keeps each user's settings and default workspace
; (platformdirs user_data_dir("EvidenceOrganiser", "EvidenceOrganiser", roaming=False)).
#define DataDir "EvidenceOrganiser"
#define PackProgId "EvidenceOrganiser.Pack"

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it.
AppId={{5B0C7E52-3A7D-4C1E-9F3B-6E2D8A41C9D7}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
SetupIconFile=..\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=EvidenceOrganiser-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\EvidenceOrganiser\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Organise evidence for an Ofsted ILACS inspection"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .evpack (an evidence pack from a colleague) opens in the app. HKA is HKCU\Software\Classes
; for a per-user install and HKLM\Software\Classes for a per-machine one.
Root: HKA; Subkey: "Software\Classes\.evpack"; ValueType: string; ValueName: ""; ValueData: "{#PackProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.evpack\OpenWithProgids"; ValueType: string; ValueName: "{#PackProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#PackProgId}"; ValueType: string; ValueName: ""; ValueData: "Evidence Organiser pack"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".evpack"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ Uninstall keeps every workspace and setting unless asked: /DELETEDATA on the command line, or
  "Yes" to the question an interactive uninstall asks (the default answer is No). Only this
  user's data folder is removed; workspaces the person created elsewhere are never touched. }
function DeleteDataRequested: Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/DELETEDATA') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataPath: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataPath := ExpandConstant('{localappdata}\{#DataDir}');
  if not DirExists(DataPath) then
    Exit;
  if DeleteDataRequested or
     ((not UninstallSilent) and
      (MsgBox('Also delete your Evidence Organiser settings, backups and the default ' +
              'workspace in' + #13#10 + DataPath + '?' + #13#10#13#10 +
              'Workspaces you created in other folders are not deleted. Choose No to keep ' +
              'everything (recommended).', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES)) then
  begin
    DelTree(DataPath, True, True, True);
    RegDeleteKeyIncludingSubkeys(HKCU, 'Software\{#DataDir}');
  end;
end;
