using System.Reflection;
using System.Security.Cryptography;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the program (Dashboard/Page/*, resource names <c>dashboard/&lt;file&gt;</c>):
/// read once, each with its content type and an ETag of its bytes.
/// </summary>
public static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<IReadOnlyDictionary<string, DashboardAsset>> All = new(Load);

    /// <summary>The file served at <c>GET /dashboard</c>.</summary>
    public const string Page = "index.html";

    /// <summary>Every file by name.</summary>
    public static IReadOnlyDictionary<string, DashboardAsset> Files => All.Value;

    public static DashboardAsset? Find(string name) => All.Value.TryGetValue(name, out var asset) ? asset : null;

    private static Dictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            files[name] = new DashboardAsset(name, ContentType(name), bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return files;
    }

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        var other => throw new InvalidOperationException($"the dashboard has a file of unknown type '{other}'"),
    };
}

/// <summary>One embedded dashboard file.</summary>
public sealed record DashboardAsset(string Name, string ContentType, byte[] Bytes, string ETag);
