using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Okta.PowerShell.Native;

/// <summary>
/// Finds the Rust core (okta_ffi) inside the module folder. .NET's default probing does not look in
/// runtimes/&lt;rid&gt;/native/ for an assembly loaded by PowerShell, so we resolve it ourselves.
/// </summary>
internal static class NativeLibraryLoader
{
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Interop.NativeLib) return IntPtr.Zero;
        foreach (var candidate in Candidates(assembly))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero; // fall back to default probing, which produces the usual DllNotFoundException
    }

    /// <summary>Where Build.ps1 lays the native library out, most specific first.</summary>
    internal static string[] Candidates(Assembly assembly)
    {
        var folder = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        var fileName = FileName();
        return new[]
        {
            Path.Combine(folder, "runtimes", RuntimeIdentifier(), "native", fileName),
            Path.Combine(folder, fileName),
        };
    }

    private static string FileName()
    {
        if (OperatingSystem.IsWindows()) return Interop.NativeLib + ".dll";
        if (OperatingSystem.IsMacOS()) return "lib" + Interop.NativeLib + ".dylib";
        return "lib" + Interop.NativeLib + ".so";
    }

    /// <summary>linux-x64, osx-arm64, win-x64…: the folder names Build.ps1 lays native files out under.</summary>
    internal static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return os + "-" + arch;
    }
}
