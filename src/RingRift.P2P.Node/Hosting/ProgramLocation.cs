using System.Diagnostics.CodeAnalysis;

namespace RingRift.P2P.Node.Hosting;

/// <summary>How to start this program again: an executable and the arguments that come before the command.</summary>
/// <param name="File">The executable: this program itself, or the <c>dotnet</c> host.</param>
/// <param name="Prefix">Arguments before the command: the entry assembly when <paramref name="File"/> is the <c>dotnet</c> host, else none.</param>
public sealed record ProgramCommand(string File, IReadOnlyList<string> Prefix);

/// <summary>
/// Where this program is, for <c>local-cluster</c>'s child nodes and a job's <c>{ringrift_p2p}</c>. The
/// program runs in four shapes, each found from the entry assembly's path and the process's own path:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A single-file executable (the release's <c>ringrift-p2p-linux-x64</c>, whatever it is renamed to):
/// its assemblies are inside it, so the assembly path is empty; the process's path is the program.</item>
/// <item>An SDK build or <c>dotnet publish</c> (also under <c>dotnet run</c> and the tests): the
/// <c>ringrift-p2p</c> apphost beside <c>ringrift-p2p.dll</c>.</item>
/// <item>The dotnet tool: no apphost beside the dll; the process is the tool's <c>ringrift-p2p</c> shim.</item>
/// <item><c>dotnet ringrift-p2p.dll</c> without an apphost: the <c>dotnet</c> host (the one running now when
/// it is the process) with the dll as its first argument.</item>
/// </list>
/// </remarks>
public static class ProgramLocation
{
    private const string Name = "ringrift-p2p";

    /// <summary>This process's program.</summary>
    public static ProgramCommand Current() => Resolve(EntryAssemblyPath(), Environment.ProcessPath, File.Exists);

    /// <summary>The program at <paramref name="programPath"/> (a .dll runs under <c>dotnet</c>), or this process's when it is null.</summary>
    public static ProgramCommand Given(string? programPath)
    {
        if (programPath is null) return Current();
        return programPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new("dotnet", [programPath]) : new(programPath, []);
    }

    /// <summary>
    /// The program from the entry assembly's path (empty inside a single-file executable) and the
    /// process's path; <paramref name="exists"/> says whether a file exists.
    /// </summary>
    public static ProgramCommand Resolve(string assemblyPath, string? processPath, Func<string, bool> exists)
    {
        if (assemblyPath.Length == 0)
            return new(processPath ?? throw new InvalidOperationException("a single-file program whose own path the runtime does not know"), []);
        var apphost = Path.Combine(Path.GetDirectoryName(assemblyPath) ?? "", OperatingSystem.IsWindows() ? Name + ".exe" : Name);
        if (exists(apphost)) return new(apphost, []);
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == Name) return new(processPath, []);
        var host = processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
        return new(host, [assemblyPath]);
    }

    /// <summary>The entry assembly's file; empty when it sits inside a single-file executable, which is what the caller checks.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
        Justification = "An empty path is how a single-file executable is recognised; the process path is used then.")]
    private static string EntryAssemblyPath() => typeof(ProgramLocation).Assembly.Location;
}
