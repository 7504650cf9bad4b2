using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// The rules for a requested sync path (<c>/sync/file?path=</c>, manifest prefixes, pulled entries):
/// data-dir relative, '/' separators, first segment one of <see cref="DataLayout.SyncedRoots"/>, no
/// empty, "." or ".." segment, no backslash, no drive or leading '/', no control characters, no dot
/// files and no <c>.partial</c> files. On disk the resolved file (every symlink followed) must stay under
/// that root of the data dir.
/// </summary>
public static class SyncPath
{
    public const string PartialSuffix = ".partial";

    /// <summary>Returns <paramref name="path"/> when it is a valid file path, else throws <see cref="PathRefusedException"/>.</summary>
    public static string ValidateFile(string? path)
    {
        var segments = Segments(path, allowTrailingSlash: false);
        if (segments.Length < 2) throw new PathRefusedException(path!, "a file path needs a root and a file name, e.g. games/hex8_2p/x.jsonl");
        var name = segments[^1];
        if (name.EndsWith(PartialSuffix, StringComparison.Ordinal)) throw new PathRefusedException(path!, "partial downloads are not served");
        return path!;
    }

    /// <summary>
    /// Normalises a manifest prefix (<c>games</c>, <c>games/hex8_2p</c>, <c>games/hex8_2p/</c>) to its segments
    /// joined by '/' without a trailing slash; throws <see cref="PathRefusedException"/> when it breaks the rules.
    /// </summary>
    public static string ValidatePrefix(string? prefix) => string.Join('/', Segments(prefix, allowTrailingSlash: true));

    /// <summary>True when <paramref name="path"/> equals <paramref name="prefix"/> or lies under it (segment-wise).</summary>
    public static bool IsUnderPrefix(string path, string prefix) =>
        path.Length == prefix.Length ? path == prefix
            : path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] == '/';

    /// <summary>True for names the manifest skips: dot files and <c>.partial</c> downloads.</summary>
    public static bool IsSkippedName(string name) =>
        name.StartsWith('.') || name.EndsWith(PartialSuffix, StringComparison.Ordinal);

    /// <summary>
    /// The real on-disk file for a validated <paramref name="path"/>: symlinks followed, the result required
    /// to be under the real <c>&lt;dataDirReal&gt;/&lt;root&gt;</c>. Throws <see cref="PathRefusedException"/> when it escapes.
    /// The file may not exist.
    /// </summary>
    public static string Resolve(string dataDirReal, string path)
    {
        ValidateFile(path);
        var root = path[..path.IndexOf('/')];
        var rootReal = RealPath.Of(Path.Join(dataDirReal, root))
            ?? throw new PathRefusedException(path, "too many symbolic links");
        if (!RealPath.IsUnder(rootReal, dataDirReal)) throw new PathRefusedException(path, $"{root}/ links outside the data dir");
        var real = RealPath.Of(Path.Join(dataDirReal, path))
            ?? throw new PathRefusedException(path, "too many symbolic links");
        if (!RealPath.IsUnder(real, rootReal)) throw new PathRefusedException(path, $"resolves outside {root}/ of the data dir (symbolic link)");
        return real;
    }

    private static string[] Segments(string? path, bool allowTrailingSlash)
    {
        if (string.IsNullOrEmpty(path)) throw new PathRefusedException(path ?? "", "path is empty");
        if (path.Length > 1024) throw new PathRefusedException(path[..64] + "…", "longer than 1024 characters");
        if (path.Contains('\\')) throw new PathRefusedException(path, "backslashes are not allowed; use '/'");
        if (path.Any(char.IsControl)) throw new PathRefusedException(path, "control characters are not allowed");
        if (path.StartsWith('/') || Path.IsPathRooted(path) || path.Contains(':'))
            throw new PathRefusedException(path, "must be relative to the data dir (no leading '/', no drive)");
        var trimmed = allowTrailingSlash && path.EndsWith('/') ? path[..^1] : path;
        var segments = trimmed.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0) throw new PathRefusedException(path, "empty path segment");
            if (segment is "." or "..") throw new PathRefusedException(path, "'.' and '..' segments are not allowed");
            if (segment.StartsWith('.')) throw new PathRefusedException(path, "dot files are not synced");
        }
        if (!DataLayout.SyncedRoots.Contains(segments[0], StringComparer.Ordinal))
            throw new PathRefusedException(path, $"only {string.Join(", ", DataLayout.SyncedRoots.Select(r => r + "/"))} are synced");
        return segments;
    }
}
