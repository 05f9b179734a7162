using Okta.PowerShell.Native;

namespace Okta.PowerShell.Diagnostics;

/// <summary>Where the module keeps its platform-specific files (for the script commands).</summary>
public static class ModuleLayout
{
    /// <summary>The runtime identifier of this process (linux-x64, osx-arm64, win-x64, …), as used in
    /// bin/runtimes/&lt;rid&gt;/native and bin/tools/&lt;rid&gt;.</summary>
    public static string RuntimeIdentifier => NativeLibraryLoader.RuntimeIdentifier();
}
