# OrderDesk's Windows installer, from a checkout (PowerShell, Python 3.11 x64, Inno Setup 6):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# -> packaging\dist\orderdesk\ (the one-folder bundle) and packaging\dist\OrderDesk-VERSION-setup.exe.
# NOT RUN YET: only the Linux bundle has been built and tried (packaging/README.md).
param(
    [string]$Python = "py",
    [string]$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
)
$ErrorActionPreference = "Stop"
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Set-Location $root

if (-not (Test-Path .venv-win\Scripts\python.exe)) { & $Python -3.11 -m venv .venv-win }
$py = Join-Path $root ".venv-win\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install -e ".[package]"
if ($LASTEXITCODE) { throw "pip install failed" }

& $py -m PyInstaller packaging\orderdesk.spec --noconfirm --log-level WARN --distpath packaging\dist --workpath packaging\build
if ($LASTEXITCODE) { throw "PyInstaller failed" }

$version = (& packaging\dist\orderdesk\orderdesk.exe --version).Split(" ")[1]
if (-not $version) { throw "the bundle does not start" }
& $Iscc "/DAppVersion=$version" packaging\windows\orderdesk.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Write-Host "packaging\dist\OrderDesk-$version-setup.exe"
