using System.Reflection;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// This build's version and the commit it was built from, as <c>1.0.0+&lt;commit&gt;</c> (the assembly's
/// informational version; Directory.Build.targets appends the commit from <c>git rev-parse HEAD</c>, or
/// <c>unknown</c> for a build outside a git checkout). <c>--version</c>, <c>/status</c>, <c>/health</c>
/// and every heartbeat carry this same string.
/// </summary>
public static class ProgramVersion
{
    /// <summary>The full version: <c>1.0.0+&lt;commit&gt;</c>.</summary>
    public static string Text { get; } =
        typeof(ProgramVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ProgramVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary>
    /// A version for a narrow column: the release, and of the commit its first 7 characters
    /// (<c>1.0.0+1419166</c>); a version without a commit as it is.
    /// </summary>
    public static string Short(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || version.Length - plus - 1 <= 7 ? version : version[..(plus + 8)];
    }
}
