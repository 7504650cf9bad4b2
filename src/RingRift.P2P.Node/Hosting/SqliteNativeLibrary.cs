using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// SQLite's native library in the natively compiled release executable: a resource inside it (NativeAot.targets), written
/// out once (by <c>run</c> before the node starts, <see cref="LoadNow"/>; else at SQLite's first use) to <c>$DOTNET_BUNDLE_EXTRACT_BASE_DIR</c> (else <c>$HOME/.net</c>)
/// <c>/ringrift-p2p/&lt;content hash&gt;/libe_sqlite3.so</c> and loaded from there. Other builds carry no such resource and
/// load the library from beside the program, as .NET does.
/// </summary>
public static class SqliteNativeLibrary
{
    private const string Resource = "native/libe_sqlite3.so";
    private const string FileName = "libe_sqlite3.so";
    private const string BaseVariable = "DOTNET_BUNDLE_EXTRACT_BASE_DIR";
    private static readonly Lock Gate = new();
    private static IntPtr Loaded;

    private static bool Embedded => typeof(SqliteNativeLibrary).Assembly.GetManifestResourceInfo(Resource) is not null;

    /// <summary>Makes SQLite load the embedded library, when this build embeds one; call once, at the start.</summary>
    public static void UseEmbedded()
    {
        if (!Embedded) return;
        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
    }

    /// <summary>
    /// Writes out and loads the embedded library now, when this build embeds one (<c>run</c>, before the node starts), so
    /// that a node that cannot stops at once with the reason (<see cref="InvalidOperationException"/>), not inside its start.
    /// </summary>
    public static void LoadNow()
    {
        if (Embedded) Resolve("e_sqlite3", typeof(SqliteNativeLibrary).Assembly, null);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "e_sqlite3") return IntPtr.Zero;
        lock (Gate)
        {
            if (Loaded != IntPtr.Zero) return Loaded;
            using var library = typeof(SqliteNativeLibrary).Assembly.GetManifestResourceStream(Resource)!;
            Loaded = NativeLibrary.Load(Extract(library, BaseFolder()));
            return Loaded;
        }
    }

    /// <summary>The folder the library's own folder goes in; a clear error when there is none.</summary>
    private static string BaseFolder()
    {
        if (Environment.GetEnvironmentVariable(BaseVariable) is { Length: > 0 } given) return given;
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
            throw new InvalidOperationException($"SQLite's native library has nowhere to go: HOME is not set; set {BaseVariable} to a folder this user may write");
        return Path.Combine(home, ".net");
    }

    /// <summary>
    /// Writes <paramref name="library"/> to <c><paramref name="baseFolder"/>/ringrift-p2p/&lt;hash&gt;/libe_sqlite3.so</c>
    /// unless that file is already there whole, and returns its path. The file is written beside and renamed into place,
    /// so a crash or a second process never leaves half of it there.
    /// </summary>
    public static string Extract(Stream library, string baseFolder)
    {
        var bytes = new byte[library.Length];
        library.ReadExactly(bytes);
        var folder = Path.Combine(baseFolder, "ringrift-p2p", Fnv1a64(bytes).ToString("x16", CultureInfo.InvariantCulture));
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length) return path;
        try
        {
            Directory.CreateDirectory(folder);
            var temp = Path.Combine(folder, $"{FileName}.{Environment.ProcessId}.tmp");
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"SQLite's native library could not be written to '{folder}' ({e.Message}); set {BaseVariable} to a folder this user may write", e);
        }
        return path;
    }

    /// <summary>FNV-1a, 64 bits: names the library's folder by its content without the cryptographic libraries (OpenSSL).</summary>
    private static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
